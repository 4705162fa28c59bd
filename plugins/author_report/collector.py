"""Collect author errors and warnings as `path:line: level: message` (pure, no Pelican)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the content folder
    line: int  # 1-based; 0 when the problem has no line
    level: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message}"


@dataclass
class Collector:
    """Every problem reported during one build, in report order, without duplicates."""

    problems: list[Problem] = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def add(self, path: str, line: int, level: str, message: str) -> Problem | None:
        problem = Problem(path, int(line or 0), level, message)
        if problem in self._seen:
            return None
        self._seen.add(problem)
        self.problems.append(problem)
        return problem

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def summary(self) -> str:
        n, m = len(self.errors), len(self.warnings)
        return f"{n} error{'s' if n != 1 else ''}, {m} warning{'s' if m != 1 else ''}"

    def listing(self) -> str:
        return "\n".join(str(p) for p in sorted(self.problems))

    def clear(self) -> None:
        self.problems.clear()
        self._seen.clear()
