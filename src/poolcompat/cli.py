"""The `poolcompat` command line, a thin layer over the engine."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, Dict, List, NoReturn, Optional, Sequence, Tuple

import click

from poolcompat._meta import __version__
from poolcompat.cli_fix import FixRequest, apply_fixes, fix_options
from poolcompat.config import (
    Config, ConfigError, find_pyproject, load_config, resolve_target, shown,
)
from poolcompat.engine.findings import FileResult
from poolcompat.project.scope import Scope, check_files, marked_root
from poolcompat.reading.files import display
from poolcompat.reading.ignore import Exclusion, split_patterns
from poolcompat.report.github import to_github
from poolcompat.report.json import to_json
from poolcompat.report.platforms import parse_platforms
from poolcompat.report.report import Report, judge
from poolcompat.report.sarif import to_sarif
from poolcompat.report.select import unknown_codes
from poolcompat.report.style import Display, use_color
from poolcompat.report.target import newest_known
from poolcompat.report.text import to_text
from poolcompat.report.versions import to_versions_json, to_versions_text
from poolcompat.table.load import RuleError, Table, default_table

FORMATS: Dict[str, Callable[[Report, Display], str]] = {
    "text": to_text, "json": to_json, "sarif": to_sarif, "github": to_github,
}
VERSION_FORMATS = ("text", "json")


def _fail(message: str) -> NoReturn:
    click.echo(f"poolcompat: error: {message}", err=True)
    sys.exit(2)


def _table() -> Table:
    try:
        return default_table()
    except RuleError as exc:
        _fail(f"invalid rule table: {exc}")


def _codes(flag: Tuple[str, ...], configured: List[str], where: str, table: Table,
           option: str) -> List[str]:
    """Codes from the flag, else the config; an unknown one is a usage error."""
    codes = split_patterns(flag) if flag else split_patterns(configured)
    problems = unknown_codes(codes, table)
    if problems:
        _fail(f"{option if flag else where + ' ' + option.lstrip('-')}: {problems[0]}")
    return codes


def _exclusion(config: Config, exclude: Tuple[str, ...], extend: Tuple[str, ...],
               gitignore: bool, root: Optional[str]) -> Exclusion:
    """Command-line patterns are relative to the cwd, the config's to its directory."""
    here = os.getcwd()
    groups = [(here, split_patterns(exclude)) if exclude else (config.base, config.exclude),
              (here, split_patterns(extend)) if extend else (config.base, config.extend_exclude)]
    return Exclusion.of(groups, gitignore, root)


def _stdin(name: str, table: Table, scope: Scope) -> Tuple[FileResult, bytes]:
    """Source from stdin. Where it is the named file's own content, the file's result in its
    project; else the source checked on its own (an editor's unsaved buffer)."""
    data = sys.stdin.buffer.read()
    try:
        on_disk = Path(name).read_bytes() == data
    except OSError:
        on_disk = False
    if on_disk and marked_root([name]):
        return check_files([name], table, scope)[0], data
    from poolcompat.engine.check import check_source  # libcst loads only when needed
    return check_source(data, name, table), data


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="poolcompat")
def cli() -> None:
    """Which Python versions your multiprocessing and concurrent.futures code needs."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-t", "--target-version", "target",
              help="Oldest Python the code must run on (3.8, 3.8.1, py38, 2.7), or a range "
                   "3.8-3.13.")
@click.option("--platform", "platform", multiple=True,
              help="Platforms the code must run on: linux, macos, windows (comma-separated).  "
                   "[default: the config's, else the Operating System classifiers, else all]")
@click.option("--select", multiple=True, help="Only these codes or prefixes (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these codes or prefixes (comma-separated).")
@click.option("--exclude", multiple=True,
              help="Skip paths matching these gitignore-style patterns (comma-separated; "
                   "replaces the config's).")
@click.option("--extend-exclude", multiple=True, help="Skip these patterns too.")
@click.option("--force-exclude/--no-force-exclude", default=None,
              help="Apply the exclusions to paths named on the command line too.")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None,
              help="Skip what .gitignore files ignore.  [default: respect]")
@click.option("--output-format", type=click.Choice(sorted(FORMATS)), default=None,
              help="How to print the report.  [default: text]")
@click.option("-v", "--show-all", is_flag=True,
              help="List every finding, not only those that fail.")
@click.option("--statistics", is_flag=True, help="Count the findings per code.")
@click.option("--show-source", is_flag=True,
              help="Show each finding's source line, with a caret under it.")
@click.option("--versions", is_flag=True,
              help="For each Python from 3.6 on: how many findings fail there, in which files.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Read [tool.poolcompat] from this file instead of the nearest pyproject.toml.")
@click.option("--stdin-filename", default=None,
              help="Read the source from stdin and report it under this name.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes.  [default: the number of cores]")
@click.option("--no-project-context", is_flag=True,
              help="Read only PATHS, not the other modules of their project (faster; a pool "
                   "made in a module left out is missed).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .poolcompat_cache/.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="Keep the cache here instead of .poolcompat_cache/ at the project root.")
@fix_options
def check(paths: Tuple[str, ...], target: Optional[str], platform: Tuple[str, ...],
          select: Tuple[str, ...], ignore: Tuple[str, ...], exclude: Tuple[str, ...],
          extend_exclude: Tuple[str, ...],
          force_exclude: Optional[bool], respect_gitignore: Optional[bool],
          output_format: Optional[str], show_all: bool, statistics: bool, show_source: bool,
          versions: bool, config_path: Optional[str], stdin_filename: Optional[str],
          jobs: Optional[int], no_project_context: bool, no_cache: bool,
          cache_dir: Optional[str], fix: bool, unsafe_fixes: bool, diff: bool) -> None:
    """Check PATHS (files or directories; default: the current directory; `-` for stdin)."""
    if stdin_filename is not None and any(p != "-" for p in paths):
        _fail("--stdin-filename reads the source from stdin: give no paths (or `-`)")
    paths = ("-",) if stdin_filename is not None else paths or (".",)
    stdin_name = stdin_filename or "<stdin>"
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        _fail(f"path does not exist: {missing[0]}")
    table = _table()
    named = [stdin_name if p == "-" else p for p in paths]
    try:
        config = load_config(Path(config_path) if config_path else find_pyproject(named), named)
        platforms = parse_platforms(platform) if platform else None
        chosen_target = resolve_target(target, config, newest_known(_versions(table)), platforms)
    except ConfigError as exc:
        _fail(str(exc))
    except ValueError as exc:
        _fail(str(exc) if str(exc).startswith("--platform") else f"--target-version: {exc}")
    where = f"{shown(config.path)}: [tool.poolcompat]" if config.path else "config"
    chosen_format = output_format or config.output_format or "text"
    if chosen_format not in FORMATS:
        _fail(f"{where} output-format {chosen_format!r} is not one of {', '.join(sorted(FORMATS))}")
    if versions and chosen_format not in VERSION_FORMATS:
        _fail(f"--versions prints {' or '.join(VERSION_FORMATS)}, not {chosen_format}")
    chosen = _codes(select, config.select, where, table, "--select")
    skipped = _codes(ignore, config.ignore, where, table, "--ignore")
    files = [p for p in paths if p != "-"]
    gitignore = config.respect_gitignore if respect_gitignore is None else respect_gitignore
    scope = Scope(_exclusion(config, exclude, extend_exclude, gitignore, marked_root(named)),
                  config.force_exclude if force_exclude is None else force_exclude,
                  jobs, not no_cache, cache_dir, context=not no_project_context)
    fixing = FixRequest(fix, unsafe_fixes, diff)
    problem = fixing.problem(chosen_target, "-" in paths)
    if problem:
        _fail(problem)
    if fixing.wanted and chosen_target is not None:
        changed = apply_fixes(files, chosen_target, scope, fixing, chosen, skipped,
                              summary_to_stderr=chosen_format != "text")
        if diff:
            sys.exit(1 if changed else 0)
    results = check_files(files, table, scope) if files else []
    sources: Dict[str, bytes] = {}
    if "-" in paths:
        result, sources[display(stdin_name)] = _stdin(stdin_name, table, scope)
        results.append(result)
    report = judge(results, table, chosen_target, chosen, skipped)
    shown_how = Display(show_all, statistics, show_source,
                        use_color(sys.stdout.isatty(), os.environ), sources)
    output = _render(report, chosen_format, versions, shown_how, table)
    if output:
        click.echo(output, color=shown_how.color)
    sys.exit(report.exit_code)


def _versions(table: Table) -> Sequence[Tuple[int, ...]]:
    return [v for rule in table.rules for v in (rule.requires, rule.removed) if v is not None]


def _render(report: Report, output_format: str, versions: bool, shown_how: Display,
            table: Table) -> str:
    if versions:
        newest = newest_known(_versions(table))
        if output_format == "json":
            return to_versions_json(report, newest)
        return to_versions_text(report, newest, shown_how)
    return FORMATS[output_format](report, shown_how)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def rules(fmt: str) -> None:
    """List every rule: code, versions and feature."""
    from poolcompat.table.explain import rules_json, rules_text  # the check never needs it
    table = _table()
    click.echo(rules_json(table) if fmt == "json" else rules_text(table))


@cli.command(name="explain")
@click.argument("code")
def explain_command(code: str) -> None:
    """Print one rule's documentation (e.g. `poolcompat explain PCP301`)."""
    rule = _table().get(code.strip().upper())
    if rule is None:
        _fail(f"unknown rule code {code!r} (see `poolcompat rules`)")
    from poolcompat.table.explain import explain
    click.echo(explain(rule))


def main() -> None:
    cli(prog_name="poolcompat")
