from author_report.collector import Collector, Problem


def test_problem_format_and_summary():
    c = Collector()
    c.add("articles/a.md", 42, "error", "broken link to 'x.md' (did you mean 'y.md'?)")
    c.add("articles/a.md", 42, "error", "broken link to 'x.md' (did you mean 'y.md'?)")  # duplicate dropped
    c.add("articles/b.md", 3, "warning", "orphan post")
    c.add("articles/b.md", 0, "error", "no line")
    assert [str(p) for p in c.problems] == [
        "articles/a.md:42: error: broken link to 'x.md' (did you mean 'y.md'?)",
        "articles/b.md:3: warning: orphan post",
        "articles/b.md: error: no line",
    ]
    assert c.summary() == "2 errors, 1 warning"
    assert c.listing().splitlines()[0].startswith("articles/a.md:42")
    c.clear()
    assert c.summary() == "0 errors, 0 warnings"


def test_problems_sort_by_path_then_line():
    assert sorted([Problem("b.md", 1, "error", "x"), Problem("a.md", 9, "error", "x"), Problem("a.md", 2, "warning", "x")]) == [
        Problem("a.md", 2, "warning", "x"), Problem("a.md", 9, "error", "x"), Problem("b.md", 1, "error", "x")]
