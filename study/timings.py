"""Where the time of a run goes: wall-clock and CPU seconds per stage (``analysis.py --timings``).

CPU time counts this process and the worker processes it has waited for (the bootstrap's), so on a
machine with two cores a parallel stage can show more CPU than wall time, and a stage that waited for
the CPU (other programs running) shows less. Stages run in a second process beside the others
(:mod:`study.background`) are listed apart with their own times; their CPU time is also in the stage
of this process that collected them, so the total counts it once, and their wall time is not in the total.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

#: When the package was first imported: the start-up stage runs from here (interpreter start-up before it
#: is not counted, a few tens of milliseconds).
IMPORTED_AT = time.perf_counter()


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@dataclass
class Timings:
    """Consecutive stages, each with its wall and CPU seconds.

    Examples
    --------
    >>> timings = Timings()
    >>> timings.start("one"); timings.start("two"); timings.stop()
    >>> [name for name, _, _ in timings.stages]
    ['one', 'two']
    """

    stages: list[tuple[str, float, float]] = field(default_factory=list)
    beside: list[tuple[str, float, float]] = field(default_factory=list)  # run in a second process
    _current: tuple[str, float, float] | None = None

    def start(self, name: str, *, since: float | None = None) -> None:
        """Close the running stage (if any) and start ``name``. With ``since`` (a perf_counter time, e.g.
        :data:`IMPORTED_AT`) the stage began then, and its CPU time counts from the start of the process."""
        now = time.perf_counter()
        self.stop(now)
        self._current = (name, now, _cpu()) if since is None else (name, since, 0.0)

    def stop(self, now: float | None = None) -> None:
        if self._current is None:
            return
        name, wall0, cpu0 = self._current
        now = time.perf_counter() if now is None else now
        self.stages.append((name, now - wall0, _cpu() - cpu0))
        self._current = None

    def add_beside(self, name: str, wall: float, cpu: float) -> None:
        """A stage that ran in a second process beside the stages of this one, with its own times."""
        self.beside.append((name, wall, cpu))

    @property
    def total(self) -> float:
        return sum(wall for _, wall, _ in self.stages)

    def render(self) -> str:
        """A plain-text table of the stages and the total."""
        width = max([len(name) for name, _, _ in self.stages] + [len(name) + 2 for name, _, _ in self.beside] + [5])
        lines = [f"{'stage'.ljust(width)}  {'wall':>7}  {'cpu':>7}"]
        for name, wall, cpu in self.stages:
            lines.append(f"{name.ljust(width)}  {wall:6.2f}s  {cpu:6.2f}s")
        if self.beside:
            lines.append("in a second process, beside the stages above (not added to the total):")
            for name, wall, cpu in self.beside:
                lines.append(f"{('  ' + name).ljust(width)}  {wall:6.2f}s  {cpu:6.2f}s")
        lines.append(f"{'total'.ljust(width)}  {self.total:6.2f}s  {sum(c for _, _, c in self.stages):6.2f}s")
        try:
            load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
            lines.append(f"(load average {load} over 1 / 5 / 15 min on {os.cpu_count()} cores)")
        except OSError:
            pass
        return "\n".join(lines)
