"""Timing and reading runs, shared by the benchmark scripts of bench/."""
from __future__ import annotations

import dataclasses
import json
import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import IO, Dict, List, Optional, Sequence, Tuple

Finding = Tuple[str, int, str]  # path, line, code


@dataclasses.dataclass(frozen=True)
class Runs:
    """Wall times (s) and peak RSS (KiB: the largest process of each run's tree) of runs."""
    times: List[float]
    peaks: List[int]

    @property
    def seconds(self) -> float:
        return statistics.median(self.times)

    @property
    def mib(self) -> float:
        return statistics.median(self.peaks) / 1024

    @property
    def max_mib(self) -> float:
        return max(self.peaks) / 1024

    def as_dict(self) -> Dict[str, object]:
        return {"times": self.times, "peak_kib": self.peaks, "median_s": self.seconds,
                "median_peak_mib": self.mib}


def compile_bytecode(python: str) -> None:
    """Compile poolcompat's modules as an install does: from a development checkout, under
    PYTHONDONTWRITEBYTECODE, every run would compile the modules edited since the last write
    (about 0.1 s a run), while vermin, installed, starts from its bytecode."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([python, "-c", "import compileall, os, poolcompat; "
                    "compileall.compile_dir(os.path.dirname(poolcompat.__file__), quiet=1)"],
                   env=env, capture_output=True)


def measure(command: Sequence[str], cwd: Path, runs: int, output: Optional[Path] = None) -> Runs:
    """Runs the command `runs` times; what the last run prints goes to `output`, if given."""
    times: List[float] = []
    peaks: List[int] = []
    for _ in range(runs):
        with _sink(output) as stdout:
            start = time.perf_counter()
            process = subprocess.Popen(command, cwd=cwd, stdout=stdout,
                                       stderr=subprocess.DEVNULL)
            _, _, usage = os.wait4(process.pid, 0)  # this run's tree alone, unlike RUSAGE_CHILDREN
            times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)
    return Runs(times, peaks)


def _sink(output: Optional[Path]) -> IO[bytes]:
    return open(output if output else os.devnull, "wb")


@dataclasses.dataclass(frozen=True)
class Findings:
    """What a `--output-format json` run reported."""
    rows: List[Finding]
    errors: List[Tuple[str, str]]  # path, message
    files: int


def read_findings(text: str) -> Findings:
    document = json.loads(text)
    rows = [(f["path"], f["line"], f["code"]) for f in document["findings"]]
    errors = [(e["path"], e["message"]) for e in document["errors"]]
    return Findings(rows, errors, len(document["files"]))


def findings(command: Sequence[str], cwd: Path) -> Findings:
    out = subprocess.run([*command, "--output-format", "json"], cwd=cwd, capture_output=True,
                         text=True).stdout
    return read_findings(out)
