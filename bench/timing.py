"""Timing helpers: wall-clock medians of repeated runs, and ratios against a floor."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence


def timed_samples(action: Callable[[], object], repeats: int) -> list[float]:
    """The wall-clock times of ``repeats`` calls."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    """The median wall-clock time of ``repeats`` calls (the median resists a neighbour's burst of
    CPU use on a shared machine better than the mean)."""
    return statistics.median(timed_samples(action, repeats))


def run_checked(command: Sequence[str], env: dict[str, str] | None = None) -> None:
    """Run a command; a failing command fails the benchmark (a fast failure is no figure)."""
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-500:]!r}")


def ratio(value: float | None, floor: float | None) -> float | None:
    if value is None or not floor:
        return None
    return value / floor
