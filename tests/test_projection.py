"""One projection of a Task (issue 15): the HTML row, the JSON/CSV record, the finder's row and search document,
the site search's entry and the feed's entry and event all derive from ``projection.project(t)``.

The test changes a task's projection (its text, plan label, an agency's name, its deadline as written) and its
address (render placing its plan's tasks on two pages: the projection reads its address when asked), and finds
the change in each of the five outputs: none of them reads those values from the Task itself.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from conftest import ROOT


def test_every_output_of_a_task_is_made_from_its_one_projection(monkeypatch):
    from generator.site import feeds, index, permalinks, projection, render, search
    from generator.cli import Progress, load_corpus
    _valid, corpus = load_corpus(ROOT / "content", Progress(quiet=True))
    t = next(t for t in corpus.tasks if t.lead and t.deadline and t.deadline.due and t.lead[0].agency)
    x = projection.project(t)
    assert projection.project(t) is x                      # made once per task
    changed = dataclasses.replace(
        x, text="Nội dung chiếu thử", plan_label="Nhãn kế hoạch chiếu thử",
        lead=(dataclasses.replace(x.lead[0], name="Cơ quan chiếu thử"), *x.lead[1:]), deadline="Hạn chiếu thử")
    monkeypatch.setitem(projection._projections, t, changed)
    monkeypatch.setitem(permalinks._plan_parts, id(t.plan), {id(t): 2})     # the task is on its plan's second page
    url = f"ke-hoach/{t.plan.id}/trang-2/#{t.anchor}"
    assert changed.url == x.url == url

    view = render.task_view(t, dt.date(2024, 1, 1))                       # the HTML rows
    assert (view["text"], view["url"], view["plan"]["title"], view["lead"][0]["name"], view["deadline"]) == \
           ("Nội dung chiếu thử", url, "Nhãn kế hoạch chiếu thử", "Cơ quan chiếu thử", "Hạn chiếu thử")

    record = index.task_record(t)                                         # tasks.json and the CSVs
    assert (record["text"], record["url"], record["lead"][0], record["deadline"]) == \
           ("Nội dung chiếu thử", url, "Cơ quan chiếu thử", "Hạn chiếu thử")

    _labels, shards = search.finder_shards(corpus)                        # the finder's row and its index
    rows = [(row, doc) for s in shards for row, doc in zip(s.rows["rows"], s.documents, strict=True) if row[1] == t.id
            and s.rows["plans"][row[0]][0] == t.plan.id]
    assert len(rows) == 1
    row, doc = rows[0]
    assert row[3] == "Nội dung chiếu thử" and row[6] == "Hạn chiếu thử"
    assert "chieu" in doc["t"] and "thu" in doc["t"]

    entries = [e for e in search.site_search_entries([], corpus) if e[1] == url]   # site search
    assert entries == [[search.KIND_TASK, url, "Nội dung chiếu thử",
                        f"{t.ref or t.id} · Nhãn kế hoạch chiếu thử", "; ".join(dict.fromkeys(m.name for m in changed.lead)),
                        "; ".join(dict.fromkeys(m.name for m in changed.support)), "Hạn chiếu thử"]]

    writer = feeds.FeedWriter(dt.date(2024, 1, 1))                        # the feed's entry and calendar event
    entry = writer.entry(t, ("lead",), "tinh/x/han.atom")
    assert "Nội dung chiếu thử" in entry and f'href="../../{url}"' in entry
    assert "Chủ trì: Cơ quan chiếu thử" in entry and "Thời hạn (nguyên văn): Hạn chiếu thử" in entry
    event = writer.event(t, ("lead",)).decode("utf-8").replace("\r\n ", "")
    assert "Nội dung chiếu thử" in event and f"Trang: {url}" in event
