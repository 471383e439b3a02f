"""`poolcompat check --fix`, `--unsafe-fixes` and `--diff`: the command line's side of
`poolcompat.fix`. The fix machinery loads libcst, so it is imported only once one of these
options is given: a plain check never pays for it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence, TypeVar

import click

from poolcompat.engine.findings import FileError
from poolcompat.project.scope import Scope
from poolcompat.reading.files import discover, display
from poolcompat.report.style import plural
from poolcompat.report.target import Target
from poolcompat.report.text import error_line

if TYPE_CHECKING:
    from poolcompat.fix.run import FileFix

Command = TypeVar("Command", bound=Callable[..., None])


def fix_options(command: Command) -> Command:
    """The three options, in ruff's spelling and meaning."""
    command = click.option(
        "--diff", is_flag=True,
        help="Print a unified diff of the fixes for each file and write nothing (exit 1 if "
             "there is one).")(command)
    command = click.option(
        "--unsafe-fixes", is_flag=True,
        help="With --fix or --diff: also apply fixes whose fallback may behave differently "
             "on older Pythons.")(command)
    return click.option(
        "--fix", is_flag=True,
        help="Rewrite what fails on the target so it runs there (version-guarded fallbacks), "
             "remove guards the target no longer needs, then check again.")(command)


@dataclass(frozen=True)
class FixRequest:
    fix: bool
    unsafe: bool
    diff: bool

    @property
    def wanted(self) -> bool:
        return self.fix or self.diff

    def problem(self, target: Optional[Target], stdin: bool) -> Optional[str]:
        """Why the options cannot be honoured, as a usage error, or None."""
        if self.unsafe and not self.wanted:
            return "--unsafe-fixes only applies with --fix or --diff"
        if not self.wanted:
            return None
        flag = "--diff" if self.diff else "--fix"
        if stdin:
            return f"{flag} rewrites files: give paths, not stdin"
        if target is None:
            return (f"{flag} needs a target to fix for: pass -t/--target-version, or set "
                    "target-version or requires-python in pyproject.toml")
        return None


def apply_fixes(files: Sequence[str], target: Target, scope: Scope, request: FixRequest,
                select: Sequence[str], ignore: Sequence[str], summary_to_stderr: bool) -> bool:
    """Fix the files the check would read (or print the diffs, with --diff); print a summary
    and one line per file that could not be fixed. Whether some file changed or failed."""
    from poolcompat.fix.run import fix_paths  # loads libcst

    chosen = discover(files, scope.exclusion, force_exclude=scope.force_exclude)
    fixed = fix_paths(chosen, target, unsafe=request.unsafe, diff_only=request.diff,
                      select=select, ignore=ignore)
    for each in fixed:
        if request.diff and each.result.changed:
            click.echo(each.result.diff(display(each.path)), nl=False)
        if each.result.error is not None:
            line = error_line(FileError(display(each.path), each.result.error))
            click.echo(f"{line} (not fixed)", err=True)
    to_stderr = request.diff or summary_to_stderr
    click.echo(summary(fixed, written=not request.diff) + ("" if to_stderr else "\n"),
               err=to_stderr)  # on stdout, a blank line before the report
    return any(each.result.changed or each.result.error is not None for each in fixed)


def summary(fixed: Sequence[FileFix], written: bool) -> str:
    """"Fixed 3 uses in 2 files (1 unsafe fix not applied: use --unsafe-fixes)." as ruff says
    it; with --diff, what a --fix would do."""
    applied = [a for each in fixed for a in each.result.applied]
    lowered = sum(1 for a in applied if a.action == "lower")
    raised = len(applied) - lowered
    fix, remove = ("Fixed", "removed") if written else ("Would fix", "would remove")
    parts: List[str] = []
    if lowered:
        parts.append(f"{fix} {plural(lowered, 'use')}")
    if raised:
        verb = remove if parts else remove.capitalize()
        parts.append(f"{verb} {plural(raised, 'dead guard')}")
    changed = sum(1 for each in fixed if each.result.changed)
    nothing = "Nothing fixed" if written else "Nothing to fix"
    sentence = (" and ".join(parts) + f" in {plural(changed, 'file')}" if parts
                else f"{nothing} in {plural(len(fixed), 'file')}")
    held = sum(1 for each in fixed for left in each.result.left if left.needs_unsafe)
    failed = sum(1 for each in fixed if each.result.error is not None)
    notes = [f"{held} unsafe fix{'' if held == 1 else 'es'} not applied: use --unsafe-fixes"
             if held else "", f"{plural(failed, 'file')} could not be fixed" if failed else ""]
    shown = "; ".join(note for note in notes if note)
    return f"{sentence} ({shown})." if shown else f"{sentence}."
