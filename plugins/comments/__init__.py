from .comments import register  # noqa: F401  (comments from the old blog, shown under their post)
