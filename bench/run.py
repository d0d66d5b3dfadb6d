#!/usr/bin/env python3
"""Benchmark: build synthetic corpora at 1x, 2x and 4x a base size and print what the build costs (issue 7).

    python bench/run.py                       # 1x, 2x, 4x of the base size (a few minutes on 2 cores)
    python bench/run.py --national            # the national corpus: 63 provinces x 24 plans x ~100 tasks
    python bench/run.py --sizes 1,2 --no-browser

For each size it prints: wall time split by stage (load and validate, render, MkDocs, search indexes, and
any other stage the build reports), peak memory, site size, median and largest page size, time per page,
the time a republish after editing one plan takes (beside the full build) and what it rewrites, and, in headless Chromium, the bytes the site search and
the assignment finder load for a typical query, beside Pagefind's over the same built site.

It prints figures and asserts nothing. The results are written to bench/results.md (one section per run
kind, the other kept). Synthetic corpora are written by bench/scale.py outside content/.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import write_corpus  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
T0 = time.perf_counter()


def say(msg: str) -> None:
    print(f"[{time.perf_counter() - T0:7.1f}s] {msg}", file=sys.stderr, flush=True)


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def kb(n: float) -> str:
    return f"{n / 1e3:.0f} KB"


# ---------------------------------------------------------------- building

def run_streamed(cmd: list[str], prefix: str, env: dict | None = None) -> tuple[int, str, float, int, float]:
    """Run a command, echo its stderr lines (the build's progress) with a prefix; return (exit code, stderr
    text, wall seconds, peak RSS in bytes of the largest process of its tree, CPU seconds of its whole tree).

    The CPU seconds (user + system, of the process and every descendant it waited for: MkDocs, the forked
    downloads process, pool workers; wait4 reports them together) hardly move with the machine's load, unlike
    the wall time, so a ratio of two builds' CPU seconds stays fair on a shared machine."""
    full_env = dict(os.environ, NO_MKDOCS_2_WARNING="true", PYTHONPATH=str(ROOT))
    full_env.update(env or {})
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, bufsize=1)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        text = line.rstrip("\n").split("\r")[-1]
        if text.strip():
            print(f"{prefix}{text}", file=sys.stderr, flush=True)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return proc.returncode, "".join(lines), wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def parse_stage_times(stderr: str) -> dict[str, float]:
    m = re.search(r"^stage times: (.*); total ([\d.]+)s$", stderr, re.M)
    if not m:
        return {}
    out = {}
    for part in m.group(1).split(", "):
        name, _, secs = part.rpartition(" ")
        out[name] = float(secs.rstrip("s"))
    return out


def site_metrics(site: Path) -> dict:
    pages = [p for p in site.rglob("index.html") if "pagefind" not in p.parts]
    sizes = sorted(p.stat().st_size for p in pages)
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and "pagefind" not in p.relative_to(site).parts)
    largest = max(pages, key=lambda p: p.stat().st_size)
    # what the site is made of, by kind of file: what a free static host counts (bytes, files)
    kinds: dict[str, list[int]] = {}
    for p in site.rglob("*"):
        if p.is_file() and "pagefind" not in p.relative_to(site).parts:
            rel = p.relative_to(site).as_posix()
            kind = ("HTML " + rel.split("/")[0] + "/" if rel.endswith(".html") and "/" in rel else
                    "CSV " + "/".join(rel.split("/")[:3]) + "/" if rel.startswith("data/csv/") else
                    "." + p.suffix.lstrip(".") if p.suffix else p.name)
            k = kinds.setdefault(kind, [0, 0])
            k[0] += p.stat().st_size
            k[1] += 1
    return {"pages": len(pages), "site_bytes": total, "site_files": sum(n for _, n in kinds.values()), "kinds": kinds,
            "median_page": statistics.median(sizes), "largest_page": sizes[-1],
            "largest_url": largest.parent.relative_to(site).as_posix() + "/"}


def edit_one_plan(corpus: Path) -> str:
    """A legitimate edit of one plan: words added to its first task's text, in the plan and in its source text
    alike (the build checks that a task's text is in its source lines). Returns the plan's id."""
    import yaml
    plans = sorted((corpus / "plans").glob("*.yml"))
    plan = plans[len(plans) // 2]
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    source = corpus / "sources" / data["source"]["file"]
    plan_text, source_text = plan.read_text(encoding="utf-8"), source.read_text(encoding="utf-8")
    for task in data["tasks"]:
        old = task["text"]
        if plan_text.count(old) == 1 and source_text.count(old) == 1:
            new = old.rstrip(".") + " (đã sửa)."
            plan.write_text(plan_text.replace(old, new), encoding="utf-8")
            source.write_text(source_text.replace(old, new), encoding="utf-8")
            return plan.stem
    raise RuntimeError(f"{plan}: no task whose text can be edited in the plan and its source alike")


def rebuild_after_edit(corpus: Path, docs: Path, site: Path) -> dict:
    """Edit one task of one plan, then republish (`python -m generator build`: load, render, MkDocs, search
    indexes, link check, swap) and count what was written again: files of the docs folder, pages MkDocs built."""
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    published = site.resolve()
    old_pages = {p.relative_to(published).as_posix(): p.stat().st_ino for p in published.rglob("*.html")}
    plan = edit_one_plan(corpus)
    time.sleep(0.01)
    code, err, wall, rss, cpu = run_streamed([sys.executable, "-m", "generator", "--content", str(corpus), "build", "--docs", str(docs),
                                              "--site", str(site)], "      republish | ")
    after = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    changed = sorted(p.relative_to(docs).as_posix() for p, t in after.items() if before.get(p) != t)
    now = site.resolve()
    pages = {p.relative_to(now).as_posix(): p.stat().st_ino for p in now.rglob("*.html")}
    built = sorted(r for r, ino in pages.items() if old_pages.get(r) != ino)
    return {"plan": plan, "seconds": wall, "cpu": cpu, "rss": rss, "files": len(after), "rewritten": changed, "ok": code == 0,
            "stages": parse_stage_times(err), "pages": len(pages), "built": built, "swapped": now != published}


# ---------------------------------------------------------------- the browser

MATERIAL_SEARCH = re.compile(r"(/search/search_index\.json|/assets/javascripts/workers/search\.)")
SHELL = re.compile(r"(\.css$|/assets/javascripts/bundle|/assets/images/|\.woff2?$|\.ico$|\.svg$)")


class Watch:
    """Every response of a page, with when it finished (epoch ms) and its raw and gzipped size."""

    def __init__(self, page):
        self.rows: list[dict] = []
        page.on("requestfinished", self._done)

    def _done(self, request):
        try:
            resp = request.response()
            body = resp.body() if resp else b""
        except Exception:
            body = b""
        t = request.timing
        end = t["startTime"] + t["responseEnd"] if t.get("responseEnd", -1) >= 0 else time.time() * 1000
        self.rows.append({"url": request.url, "end": end, "bytes": len(body), "gzip": len(gzip.compress(body, 6)) if body else 0})


FIRST_RESULT_SCRIPT = """
window.__firstResult = null;
window.__watchFirst = (selector) => {
  const check = () => {
    if (window.__firstResult === null && document.querySelector(selector)) {
      window.__firstResult = performance.timeOrigin + performance.now();
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true});
  check();
};
"""


def measure(context, url: str, selector: str, done: str | None = None, settle_ms: int = 1000, timeout_ms: int = 60_000) -> dict:
    """Open url, optionally run action(page), wait for selector; report bytes and time to the first result."""
    page = context.new_page()
    watch = Watch(page)
    page.add_init_script(FIRST_RESULT_SCRIPT + f"\ndocument.addEventListener('DOMContentLoaded', () => window.__watchFirst({json.dumps(selector)}));")
    start = time.time() * 1000
    page.goto(url, timeout=timeout_ms)
    try:
        page.wait_for_function("window.__firstResult !== null", timeout=timeout_ms)
        first = page.evaluate("window.__firstResult")
        ok = True
    except Exception:
        first, ok = time.time() * 1000, False
    complete = None
    if ok and done:
        try:
            page.wait_for_selector(done, state="attached", timeout=timeout_ms)
            complete = time.time() * 1000
        except Exception:
            pass
    try:
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except Exception:       # still loading after the timeout: report what arrived
        pass
    page.wait_for_timeout(settle_ms)
    rows = list(watch.rows)
    nav_start = page.evaluate("performance.timeOrigin")
    results = page.locator(selector).count()
    page.close()
    payload = [r for r in rows if not SHELL.search(r["url"]) and r["url"] != url]
    before = [r for r in payload if r["end"] <= first + 1]
    return {
        "ok": ok, "results": results, "first_ms": first - max(start, nav_start) if ok else None,
        "complete_ms": complete - max(start, nav_start) if complete else None,
        "files": len(payload), "bytes": sum(r["bytes"] for r in payload), "gzip": sum(r["gzip"] for r in payload),
        "first_bytes": sum(r["bytes"] for r in before), "first_gzip": sum(r["gzip"] for r in before),
        "page_gzip": sum(r["gzip"] for r in rows),
        # what the page's own search code loads, without Material's site-search index, which Material's
        # search worker fetches on every page of the site, whatever the page
        "own_gzip": sum(r["gzip"] for r in payload if not MATERIAL_SEARCH.search(r["url"])),
        "own_first_gzip": sum(r["gzip"] for r in before if not MATERIAL_SEARCH.search(r["url"])),
        "largest": sorted(((r["gzip"], r["url"].split("/", 3)[-1]) for r in payload), reverse=True)[:3],
    }


PAGEFIND_PAGE = """<!doctype html><meta charset="utf-8"><title>pagefind bench</title><ol id="r"></ol>
<script type="module">
const q = new URLSearchParams(location.search).get("q");
const pagefind = await import("./pagefind/pagefind.js");
const search = await pagefind.search(q);
const first = search.results.length ? await search.results[0].data() : null;
const li = document.createElement("li");
li.className = "pf-result";
li.textContent = first ? first.meta.title + " (" + search.results.length + ")" : "no result";
document.getElementById("r").append(li);
for (const r of search.results.slice(1, 5)) {
  const d = await r.data();
  const x = document.createElement("li"); x.className = "pf-more"; x.textContent = d.meta.title; document.getElementById("r").append(x);
}
</script>
"""


ROW, DONE = "table.finder-results tbody tr.task", "#finder[data-ready='1']"


def finder_scenarios(site: Path, queries: dict) -> list[dict]:
    """How the assignment finder is asked a question (site_config/assets/js/finder.js reads the URL)."""
    return [
        {"name": "finder: one province", "path": f"tim-nhiem-vu/?tinh={queries['province_id']}", "selector": ROW, "done": DONE},
        {"name": "finder: one agency kind", "path": f"tim-nhiem-vu/?co-quan={queries['agency_id']}", "selector": ROW, "done": DONE},
        {"name": "finder: national free text", "path": f"tim-nhiem-vu/?tu-khoa={quote(queries['text'])}", "selector": ROW, "done": DONE},
    ]


def browser_figures(site: Path, queries: dict) -> dict:
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
    import functools
    import threading
    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass
    class Server(ThreadingHTTPServer):
        request_queue_size = 256        # a page opens many connections at once (tests/conftest.py SiteServer)
    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out: dict = {}
    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    try:
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            # Material's site search: the query in ?q=, results in its search dialog
            def attempt(name: str, *args) -> None:
                try:
                    out[name] = measure(ctx, *args)
                except Exception as exc:       # one failed measurement must not lose the others
                    say(f"{name}: measurement failed: {str(exc).splitlines()[0]}")
                    out[name] = {"ok": False, "error": str(exc).splitlines()[0], "results": 0, "files": 0, "bytes": 0, "gzip": 0,
                                 "first_ms": None, "complete_ms": None, "first_bytes": 0, "first_gzip": 0, "page_gzip": 0,
                                 "own_gzip": 0, "own_first_gzip": 0, "largest": []}
            attempt("site search (Material)", base + f"?q={quote(queries['text'])}", ".md-search-result__item")
            if (site / "data" / "finder" / "manifest.json").exists():
                for sc in finder_scenarios(site, queries):
                    attempt(sc["name"], base + sc["path"], sc["selector"], sc["done"])
            if (site / "pagefind" / "pagefind.js").exists():
                (site / "pagefind-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
                for label, q in (("pagefind: province name", queries["province_name"]), ("pagefind: agency name", queries["agency_name"]),
                                 ("pagefind: free text", queries["text"])):
                    attempt(label, base + f"pagefind-bench.html?q={quote(q)}", ".pf-result")
            ctx.close()
    finally:
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)
    return out


# ---------------------------------------------------------------- one size

def run_size(label: str, work: Path, provinces: int, plans: int, tasks: int, seed: int, browser: bool) -> dict:
    corpus, docs, site = work / "corpus", work / "docs", work / "site"
    for d in (corpus, docs, work / ".site-builds"):
        shutil.rmtree(d, ignore_errors=True)
    if site.is_symlink():
        site.unlink()
    say(f"{label}: writing the synthetic corpus ({provinces} provinces x {plans} plans x ~{tasks} tasks)")
    counts = write_corpus(corpus, provinces, plans, tasks, seed,
                          lambda i, n, p, t: print(f"      corpus | {i}/{n} provinces, {p} plans, {t} tasks", file=sys.stderr, flush=True)
                          if i == n or i % max(1, n // 4) == 0 else None)
    say(f"{label}: building ({counts['plans']} plans, {counts['tasks']} tasks)")
    code, err, wall, rss, cpu = run_streamed([sys.executable, "-m", "generator", "--content", str(corpus), "build", "--docs", str(docs),
                                         "--site", str(site)], "      build | ")
    if code != 0:
        say(f"{label}: the build failed (exit {code}); its last lines:\n" + "".join(err.splitlines(True)[-15:]))
        return {"label": label, "counts": counts, "failed": True}
    stages = parse_stage_times(err)
    metrics = site_metrics(site.resolve())
    result = {"label": label, "counts": counts, "wall": wall, "cpu": cpu, "rss": rss, "stages": stages, **metrics}
    say(f"{label}: rebuild after editing one plan")
    result["rebuild"] = rebuild_after_edit(corpus, docs, site)
    if browser:
        say(f"{label}: Pagefind over the built site")
        pf_start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site.resolve()), "--output-subdir", "pagefind"],
                              capture_output=True, text=True)
        result["pagefind_seconds"] = time.perf_counter() - pf_start
        result["pagefind_ok"] = proc.returncode == 0
        if proc.returncode != 0:
            say("pagefind failed: " + proc.stderr[-500:])
        try:
            say(f"{label}: queries in headless Chromium")
            first_province = sorted((corpus / "plans").glob("*.yml"))[0].read_text(encoding="utf-8").split("province: ", 1)[1].split("\n", 1)[0]
            import yaml
            names = {p["id"]: p["name"] for p in yaml.safe_load((corpus / "registry" / "provinces.yml").read_text(encoding="utf-8"))["provinces"]}
            queries = {"province_id": first_province, "province_name": names[first_province], "agency_id": "so-tu-phap",
                       "agency_name": "Sở Tư pháp", "text": "một cửa liên thông"}
            result["queries"] = queries
            result["browser"] = browser_figures(site.resolve(), queries)
        except Exception as exc:   # the build figures stand without the browser ones
            say(f"{label}: browser measurements failed: {str(exc).splitlines()[0]}")
    return result


# ---------------------------------------------------------------- report

OURS_LABEL = {"load": "load+validate", "validate": "load+validate", "resolve": "load+validate"}


def report(results: list[dict], command: str) -> str:
    out = [f"Command: `{command}`  ", f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}  ",
           f"Date: {time.strftime('%Y-%m-%d %H:%M')}", ""]
    ok = [r for r in results if not r.get("failed")]
    stage_names: list[str] = []
    for r in ok:
        for name in r["stages"]:
            key = OURS_LABEL.get(name, name)
            if key not in stage_names:
                stage_names.append(key)
    head = ["size", "plans", "tasks", "pages", "total s", "CPU s"] + [f"{s} s" for s in stage_names] + ["ours %", "ours / MkDocs", "ms/page", "peak MB", "site MB", "median page KB", "largest page KB"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for r in ok:
        st: dict[str, float] = {}
        for name, secs in r["stages"].items():
            st[OURS_LABEL.get(name, name)] = st.get(OURS_LABEL.get(name, name), 0) + secs
        total = r["wall"]
        ours = sum(v for k, v in st.items() if k != "mkdocs")
        row = [r["label"], r["counts"]["plans"], r["counts"]["tasks"], r["pages"], f"{total:.1f}", f"{r['cpu']:.1f}"] + [f"{st.get(s, 0):.1f}" for s in stage_names] + [
            f"{100 * ours / total:.1f}", f"{ours / st['mkdocs']:.2f}x" if st.get("mkdocs") else "", f"{1000 * total / r['pages']:.1f}", f"{r['rss'] / 1e6:.0f}", f"{r['site_bytes'] / 1e6:.1f}",
            f"{r['median_page'] / 1e3:.1f}", f"{r['largest_page'] / 1e3:.0f} ({r['largest_url']})"]
        out.append("| " + " | ".join(str(x) for x in row) + " |")
    for r in results:
        if r.get("failed"):
            out.append(f"\n{r['label']}: the build FAILED ({r['counts']['plans']} plans, {r['counts']['tasks']} tasks)")
    if len(ok) >= 2:
        a, b = ok[0], ok[-1]
        out.append("")
        out.append(f"From {a['label']} to {b['label']}: median page x{b['median_page'] / a['median_page']:.2f}, "
                   f"time per page x{(b['wall'] / b['pages']) / (a['wall'] / a['pages']):.2f}, "
                   f"tasks x{b['counts']['tasks'] / a['counts']['tasks']:.2f}, total time x{b['wall'] / a['wall']:.2f}.")
    for r in ok:
        if r.get("kinds"):
            out.append("")
            out.append(f"Site at {r['label']}: {r['site_bytes'] / 1e6:,.1f} MB in {r['site_files']:,} files; by kind (MB, files): "
                       + "; ".join(f"{k} {v[0] / 1e6:,.1f} ({v[1]:,})" for k, v in sorted(r["kinds"].items(), key=lambda kv: -kv[1][0])
                                   if v[0] >= 1e6 or v[1] >= 100))
    out.append("")
    out.append("Republish after editing one task of one plan (its text, in the plan and its source alike), "
               "`python -m generator build` again, against the full build above (same run):")
    out.append("")
    for r in ok:
        rb = r["rebuild"]
        if not rb["ok"]:
            out.append(f"- {r['label']}: the republish FAILED (plan {rb['plan']})")
            continue
        groups: dict[str, int] = {}
        for f in rb["rewritten"]:
            top = f.split("/")[0] if "/" in f else f
            groups[top] = groups.get(top, 0) + 1
        st = rb["stages"]
        out.append(f"- {r['label']}: republish {rb['seconds']:.1f}s = {100 * rb['seconds'] / r['wall']:.0f}% of the full build's "
                   f"{r['wall']:.1f}s; CPU {rb['cpu']:.1f}s = {100 * rb['cpu'] / r['cpu']:.0f}% of the full build's {r['cpu']:.1f}s CPU, the fairer ratio on a shared machine "
                   f"(stages: " + ", ".join(f"{k} {v:.1f}s" for k, v in st.items()) + f"; peak {rb['rss'] / 1e6:.0f} MB); "
                   f"site swapped: {'yes' if rb['swapped'] else 'NO'}; MkDocs built {len(rb['built'])} of {rb['pages']} HTML pages; "
                   f"{len(rb['rewritten'])} of {rb['files']} docs files rewritten (plan {rb['plan']}): "
                   + ", ".join(f"{k} {v}" for k, v in sorted(groups.items())))
    browser_rows = [r for r in ok if r.get("browser")]
    if browser_rows:
        out.append("")
        out.append("Search payload in headless Chromium: bytes the query loads beyond the page shell (HTML, theme CSS/JS), each file "
                   "gzipped; \"first\" = loaded before the first result row was shown; \"own\" = without Material's "
                   "search/search_index.json and search worker, which Material loads on every page of the site:")
        out.append("")
        out.append("| size | query | results | files | first result ms | all results ms | first KB gz | total KB gz | own first KB gz | own total KB gz | largest files (KB gz) |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for r in browser_rows:
            for name, m in r["browser"].items():
                largest = "; ".join(f"{path.split('?')[0]} {g / 1e3:.0f}" for g, path in m["largest"])
                first = f"{m['first_ms']:.0f}" if m["ok"] else ("FAILED: " + m["error"] if m.get("error") else "no result")
                complete = f"{m['complete_ms']:.0f}" if m.get("complete_ms") else ""
                out.append(f"| {r['label']} | {name} | {m['results']} | {m['files']} | {first} | {complete} | {m['first_gzip'] / 1e3:.0f} | "
                           f"{m['gzip'] / 1e3:.0f} | {m['own_first_gzip'] / 1e3:.0f} | {m['own_gzip'] / 1e3:.0f} | {largest} |")
        pairs = [("finder: one province", "pagefind: province name"), ("finder: one agency kind", "pagefind: agency name"),
                 ("finder: national free text", "pagefind: free text"), ("site search (Material)", "pagefind: free text")]
        for r in browser_rows:
            pf = r["browser"]
            ratios = []
            for ours, ref in pairs:
                if ours in pf and ref in pf and pf[ours]["ok"] and pf[ref]["ok"] and pf[ref]["first_gzip"] and pf[ref]["first_ms"]:
                    key = "first_gzip" if ours.startswith("site search") else "own_first_gzip"
                    tot = "gzip" if ours.startswith("site search") else "own_gzip"
                    ratios.append(f"{ours} / {ref}: bytes to first result x{pf[ours][key] / pf[ref]['first_gzip']:.2f} "
                                  f"(x{pf[ours]['first_gzip'] / pf[ref]['first_gzip']:.2f} with Material's index), "
                                  f"total bytes x{pf[ours][tot] / max(1, pf[ref]['gzip']):.2f}, "
                                  f"time to first result x{pf[ours]['first_ms'] / pf[ref]['first_ms']:.2f}")
            if ratios:
                out.append("")
                out.append(f"Ratios at {r['label']} (ours / Pagefind, same run; Pagefind indexed the site in {r['pagefind_seconds']:.1f}s):")
                out.append("")
                out += [f"- {x}" for x in ratios]
    return "\n".join(out) + "\n"


def write_results(section: str, body: str) -> Path:
    path = ROOT / "bench" / "results.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\nWritten by `bench/run.py`; see bench/README.md.\n"
    begin, end = f"<!-- {section}: begin -->", f"<!-- {section}: end -->"
    block = f"{begin}\n## {section}\n\n{body}{end}"
    if begin in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--national", action="store_true", help="build the national corpus (about 1,500 plans, 150,000 tasks) instead")
    parser.add_argument("--provinces", type=int, default=3, help="base size: provinces (default 3)")
    parser.add_argument("--plans-per-province", type=int, default=2, help="base size: plans per province (default 2)")
    parser.add_argument("--tasks-per-plan", type=int, default=60, help="base size: tasks per plan (default 60)")
    parser.add_argument("--sizes", default="1,2,4", help="multiples of the base size, applied to the number of provinces")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-browser", action="store_true", help="skip Pagefind and the Chromium measurements")
    parser.add_argument("--work", type=Path, default=None, help="working directory (default: a temporary one, removed)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    args = parser.parse_args(argv)
    browser = not args.no_browser and Path(CHROMIUM).exists()
    if not args.no_browser and not browser:
        say(f"{CHROMIUM} is missing: browser measurements skipped (run `make chromium`)")
    work = args.work or Path(tempfile.mkdtemp(prefix="portal-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    results = []
    try:
        if args.national:
            sizes = [("national", 63, 24, 100)]
        else:
            sizes = [(f"{m}x", args.provinces * m, args.plans_per_province, args.tasks_per_plan) for m in (int(x) for x in args.sizes.split(","))]
        for label, prov, plans, tasks in sizes:
            results.append(run_size(label, work / label, prov, plans, tasks, args.seed, browser))
            say(f"{label}: done")
    except KeyboardInterrupt:
        say("interrupted: reporting what was measured")
    except Exception as exc:       # report what was measured before the failure, then the failure
        import traceback
        say("the benchmark failed: reporting what was measured\n" + "".join(traceback.format_exception(exc)[-3:]))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = report(results, command.strip())
    print(text)
    if not args.no_write and results:
        path = write_results("National corpus" if args.national else "1x, 2x, 4x the base size", text)
        say(f"results written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
