"""Synthetic post records for tests and timing: `python -m concept_graph.synthetic 20000`.

Topic-local links with a few hubs, Zipf-distributed tags, a handful of categories, some
citations and shared diagrams; seeded, so the same arguments give the same records.
"""

from __future__ import annotations

import random

from .model import Concept, DiagramRef, Record


def synthetic_records(n: int, seed: int = 1, links: int = 4, tags_per_post: int = 3) -> list[Record]:
    rnd = random.Random(seed)
    topics = max(4, n // 60)
    n_tags = max(10, n // 8)
    cats = [Concept(f"cat-{i}", f"Category {i}", f"category/cat-{i}.html") for i in range(8)]
    tags = [Concept(f"tag-{i}", f"Concept <{i}> & “{i}”", f"tag/tag-{i}.html") for i in range(n_tags)]
    tag_weights = [1.0 / (i + 1) for i in range(n_tags)]
    topic_of = [rnd.randrange(topics) for _ in range(n)]
    by_topic: dict[int, list[int]] = {}
    for i, t in enumerate(topic_of):
        by_topic.setdefault(t, []).append(i)
    hubs = rnd.sample(range(n), max(1, n // 100))
    records = []
    for i in range(n):
        src = f"articles/{2005 + i % 20}/post-{i:05d}.md"
        out: dict[int, int] = {}
        for _ in range(rnd.randint(0, 2 * links)):
            r = rnd.random()
            if r < 0.6:
                j = rnd.choice(by_topic[topic_of[i]])
            elif r < 0.8:
                j = rnd.choice(hubs)
            else:
                j = rnd.randrange(n)
            if j != i:
                out[j] = out.get(j, 0) + 1
        base = topic_of[i] * 7 % n_tags
        chosen = {tags[(base + rnd.randrange(3)) % n_tags]}
        chosen.update(rnd.choices(tags, weights=tag_weights, k=tags_per_post - 1))
        cites = sorted({f"site{rnd.randrange(200)}.org" for _ in range(rnd.randint(0, 3))})
        diagrams = ()
        if rnd.random() < 0.05:
            diagrams = (DiagramRef(f"shared-{rnd.randrange(20)}", "Shared diagram", "cycle",
                                   "diagrams/index.html", (f"post:articles/{2005 + (i + 1) % 20}/post-{(i + 1) % n:05d}.md",)),)
        records.append(Record(
            id=f"post:{src}", kind="post", label=f"Post {i} <about> “{topic_of[i]}” & more",
            url=f"{2005 + i % 20}/01/post-{i:05d}.html", source=src,
            date=f"{2005 + i % 20}-01-{1 + i % 28:02d}",
            tags=tuple(sorted(chosen, key=lambda c: c.slug)), category=cats[topic_of[i] % 8],
            outlinks=tuple(sorted((f"post:articles/{2005 + j % 20}/post-{j:05d}.md", c) for j, c in out.items())),
            citations=tuple((s, 1) for s in cites), diagrams=diagrams,
        ))
    return records


if __name__ == "__main__":  # pragma: no cover - manual timing
    import sys
    import time

    from .build import build_all

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    t0 = time.process_time()
    recs = synthetic_records(n)
    t1 = time.process_time()
    result = build_all(recs, {}, timings=True)
    t2 = time.process_time()
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        sizes = result.write_exports(folder)
    print(f"exports: {time.process_time() - t2:.2f}s CPU", sizes)
    print(f"records: {t1 - t0:.2f}s")
    for k, v in result.timings.items():
        print(f"{k}: {v:.2f}s")
