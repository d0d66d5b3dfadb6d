"""A throw-away copy of the project with the tiny content of tests/bad_inputs/base (one province, one plan of
three tasks): builds in a few seconds, so publish, link and hostile-text tests stay fast."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from conftest import ROOT, run_generator

BASE_CONTENT = Path(__file__).parent / "bad_inputs" / "base" / "content"
PLAN = "plans/thu-nghiem-1-kh-ubnd-2021.yml"
AS_OF = "2026-01-15"


def tiny_project(dest: Path) -> Path:
    for name in ("generator", "templates", "site_config"):
        shutil.copytree(ROOT / name, dest / name)      # with __pycache__/: the copy need not compile the generator again
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(BASE_CONTENT, dest / "content")
    return dest


def build(project: Path, *args: str, env: dict | None = None):
    """`python -m generator build` inside the copy (its own generator, templates, mkdocs.yml, site/)."""
    return run_generator("build", "--quiet", *args, cwd=project,
                         env={"PYTHONPATH": str(project), "PORTAL_AS_OF": AS_OF, **(env or {})}, timeout=300)


def tree_hashes(directory: Path) -> dict[str, str]:
    """sha256 of every file under directory (symlinks followed), by relative path."""
    directory = directory.resolve()
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}
