"""Site search on a throttled phone: bytes a page loads for search before the reader uses it, and the time from
the reader's last keystroke to the first results, from a cold page load.

For each of the site's plan pages and each query: a fresh browser context (empty cache), Chromium's CPU slowed
4x (CDP Emulation.setCPUThrottlingRate) and the network shaped like DevTools' "Fast 3G" preset (CDP
Network.emulateNetworkConditions: 562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up), a 390 px wide phone
viewport, the site served by a local server that gzips text as a web server does. The reader opens the page
(waits for `load`), taps the header's search button and then either

- types the query key by key, one key every KEY_MS milliseconds ("typed"), or
- pastes it at once, as soon as the box is open ("pasted": the worst case, nothing overlaps the index load).

"first results" = when results of the whole query were first on screen (search.js's stats.renders: the pages'
index answers first, the tasks' index joins when it arrives, "all results") less the time of the reader's last
input event (both performance.now() in the page). "bytes before use" = gzip bytes of
the search files (search.js, fold.js, the search index, Material's search worker or index) requested before the
reader touched the box; "on use" = the same after the results are shown.

Usage: .venv/bin/python bench/search_latency.py [--site site] [--write]   (--write: also into bench/results.md)
Prints figures and asserts nothing.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import platform
import re
import socketserver
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent

from run import write_results  # noqa: E402  (bench/run.py: one writer of bench/results.md's sections)
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
           "uploadThroughput": 750 * 1000 / 8 * 0.9}
CPU_SLOWDOWN = 4
KEY_MS = 150
PHONE = {"width": 390, "height": 844}
SEARCH_FILE = re.compile(r"(/assets/js/search\.js|/assets/js/fold\.js|/search/[^/]+\.json|/assets/javascripts/workers/search\.)")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv")
GENERIC_QUERIES = ["Sở Nội vụ", "dịch vụ công trực tuyến"]


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped (level 6) when the browser accepts it, as a web server would send them."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix in COMPRESSIBLE and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            import io
            return io.BytesIO(body)
        return super().send_head()


def serve(site: Path):
    handler = functools.partial(GzipHandler, directory=str(site))
    class Server(socketserver.ThreadingTCPServer):
        request_queue_size = 256        # a page opens many connections at once (tests/conftest.py SiteServer)
        daemon_threads = True
    server = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def gz_size(site: Path, url: str, cache: dict) -> int:
    path = unquote(urlsplit(url).path).lstrip("/")
    if path not in cache:
        f = site / path
        if f.is_dir():
            f = f / "index.html"
        data = f.read_bytes() if f.is_file() else b""
        cache[path] = len(gzip.compress(data, 6)) if f.suffix in COMPRESSIBLE else len(data)
    return cache[path]


def one_run(browser, site: Path, base: str, path: str, query: str, mode: str, sizes: dict) -> dict:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.add_init_script("""addEventListener('input', () => { window.__lastInput = performance.now(); }, true);
        addEventListener('pointerdown', () => { window.__tapAt = window.__tapAt || performance.now(); }, true);""")
    t0 = time.perf_counter()
    page.goto(base + path, wait_until="load", timeout=120_000)
    load_s = time.perf_counter() - t0
    page.wait_for_timeout(300)
    before = [u for u in requested if u.startswith(base)]
    search_before = sum(gz_size(site, u, sizes) for u in before if SEARCH_FILE.search(u))
    page_before = sum(gz_size(site, u, sizes) for u in before)
    page.tap("label.md-header__button[for='__search']")
    box = page.locator(".md-search__input")
    if mode == "typed":
        box.press_sequentially(query, delay=KEY_MS)
    else:
        page.wait_for_function("() => document.activeElement && document.activeElement.matches('.md-search__input')")
        page.keyboard.insert_text(query)
    page.wait_for_function("q => window.portalSearch && window.portalSearch.stats.renders.some(r => r.query === q && r.complete)",
                           arg=query, timeout=60_000)
    stats = page.evaluate("() => ({ renders: window.portalSearch.stats.renders, last: window.__lastInput, tap: window.__tapAt, "
                          "loadStart: window.portalSearch.stats.loadStart, loadEnd: window.portalSearch.stats.loadEnd, "
                          "fetched: window.portalSearch.stats.fetched, completeAt: window.portalSearch.stats.completeAt })")
    mine = [r for r in stats["renders"] if r["query"] == query]
    first, whole = mine[0], next(r for r in mine if r["complete"])
    tap = stats["tap"]
    after = [u for u in requested if u.startswith(base)]
    search_used = sum(gz_size(site, u, sizes) for u in after if SEARCH_FILE.search(u))
    first_hit = page.eval_on_selector(".md-search-result__item a", "a => new URL(a.href).pathname")
    context.close()
    return {"path": path, "query": query, "mode": mode, "load_s": load_s,
            "first_ms": first["at"] - stats["last"], "all_ms": whole["at"] - stats["last"],
            "pages_ready_ms": stats["loadEnd"] - tap, "tasks_ready_ms": stats["completeAt"] - tap,
            "typing_ms": stats["last"] - tap, "count": whole["count"], "first_count": first["count"],
            "search_before": search_before, "page_before": page_before, "search_used": search_used, "first_hit": first_hit}


def measure(site: Path, modes=("typed", "pasted")) -> list[dict]:
    from playwright.sync_api import sync_playwright
    plans = json.loads((site / "data" / "plans.json").read_text(encoding="utf-8"))
    server, base = serve(site)
    sizes: dict = {}
    runs = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for plan in plans:
                for query in [plan["province_name"], *GENERIC_QUERIES]:
                    for mode in modes:
                        r = one_run(browser, site, base, plan["url"], query, mode, sizes)
                        runs.append(r)
                        print(f"{r['path'][:44]:44} {mode:6} {query[:26]:26} first results {r['first_ms']:5.0f} ms, all {r['all_ms']:5.0f} ms "
                              f"after the last input ({r['typing_ms']:5.0f} ms after the tap); after the tap, pages ready "
                              f"{r['pages_ready_ms']:5.0f} ms, tasks {r['tasks_ready_ms']:5.0f} ms;  "
                              f"search bytes before use {r['search_before'] / 1000:5.1f} KB, on use {r['search_used'] / 1000:5.1f} KB  "
                              f"page load {r['load_s']:4.1f} s  first: {r['first_hit']}", flush=True)
            browser.close()
    finally:
        server.shutdown()
    return runs


def report(runs: list[dict]) -> str:
    out = ["Command: `.venv/bin/python bench/search_latency.py --write`  ",
           f"Machine: {platform.machine()}, Python {platform.python_version()}, shared 2-core machine  ",
           f"Date: {time.strftime('%Y-%m-%d %H:%M')}  ",
           f"Chromium, CPU slowed {CPU_SLOWDOWN}x, network Fast 3G (562.5 ms, 1.44 Mbit/s down), 390 px phone, "
           f"cold page load, gzip; typed = one key every {KEY_MS} ms after tapping the search button, "
           "pasted = the whole query inserted as soon as the box is open.", "",
           "| plan page | query | mode | last input after tap | first results after last input | all results after last input | "
           "pages ready after tap | tasks ready after tap | search KB gzip before use | on use | results | first result |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in runs:
        out.append(f"| {r['path'].split('/')[1]} | {r['query']} | {r['mode']} | {r['typing_ms']:.0f} | {r['first_ms']:.0f} | "
                   f"{r['all_ms']:.0f} | {r['pages_ready_ms']:.0f} | {r['tasks_ready_ms']:.0f} | "
                   f"{r['search_before'] / 1000:.1f} | {r['search_used'] / 1000:.1f} | {r['count']} | {r['first_hit']} |")
    out.append("")
    out.append("Times in ms. Pages ready / tasks ready: when the search could answer from the pages' index, and from "
               "the tasks too, counted from the tap on the search button: a query pasted at the very moment of the tap "
               "gets its first results then.")
    out.append("")
    for mode in sorted({r["mode"] for r in runs}):
        first = [r["first_ms"] for r in runs if r["mode"] == mode]
        whole = [r["all_ms"] for r in runs if r["mode"] == mode]
        out.append(f"- {mode}: first results after the last input: median {statistics.median(first):.0f} ms, "
                   f"max {max(first):.0f} ms; all results: median {statistics.median(whole):.0f} ms, max {max(whole):.0f} ms "
                   f"({len(first)} runs)")
    ready = [r["pages_ready_ms"] for r in runs]
    tasks = [r["tasks_ready_ms"] for r in runs]
    out.append(f"- after the tap: pages ready median {statistics.median(ready):.0f} ms, max {max(ready):.0f} ms; "
               f"tasks ready median {statistics.median(tasks):.0f} ms, max {max(tasks):.0f} ms")
    out.append(f"- search bytes before use: max {max(r['search_before'] for r in runs) / 1000:.1f} KB gzip; "
               f"on use: max {max(r['search_used'] for r in runs) / 1000:.1f} KB gzip")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", default=str(ROOT / "site"), help="the built site (default: site/)")
    parser.add_argument("--mode", choices=["typed", "pasted", "both"], default="both")
    parser.add_argument("--write", action="store_true", help="also write the table into bench/results.md")
    args = parser.parse_args(argv)
    site = Path(args.site).resolve()
    if not (site / "search" / "tim-kiem.json").exists():
        print(f"{site}: no search/tim-kiem.json; run `make build` first")
        return 1
    runs = measure(site, ("typed", "pasted") if args.mode == "both" else (args.mode,))
    text = report(runs)
    print()
    print(text)
    if args.write:
        print(f"written to {write_results('Site search on a throttled phone', text)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
