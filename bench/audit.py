"""The built site judged by tools nobody here wrote: Lighthouse 12, the Nu HTML validator, axe-core.

    python bench/audit.py                      # all three over one page of every page kind of site/
    python bench/audit.py --only lighthouse    # or nu, axe; several: --only nu,axe
    python bench/audit.py --kinds plan,home --write   # --write: replace the "Audit" section of bench/results.md

Lighthouse (npm `lighthouse`, pinned below) and the Nu validator (npm `vnu-jar`; needs `java`, Debian
`default-jre-headless`) are bench tools, not test tools: they are installed with `npm install` into
--tools (default: ~/.cache/par-portal-audit), never into the project's node_modules. axe-core is the one
`make test` installs (node_modules/axe-core, package-lock.json).

Lighthouse runs with its default mobile preset (Moto G Power screen, simulated slow 4G, 4x CPU slowdown)
in Debian's chromium (CHROME_PATH=/usr/bin/chromium, --headless --no-sandbox --disable-gpu) against the
site served on 127.0.0.1 gzipped, as web hosts serve it (bench/search_latency.py's server; --no-gzip: plain
`python -m http.server`, which compresses nothing); performance, accessibility and best-practices scores,
total bytes, FCP, LCP, total blocking time, DOM size and main-thread time. Its timings are simulated from the
CPU time the page took on this machine, so a machine busy with other work lowers the performance score: each
page runs --runs times (default 3), the median run is reported, with the load average read before each run.
The Nu validator checks the HTML files with --errors-only; errors in the markup
Material for MkDocs writes itself (MATERIAL_OWN below) are counted apart. This script asserts nothing.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_accessibility import AXE, PAGES  # noqa: E402  (one list of page kinds for both)

LIGHTHOUSE = "lighthouse@12.8.2"
VNU = "vnu-jar@26.9.27"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
RESULTS = ROOT / "bench" / "results.md"
BEGIN, END = "<!-- audit: begin -->", "<!-- audit: end -->"

# Nu validator errors in markup Material for MkDocs 9.7 writes itself (templates we do not override):
MATERIAL_OWN = {
    "autocomplete on Material's drawer/search toggles": re.compile(
        r"Attribute “autocomplete” is only allowed when the input type is"),   # <input class="md-toggle" type="checkbox" autocomplete="off">
    "Material's table-of-contents label without its toggle": re.compile(
        r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control"),
    # <label class="md-nav__title" for="__toc"> on a page whose TOC toggle Material leaves out
}
MATERIAL_EXTRACTS = ('class="md-toggle"', 'class="md-nav__title" for="__toc"')


def install_tools(tools: Path) -> Path:
    bin_ = tools / "node_modules" / ".bin" / "lighthouse"
    jar = tools / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not (bin_.exists() and jar.exists()):
        tools.mkdir(parents=True, exist_ok=True)
        print(f"installing {LIGHTHOUSE} {VNU} into {tools} ...", flush=True)
        subprocess.run(["npm", "install", "--prefix", str(tools), "--no-save", "--no-audit", "--no-fund",
                        "--ignore-scripts", "--loglevel=error", LIGHTHOUSE, VNU], check=True)
    return tools


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m http.server` on 127.0.0.1 over the built site: no compression (--no-gzip only)."""

    def __init__(self, site: Path):
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1",
                                      "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}/"
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("http.server did not start")

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class GzipServer:
    """The built site as a web host serves it: text (HTML, CSS, JS, JSON) gzipped when the browser accepts it
    (bench/search_latency.py's server). GitHub Pages, GitLab Pages, Cloudflare Pages and nginx's usual
    configuration all do; Lighthouse then counts and times the gzipped bytes, as a phone would receive them."""

    def __init__(self, site: Path):
        from search_latency import serve
        self.server, self.url = serve(site)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------- Lighthouse

def lighthouse_once(tools: Path, url: str, out: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    cmd = [str(tools / "node_modules" / ".bin" / "lighthouse"), url, "--quiet", f"--chrome-flags={CHROME_FLAGS}",
           "--only-categories=performance,accessibility,best-practices", "--output=json", f"--output-path={out}"]
    subprocess.run(cmd, env=env, check=False, timeout=600, capture_output=True)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    failing = []
    for cat in ("accessibility", "best-practices"):
        for ref in report["categories"][cat]["auditRefs"]:
            a = audits[ref["id"]]
            if ref["weight"] and a["score"] is not None and a["score"] < 1:
                failing.append(ref["id"])
    score = lambda c: round(100 * (report["categories"][c]["score"] or 0))   # noqa: E731
    work = {i["group"]: i["duration"] for i in audits["mainthread-work-breakdown"]["details"]["items"]}
    return {"performance": score("performance"), "accessibility": score("accessibility"),
            "best-practices": score("best-practices"),
            "bytes": audits["total-byte-weight"]["numericValue"],
            "fcp": audits["first-contentful-paint"]["numericValue"],
            "tbt": audits["total-blocking-time"]["numericValue"],
            "lcp": audits["largest-contentful-paint"]["numericValue"],
            "dom": audits["dom-size"]["numericValue"],
            "main": sum(work.values()), "layout": work.get("styleLayout", 0),
            "script": work.get("scriptEvaluation", 0) + work.get("scriptParseCompile", 0),
            "benchmark": report["environment"]["benchmarkIndex"],
            "blocking": len((audits["render-blocking-resources"].get("details") or {}).get("items") or []),
            "failing": failing, "form": report["configSettings"]["formFactor"]}


def lighthouse(tools: Path, base: str, kinds: list[str], runs: int, work: Path) -> dict:
    """Each page kind `runs` times; the run with the median performance score is reported, with the machine's
    1-minute load average read before each run (Lighthouse simulates a phone's timings from the CPU time the
    page took here, so other work on the machine lowers the score)."""
    results = {}
    for kind in kinds:
        got = []
        for i in range(runs):
            load = os.getloadavg()[0]
            r = lighthouse_once(tools, base + PAGES[kind], work / f"lh-{kind}-{i}.json")
            r["load"] = load
            got.append(r)
        med = sorted(got, key=lambda r: r["performance"])[len(got) // 2]
        med["all_performance"] = [r["performance"] for r in got]
        med["all_load"] = [r["load"] for r in got]
        results[kind] = med
        print(f"lighthouse {kind}: performance {med['all_performance']} (load {'/'.join(f'{x:.1f}' for x in med['all_load'])}) "
              f"accessibility {med['accessibility']} best-practices {med['best-practices']} "
              f"{med['bytes'] / 1024:.0f} KB FCP {med['fcp'] / 1000:.1f} s LCP {med['lcp'] / 1000:.1f} s "
              f"TBT {med['tbt']:.0f} ms; DOM {med['dom']:.0f} elements, main thread {med['main'] / 1000:.1f} s "
              f"(style+layout {med['layout'] / 1000:.1f} s, script {med['script'] / 1000:.1f} s), "
              f"{med['blocking']} render-blocking; benchmark index {med['benchmark']:.0f} {' '.join(med['failing'])}", flush=True)
    return results


# ---------------------------------------------------------------- Nu HTML validator

def page_file(site: Path, path: str) -> Path:
    return site / path / "index.html"


def nu(tools: Path, site: Path, kinds: list[str]) -> dict:
    jar = tools / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not shutil.which("java"):
        raise SystemExit("java is missing: install Debian's default-jre-headless")
    real = site.resolve()
    files = {str(page_file(real, PAGES[k]).resolve()): k for k in kinds}
    proc = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, timeout=1200)
    messages = json.loads(proc.stderr or proc.stdout)["messages"]
    results = {k: {"ours": [], "material": Counter()} for k in kinds}
    for m in messages:
        path = m.get("url", "").removeprefix("file:")
        kind = files.get(str(Path(path).resolve()))
        if kind is None:
            continue
        own = next((name for name, rx in MATERIAL_OWN.items() if rx.search(m["message"])), None)
        if own and any(x in m.get("extract", "") for x in MATERIAL_EXTRACTS):
            results[kind]["material"][own] += 1
        else:
            results[kind]["ours"].append(f"{m.get('lastLine', '?')}: {m['message']}")
    for kind, r in results.items():
        print(f"nu {kind}: {len(r['ours'])} errors, {sum(r['material'].values())} in Material's own markup", flush=True)
        for line in r["ours"][:5]:
            print("    " + line)
    return results


# ---------------------------------------------------------------- axe-core

def axe(base: str, kinds: list[str]) -> dict:
    from playwright.sync_api import sync_playwright
    from conftest import CHROMIUM_ARGS
    from test_accessibility import WIDTHS, type_finder_query, axe_violations
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for width, viewport in WIDTHS.items():
            for kind in kinds:
                page = browser.new_page(viewport=viewport)
                page.goto(base + PAGES[kind])
                page.wait_for_load_state("networkidle")
                if kind == "finder":
                    type_finder_query(page)
                by_impact = Counter()
                rules = Counter()
                for v in axe_violations(page):
                    by_impact[v["impact"]] += v["nodes"]
                    rules[f"{v['id']} ({v['impact']})"] += v["nodes"]
                results[(kind, width)] = {"impact": by_impact, "rules": rules}
                print(f"axe {kind} {width}px: {dict(by_impact) or 'none'} {dict(rules) if rules else ''}", flush=True)
                page.close()
        browser.close()
    return results


# ---------------------------------------------------------------- report

def report(args, kinds, lh, nu_r, axe_r, lh_kinds) -> str:
    out = [BEGIN, "## Audit: Lighthouse, Nu HTML validator, axe-core", "",
           f"Command: `python bench/audit.py{' ' + ' '.join(sys.argv[1:]) if sys.argv[1:] else ''}`  ",
           f"Machine: {os.cpu_count()} cores (shared with other work while measured), Python {platform.python_version()}, "
           f"chromium {chromium_version()}  ",
           f"Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC  ",
           f"Tools: {LIGHTHOUSE} (mobile preset, median of {args.runs} run(s) by performance), {VNU} (--errors-only), "
           f"axe-core {axe_version()}", ""]
    if lh:
        loads = [x for k in lh_kinds for x in lh[k]["all_load"]]
        out += [f"Served {'by `python -m http.server`, uncompressed' if args.no_gzip else 'gzipped, as a web host serves it'}; "
                f"machine load average (1 min) before the runs: {min(loads):.1f}–{max(loads):.1f}. Performance: the "
                "median run's score (all runs' scores); the other columns are the median run's. Benchmark index: "
                "Lighthouse's measure of the CPU it ran on (it warns below 1,000; a busy machine gives a lower one).", "",
                "| page kind | page | performance | accessibility | best practices | KB | FCP s | LCP s | TBT ms | DOM elements | main thread s (style+layout) | benchmark index | audits below 1 (accessibility, best practices) |",
                "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for k in lh_kinds:
            r = lh[k]
            runs = (f"**{r['performance']}** ({'/'.join(map(str, r['all_performance']))})"
                    if len(r["all_performance"]) > 1 else str(r["performance"]))
            out.append(f"| {k} | `/{PAGES[k]}` | {runs} | {r['accessibility']} | {r['best-practices']} | "
                       f"{r['bytes'] / 1024:.0f} | {r['fcp'] / 1000:.1f} | {r['lcp'] / 1000:.1f} | {r['tbt']:.0f} | "
                       f"{r['dom']:.0f} | {r['main'] / 1000:.1f} ({r['layout'] / 1000:.1f}) | {r['benchmark']:.0f} | {', '.join(r['failing']) or '—'} |")
        perf = [lh[k]["performance"] for k in lh_kinds]
        acc = [lh[k]["accessibility"] for k in lh_kinds]
        out += ["", f"Lowest: performance {min(perf)}, accessibility {min(acc)}; "
                f"page kinds with performance ≥ 90: {sum(p >= 90 for p in perf)} of {len(perf)}, "
                f"accessibility ≥ 95: {sum(a >= 95 for a in acc)} of {len(acc)}.", ""]
    if nu_r:
        material = Counter()
        for r in nu_r.values():
            material.update(r["material"])
        out += ["Nu HTML validator, errors per page kind (ours / in Material's own markup):", "",
                "| page kind | ours | Material's | first of ours |", "|---|---|---|---|"]
        for k in kinds:
            r = nu_r[k]
            out.append(f"| {k} | {len(r['ours'])} | {sum(r['material'].values())} | {(r['ours'][0][:120] if r['ours'] else '—')} |")
        out += ["", "Material's own, filtered: " + "; ".join(f"{name} ({n})" for name, n in material.items()) or "none", ""]
    if axe_r:
        widths = sorted({w for _, w in axe_r}, key=int, reverse=True)
        out += ["axe-core violations (elements) per page kind: critical+serious / moderate+minor, with the rules found:", "",
                "| page kind | " + " | ".join(f"{w} px" for w in widths) + " | rules |", "|---|" + "---|" * len(widths) + "---|"]
        for k in kinds:
            cells, rules = [], Counter()
            for w in widths:
                r = axe_r[(k, w)]
                i = r["impact"]
                cells.append(f"{i['critical'] + i['serious']} / {i['moderate'] + i['minor']}")
                rules.update(r["rules"])
            out.append(f"| {k} | " + " | ".join(cells) + f" | {', '.join(f'{r} {n}' for r, n in rules.items()) or '—'} |")
        out.append("")
    out.append(END)
    return "\n".join(out)


def chromium_version() -> str:
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.split()[1]
    except Exception:   # noqa: BLE001 - a version string is only informative
        return "?"


def axe_version() -> str:
    try:
        return json.loads((AXE.parent / "package.json").read_text())["version"]
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", type=Path, default=ROOT / "site")
    ap.add_argument("--tools", type=Path, default=Path.home() / ".cache" / "par-portal-audit")
    ap.add_argument("--only", default="lighthouse,nu,axe")
    ap.add_argument("--kinds", default=",".join(PAGES))
    ap.add_argument("--lighthouse-kinds", default="", help="Lighthouse on these page kinds only (default: --kinds)")
    ap.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is reported)")
    ap.add_argument("--no-gzip", action="store_true",
                    help="serve with plain `python -m http.server` (no compression) instead of gzip as hosts serve")
    ap.add_argument("--keep", type=Path, help="keep Lighthouse's JSON reports in this directory")
    ap.add_argument("--write", action="store_true", help="write the Audit section of bench/results.md")
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = [k for k in kinds if k not in PAGES]
    if unknown:
        raise SystemExit(f"unknown page kind {unknown}; known: {', '.join(PAGES)}")
    if not (args.site / "index.html").exists():
        raise SystemExit(f"{args.site} holds no built site: run `make build` first")
    only = set(args.only.split(","))
    tools = install_tools(args.tools) if only & {"lighthouse", "nu"} else args.tools
    work = args.keep or Path(os.environ.get("TMPDIR", "/tmp")) / f"audit-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    server = Server(args.site) if args.no_gzip else GzipServer(args.site)
    try:
        nu_r = nu(tools, args.site, kinds) if "nu" in only else None
        axe_r = axe(server.url, kinds) if "axe" in only else None
        lh_kinds = [k for k in args.lighthouse_kinds.split(",") if k in PAGES] or kinds
        lh = lighthouse(tools, server.url, lh_kinds, args.runs, work) if "lighthouse" in only else None
    finally:
        server.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = report(args, kinds, lh, nu_r, axe_r, lh_kinds)
    print()
    print(text)
    if args.write:
        old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
        if BEGIN in old and END in old:
            new = old[:old.index(BEGIN)] + text + old[old.index(END) + len(END):]
        else:
            new = old.rstrip("\n") + "\n\n" + text + "\n"
        RESULTS.write_text(new, encoding="utf-8")
        print(f"written: {RESULTS}")


if __name__ == "__main__":
    main()
