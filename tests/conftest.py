"""Shared fixtures: the built site, a local HTTP server for it, and headless Chromium driven by Playwright.

The browser is Debian's chromium (installed by `make chromium`), started with flags that keep it from
reaching any other host; Playwright downloads no browser of its own.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

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


def copy_project(dest: Path) -> Path:
    """A throw-away copy of the project (content, templates, config) to build or break without touching the real one."""
    for name in ("content", "templates", "site_config", "generator"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The published site of the project's own content (built by `make build` before the tests run)."""
    site = ROOT / "site"
    if not (site / "index.html").exists():
        result = run_generator("build", "--quiet")
        assert result.returncode == 0, result.stderr
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


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
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


class PageWatch:
    """A page plus what it logged and requested: console errors, page errors, requests to other hosts."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base = base_url
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("request", self._request)
        page.on("dialog", self._dialog)

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.base) or url.startswith("data:") or url.startswith("blob:") or url.startswith("about:")):
            self.foreign_requests.append(url)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def open_page(browser_context, site_url):
    """open_page(path, viewport=DESKTOP) -> PageWatch, on the served site."""
    pages = []

    def _open(path: str, viewport: dict = DESKTOP, base: str | None = None):
        page = browser_context.new_page()
        page.set_viewport_size(viewport)
        watch = PageWatch(page, base or site_url)
        page.goto((base or site_url) + path.lstrip("/"))
        page.wait_for_load_state("networkidle")
        pages.append(page)
        return watch

    yield _open
    for p in pages:
        p.close()
