"""Shared fixtures: the built site, a local HTTP server for it, and headless Chromium driven by Playwright.

The browser is Debian's chromium (installed by `make chromium`), started with flags that keep it from
reaching any other host; Playwright downloads no browser of its own.

`make test` runs the suite in parallel worker processes (pytest-xdist, `-n 2 --dist loadgroup`); how to write
a test that shares what is expensive under it (see also tests/README.md):
- the published site of the project's own content (`site_dir`, built once by `make build`), its server
  (`site_url`) and the browser (`browser_context`, `open_page`) are session fixtures: one per worker, shared
  by every test that worker runs. Read the built site, never write into it; build a variant in a tmp copy.
- a module-scoped fixture that builds something (a site from altered content, say: it asks for
  tmp_path_factory) is built once: the tests that use it are put in one xdist group per module
  (pytest_collection_modifyitems below), so they all run in one worker. Other tests are spread freely.
  A function-scoped fixture is built for each test; when many tests need the same build, build it once in a
  session or module fixture and give each test a cheap copy (`published` below does so).
- a test must not depend on another test having run, nor on running alone: two run at once, each in its own
  tmp_path (for the network, bind port 0).
"""
from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path
from collections.abc import Callable

import pytest
from hypothesis import settings

# On CI the property tests draw the same examples every run (a failure there is reproducible, never luck);
# elsewhere they explore new examples each time.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def run_generator(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run `python -m generator ...` as a maintainer would, capturing what it prints."""
    full_env = dict(os.environ, NO_MKDOCS_2_WARNING="true", PYTHONPATH=str(ROOT))
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def run_main(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """What `python -m generator ...` prints and returns, run in this process: generator.cli.main, the function
    the command calls (`python -m generator` is `raise SystemExit(main())`), given the same arguments, the
    environment changed by `env` while it runs. A new Python costs ~0.5 CPU-s importing the generator (pydantic's
    schema), ~80 times a run; use it for a command that only reads content and prints (validate), where the test
    checks its messages and exit code. A traceback is raised into the test (it fails, as the command would
    print one), a warning is written to stderr as Python's default filters would. Commands that build (MkDocs,
    worker processes), may hang, or run a copy's own code (cwd=project) stay with run_generator; a test or two
    per command keep running the real command line."""
    import contextlib
    import io
    import warnings
    from generator.cli import main
    out, err = io.StringIO(), io.StringIO()
    saved = {name: os.environ.get(name) for name in env or {}}
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings(record=True) as caught:
            warnings.resetwarnings()          # Python's default filters (pytest's own are set around each test)
            for category in (ResourceWarning, ImportWarning, PendingDeprecationWarning, DeprecationWarning):
                warnings.filterwarnings("ignore", category=category)
            warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
            try:
                code = main(list(args))
            except SystemExit as exc:          # argparse: a usage error
                code = exc.code if isinstance(exc.code, int) else 1
        for w in caught:
            err.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess(["python", "-m", "generator", *args], code, out.getvalue(), err.getvalue())


def copy_project(dest: Path) -> Path:
    """A throw-away copy of the project (content, templates, config) to build or break without touching the real one."""
    for name in ("content", "templates", "site_config", "generator"):
        shutil.copytree(ROOT / name, dest / name)      # with __pycache__/: the copy need not compile the generator again
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def _builds_something(name: str, info, seen: set) -> bool:
    """Whether fixture `name` makes files (asks for tmp_path_factory, itself or through another fixture)."""
    if name == "tmp_path_factory":
        return True
    if name in seen:
        return False
    seen.add(name)
    defs = info.name2fixturedefs.get(name) or ()
    return any(_builds_something(arg, info, seen) for d in defs for arg in d.argnames)


# Session fixtures built once per run whichever worker asks (built_once): the tests that read one, in whatever
# module, are one xdist group, so no worker sits waiting for a build another one is making. Longest first: these
# groups are put at the head of the run, so a worker starts each at once and the other workers share the rest
# (a long group left to the end would keep one worker busy while the others have finished).
SHARED_BUILDS = ("largest_plan_site", "content_build")


@pytest.hookimpl(tryfirst=True)   # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Under `--dist loadgroup`, the tests of a module that use one of its module- (or class-) scoped fixtures
    that builds something (a site, a corpus: it asks for tmp_path_factory) run in one worker, so it is built
    once; all other tests are spread freely (a cheap module fixture is then set up once per worker)."""
    first: dict[str, int] = {}
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        shared = [name for name in info.names_closure if name in SHARED_BUILDS]
        for name in shared or info.names_closure:
            defs = info.name2fixturedefs.get(name) or ()
            if shared or any(d.scope in ("module", "class", "package") for d in defs) and _builds_something(name, info, set()):
                group = name if shared else item.nodeid.split("::")[0]
                if shared:
                    first[item.nodeid] = SHARED_BUILDS.index(name)
                item.add_marker(pytest.mark.xdist_group(group))
                if getattr(config.option, "loadgroup", False) and hasattr(item, "_id") and "@" not in item.nodeid:
                    # pytest-xdist 3.8 names the group in `item._nodeid`, which pytest 9.2 no longer reads
                    from _pytest.nodeid import NodeId
                    item._id = NodeId.parse(f"{item.nodeid}@{group}")
                    if item.nodeid.split("@")[0] in first:
                        first[item.nodeid] = first[item.nodeid.split("@")[0]]
                break
    items.sort(key=lambda item: first.get(item.nodeid, len(SHARED_BUILDS)))     # stable: the rest keep their order


# What axe-core found below the failing impacts (test_accessibility.py): each test reports its findings in its
# user_properties, which xdist carries from the workers, and the run prints them summed at its end.
_axe_minor: Counter = Counter()   # (width, rule id, impact) -> nodes
_axe_checked: list[str] = []


# CPU seconds each test costs (PORTAL_TEST_CPU=1 make test): its worker process, the processes it ran and waited
# for (builds, MkDocs), and the processes still alive under it (Chromium and its renderers, whose CPU no wait
# reports); the run prints them summed per module, with the slowest tests. Off by default (it reads /proc).
TEST_CPU = bool(os.environ.get("PORTAL_TEST_CPU"))
_cpu: Counter = Counter()          # test id -> CPU seconds, setup + call + teardown
_CPU_START = pytest.StashKey[float]()


def _cpu_seconds() -> float:
    import resource
    own = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime"))
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            ticks[int(entry.name)] = sum(int(x) for x in fields[11:15])     # utime stime cutime cstime
    under, me = 0, os.getpid()
    for pid in ticks:
        p = parents.get(pid)
        while p and p != me:
            p = parents.get(p)
        if p == me:
            under += ticks[pid]
    return own + under / os.sysconf("SC_CLK_TCK")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if TEST_CPU:
        item.stash[_CPU_START] = _cpu_seconds()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    if TEST_CPU and call.when == "teardown" and _CPU_START in item.stash:      # the report below carries it
        item.user_properties.append(("cpu", max(0.0, _cpu_seconds() - item.stash[_CPU_START])))   # (a process orphaned mid-test takes its CPU away)
    yield


def pytest_runtest_logreport(report):
    if report.when == "teardown":
        for key, value in report.user_properties:
            if key == "cpu":
                _cpu[report.nodeid] = value
    if report.when != "call":
        return
    for key, value in report.user_properties:
        if key == "axe_checked":
            _axe_checked.append(value)
        elif key == "axe_minor":
            for width, rule, impact, nodes in value:
                _axe_minor[(width, rule, impact)] += nodes


def pytest_terminal_summary(terminalreporter):
    if _cpu:
        modules: Counter = Counter()
        for nodeid, seconds in _cpu.items():
            modules[nodeid.split("::")[0]] += seconds
        terminalreporter.write_line("")
        terminalreporter.write_line(f"CPU seconds (PORTAL_TEST_CPU): {sum(_cpu.values()):.0f} in all; per module:")
        for module, seconds in modules.most_common():
            terminalreporter.write_line(f"{seconds:8.1f}  {module}")
        terminalreporter.write_line("the 25 costliest tests:")
        for nodeid, seconds in _cpu.most_common(25):
            terminalreporter.write_line(f"{seconds:8.1f}  {nodeid}")
    if not _axe_checked:
        return
    terminalreporter.write_line("")
    if not _axe_minor:
        terminalreporter.write_line("axe-core: no moderate or minor violations on the pages checked")
    for (width, rule, impact), nodes in sorted(_axe_minor.items()):
        terminalreporter.write_line(f"axe-core, {width} px: {rule} ({impact}) on {nodes} elements (not failing)")


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The published site of the project's own content (built by `make build` before the tests run)."""
    site = ROOT / "site"
    if not (site / "index.html").exists():
        result = run_generator("build", "--quiet")
        assert result.returncode == 0, result.stderr
    return site


def built_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder `make(folder)` fills once per test run, whichever worker asks first (the others wait for it, then
    read it): for a build several tests in several worker processes read and none writes into. The folder sits
    in the run's temporary root, which pytest-xdist's workers share (each has its own basetemp under it)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    out = base / f"shared-{name}"
    with open(base / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)           # released when the file is closed (or the worker dies)
        if not (base / f"shared-{name}.done").exists():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            make(out)
            (base / f"shared-{name}.done").touch()
    return out


CONTENT_AS_OF = "2023-01-15"


@pytest.fixture(scope="session")
def content_build(tmp_path_factory) -> Path:
    """The project's own content built by MkDocs with the declared date CONTENT_AS_OF, once per run: `docs/` (what
    render wrote) and `site/` (published) in a temporary folder. Read it, never write into it."""
    def make(out: Path) -> None:
        result = run_generator("build", "--quiet", "--docs", str(out / "docs"), "--site", str(out / "site"),
                               env={"PORTAL_BUILDER": "mkdocs", "PORTAL_AS_OF": CONTENT_AS_OF}, timeout=900)
        assert result.returncode == 0, result.stderr
    return built_once(tmp_path_factory, f"content-{CONTENT_AS_OF}", make)


@pytest.fixture(scope="session")
def largest_plan_site(tmp_path_factory) -> tuple[dict, Path]:
    """The largest plan validation accepts, built once per run (tests/largest_plan.py): (its facts, its site)."""
    from largest_plan import build_largest, read_largest
    return read_largest(built_once(tmp_path_factory, "largest-plan", build_largest))


@pytest.fixture(scope="session")
def published_once(tmp_path_factory) -> Path:
    """The tiny project (tests/tiny_project.py) as its first build published it, built once per run whichever
    worker asks first (built_once): read it, never write into it; ask for `published` for a copy of your own."""
    from tiny_project import build, tiny_project

    def make(out: Path) -> None:
        result = build(tiny_project(out / "project"))
        assert result.returncode == 0, result.stderr
    return built_once(tmp_path_factory, "tiny-published", make) / "project"


@pytest.fixture
def published(published_once, tmp_path) -> Path:
    """A tiny project as its first build published it: a copy of the one built once, its own to rebuild or
    break (site/ stays the relative symbolic link into .site-builds/ that the build made)."""
    project = tmp_path / "project"
    shutil.copytree(published_once, project, symlinks=True)
    assert os.readlink(project / "site") == os.readlink(published_once / "site")
    return project


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class SiteServer(socketserver.ThreadingTCPServer):
    """The built site over HTTP, a thread per request. Its queue of connections not yet accepted is long: the
    handler speaks HTTP/1.0 (a connection per file) and a page, or the finder with its shards, opens many at once.
    With the default of 5, a burst beyond it on a busy machine had the kernel drop the connection's opening, which
    the browser tries again 1, 3, 7, 15, 31, 63 s later: a page or a finder view then did not finish loading within
    90 s (about 1 load in 250 of a whole run), and did at once when loaded again."""
    request_queue_size = 256
    daemon_threads = True


def serve(directory: Path, handler_class: type = _QuietHandler):
    handler = functools.partial(handler_class, directory=str(directory))
    server = SiteServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def goto_quiet(page, url: str) -> None:
    """Open the address and wait until the page has loaded and its network fell quiet (500 ms without a request).
    On a 2-core machine shared with other builds, a page that falls quiet in 1-3 s alone has, in about 1 of 250
    loads of a whole run, not fallen quiet within 90 s; it did each time it was loaded again. So a page that has
    not is loaded once more, and only a page that does not fall quiet twice fails the test."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    page.goto(url)
    try:
        page.wait_for_load_state("networkidle", timeout=45_000)
    except PlaywrightTimeout:
        page.reload()
        page.wait_for_load_state("networkidle", timeout=45_000)


@pytest.fixture(scope="session")
def site_url(site_dir):
    server, url = serve(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser_context():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (Debian package chromium)")
    from playwright.sync_api import sync_playwright
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True,
                                                       args=CHROMIUM_ARGS, viewport=DESKTOP)
        # Playwright's default of 30 s for a page to load and fall quiet is met in 1-3 s here alone, but not
        # always on a 2-core machine shared with other builds (load 7-9: a source page once took longer); a
        # page that never falls quiet still fails, only later. Waits that name their own timeout keep it.
        context.set_default_timeout(90_000)
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


class PageWatch:
    """A page plus what it logged and requested: console errors, page errors, requests to other hosts."""

    def __init__(self, page, base_url: str):
        from playwright.sync_api import Page
        self.page = page
        self.base = base_url
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.dialogs: list[str] = []
        self._listeners = {"console": lambda m: self.console_errors.append(m.text) if m.type == "error" else None,
                           "pageerror": lambda e: self.page_errors.append(str(e)),
                           "request": self._request, "dialog": self._dialog}
        for event, listener in self._listeners.items():
            Page.on(page, event, listener)      # (the class's own `on`: Tabs counts a test's listeners, not these)

    def detach(self) -> None:
        """Stop watching (the tab goes on to another test)."""
        for event, listener in self._listeners.items():
            self.page.remove_listener(event, listener)

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.base) or url.startswith("data:") or url.startswith("blob:") or url.startswith("about:")):
            self.foreign_requests.append(url)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


class Tabs:
    """The worker's browser tabs, each lent to one test at a time and reused by the next: a new tab costs Chromium
    about 0.3 CPU-s (as much as loading a page of the site into a tab it already has), some 300 times a run. A tab
    given back is made as a new one: the page's watch detached, console and page errors cleared, the mouse back
    at (0, 0) where a new tab's starts, then about:blank, so the next test loads its page as a new document
    (nothing of the last page is left but the tab's history, which no test walks back into). A test that changes
    the tab in a way a new document does not undo (an init script, a route, an exposed function, emulated media,
    extra headers, its own timeouts, a listener of its own) has it closed at its end instead: those calls are
    counted on the tab (`Tabs.CHANGES`). Read `page.requests()` and `page.console_messages()` with care: they
    hold what earlier tests loaded in the tab; PageWatch holds only this test's."""
    CHANGES = ("on", "once", "add_init_script", "expose_function", "expose_binding", "route", "route_from_har",
               "route_web_socket", "emulate_media", "set_extra_http_headers", "set_default_timeout",
               "set_default_navigation_timeout", "add_locator_handler")
    IDLE = 6            # tabs kept open between tests (a test that opens more has the rest closed)

    def __init__(self, context):
        self.context = context
        self.idle: list = []
        self.changed: dict[int, bool] = {}

    def take(self):
        while self.idle:
            page = self.idle.pop()
            if not page.is_closed():
                page.bring_to_front()       # the tab in front, as a new one is (a tab behind others draws no frames)
                return page
        page = self.context.new_page()
        self.changed[id(page)] = False
        for name in self.CHANGES:
            setattr(page, name, self._counting(page, getattr(page, name)))
        return page

    def _counting(self, page, method):
        def changing(*args, **kwargs):
            self.changed[id(page)] = True
            return method(*args, **kwargs)
        return changing

    def give_back(self, page) -> None:
        if page.is_closed():
            self.changed.pop(id(page), None)
            return
        if self.changed[id(page)] or len(self.idle) >= self.IDLE:
            self.changed.pop(id(page), None)
            page.close()
            return
        try:
            page.clear_console_messages()
            page.clear_page_errors()
            page.mouse.move(0, 0)
            page.goto("about:blank", timeout=30_000)
        except Exception:       # a tab that cannot be cleared is not lent again
            self.changed.pop(id(page), None)
            page.close()
            return
        self.idle.append(page)


@pytest.fixture(scope="session")
def browser_tabs(browser_context) -> Tabs:
    return Tabs(browser_context)


@pytest.fixture
def open_page(browser_tabs, site_url):
    """open_page(path, viewport=DESKTOP, base=site_url) -> PageWatch: the page at base + path, in a tab of its own
    for the test (lent by Tabs: a tab an earlier test used, made blank), loaded until its network fell quiet."""
    watches: list[PageWatch] = []

    def _open(path: str, viewport: dict = DESKTOP, base: str | None = None):
        page = browser_tabs.take()
        page.set_viewport_size(viewport)
        watch = PageWatch(page, base or site_url)
        watches.append(watch)
        goto_quiet(page, (base or site_url) + path.lstrip("/"))
        return watch

    yield _open
    for watch in watches:
        if not watch.page.is_closed():
            watch.detach()
        browser_tabs.give_back(watch.page)


FINDER_ROWS = "table.finder-results tbody tr"


def finder_rows(page, js: str = "rows => rows.map(r => r.dataset.id)"):
    """Every row of the finder's current view, as a reader gets them: the finder shows its first rows and a
    "Hiện thêm" button for the rest, pressed until it is gone (waiting for the rows each press adds)."""
    for _ in range(200):
        more = page.locator("button.finder-more")
        if not more.is_visible():
            break
        more.click()
        page.wait_for_selector("#finder[data-ready='1']", timeout=30_000)
    else:
        raise AssertionError("the finder's “Hiện thêm” button never went away")
    return page.eval_on_selector_all(FINDER_ROWS, js)
