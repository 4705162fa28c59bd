"""Feedback loops of a causal-loop diagram: bounded enumeration and R/B classification (pure)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import networkx as nx

from .settings import DEFAULTS

DEFAULT_MAX_LOOPS = DEFAULTS["DIAGRAMS_MAX_LOOPS"]
DEFAULT_MAX_LOOP_LENGTH = DEFAULTS["DIAGRAMS_MAX_LOOP_LENGTH"]


@dataclass
class Loop:
    nodes: list[str]  # keys in loop order, starting at the earliest-declared node
    kind: str  # "R" (reinforcing) or "B" (balancing)
    negatives: int
    delays: int
    ident: str = ""  # R1, B2, ...
    name: str | None = None  # given by the author


def find_loops(nodes: list[str], links: list[tuple[str, str, str, bool]],
               max_loops: int = DEFAULT_MAX_LOOPS, max_length: int = DEFAULT_MAX_LOOP_LENGTH):
    """Every feedback loop up to `max_length` links, at most `max_loops` of them.

    `links` are (src, dst, polarity "+"/"-", delay). Returns (loops, truncated): loops sorted by
    length then declaration order and numbered R1, R2… / B1, B2…; `truncated` is True when the
    cap stopped the enumeration (the caller warns).
    """
    order = {key: i for i, key in enumerate(nodes)}
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    info = {}
    for src, dst, pol, delay in links:
        graph.add_edge(src, dst)
        info[(src, dst)] = (pol, delay)
    found = list(itertools.islice(nx.simple_cycles(graph, length_bound=max_length), max_loops + 1))
    truncated = len(found) > max_loops
    found = found[:max_loops]
    loops = []
    for cycle in found:
        start = min(range(len(cycle)), key=lambda i: order[cycle[i]])
        cycle = cycle[start:] + cycle[:start]
        pairs = list(zip(cycle, cycle[1:] + cycle[:1]))
        negatives = sum(1 for p in pairs if info[p][0] == "-")
        delays = sum(1 for p in pairs if info[p][1])
        loops.append(Loop(cycle, "R" if negatives % 2 == 0 else "B", negatives, delays))
    loops.sort(key=lambda lp: (len(lp.nodes), [order[n] for n in lp.nodes]))
    counters = {"R": 0, "B": 0}
    for lp in loops:
        counters[lp.kind] += 1
        lp.ident = f"{lp.kind}{counters[lp.kind]}"
    return loops, truncated


def match_names(loops: list[Loop], names: list[tuple[str, list[str], int]]):
    """Attach author names to loops; return [(line, message)] for names that match no loop.

    A name matches the loop with exactly its variables, in that cyclic order (or, failing
    that, the same set of variables).
    """
    problems = []
    for name, keys, line in names:
        target = None
        n = len(keys)
        for lp in loops:
            if len(lp.nodes) != n:
                continue
            rotations = [lp.nodes[i:] + lp.nodes[:i] for i in range(n)]
            if keys in rotations:
                target = lp
                break
        if target is None:
            for lp in loops:
                if set(lp.nodes) == set(keys) and len(lp.nodes) == n:
                    target = lp
                    break
        if target is None:
            problems.append((line, f"loop '{name}' names no feedback loop of this diagram: its variables "
                                   "must each cause the next, and the last the first"))
        elif target.name:
            problems.append((line, f"loop '{name}' is the same loop as '{target.name}'"))
        else:
            target.name = name
    return problems
