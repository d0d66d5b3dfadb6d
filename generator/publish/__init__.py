"""Stage 6, publish: MkDocs builds the rendered pages into a new tree, the link check passes it, and it is swapped into site/ (release, linkcheck)."""
