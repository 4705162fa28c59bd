"""Install the project's dependencies (from pyproject.toml) into the running interpreter.

Called by the Makefile with .venv/bin/python; kept in Python so that the list of
dependencies lives in one place, pyproject.toml.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def requirements(groups):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    reqs = list(project["dependencies"])
    for group in groups:
        reqs += project.get("optional-dependencies", {}).get(group, [])
    return reqs


def main(argv):
    reqs = requirements(argv[1:] or ["test"])
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *reqs]
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
