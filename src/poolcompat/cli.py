"""The `poolcompat` command line, a thin layer over the engine."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, Dict, List, NoReturn, Optional, Tuple

import click

from poolcompat._meta import __version__
from poolcompat.config import ConfigError, find_pyproject, load_config, resolve_target
from poolcompat.table.explain import explain, rules_json, rules_text
from poolcompat.report.json import to_json
from poolcompat.report.text import to_text
from poolcompat.report.report import Report
from poolcompat.table.load import RuleError, default_table
from poolcompat.project.run import check_paths, finish
from poolcompat.report.github import to_github
from poolcompat.report.sarif import to_sarif

FORMATS: Dict[str, Callable[[Report], str]] = {
    "text": to_text, "json": to_json, "sarif": to_sarif, "github": to_github,
}


def _fail(message: str) -> NoReturn:
    click.echo(f"poolcompat: error: {message}", err=True)
    sys.exit(2)


def _codes(values: Tuple[str, ...]) -> List[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="poolcompat")
def cli() -> None:
    """Which Python versions your multiprocessing and concurrent.futures code needs."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-t", "--target-version", "target",
              help="Oldest Python the code must run on (3.8, 3.8.1, py38), or a range 3.8-3.13.")
@click.option("--select", multiple=True, help="Only these codes or prefixes (comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these codes or prefixes (comma-separated).")
@click.option("--exclude", multiple=True, help="Skip paths matching this glob (replaces config).")
@click.option("--extend-exclude", multiple=True, help="Skip paths matching this glob too.")
@click.option("--output-format", type=click.Choice(sorted(FORMATS)), default=None,
              help="How to print the report.  [default: text]")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Read [tool.poolcompat] from this file instead of the nearest pyproject.toml.")
@click.option("--stdin-filename", default="<stdin>", show_default=True,
              help="The name to report for source read from `-`.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes.  [default: the number of cores]")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .poolcompat_cache/.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="Keep the cache here instead of .poolcompat_cache/ at the project root.")
def check(paths: Tuple[str, ...], target: Optional[str], select: Tuple[str, ...],
          ignore: Tuple[str, ...], exclude: Tuple[str, ...], extend_exclude: Tuple[str, ...],
          output_format: Optional[str], config_path: Optional[str], stdin_filename: str,
          jobs: Optional[int], no_cache: bool, cache_dir: Optional[str]) -> None:
    """Check PATHS (files or directories; default: the current directory; `-` for stdin)."""
    paths = paths or (".",)
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        _fail(f"path does not exist: {missing[0]}")
    try:
        config = load_config(Path(config_path) if config_path else find_pyproject(
            [stdin_filename if p == "-" else p for p in paths]))
        low, high, source = resolve_target(target, config)
    except (ConfigError, ValueError) as exc:
        _fail(str(exc))
    chosen_format = output_format or config.output_format or "text"
    if chosen_format not in FORMATS:
        _fail(f"{config.path}: [tool.poolcompat] output-format {chosen_format!r} is not one of "
              f"{', '.join(sorted(FORMATS))}")
    chosen, skipped = _codes(select) or config.select, _codes(ignore) or config.ignore
    excluded = list(exclude or config.exclude) + list(extend_exclude or config.extend_exclude)
    try:
        table = default_table()
        files = [p for p in paths if p != "-"]
        report = check_paths(files, table, target=low, target_max=high, exclude=excluded,
                             select=chosen, ignore=skipped, jobs=jobs, cache=not no_cache,
                             cache_dir=cache_dir) if files else finish([], table, low, high)
        if "-" in paths:
            from poolcompat.engine.check import check_source
            stdin = check_source(sys.stdin.buffer.read(), stdin_filename, table)
            report = finish([*report.results, stdin], table, low, high, chosen, skipped)
    except RuleError as exc:
        _fail(f"invalid rule table: {exc}")
    report.target_source = source
    output = FORMATS[chosen_format](report)
    if output:
        click.echo(output)
    sys.exit(report.exit_code)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def rules(fmt: str) -> None:
    """List every rule: code, versions and feature."""
    table = default_table()
    click.echo(rules_json(table) if fmt == "json" else rules_text(table))


@cli.command(name="explain")
@click.argument("code")
def explain_command(code: str) -> None:
    """Print one rule's documentation (e.g. `poolcompat explain PCP301`)."""
    rule = default_table().get(code.strip().upper())
    if rule is None:
        _fail(f"unknown rule code {code!r} (see `poolcompat rules`)")
    click.echo(explain(rule))


def main() -> None:
    cli(prog_name="poolcompat")
