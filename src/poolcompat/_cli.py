"""The `poolcompat` command line, a thin layer over the engine."""
from __future__ import annotations

import sys
from typing import Optional, Tuple

import click

from poolcompat import __version__
from poolcompat._run import check_paths
from poolcompat._output import to_json, to_text
from poolcompat._rules import RuleError
from poolcompat._version import Version, parse_version

FORMATS = {"text": to_text, "json": to_json}


def _parse_target(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> Optional[Version]:
    if value is None:
        return None
    try:
        return parse_version(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="poolcompat")
def cli() -> None:
    """Which Python versions your multiprocessing and concurrent.futures code needs."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output-format", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True, help="How to print the report.")
@click.option("-t", "--target-version", "target", callback=_parse_target,
              help="Python version the code must run on, e.g. 3.8 or py38.")
def check(paths: Tuple[str, ...], output_format: str, target: Optional[Version]) -> None:
    """Check PATHS (files or directories; default: the current directory)."""
    import os

    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise click.UsageError(f"path does not exist: {missing[0]}")
    try:
        report = check_paths(paths or (".",), target=target)
    except RuleError as exc:
        click.echo(f"poolcompat: invalid rule table: {exc}", err=True)
        sys.exit(2)
    click.echo(FORMATS[output_format](report))
    sys.exit(report.exit_code)


def main() -> None:
    cli(prog_name="poolcompat")
