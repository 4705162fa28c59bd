"""Deterministic synthetic learning-network blog, for the benchmark (`make bench`).

`generate(folder, n, seed)` writes a Pelican content folder:

    posts/<slug>.md         n posts, about 600 words each, metadata header (Title, Date 2005-2026,
                            Tags from a Zipf-skewed topic pool, Category, Slug, sometimes Aliases)
    pages/<slug>.md         three pages (about, volunteer, donate)
    diagrams/<name>.yaml    six shared diagrams, embedded with ```diagram use: NAME```
    images/…                seven raster graphics (tools/sample_graphics.py): one picture under
                            three names, sizes and formats, and four others

Every post has 3-6 cross-links to other posts, in every form of CONTRACTS.md ({filename},
site-relative, relative, legacy host, old alias URLs, [[Title]], [[slug]], [[slug|text]]), some
external links, and about 10% of posts hold a diagram block (causal-loop, intermediary,
concept-map, cycle, or a shared diagram), and about 12% show one of the images (with alt text, as
{static}, site-relative, relative or legacy-host URLs; the re-uploaded picture most often).
Every internal link and image resolves. The text is generated
filler from a fixed vocabulary; the same (n, seed) gives the same bytes.

    python -m tools.synth OUT --posts 2000 [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

VERSION = 4  # bump when the output changes, so cached synthetic sites are regenerated
LEGACY_HOST = "http://riverbend-learning.blogspot.com"

TOPICS = [
    "volunteers", "mentoring", "tutoring", "intermediaries", "fundraising", "donors",
    "leadership", "systems thinking", "connected learning", "clmooc", "maps", "poverty",
    "schools", "universities", "businesses", "faith groups", "hospitals", "media",
    "philanthropy", "policy", "theory u", "movement building", "retention", "recruiting",
    "training", "evaluation", "strategy", "events", "conferences", "social media",
    "blogging", "network analysis", "kumu", "concept maps", "causal loops", "iceberg model",
    "stakeholders", "summer learning", "after school", "college access", "careers",
    "literacy", "math", "stem", "arts", "sports", "health", "safety", "violence prevention",
    "neighbourhoods", "city council", "elections", "budgets", "grants", "corporate giving",
    "employee volunteering", "alumni", "parents", "teachers", "coordinators", "board members",
    "storytelling", "visibility", "knowledge management", "libraries", "research",
    "data", "surveys", "annual report", "planning", "reflection", "collaboration",
    "program directory", "site visits", "onboarding", "youth voice", "role models",
    "long-term support", "sustainability", "innovation",
]

CATEGORIES = [
    "Network building", "Programs", "Volunteers", "Funding", "Systems thinking",
    "Connected learning", "Policy", "Events",
]

SUBJECTS = [
    "volunteers", "tutors", "mentors", "program leaders", "coordinators", "donors",
    "business partners", "university students", "faith communities", "hospital staff",
    "reporters", "board members", "parents", "teachers", "young people", "alumni",
    "policy makers", "foundations", "neighbourhood leaders", "librarians",
]
VERBS = [
    "recruit", "support", "connect", "train", "encourage", "fund", "visit", "map",
    "share", "strengthen", "sustain", "organise", "welcome", "celebrate", "study",
    "follow", "introduce", "coach", "thank", "invite",
]
OBJECTS = [
    "new volunteers", "tutoring programs", "mentoring programs", "the youth they serve",
    "program directories", "learning networks", "donor relationships", "summer programs",
    "neighbourhood maps", "training sessions", "annual events", "success stories",
    "leadership teams", "long-term mentors", "small grants", "the knowledge base",
    "shared strategies", "site visits", "community partners", "the next cohort",
]
ADVERBS = [
    "every year", "over many years", "in every neighbourhood", "across the city",
    "with patience", "one conversation at a time", "through the winter", "after school",
    "on weekends", "week after week", "from the start", "in small steps",
]
OPENERS = [
    "In our experience,", "Year after year,", "Most of the time,", "As a rule,",
    "When we look closely,", "Again and again,", "At the start of each school year,",
    "Over the past decade,", "In many cities,", "Looking back,", "Put simply,",
    "From the outside,",
]
CLAUSES = [
    "the need repeats itself", "the work is never finished", "small programs struggle to be seen",
    "the same questions come back", "good ideas spread slowly", "visibility brings resources",
    "leaders grow out of volunteers", "every stakeholder has a part to play",
    "the map shows where help is missing", "consistent funding makes the difference",
    "the network is stronger than any single program", "stories travel further than statistics",
]
LINK_LEADS = [
    "We wrote about this in", "See", "There is more on this in", "Compare", "As described in",
    "This builds on", "Read", "Earlier we looked at", "A related idea is in", "We returned to it in",
]
GENERIC_ANCHORS = ["this article", "here", "an earlier post", "this post", "that story"]
TITLE_PATTERNS = [
    "Why {a} matter for {b}", "How {a} help {b}", "{A} and {b}", "What {a} teach us about {b}",
    "Connecting {a} with {b}", "Lessons from {a}", "A map of {a}", "When {a} meet {b}",
    "Growing {a} through {b}", "The role of {a} in {b}", "Notes on {a}", "Rethinking {a}",
]
TITLE_WORDS = sorted(set(SUBJECTS + [o.replace("the ", "") for o in OBJECTS] + TOPICS))
EXTERNAL = [
    "https://www.example.org/research/mentoring-outcomes",
    "https://example.com/news/volunteer-week",
    "https://www.example.net/reports/after-school-landscape",
    "https://library.example.edu/collections/youth-development",
    "https://www.example.org/presencing/theory-u",
    "https://blog.example.com/connected-learning",
]
FORMS = [
    "filename", "site-relative", "relative", "legacy", "wiki-title", "wiki-slug-text",
    "wiki-slug",
]
DIAGRAM_TYPES = ["causal-loop", "intermediary", "concept-map", "cycle", "use"]
SHARED_DIAGRAMS = [
    "intermediary-role", "volunteer-growth-loop", "program-needs", "learning-cycle",
    "donor-fatigue", "city-network",
]


@dataclass
class Post:
    index: int
    title: str
    slug: str
    date: datetime
    tags: list[str]
    category: str
    aliases: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:  # ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}.html"
        return f"{self.date:%Y}/{self.date:%m}/{self.slug}.html"

    @property
    def source(self) -> str:
        return f"posts/{self.slug}.md"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


def weighted_sample(rng: random.Random, items: list[str], weights: list[float], k: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < k:
        pick = rng.choices(items, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def make_posts(rng: random.Random, n: int) -> list[Post]:
    start = datetime(2005, 1, 1)
    span = int((datetime(2026, 10, 31) - start).total_seconds())
    dates = sorted(start + timedelta(seconds=rng.randrange(span)) for _ in range(n))
    topic_weights = zipf_weights(len(TOPICS))
    cat_weights = zipf_weights(len(CATEGORIES), 0.7)
    posts: list[Post] = []
    titles: set[str] = set()
    for i, date in enumerate(dates):
        a, b = rng.sample(TITLE_WORDS, 2)
        title = rng.choice(TITLE_PATTERNS).format(a=a, b=b, A=a[:1].upper() + a[1:])
        title = title[:1].upper() + title[1:]
        base, k = title, 2
        while title in titles:
            title = f"{base}, part {k}"
            k += 1
        titles.add(title)
        tags = weighted_sample(rng, TOPICS, topic_weights, rng.randint(1, 4))
        category = rng.choices(CATEGORIES, cat_weights)[0]
        post = Post(i, title, slugify(title), date.replace(microsecond=0), tags, category)
        if rng.random() < 0.05:  # imported from the old host, with its old address
            old = f"p{i}-{post.slug.split('-')[0]}"
            post.aliases = [f"{LEGACY_HOST}/{date:%Y}/{date:%m}/{old}.html", f"/{date:%Y}/{date:%m}/{old}-v1.html"]
        posts.append(post)
    return posts


def sentence(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        s = f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ADVERBS)}."
    elif kind == 1:
        s = (f"{rng.choice(SUBJECTS).capitalize()} who {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
             f"also {rng.choice(VERBS)} {rng.choice(OBJECTS)}, because {rng.choice(CLAUSES)}.")
    elif kind == 2:
        s = f"{rng.choice(OPENERS)} {rng.choice(CLAUSES)}, and {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
    else:
        s = (f"If {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ADVERBS)}, "
             f"{rng.choice(SUBJECTS)} can {rng.choice(VERBS)} {rng.choice(OBJECTS)} too.")
    return s


def relative_url(src: Post, dst: Post) -> str:
    if (src.date.year, src.date.month) == (dst.date.year, dst.date.month):
        return f"{dst.slug}.html"
    return f"../../{dst.url}"


def link_markdown(rng: random.Random, form: str, src: Post, dst: Post) -> str:
    anchor = dst.title if rng.random() < 0.6 else rng.choice(GENERIC_ANCHORS)
    if form == "filename":
        return f"[{anchor}]({{filename}}/{dst.source})"
    if form == "site-relative":
        if dst.aliases and rng.random() < 0.5:
            return f"[{anchor}]({dst.aliases[1]})"
        return f"[{anchor}](/{dst.url})"
    if form == "relative":
        return f"[{anchor}]({relative_url(src, dst)})"
    if form == "legacy":
        if dst.aliases and rng.random() < 0.5:
            return f"[{anchor}]({dst.aliases[0]})"
        return f"[{anchor}]({LEGACY_HOST}/{dst.url})"
    if form == "wiki-title":
        return f"[[{dst.title}]]"
    if form == "wiki-slug-text":
        return f"[[{dst.slug}|{anchor}]]"
    return f"[[{dst.slug}]]"


def pick_target(rng: random.Random, posts: list[Post], i: int) -> Post:
    n = len(posts)
    if i > 0 and rng.random() < 0.7:  # blogs mostly cite their past, recent posts more
        back = min(i, int(rng.expovariate(1 / 40)) + 1)
        return posts[i - back]
    j = rng.randrange(n - 1)
    return posts[j + 1 if j >= i else j]


def node_label(rng: random.Random) -> str:
    return rng.choice(SUBJECTS + [o.replace("the ", "") for o in OBJECTS]).capitalize()


def diagram_yaml(rng: random.Random, kind: str, posts: list[Post], i: int | None) -> list[str]:
    """The YAML lines of a diagram of `kind` (without fences)."""
    labels: list[str] = []
    while len(labels) < 5:
        label = node_label(rng)
        if label not in labels:
            labels.append(label)
    title = f"{rng.choice(['How', 'Why', 'Where'])} {labels[0].lower()} and {labels[1].lower()} connect"
    lines = [f"title: {title}"]
    if rng.random() < 0.5:
        lines.append(f"description: {sentence(rng)}")
    if kind == "causal-loop":
        lines.append("links:")
        a, b, c, d, _ = labels
        lines += [f"  - {a} -> {b} (+)", f"  - {b} -> {c} (+)", f"  - {c} -> {a} (+)",
                  f"  - {a} -> {d} (+)", f"  - {d} -> {a} (-, delay)"]
    elif kind == "intermediary":
        lines += ["hub: Riverbend Learning Network", f"beneficiary: Youth in {rng.choice(['high-poverty', 'underserved', 'our'])} neighbourhoods", "groups:"]
        groups = labels[:4]
        for g in groups[:3]:
            lines.append(f"  - {g}")
        target = pick_target(rng, posts, i if i is not None else len(posts) - 1) if len(posts) > 1 else posts[0]
        lines += [f"  - label: {groups[3]}", f'    link: "{{filename}}/{target.source}"']
        lines += ["flows:", f"  - {groups[0]} -> hub: time, talent, ideas", f"  - hub -> {groups[3]}: visibility, volunteers"]
    elif kind == "concept-map":
        verbs = ["need", "come from", "support", "learn from", "connect"]
        lines.append("propositions:")
        for k in range(4):
            lines.append(f"  - {labels[k]} -> {verbs[k]} -> {labels[k + 1]}")
    else:  # cycle
        steps = ["Learn from the past", "Reflect", "Plan", "Act with every stakeholder", "Share"]
        lines.append(f"steps: [{', '.join(steps[: rng.randint(3, 5)])}]")
    return lines


def post_text(rng: random.Random, posts: list[Post], i: int) -> str:
    post = posts[i]
    n_links = min(rng.randint(3, 6), max(0, len(posts) - 1))
    forms = rng.sample(FORMS, len(FORMS))
    links = []
    for k in range(n_links):
        links.append(link_markdown(rng, forms[k % len(forms)], post, pick_target(rng, posts, i)))
    if rng.random() < 0.02 and len(posts) > 1:  # a link to a page now and then
        links.append(f"[{rng.choice(['how to volunteer', 'about us', 'donate'])}]({{filename}}/pages/{rng.choice(['about', 'volunteer', 'donate'])}.md)")
    externals = [f"[{rng.choice(['a report', 'this study', 'their site', 'the research'])}]({u})"
                 for u in rng.sample(EXTERNAL, rng.randint(0, 2))]
    target_words = rng.randint(470, 590)
    paragraphs: list[str] = []
    words = 0
    link_slots = links + externals
    rng.shuffle(link_slots)
    diagram_at = None
    if posts and rng.random() < 0.10:
        diagram_at = rng.randint(1, 4)
    heading_every = rng.randint(3, 4)
    text_paragraphs = 0
    while words < target_words or link_slots:
        if paragraphs and len(paragraphs) % heading_every == 0:
            heading = f"## {rng.choice(OPENERS)[:-1]}, {rng.choice(CLAUSES)}"
            paragraphs.append(heading)
        sentences = [sentence(rng) for _ in range(rng.randint(3, 6))]
        if link_slots:
            link = link_slots.pop()
            sentences.insert(rng.randrange(len(sentences) + 1), f"{rng.choice(LINK_LEADS)} {link}.")
        if rng.random() < 0.04 and len(posts) > 1:  # wiki syntax shown as code is not a link
            sentences.append(f"Write `[[{pick_target(rng, posts, i).slug}]]` to link a post.")
        para = " ".join(sentences)
        paragraphs.append(para)
        text_paragraphs += 1
        words += len(para.split())
        if text_paragraphs == diagram_at:
            kind = rng.choice(DIAGRAM_TYPES)
            if kind == "use":
                block = ["```diagram", f"use: {rng.choice(SHARED_DIAGRAMS)}", "```"]
            else:
                block = [f"```{kind}", *diagram_yaml(rng, kind, posts, i), "```"]
            paragraphs.append("\n".join(block))
        if rng.random() < 0.08:
            paragraphs.append("\n".join(f"- {sentence(rng)}" for _ in range(3)))
    header = [
        f"Title: {post.title}",
        f"Date: {post.date:%Y-%m-%d %H:%M}",
        f"Tags: {', '.join(post.tags)}",
        f"Category: {post.category}",
        f"Slug: {post.slug}",
    ]
    if post.aliases:
        header.append(f"Aliases: {', '.join(post.aliases)}")
    return "\n".join(header) + "\n\n" + "\n\n".join(paragraphs) + "\n"


PAGES = {
    "about": ("About the network", "The Riverbend Learning Network is a fictional intermediary that connects volunteer-based tutoring and mentoring programs with the people and organisations that can help them."),
    "volunteer": ("How to volunteer", "Find a tutoring or mentoring program near you, visit it, and give an hour a week for a whole school year."),
    "donate": ("Donate", "Small, steady gifts let programs plan a year ahead; we pass every gift on to the programs in our directory."),
}


# (file under images/, drawing, width, format, alt text): the re-uploaded picture three times.
IMAGES = [
    ("network-hub.png", "intermediary_hub", 1200, "PNG", "An intermediary at the centre of the city's groups"),
    ("uploads/hub-600.jpg", "intermediary_hub", 600, "JPEG", "An intermediary at the centre of the city's groups"),
    ("hub_small.png", "intermediary_hub", 400, "PNG", "An intermediary at the centre of the city's groups"),
    ("growth-loop.png", "growth_loop", 700, "PNG", "Volunteers, youth served, success stories and donors in a reinforcing loop"),
    ("iceberg.png", "iceberg", 600, "PNG", "The iceberg model: events, patterns, structures, mental models"),
    ("volunteers-chart.png", "volunteers_chart", 640, "PNG", "Bar chart of volunteers placed each year"),
    ("iceberg-600.jpg", "iceberg", 600, "JPEG", "The iceberg model: events, patterns, structures, mental models"),
]
IMAGE_WEIGHTS = [3, 3, 2, 2, 2, 1, 1]
IMAGE_SHARE = 0.12


def write_images(folder: Path) -> None:
    from tools import sample_graphics as draw

    drawn = {}
    for rel, name, width, fmt, _ in IMAGES:
        if (name, width) not in drawn:
            drawn[(name, width)] = getattr(draw, name)(width)
        path = folder / "images" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(draw.encode(drawn[(name, width)], fmt, **({"quality": 80} if fmt == "JPEG" else {})))


def image_markdown(rng: random.Random, post: Post) -> str:
    rel, _, _, _, alt = rng.choices(IMAGES, IMAGE_WEIGHTS)[0]
    form = rng.randrange(4)
    if form == 0:
        src = f"{{static}}/images/{rel}"
    elif form == 1:
        src = f"/images/{rel}"
    elif form == 2:
        src = f"../../images/{rel}"  # posts are at YYYY/MM/slug.html
    else:
        src = f"{LEGACY_HOST}/images/{rel}"
    return f"![{alt}]({src})"


def with_image(text: str, markdown: str) -> str:
    """`markdown` as its own paragraph after the post's first paragraph."""
    header, _, body = text.partition("\n\n")
    first, _, rest = body.partition("\n\n")
    return f"{header}\n\n{first}\n\n{markdown}\n\n{rest}"


def generate(folder: str | Path, n: int, seed: int = 1) -> dict:
    """Write the synthetic blog into `folder` (emptied first); return a summary dict."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "posts").mkdir(parents=True)
    (folder / "pages").mkdir()
    (folder / "diagrams").mkdir()
    write_images(folder)
    rng = random.Random(seed)
    image_rng = random.Random(seed * 7919 + 12)  # its own stream: the posts' text stays as before
    posts = make_posts(rng, n)
    for slug, (title, text) in PAGES.items():
        (folder / "pages" / f"{slug}.md").write_text(f"Title: {title}\nSlug: {slug}\n\n{text}\n", "utf-8")
    kinds = ["intermediary", "causal-loop", "concept-map", "cycle", "causal-loop", "intermediary"]
    for name, kind in zip(SHARED_DIAGRAMS, kinds):
        lines = [f"type: {kind}", *diagram_yaml(rng, kind, posts, None)]
        (folder / "diagrams" / f"{name}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    words = links = diagrams = images = 0
    for i, post in enumerate(posts):
        text = post_text(rng, posts, i)
        if image_rng.random() < IMAGE_SHARE:
            text = with_image(text, image_markdown(image_rng, post))
            images += 1
        (folder / post.source).write_text(text, "utf-8")
        body = text.split("\n\n", 1)[1]
        words += len(body.split())
        links += len(re.findall(r"(?<!!)\[[^\[\]]*\]\((?!https://)|\[\[", body))
        diagrams += len(re.findall(r"^```(?:causal-loop|intermediary|concept-map|cycle|diagram)$", body, re.M))
    summary = {"version": VERSION, "posts": n, "seed": seed, "words": words, "internal_links": links,
               "diagram_blocks": diagrams, "pages": len(PAGES), "shared_diagrams": len(SHARED_DIAGRAMS),
               "images_shown": images, "image_files": len(IMAGES)}
    (folder / "synth.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n", "utf-8")
    return summary


def ensure(folder: str | Path, n: int, seed: int = 1) -> dict:
    """Generate unless `folder` already holds this exact synthetic blog."""
    stamp = Path(folder) / "synth.json"
    try:
        summary = json.loads(stamp.read_text("utf-8"))
        if (summary.get("version"), summary.get("posts"), summary.get("seed")) == (VERSION, n, seed):
            return summary
    except (OSError, ValueError):
        pass
    return generate(folder, n, seed)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(json.dumps(generate(args.folder, args.posts, args.seed), sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
