"""Search indexes written after MkDocs has built the site (site search folding, assignment finder)."""
from __future__ import annotations

from pathlib import Path


def postprocess_site(site: Path, corpus) -> None:
    """Placeholder stage: the site search folding is added by the search work (issue 5)."""
    return None
