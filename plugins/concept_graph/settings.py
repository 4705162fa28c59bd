"""The concept_graph plugin's settings and their defaults (listed in docs/settings.md)."""

from __future__ import annotations

from plugin_settings import receiver

DEFAULTS = {
    # Related posts per post (0: none).
    "CONCEPT_GRAPH_RELATED_COUNT": 5,
    # Tags / posts with more neighbours than this are not expanded for related-post candidates.
    "CONCEPT_GRAPH_CANDIDATE_CAP": 100,
    # Neighbours drawn in a post's local graph.
    "CONCEPT_GRAPH_LOCAL_MAX_NODES": 14,
    # Source posts sampled for betweenness (exact below this many linked posts).
    "CONCEPT_GRAPH_BETWEENNESS_SAMPLES": 128,
    # Seed of layouts, sampling and Louvain.
    "CONCEPT_GRAPH_SEED": 42,
    # Smaller clusters are pooled as "Other posts".
    "CONCEPT_GRAPH_MIN_CLUSTER": 3,
    # Length of the hub list.
    "CONCEPT_GRAPH_HUBS": 20,
    # Length of the bridge list.
    "CONCEPT_GRAPH_BRIDGES": 20,
    # Hub labels on the map.
    "CONCEPT_GRAPH_MAP_LABELS": 20,
    # Post dots on the map.
    "CONCEPT_GRAPH_MAP_MAX_DOTS": 600,
    # Regions on the map (the rest pooled).
    "CONCEPT_GRAPH_MAP_MAX_CLUSTERS": 40,
    # Posts listed per cluster on the map page.
    "CONCEPT_GRAPH_CLUSTER_POSTS": 10,
    # Write the four export files (graph.json, kumu.json, graph.gexf, graph.graphml).
    "CONCEPT_GRAPH_EXPORTS": True,
    # Where the map page goes; the exports go in the same folder.
    "CONCEPT_GRAPH_SAVE_AS": "graph/index.html",
    # Reading paths ("Start with these"): most steps in a computed path.
    "CONCEPT_GRAPH_PATH_STEPS": 7,
    # A concept page offers a reading path from this many posts on.
    "CONCEPT_GRAPH_PATH_MIN_POSTS": 3,
    # The page with one reading path per topic cluster ("" writes none).
    "CONCEPT_GRAPH_PATHS_SAVE_AS": "paths.html",
}

# `initialized` receiver (module level: blinker keeps weak references).
apply = receiver(DEFAULTS)


def workers_pool(settings):
    """The workers plugin's pool module when that plugin is loaded (its JOBS setting is there),
    else None: the graph is then built and exported in this process."""
    if "JOBS" not in settings:
        return None
    try:
        from workers import pool  # noqa: PLC0415 (another plugin, on sys.path)
    except ImportError:  # pragma: no cover - the workers plugin is not installed
        return None
    return pool
