"""Charts drawn at build time as static SVG (matplotlib), each with a text alternative.

A chart is described by a ``Chart``: where it goes, its data, a title and a description (the text
alternative; the page also shows the same figures as a table next to it). Drawing is the slow part, so the
SVG carries a digest of its data and drawing settings: when the file already in the docs dir was drawn from
the same data, it is neither redrawn nor rewritten. The output is deterministic (fixed hash salt, no date,
text kept as text in DejaVu Sans), so two builds of the same content give the same bytes.
"""
from __future__ import annotations

import hashlib
import html
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files import write_if_changed
from .presentation import vi_number

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

STYLE_VERSION = "4"   # bump when the drawing code changes, so existing SVGs are redrawn

RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "cchc-portal",
    "svg.fonttype": "none",            # text stays text: selectable, searchable, small
    "font.family": "DejaVu Sans",
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
}
INDEX_COLOURS = {"PAR INDEX": "#3949ab", "SIPAS": "#00897b", "PAPI": "#8e24aa", "PCI": "#ef6c00"}


@dataclass
class Chart:
    """One SVG: ``path`` is relative to the docs dir (and to the site root); ``kind`` picks the drawing."""
    path: str
    kind: str
    title: str
    desc: str
    data: dict = field(default_factory=dict)

    @property
    def digest(self) -> str:
        payload = json.dumps([STYLE_VERSION, self.kind, self.title, self.desc, self.data], ensure_ascii=False, sort_keys=True)
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()

    def view(self) -> dict:
        """What a template needs: the address and the text alternative."""
        return {"url": self.path, "alt": self.desc, "title": self.title}


# ---------------------------------------------------------------- what each chart shows

def province_scores(path: str, province: str, points: list[dict]) -> Chart | None:
    """Scores and ranks by year, one line per index and unit. ``points``: index, year, score, unit, rank, of, kind
    (``baseline`` for a plan's own figure, else the source kind of a published result).

    Only an index's overall result is passed here (never a component); points and percentages are drawn in
    separate panels, never on one axis."""
    ranked = [p for p in points if p.get("rank") is not None or p.get("score") is not None]
    if not ranked:
        return None
    ranked.sort(key=lambda p: (p["index"], p["year"]))
    parts = []
    for p in ranked:
        score = f"{vi_number(p['score'])} {p['unit'] or ''}".strip() if p["score"] is not None else "không ghi điểm"
        rank = (f", xếp hạng {p['rank']}" + (f"/{p['of']}" if p["of"] else "")) if p.get("rank") is not None else ""
        origin = "kế hoạch ghi" if p.get("kind", "baseline") == "baseline" else ("nguồn thứ cấp" if p.get("kind") == "secondary" else "công bố chính thức")
        parts.append(f"{p['index']} năm {p['year']}: {score}{rank} ({origin})")
    desc = f"Điểm chung và xếp hạng cả nước của tỉnh {province} theo năm; điểm và phần trăm vẽ ở hai khung riêng. " + "; ".join(parts) + "."
    return Chart(path, "scores", f"Điểm số và xếp hạng — {province}", desc, {"points": ranked})


def province_fields(path: str, province: str, counts: list[dict]) -> Chart:
    """Tasks per PAR INDEX field. ``counts``: code, name, count (a row with code None is 'no field')."""
    parts = [f"lĩnh vực {c['code']} ({c['name']}): {c['count']}" if c["code"] else f"không gắn lĩnh vực: {c['count']}" for c in counts]
    desc = f"Số nhiệm vụ của tỉnh {province} theo lĩnh vực PAR INDEX. " + "; ".join(parts) + "."
    return Chart(path, "fields", f"Nhiệm vụ theo lĩnh vực — {province}", desc, {"counts": counts})


# ---------------------------------------------------------------- drawing

def _shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip(" ,") + "…"


def _draw_scores(fig, data: dict) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    points = data["points"]
    indexes = sorted({p["index"] for p in points})
    years = sorted({p["year"] for p in points})
    units = [u for u in ("điểm", "%") if any(p["unit"] == u and p["score"] is not None for p in points)]
    ranked = [p for p in points if p.get("rank") is not None]
    axes = fig.subplots(len(units) + (1 if ranked else 0), 1, sharex=True, squeeze=False)[:, 0]
    fig.subplots_adjust(left=0.13, right=0.97, top=0.95, bottom=0.08, hspace=0.38)
    comma = FuncFormatter(lambda v, _pos: vi_number(round(v, 2)))
    for ax, unit in zip(axes, units, strict=False):     # a last axis for ranks, when any
        ax.set_axisbelow(True)
        for name in indexes:
            mine = [p for p in points if p["index"] == name and p["unit"] == unit and p["score"] is not None]
            if not mine:
                continue
            colour = INDEX_COLOURS.get(name, "#455a64")
            ax.plot([p["year"] for p in mine], [p["score"] for p in mine], color=colour, label=name)
            for p in mine:
                hollow = p.get("kind") == "secondary"
                ax.plot([p["year"]], [p["score"]], marker="o", color=colour, markerfacecolor="white" if hollow else colour)
                ax.annotate(vi_number(p["score"]), (p["year"], p["score"]), textcoords="offset points",
                            xytext=(0, 7), ha="center", fontsize=10, color=colour)
        ax.yaxis.set_major_formatter(comma)
        ax.set_title("Điểm (thang 100 điểm)" if unit == "điểm" else "Tỷ lệ (%)")
        ax.margins(x=0.25, y=0.35)
        ax.legend(loc="best", fontsize=9, frameon=False)
    if ranked:
        ax_rank = axes[-1]
        ax_rank.set_axisbelow(True)
        for name in indexes:
            mine = [p for p in ranked if p["index"] == name]
            if not mine:
                continue
            colour = INDEX_COLOURS.get(name, "#455a64")
            ax_rank.plot([p["year"] for p in mine], [p["rank"] for p in mine], marker="s", color=colour, label=name)
            for p in mine:
                ax_rank.annotate(f"{p['rank']}/{p['of']}" if p["of"] else str(p["rank"]), (p["year"], p["rank"]),
                                 textcoords="offset points", xytext=(7, 0), ha="left", va="center", fontsize=10, color=colour)
        worst = max([p["of"] or p["rank"] for p in ranked] + [1])
        ax_rank.set_ylim(worst + 3, 0)    # rank 1 at the top
        ax_rank.set_title("Xếp hạng cả nước (1 là cao nhất)")
        ax_rank.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        ax_rank.legend(loc="best", fontsize=9, frameon=False)
        ax_rank.margins(x=0.25)
    axes[-1].set_xticks(years)
    axes[-1].set_xticklabels([str(y) for y in years])
    axes[-1].set_xlabel("Năm")


def _draw_fields(fig, data: dict) -> None:
    from matplotlib.ticker import MaxNLocator
    counts = data["counts"]
    ax = fig.subplots()
    height = fig.get_figheight()
    fig.subplots_adjust(left=0.5, right=0.97, top=1 - 0.15 / height, bottom=0.65 / height)
    labels = [f"{c['code']}. {_shorten(c['name'], 30)}" if c["code"] else "Không gắn lĩnh vực" for c in counts]
    values = [c["count"] for c in counts]
    pos = list(range(len(counts)))
    ax.barh(pos, values, color=["#3949ab" if c["code"] else "#9e9e9e" for c in counts], height=0.65)
    ax.set_yticks(pos)
    ax.set_yticklabels(labels, fontsize=10)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    top = max(values + [1])
    ax.set_xlim(0, top * 1.15 + 1)
    for y, v in zip(pos, values, strict=True):
        ax.annotate(str(v), (v, y), textcoords="offset points", xytext=(4, 0), va="center", fontsize=10)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_axisbelow(True)
    ax.set_xlabel("Số nhiệm vụ")


def _size(chart: Chart) -> tuple[float, float]:
    if chart.kind == "scores":
        panels = len({p["unit"] for p in chart.data["points"] if p["score"] is not None and p["unit"]}) \
            + (1 if any(p.get("rank") is not None for p in chart.data["points"]) else 0)
        return 5.0, 2.3 * max(panels, 1) + 0.4
    return 5.6, 0.42 * len(chart.data["counts"]) + 1.0


DRAW = {"scores": _draw_scores, "fields": _draw_fields}


def draw(chart: Chart) -> str:
    """The SVG text of a chart, with <title> and <desc> for assistive technology."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    with matplotlib.rc_context(RC):
        # fixed margins: an automatic layout engine would double the drawing time
        fig = Figure(figsize=_size(chart))
        DRAW[chart.kind](fig, chart.data)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, transparent=False)
    svg = buf.getvalue()
    head, sep, rest = svg.partition("<svg ")
    tag_end = rest.index(">") + 1
    opening = rest[:tag_end]
    accessible = (' role="img" aria-labelledby="chart-title chart-desc"' if "role=" not in opening else "")
    return (head + sep + opening[:-1] + accessible + ">\n"
            + f'<title id="chart-title">{html.escape(chart.title)}</title>\n'
            + f'<desc id="chart-desc">{html.escape(chart.desc)}</desc>\n'
            + f"<!-- chart-data: {chart.digest} -->\n"
            + rest[tag_end:])


def write_charts(docs: Path, charts: list[Chart]) -> tuple[set[str], int]:
    """Write each chart under ``docs``; skip drawing when the file there was drawn from the same data.

    Returns the paths produced (relative to docs) and how many were drawn."""
    produced, drawn = set(), 0
    for chart in charts:
        target = docs / chart.path
        produced.add(chart.path)
        marker = f"<!-- chart-data: {chart.digest} -->"
        if target.exists():
            with target.open("r", encoding="utf-8") as f:
                if marker in f.read(4096):
                    continue
        write_if_changed(target, draw(chart))
        drawn += 1
    return produced, drawn
