"""The assignment finder's payload and time to first result, measured on a built site in headless Chromium.

    .venv/bin/python bench/finder_payload.py [--site site] [--runs 3]

For each query type it opens tim-nhiem-vu/ with the query in the address, on a fresh browser context (cold
cache), and reports: the files the page loaded (the page's own HTML and Material's assets excluded: only the
finder's scripts and data), their bytes as served and gzip-compressed (level 6, what a web server sends), and
the time from navigation to the first rows shown and to the view being complete or at its budget (median
of the runs). It then prints
the worst case over every province and every agency kind, computed from the manifest by
generator.site.search.query_payload (the same shard choice as finder.js), which the national benchmark can call.
Figures only: nothing here passes or fails.
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from generator.site.search import FINDER_DIR, FINDER_SCRIPTS, payload_report  # noqa: E402


def query_types(site: Path) -> list[tuple[str, dict]]:
    manifest = json.loads((site / FINDER_DIR / "manifest.json").read_text(encoding="utf-8"))
    sizes = {}
    for s in manifest["shards"]:
        pid = manifest["provinces"][s["province"]][0]
        sizes[pid] = sizes.get(pid, 0) + s["n"]
    province = max(sizes, key=sizes.get)
    agency_tasks = {}
    for s in manifest["shards"]:
        for a, (lead, support) in s["agency"].items():
            agency_tasks[int(a)] = agency_tasks.get(int(a), 0) + lead + support
    agency = manifest["agencies"][max(agency_tasks, key=agency_tasks.get)][0]
    return [
        ("national, no text", {}),
        ("national, text 'so noi vu'", {"q": "so noi vu"}),
        (f"one province ({province}), no text", {"tinh": province}),
        (f"one province ({province}), text", {"tinh": province, "q": "dich vu cong"}),
        (f"one agency kind ({agency}), no text", {"co-quan": agency}),
        (f"one agency kind ({agency}), text", {"co-quan": agency, "q": "cai cach"}),
        ("agency lead + year 2021", {"co-quan": agency, "vai-tro": "lead", "nam": "2021"}),
    ]


def measure(browser, url: str, site: Path) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#finder[data-ready='1']", timeout=120000)
    stats = page.evaluate("window.finderStats")
    count = int(page.get_attribute(".finder-status", "data-count"))
    complete = page.get_attribute(".finder-status", "data-complete") == "1"
    context.close()
    served = [FINDER_DIR + "/" + f["url"].rsplit("/", 1)[1] for f in stats["files"]] + list(FINDER_SCRIPTS)
    raw = sum((site / f).stat().st_size for f in served)
    gz = sum(len(gzip.compress((site / f).read_bytes(), 6)) for f in served)
    return {"files": len(served), "raw": raw, "gzip": gz, "first_ms": stats["firstResultMs"], "done_ms": stats["readyMs"],
            "count": count, "complete": complete}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site = args.site.resolve()
    if not (site / FINDER_DIR / "manifest.json").exists():
        print(f"{site}: no {FINDER_DIR}/manifest.json; build the site first (make build)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright
    manifest = json.loads((site / FINDER_DIR / "manifest.json").read_text(encoding="utf-8"))
    n = sum(s["n"] for s in manifest["shards"])
    print(f"site {site}: {n} tasks in {len(manifest['shards'])} shards, {len(manifest['provinces'])} provinces, "
          f"{len(manifest['agencies'])} agency kinds")
    server, base = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            print(f"{'query':44} {'rows':>7} {'files':>5} {'KB raw':>8} {'KB gzip':>8} {'first ms':>9} {'view ms':>8}")
            for label, params in query_types(site):
                url = base + "tim-nhiem-vu/" + ("?" + urlencode({("tu-khoa" if k == "q" else k): v for k, v in params.items()}) if params else "")
                runs = [measure(browser, url, site) for _ in range(args.runs)]
                r = runs[0]
                first = statistics.median(x["first_ms"] or 0 for x in runs)
                done = statistics.median(x["done_ms"] for x in runs)
                rows = f"{r['count']}{'' if r['complete'] else '+'}"
                print(f"{label:44} {rows:>7} {r['files']:5d} {r['raw'] / 1024:8.1f} {r['gzip'] / 1024:8.1f} {first:9.0f} {done:8.0f}")
            browser.close()
    finally:
        server.shutdown()
    print("\nrows: a + means the view stopped at its budget (the reader can load more)")
    print("worst case per query type, from the manifest (KB gzip; first results / view without asking / all shards):")
    for label, r in payload_report(site).items():
        print(f"  {label:24} {r['first'] / 1024:7.1f} / {r['view'] / 1024:7.1f} / {r['total'] / 1024:8.1f}"
              f"   ({r['shards_in_view']} of {r['shards']} shards in view)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
