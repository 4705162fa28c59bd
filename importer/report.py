"""Report: counts, every problem with its post and old URL, and the contract's last line."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Problem


@dataclass
class Counts:
    posts: int = 0
    pages: int = 0
    drafts: int = 0
    comments: int = 0
    links: int = 0
    unresolved: int = 0
    images: int = 0
    failed: int = 0


@dataclass
class Report:
    counts: Counts = field(default_factory=Counts)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def problem(self, level: str, message: str, item: str = "", url: str = "") -> None:
        self.problems.append(Problem(level, message, item, url))

    def last_line(self) -> str:
        c = self.counts
        return (f"imported {c.posts} posts, {c.pages} pages, {c.drafts} drafts, {c.comments} comments; "
                f"{c.links} internal links rewritten, {c.unresolved} unresolved; "
                f"{c.images} images downloaded, {c.failed} failed")

    def lines(self) -> list[str]:
        out = list(self.notes)
        for p in self.problems:
            where = p.item or "(export)"
            url = f" [{p.url}]" if p.url else ""
            out.append(f"{where}: {p.level}: {p.message}{url}")
        out.append(self.last_line())
        return out
