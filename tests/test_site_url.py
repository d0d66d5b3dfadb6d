"""The site's public address is one setting (PORTAL_SITE_URL, read by mkdocs.yml as site_url and by the
generator): with it the sitemap lists every page and the feeds and calendars link absolutely (URL: in each
event); without it the build says so, once."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from icalendar import Calendar

from tiny_project import build, tiny_project

ADDRESS = "https://cchc.example.org/cong/"
NOTE = "PORTAL_SITE_URL is not set"


def test_with_the_public_address_the_sitemap_lists_every_page_and_feeds_link_absolutely(tmp_path):
    project = tiny_project(tmp_path / "p")
    result = build(project, env={"PORTAL_SITE_URL": ADDRESS.rstrip("/")})
    assert result.returncode == 0, result.stderr
    assert NOTE not in result.stderr
    site = (project / "site").resolve()
    pages = {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    locs = {e.text for e in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    expected = {ADDRESS + p[: -len("index.html")] for p in pages}
    assert expected and locs == expected, sorted(expected ^ locs)[:5]
    atoms = list(site.rglob("han.atom"))
    assert atoms
    for f in atoms:
        links = [e.get("href") for e in ET.parse(f).getroot().iter("{http://www.w3.org/2005/Atom}link")]
        assert links and all(h.startswith(ADDRESS) for h in links), (f, links)
    events = 0
    for f in site.rglob("han.ics"):
        for ev in Calendar.from_ical(f.read_bytes()).walk("VEVENT"):
            events += 1
            assert str(ev["URL"]).startswith(ADDRESS + "ke-hoach/") and "#t-" in str(ev["URL"])
    assert events


def test_without_the_public_address_the_build_says_so_once(tmp_path):
    project = tiny_project(tmp_path / "p")
    result = build(project, env={"PORTAL_SITE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert (result.stderr + result.stdout).count(NOTE) == 1, result.stderr


def test_a_public_address_that_is_not_one_is_refused_before_building(tmp_path):
    project = tiny_project(tmp_path / "p")
    result = build(project, env={"PORTAL_SITE_URL": "cchc.example.org"})
    assert result.returncode == 1
    assert "PORTAL_SITE_URL" in result.stderr and "https://" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "site").exists()
