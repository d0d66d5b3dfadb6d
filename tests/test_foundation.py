"""The pipeline end to end: validation messages a maintainer can act on, a failed build that publishes
nothing, and a site whose pages link to each other both ways."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import yaml

from conftest import ROOT, copy_project, run_generator, run_main

BD = "content/plans/binh-dinh-3809-qd-ubnd-2021.yml"


def edit_plan(project: Path, rel: str, change) -> None:
    path = project / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10000), encoding="utf-8")


def line_of(project: Path, rel: str, needle: str) -> int:
    for n, line in enumerate((project / rel).read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def test_unknown_agency_names_file_line_field_and_suggests(tmp_path):
    project = copy_project(tmp_path / "p")
    edit_plan(project, BD, lambda d: d["tasks"][37]["lead"].__setitem__(0, "Sở Y te"))
    result = run_main("--content", str(project / "content"), "validate")
    line = line_of(project, BD, "- Sở Y te")
    assert result.returncode == 1
    assert f'{BD}:{line}: tasks[37].lead[0]: unknown agency "Sở Y te"; did you mean "Sở Y tế"?' in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


def test_all_problems_are_reported_in_one_run(tmp_path):
    project = copy_project(tmp_path / "p")

    def break_it(d):
        d["tasks"][0]["dealine"] = "Năm 2021"                 # misspelt key
        d["tasks"][1]["field"] = "ba"                          # wrong type
        d["tasks"][2]["criteria"] = ["9.9"]                    # not a PAR INDEX code
        d["tasks"][3]["id"] = d["tasks"][4]["id"]              # duplicate id
        d["issued"] = "2021-02-30"                             # impossible date (as text)
        d["province"] = "binh-dinhh"                           # unknown province
    edit_plan(project, BD, break_it)
    result = run_main("--content", str(project / "content"), "validate")
    err = result.stderr
    assert result.returncode == 1 and "Traceback" not in err
    assert re.search(rf'{BD}:\d+: tasks\[0\]\.dealine: unknown key "dealine"; did you mean "deadline"\?', err)
    assert re.search(rf'{BD}:\d+: tasks\[1\]\.field: expected a whole number, found "ba"', err)
    assert re.search(rf'{BD}:\d+: tasks\[2\]\.criteria\[0\]: ', err)
    assert re.search(rf'{BD}:\d+: issued: ', err)
    assert re.search(rf'{BD}:\d+: province: unknown province "binh-dinhh"; did you mean "binh-dinh"\?', err)
    assert "problem(s) found; nothing was published." in err


def test_duplicate_task_id_is_reported_with_both_places(tmp_path):
    project = copy_project(tmp_path / "p")
    edit_plan(project, BD, lambda d: d["tasks"][3].__setitem__("id", d["tasks"][4]["id"]))
    result = run_main("--content", str(project / "content"), "validate")
    assert result.returncode == 1
    assert re.search(rf'{BD}:\d+: tasks\[4\]\.id: duplicate id "[^"]+" \(already used by tasks\[3\] in this plan\)', result.stderr)


def tree_digest(site: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(p for p in site.rglob("*") if p.is_file()):
        h.update(f.relative_to(site).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def test_failed_validation_leaves_the_published_site_untouched(content_build, tmp_path):
    project = copy_project(tmp_path / "p")
    # published: a copy of the run's shared build of this content (its .site-builds/ and the site/ link into it)
    shutil.copytree(content_build / ".site-builds", project / ".site-builds", symlinks=True)
    (project / "site").symlink_to(os.readlink(content_build / "site"))
    site = project / "site"
    assert (site / "index.html").exists()
    before = tree_digest(site.resolve())
    target_before = site.resolve()
    edit_plan(project, BD, lambda d: d["tasks"][0]["lead"].__setitem__(0, "Sở Không Có"))
    second = run_generator("build", "--quiet", cwd=project)
    assert second.returncode == 1 and "unknown agency" in second.stderr
    assert site.resolve() == target_before
    assert tree_digest(site.resolve()) == before


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_every_page_kind_exists(site_dir):
    for url in ["", "tinh/", "tinh/quang-binh/", "ke-hoach/", "ke-hoach/quang-binh-1886-kh-ubnd-2021/",
                "ke-hoach/quang-binh-1886-kh-ubnd-2021/van-ban-goc/", "linh-vuc/", "linh-vuc/3/", "tieu-chi/3.2.5/",
                "ma-tran/", "co-quan/", "co-quan/so-noi-vu/", "co-quan/so-noi-vu/quang-binh/", "han/", "van-ban/",
                "du-lieu/", "chat-luong/", "tim-nhiem-vu/", "gioi-thieu/"]:
        assert (site_dir / url / "index.html").exists(), url


def test_task_links_its_plan_agencies_and_criteria_and_they_link_back(site_dir):
    tasks = {t["id"]: t for t in json.loads((site_dir / "data" / "tasks.json").read_text(encoding="utf-8"))}
    assert "quang-binh-1886-kh-ubnd-2021/pl-3.2.5" in tasks
    plan_html = page(site_dir, "ke-hoach/quang-binh-1886-kh-ubnd-2021/")
    row = re.search(r'<tr id="t-pl-3\.2\.5".*?</tr>', plan_html, re.S).group(0)
    links = hrefs(row)
    assert "../../tieu-chi/3.2.5/" in links                                   # task -> criterion
    assert "../../co-quan/cac-so-ban-nganh/quang-binh/" in links               # task -> lead (a group)
    assert any(h.startswith("../../ke-hoach/quang-binh-1886-kh-ubnd-2021/van-ban-goc/#L") for h in links)   # task -> its source lines
    back = "../../ke-hoach/quang-binh-1886-kh-ubnd-2021/#t-pl-3.2.5"
    assert "../../tieu-chi/3.2.5/quang-binh/" in hrefs(page(site_dir, "tieu-chi/3.2.5/"))   # criterion -> its tasks in the province
    assert "../" + back in hrefs(page(site_dir, "tieu-chi/3.2.5/quang-binh/"))              # ... -> the task
    assert "../../../ke-hoach/quang-binh-1886-kh-ubnd-2021/#t-pl-3.2.5" in hrefs(page(site_dir, "co-quan/cac-so-ban-nganh/quang-binh/"))
    assert back in hrefs(page(site_dir, "tinh/quang-binh/"))                   # province -> task
    assert "../../ke-hoach/quang-binh-1886-kh-ubnd-2021/" in hrefs(page(site_dir, "tinh/quang-binh/"))   # province -> plan
    assert "../../tinh/quang-binh/" in hrefs(plan_html)                         # plan -> province


def test_cross_province_agency_page_lists_every_province_that_assigns_it(site_dir):
    tasks = json.loads((site_dir / "data" / "tasks.json").read_text(encoding="utf-8"))
    provinces = {t["province"] for t in tasks if "so-noi-vu" in t["lead_ids"] + t["support_ids"]}
    html = page(site_dir, "co-quan/so-noi-vu/")
    for p in provinces:
        assert f'href="../../co-quan/so-noi-vu/{p}/"' in html
    assert len(provinces) == 5


def test_navigation_stays_small(site_dir):
    """Material renders the nav into every page: it must not list every generated page."""
    html = page(site_dir, "ke-hoach/quang-binh-1886-kh-ubnd-2021/")
    assert html.count('class="md-nav__link') < 80    # the 12 sections of mkdocs.yml and the page's own headings
    assert "co-quan/so-noi-vu/quang-binh/" not in html.split('<div class="md-content"')[0]


def _lock_pins() -> dict[str, tuple[str, int]]:
    """requirements.lock as {normalised name: (version, number of hashes)}."""
    from packaging.utils import canonicalize_name
    pins: dict[str, tuple[str, int]] = {}
    name = None
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^ ;\\]+)", line)
        if m:
            name = canonicalize_name(m[1])
            pins[name] = (m[2], 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            pins[name] = (pins[name][0], pins[name][1] + 1)
    return pins


def test_every_dependency_is_locked_with_hashes_and_installed_from_the_lock():
    import tomllib
    from importlib.metadata import version
    from packaging.licenses import canonicalize_license_expression
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = _lock_pins()
    wanted = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    for extra in project["project"]["optional-dependencies"].values():
        wanted += extra
    assert len(pins) >= len(wanted)
    for spec in map(Requirement, wanted):
        name = canonicalize_name(spec.name)
        assert name in pins, f"{spec.name} is not in requirements.lock: run `make lock`"
        assert spec.specifier.contains(pins[name][0], prereleases=True), f"lock pins {name}=={pins[name][0]}, pyproject wants {spec}"
    for name, (pinned, hashes) in pins.items():
        assert hashes >= 1, f"{name} has no hash in requirements.lock"
        if name != "setuptools":              # the build backend is only needed to install the project
            assert version(name) == pinned, f"installed {name} {version(name)}, the lock says {pinned}"
    # The build backend is bounded above, the licence is an SPDX expression, installs check hashes.
    backend = Requirement(project["build-system"]["requires"][0])
    assert any(s.operator == "<" for s in backend.specifier)
    assert canonicalize_license_expression(project["project"]["license"]) == project["project"]["license"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes" in makefile and "-r requirements.lock" in makefile
    npm_lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert all(p.get("integrity", "").startswith("sha512-") for k, p in npm_lock["packages"].items() if k)
