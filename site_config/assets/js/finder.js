/* Assignment finder (page tim-nhiem-vu/): free text and facets over every task, from the shards written by
 * generator/site/search.py. Loads data/finder/manifest.json, then only the shards the query can match (one
 * province's shard for a province, the shards where an agency appears for an agency, every shard one after
 * another for a national query), and renders results as each shard arrives. Text queries use the shard's
 * lunr index (lunr.js 2.3.9, pipeline function "foldVi" from fold.js); facets are applied to the rows.
 * The query and filters live in the page's address, so a link reopens the same view; the rows found can
 * be downloaded as CSV.
 */
(function () {
  "use strict";
  var root = document.getElementById("finder");
  if (!root || !window.lunr || !window.PortalFold) return;
  var F = window.PortalFold;
  F.registerWith(window.lunr);

  var base = root.getAttribute("data-index");      // data/finder/, relative to this page
  var siteRoot = root.getAttribute("data-root");   // the site's root, relative to this page
  var RENDER_EVERY_MS = 400;                       // while results fill in
  var PAGE = 100;                                   // rows shown at first ("Hiện thêm" shows as many more); the
                                                    // CSV holds every row. 617 rows at once, 9,800 elements, were
                                                    // most of a phone's work on this page (Lighthouse, issue 12)
  var PARALLEL = 3;                                 // shards requested at the same time
  var PARAMS = ["q", "tinh", "co-quan", "vai-tro", "linh-vuc", "tieu-chi", "nam", "suy-luan"];
  var stats = window.finderStats = { files: [], bytes: 0, firstResultMs: null, readyMs: null, completeMs: null, shardsLoaded: 0 };

  var manifest = null;
  var shards = {};            // id -> {rows, plans, index, province}
  var pending = {};           // url -> promise
  var generation = 0;
  var shown = PAGE;
  var lastResult = [];
  var criterionParent = {};
  var agencyPos = {};

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }

  function fetchOnce(url) {
    return fetch(url).then(function (res) {
      if (!res.ok) throw new Error(url + ": HTTP " + res.status);
      return res.arrayBuffer();
    }).then(function (buf) {
      stats.files.push({ url: url, bytes: buf.byteLength });
      stats.bytes += buf.byteLength;
      // a shard is gzip-compressed (generator/site/search.py): unpacked by listing-csv.js (on every page)
      return /\.gz$/.test(url) ? window.PortalCsv.gunzip(buf, url) : buf;
    }).then(function (buf) {
      return JSON.parse(new TextDecoder("utf-8").decode(buf));
    });
  }

  // A file that fails to come (a dropped connection, a busy server) is asked for once more before the view says
  // it could not load; a file that failed twice is asked for again by the next view, not remembered as failed.
  function fetchJSON(name) {
    var url = base + name;
    if (!pending[url]) {
      pending[url] = fetchOnce(url).catch(function () {
        return new Promise(function (done) { setTimeout(done, 500); }).then(function () { return fetchOnce(url); });
      }).catch(function (err) {
        delete pending[url];
        throw err;
      });
    }
    return pending[url];
  }

  // ------------------------------------------------------------ the form

  var form = el("form", { "class": "finder-form", role: "search", "aria-label": "Tìm nhiệm vụ" });
  var q = el("input", { id: "finder-q", name: "tu-khoa", type: "search", placeholder: "ví dụ: so noi vu dich vu cong", autocomplete: "off" });
  form.appendChild(el("div", { "class": "finder-text" }, [el("label", { "for": "finder-q", text: "Nội dung (có dấu hoặc không dấu)" }), q]));
  var selects = {};
  var facetLabels = { "tinh": "Tỉnh", "co-quan": "Cơ quan", "vai-tro": "Vai trò", "linh-vuc": "Lĩnh vực PAR INDEX",
                      "tieu-chi": "Tiêu chí (gồm tiêu chí thành phần)", "nam": "Năm đến hạn" };
  var facetBox = el("div", { "class": "finder-facets" });
  Object.keys(facetLabels).forEach(function (name) {
    var s = el("select", { id: "finder-" + name, name: name });
    selects[name] = s;
    facetBox.appendChild(el("div", { "class": "finder-facet" }, [el("label", { "for": "finder-" + name, text: facetLabels[name] }), s]));
  });
  // criteria: only the codes a plan writes, or also those the portal infers from a task's words (plans that
  // write no codes; generator/content/criteria_inference.py), which are always shown marked as inferred
  var inferSel = el("select", { id: "finder-suy-luan", name: "suy-luan" }, [
    el("option", { value: "", text: "chỉ mã do kế hoạch ghi" }), el("option", { value: "1", text: "gồm cả suy luận" })]);
  facetBox.appendChild(el("div", { "class": "finder-facet finder-inferred" }, [el("label", { "for": "finder-suy-luan", text: "Mã tiêu chí" }), inferSel]));
  form.appendChild(facetBox);
  var reset = el("button", { type: "button", "class": "md-button finder-reset", text: "Bỏ lọc" });
  form.appendChild(reset);
  var status = el("p", { "class": "finder-status", role: "status", "aria-live": "polite", text: "Đang tải dữ liệu…" });
  var download = el("button", { type: "button", "class": "md-button md-button--primary finder-download", disabled: "disabled", text: "Tải CSV" });
  var table = el("table", { "class": "tasks finder-results" });
  var more = el("button", { type: "button", "class": "md-button finder-more", hidden: "hidden", text: "Hiện thêm" });
  var loadNext = el("button", { type: "button", "class": "md-button finder-load-next", hidden: "hidden", text: "Tải tiếp" });
  var loadAll = el("button", { type: "button", "class": "md-button finder-load-all", hidden: "hidden", text: "Tải hết" });
  var stop = el("button", { type: "button", "class": "md-button finder-stop", hidden: "hidden", text: "Dừng tải" });
  root.appendChild(form);
  root.appendChild(el("div", { "class": "finder-bar" }, [status, stop, loadNext, loadAll, download]));
  root.appendChild(el("div", { "class": "table-wrap" }, [table]));
  root.appendChild(more);

  function state() {
    var s = { q: q.value.trim() };
    Object.keys(selects).forEach(function (k) { s[k] = selects[k].value; });
    s["suy-luan"] = inferSel.value;
    return s;
  }

  // The free text travels as ?tu-khoa= in the address: Material opens its own search dialog on any page whose
  // address holds ?q=. An older link with ?q= still opens the same view.
  var URL_NAME = { q: "tu-khoa" };

  function writeURL(s) {
    var params = new URLSearchParams();
    PARAMS.forEach(function (k) { if (s[k]) params.set(URL_NAME[k] || k, s[k]); });
    var text = params.toString();
    history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
  }

  function readURL() {
    var params = new URLSearchParams(window.location.search);
    var s = {};
    PARAMS.forEach(function (k) { s[k] = params.get(URL_NAME[k] || k) || params.get(k) || ""; });
    return s;
  }

  // ------------------------------------------------------------ matching

  function agencyName(m) { return typeof m === "number" ? manifest.agencies[m][1] : m; }
  function agencyId(m) { return manifest.agencies[m][0]; }

  function criterionChain(code) {
    var out = [], c = code;
    while (c) { out.push(c); c = criterionParent[c] || null; }
    return out;
  }

  // The agencies a row reaches in a role: those it names, then the members of each combined group it names
  // (manifest.agencies[k][4], generator/model/domain.py Corpus.reach) that it does not name itself in that role; ``via``
  // maps such a member to the group's position ("qua nhóm …", as on the member's listing pages).
  function reached(mentions, via) {
    var ids = mentions.filter(function (m) { return typeof m === "number"; }).map(agencyId);
    mentions.forEach(function (m) {
      if (typeof m !== "number" || !manifest.agencies[m][4]) return;
      manifest.agencies[m][4].forEach(function (k) {
        var id = agencyId(k);
        if (ids.indexOf(id) < 0) { ids.push(id); via[id] = m; }
      });
    });
    return ids;
  }

  function rowFacts(shard, row) {
    // [plan, task id, ref, text, lead, support, deadline, due, field, criteria, output]
    var crit = {};
    row[9].forEach(function (c) { criterionChain(c).forEach(function (x) { crit[x] = true; }); });
    var inferred = {};       // row[11]: criteria inferred from the words, kept apart from the stated ones
    (row[11] || []).forEach(function (c) { criterionChain(c).forEach(function (x) { inferred[x] = true; }); });
    var via = { lead: {}, support: {} };
    return {
      province: manifest.provinces[shard.province][0],
      lead: reached(row[4], via.lead),
      support: reached(row[5], via.support),
      via: via,
      hasLead: row[4].length > 0, hasSupport: row[5].length > 0,
      field: row[8] === null ? "none" : String(row[8]),
      year: row[7] ? row[7].slice(0, 4) : "none",
      criteria: crit,
      inferred: inferred
    };
  }

  // Does a row pass every filter of s, except the facet named `skip`?
  function passes(f, s, skip) {
    if (skip !== "tinh" && s.tinh && f.province !== s.tinh) return false;
    if (skip !== "co-quan" && skip !== "vai-tro" && s["co-quan"]) {
      var roles = s["vai-tro"] ? [s["vai-tro"]] : ["lead", "support"];
      if (!roles.some(function (r) { return f[r].indexOf(s["co-quan"]) >= 0; })) return false;
    } else if (skip !== "vai-tro" && s["vai-tro"] && !s["co-quan"]) {
      if (!(s["vai-tro"] === "lead" ? f.hasLead : f.hasSupport)) return false;
    }
    if (skip === "vai-tro" && s["co-quan"]) {
      if (f.lead.indexOf(s["co-quan"]) < 0 && f.support.indexOf(s["co-quan"]) < 0) return false;
    }
    if (skip !== "linh-vuc" && s["linh-vuc"] && f.field !== s["linh-vuc"]) return false;
    if (skip !== "tieu-chi" && s["tieu-chi"] && !f.criteria[s["tieu-chi"]] && !(s["suy-luan"] && f.inferred[s["tieu-chi"]])) return false;
    if (skip !== "nam" && s.nam && f.year !== s.nam) return false;
    return true;
  }

  // Shards that may hold a match: the scope (province, agency and its role) decides, from the manifest's
  // counts alone. Other facets do not narrow the shards, so their counts are exact over the scope.
  function candidates(s) {
    return manifest.shards.filter(function (sh) {
      if (s.tinh && manifest.provinces[sh.province][0] !== s.tinh) return false;
      if (s["co-quan"]) {
        var a = sh.agency[String(agencyPos[s["co-quan"]])];
        if (!a) return false;
        if (s["vai-tro"] === "lead" && !a[0]) return false;
        if (s["vai-tro"] === "support" && !a[1]) return false;
      }
      return true;
    });
  }

  function isLoaded(sh, needIndex) {
    var have = shards[sh.id];
    return !!have && (!needIndex || !!have.index);
  }

  // A facet's counts are exact when every shard that could hold a value of it is in.
  function exactFacets(s, needIndex) {
    var out = {};
    Object.keys(selects).forEach(function (name) {
      var without = Object.assign({}, s);
      without[name] = "";
      if (name === "vai-tro") without["vai-tro"] = "";
      out[name] = candidates(without).every(function (sh) { return isLoaded(sh, needIndex); });
    });
    return out;
  }

  function loadShard(sh, needIndex) {
    var have = shards[sh.id];
    if (have && (have.index || !needIndex)) return Promise.resolve(have);
    var parts = [have ? Promise.resolve(null) : fetchJSON(sh.rows), needIndex ? fetchJSON(sh.index) : Promise.resolve(null)];
    return Promise.all(parts).then(function (got) {
      if (!shards[sh.id]) {
        var data = got[0];
        shards[sh.id] = { id: sh.id, province: sh.province, plans: data.plans, rows: data.rows, index: null, facts: null };
        shards[sh.id].facts = data.rows.map(function (r) { return rowFacts(shards[sh.id], r); });
      }
      if (got[1]) shards[sh.id].index = window.lunr.Index.load(expandIndex(got[1], shards[sh.id].rows.length));
      stats.shardsLoaded = Object.keys(shards).length;
      return shards[sh.id];
    });
  }

  // The shipped index (generator/site/search.py compact_index) back in lunr's serialised form: terms with their
  // rows as gaps become lunr postings; every row gets an empty vector (matches are not ranked).
  function expandIndex(c, n) {
    var field = c.fields[0], inverted = [], vectors = [], t, k, row, refs;
    for (t = 0; t < c.terms.length; t++) {
      refs = {}; row = 0;
      for (k = 0; k < c.postings[t].length; k++) { row += c.postings[t][k]; refs[String(row)] = {}; }
      var posting = { _index: t };
      posting[field] = refs;
      inverted.push([c.terms[t], posting]);
    }
    for (k = 0; k < n; k++) vectors.push([field + "/" + k, []]);
    return { version: c.version, fields: c.fields, pipeline: c.pipeline, invertedIndex: inverted, fieldVectors: vectors };
  }

  function textMatches(shard, terms) {
    if (!terms.length) return null;
    var key = terms.join(" ");          // a shard is asked once per query, however often the view renders
    if (shard.textKey === key) return shard.textSet;
    var hits = shard.index.query(function (query) {
      terms.forEach(function (t) {
        query.term(t, { usePipeline: false, wildcard: window.lunr.Query.wildcard.TRAILING,
                        presence: window.lunr.Query.presence.REQUIRED });
      });
    });
    var set = {};
    hits.forEach(function (h) { set[h.ref] = true; });
    shard.textKey = key;
    shard.textSet = set;
    return set;
  }

  // ------------------------------------------------------------ results

  function compute(s, terms) {
    var result = [];
    var counts = { "tinh": {}, "co-quan": {}, "vai-tro": {}, "linh-vuc": {}, "tieu-chi": {}, "nam": {} };
    function bump(facet, key) { counts[facet][key] = (counts[facet][key] || 0) + 1; }
    manifest.shards.forEach(function (sh) {          // every shard in (results in the manifest's order)
      if (!isLoaded(sh, terms.length > 0)) return;
      var shard = shards[sh.id];
      var text = textMatches(shard, terms);
      shard.rows.forEach(function (row, i) {
        if (text && !text[String(i)]) return;
        var f = shard.facts[i];
        if (passes(f, s, null)) result.push([shard, row, f]);
        if (passes(f, s, "tinh")) bump("tinh", f.province);
        if (passes(f, s, "co-quan")) {
          var seen = {};
          var roles = s["vai-tro"] ? [s["vai-tro"]] : ["lead", "support"];
          roles.forEach(function (r) { f[r].forEach(function (a) { if (!seen[a]) { seen[a] = true; bump("co-quan", a); } }); });
        }
        if (passes(f, s, "vai-tro")) {
          if (s["co-quan"]) {
            if (f.lead.indexOf(s["co-quan"]) >= 0) bump("vai-tro", "lead");
            if (f.support.indexOf(s["co-quan"]) >= 0) bump("vai-tro", "support");
          } else {
            if (f.hasLead) bump("vai-tro", "lead");
            if (f.hasSupport) bump("vai-tro", "support");
          }
        }
        if (passes(f, s, "linh-vuc")) bump("linh-vuc", f.field);
        if (passes(f, s, "tieu-chi")) {
          var codes = Object.assign({}, f.criteria, s["suy-luan"] ? f.inferred : {});
          Object.keys(codes).forEach(function (c) { bump("tieu-chi", c); });
        }
        if (passes(f, s, "nam")) bump("nam", f.year);
      });
    });
    return { rows: result, counts: counts };
  }

  // exact: the counts are final (shown, and values with none hidden); otherwise values are listed bare.
  function options(name, values, counts, exact) {
    var s = selects[name], current = s.value;
    while (s.firstChild) s.removeChild(s.firstChild);
    s.appendChild(el("option", { value: "", text: "Tất cả" }));
    values.forEach(function (v) {
      var n = counts[v[0]] || 0;
      if (exact && !n && v[0] !== current) return;
      var o = el("option", { value: v[0], text: exact ? v[1] + " (" + n.toLocaleString("vi-VN") + ")" : v[1] });
      if (exact) o.setAttribute("data-count", String(n));
      s.appendChild(o);
    });
    s.value = current;
  }

  function facetValues() {
    var m = manifest;
    return {
      "tinh": m.provinces.map(function (p) { return [p[0], p[1]]; }),
      "co-quan": m.agencies.map(function (a) { return [a[0], a[1] + (a[2] ? " (nhóm)" : "")]; }),
      "vai-tro": [["lead", "Chủ trì"], ["support", "Phối hợp"]],
      "linh-vuc": m.fields.map(function (f) { return [String(f[0]), f[0] + ". " + f[1]]; }).concat([["none", "Chưa gắn lĩnh vực"]]),
      "tieu-chi": m.criteria.map(function (c) { return [c[0], c[0] + " " + c[1]]; }),
      "nam": yearValues()
    };
  }

  function yearValues() {
    return manifest.years.map(function (y) { return [y, y === "none" ? "Không ghi ngày hạn" : y]; });
  }

  function mentionCell(list, cls, label) {
    var td = el("td", { "class": cls, "data-label": label });
    if (!list.length) { td.appendChild(el("span", { "class": "unknown", text: "không ghi" })); return td; }
    list.forEach(function (m, i) {
      if (i) td.appendChild(document.createTextNode("; "));
      if (typeof m === "number") td.appendChild(el("a", { href: siteRoot + manifest.agencies[m][3], text: manifest.agencies[m][1] }));
      else td.appendChild(el("span", { "class": "unresolved", text: m }));
    });
    return td;
  }

  function taskURL(shard, row) {
    return shard.plans[row[0]][2] + "#t-" + row[1];
  }

  // The combined groups (positions) through which a row reaches the chosen agency, in the role(s) of the view
  // where it does not name the agency itself: the card says "qua nhóm …" and the CSV's via_group names them.
  function viaGroups(s, f) {
    var a = s && s["co-quan"], out = [];
    if (!a) return out;
    (s["vai-tro"] ? [s["vai-tro"]] : ["lead", "support"]).forEach(function (r) {
      var g = f.via[r][a];
      if (g !== undefined && out.indexOf(g) < 0) out.push(g);
    });
    return out;
  }

  var shownState = null;      // the view the table shows
  // rows drawn at once for the first paint; after that each slice draws rows for at most SLICE_MS of the main
  // thread, so a slow phone draws fewer a slice and stays responsive (a long task is one over 50 ms)
  var FIRST = 30, SLICE_MS = 8;
  var tableToken = 0, tableDone = true, onTableDone = null;

  // The finder is ready (for a reader's script or a test) once the last slice of rows is in the table.
  function readyWhenDrawn() {
    var ready = function () { stats.readyMs = performance.now(); root.setAttribute("data-ready", "1"); };
    if (tableDone) ready(); else onTableDone = ready;
  }

  // The table of the view's first `shown` rows, drawn anew; or, from row `from` on, added to the rows already
  // drawn ("Hiện thêm").
  function renderTable(rows, from) {
    var body = from ? table.tBodies[0] : null;
    if (!body) {
      from = 0;
      while (table.firstChild) table.removeChild(table.firstChild);
      // the same columns and labels as the other task tables: on a phone (portal.css) each row is a card and
      // each cell shows its data-label
      table.appendChild(el("thead", null, [el("tr", null, ["Mục", "Nhiệm vụ", "Tỉnh", "Chủ trì", "Phối hợp", "Thời hạn", "Lĩnh vực, tiêu chí"]
        .map(function (h) { return el("th", { scope: "col", text: h }); }))]));
      body = el("tbody");
      table.appendChild(body);
    }
    // the first rows at once, the rest in slices between which the browser may paint and take input: one long
    // task of 1,000 rows (9,800 elements) blocked a phone's main thread for seconds (Lighthouse, issue 12)
    var todo = rows.slice(0, shown), token = ++tableToken;
    // a table drawn anew or added to: whatever waited for the last one to be drawn (readyWhenDrawn) is moot, or a
    // view still loading would be declared ready when its first rows are in
    onTableDone = null;
    function slice(from, n) {      // n rows, or (n = 0) as many as SLICE_MS allows, at least one
      var frag = document.createDocumentFragment(), i = from, until = performance.now() + SLICE_MS;
      while (i < todo.length && (n ? i < from + n : i === from || performance.now() < until)) frag.appendChild(rowElement(todo[i++]));
      body.appendChild(frag);
      if (i < todo.length) {
        tableDone = false;
        setTimeout(function () { if (token === tableToken) slice(i, 0); }, 0);
      } else {
        tableDone = true;
        if (onTableDone) { var f = onTableDone; onTableDone = null; f(); }
      }
    }
    if (rows.length > shown) { more.hidden = false; more.textContent = "Hiện thêm (còn " + (rows.length - shown) + " dòng)"; }
    else more.hidden = true;
    slice(from, FIRST);
  }

  function rowElement(pair) {
      var shard = pair[0], row = pair[1], plan = shard.plans[row[0]];
      var tr = el("tr", { "class": "task", "data-id": plan[0] + "/" + row[1] });
      tr.appendChild(el("td", { "class": "ref", "data-label": "Mục" }, [el("a", { href: siteRoot + taskURL(shard, row), text: row[2] || "—" })]));
      var groups = viaGroups(shownState, pair[2]);
      tr.appendChild(el("td", { "class": "text", "data-label": "Nhiệm vụ" }, [el("span", { "class": "task-text", text: row[3] }),
        groups.length ? el("small", { "class": "via", text: "qua nhóm " + groups.map(function (k) { return "“" + manifest.agencies[k][1] + "”"; }).join(", ")
          + ": nhiệm vụ giao cho nhóm này, nhóm gồm cơ quan đang xem" }) : null,
        el("small", { "class": "task-plan" }, [el("a", { href: siteRoot + plan[2], text: plan[1] })])]));
      tr.appendChild(el("td", { "class": "province", "data-label": "Tỉnh", text: manifest.provinces[shard.province][1] }));
      tr.appendChild(mentionCell(row[4], "lead", "Chủ trì"));
      tr.appendChild(mentionCell(row[5], "support", "Phối hợp"));
      tr.appendChild(el("td", { "class": "when", "data-label": "Thời hạn", text: row[6] || "không ghi" }));
      var crit = row[9].length ? row[9].join(", ") : (row[8] !== null ? "LV " + row[8] : "—");
      var critCell = el("td", { "class": "criteria", "data-label": "Lĩnh vực, tiêu chí", text: crit });
      if (row[11] && row[11].length) critCell.appendChild(el("span", { "class": "inferred-count", text: "liên quan, suy luận: " + row[11].join(", ") }));
      tr.appendChild(critCell);
      return tr;
  }

  function render(s, list, terms, loaded, complete, waiting) {
    var t0 = performance.now();
    var r = compute(s, terms);
    shownState = s;
    var t1 = performance.now();
    lastResult = r.rows;
    var values = facetValues(), exact = exactFacets(s, terms.length > 0);
    Object.keys(values).forEach(function (name) { options(name, values[name], r.counts[name], exact[name]); });
    var t2 = performance.now();
    renderTable(r.rows);
    var t3 = performance.now();
    (stats.renders = stats.renders || []).push([Math.round(t1 - t0), Math.round(t2 - t1), Math.round(t3 - t2)]);
    var n = r.rows.length.toLocaleString("vi-VN");
    status.setAttribute("data-count", String(r.rows.length));
    status.setAttribute("data-complete", complete ? "1" : "0");
    status.textContent = complete ? n + " nhiệm vụ"
      : waiting ? "Ít nhất " + n + " nhiệm vụ trong " + loaded + "/" + list.length + " phần dữ liệu đã tải"
      : n + " nhiệm vụ (đang tải " + loaded + "/" + list.length + " phần dữ liệu…)";
    loadNext.hidden = loadAll.hidden = !waiting;
    loadAll.textContent = "Tải hết " + list.length + " phần";
    download.disabled = !r.rows.length;
    download.textContent = "Tải " + n + " dòng (CSV)";
    if (r.rows.length && stats.firstResultMs === null) { stats.firstResultMs = performance.now(); stats.filesAtFirstResult = stats.files.length; }
    if (complete) stats.completeMs = performance.now();
    if (complete || waiting) readyWhenDrawn();
  }

  // Load the view's shards a few at a time, rendering as each comes in: first those that fit the manifest's
  // budget (at least one shard), so the first results come after at most that many bytes. A query with
  // words then goes on with the rest, filling in as they arrive (its matches may be in any shard), unless the
  // reader presses "Dừng tải" (stop). A query by facets only stops there: its first rows are already real
  // results, and a whole agency kind across a national corpus is megabytes. Then "Tải tiếp" loads another
  // budget's worth and "Tải hết" everything the query can match.
  var view = null;

  function run() {
    var token = ++generation;
    var s = state();
    writeURL(s);
    shown = PAGE;
    root.setAttribute("data-ready", "0");
    var terms = F.queryTerms(s.q);
    var list = candidates(s);
    var v = view = { token: token, s: s, terms: terms, list: list, next: 0, loaded: 0, paused: false };
    if (!list.length) { render(s, list, terms, 0, true, false); return Promise.resolve(); }
    return fill(v, manifest.budget, false).then(function () {
      if (v.failed) return;          // the status says what could not be loaded: no count is shown as if it were one
      if (v.token === generation && v.terms.length && !v.paused && v.next < v.list.length) return fill(v, Infinity, true);
      if (v.token === generation && v.loaded < v.list.length) render(v.s, v.list, v.terms, v.loaded, false, true);
    });
  }

  function cost(v, sh) { return isLoaded(sh, v.terms.length > 0) ? 0 : sh.gz[0] + (v.terms.length ? sh.gz[1] : 0); }

  // ``background``: loading past the first budget (the stop button shows); at its end, a view that is not
  // complete waits for the reader.
  function fill(v, budget, background) {
    var spent = 0, started = 0;
    loadNext.hidden = loadAll.hidden = true;
    stop.hidden = !background;
    function lane() {
      if (v.token !== generation || v.paused || v.next >= v.list.length) return Promise.resolve();
      var sh = v.list[v.next], c = cost(v, sh);
      if (started && spent + c > budget) return Promise.resolve();
      v.next += 1; started += 1; spent += c;
      return loadShard(sh, v.terms.length > 0).then(function () {
        v.loaded += 1;
        if (v.token !== generation) return lane();
        var complete = v.loaded === v.list.length;
        // filling in: one render per RENDER_EVERY_MS at most (a national query has hundreds of shards)
        if (background && !complete) {
          if (!v.timer) v.timer = setTimeout(function () {
            v.timer = null;
            if (v.token === generation && v.loaded < v.list.length) render(v.s, v.list, v.terms, v.loaded, false, false);
          }, RENDER_EVERY_MS);
        } else {
          clearTimeout(v.timer); v.timer = null;
          render(v.s, v.list, v.terms, v.loaded, complete, false);
        }
        return lane();
      });
    }
    var lanes = [];
    for (var k = 0; k < PARALLEL; k++) lanes.push(lane());
    return Promise.all(lanes).then(function () {
      if (v.token !== generation) return;
      clearTimeout(v.timer); v.timer = null;
      if (background) stop.hidden = true;
      if (background && v.loaded < v.list.length) render(v.s, v.list, v.terms, v.loaded, false, true);
    }).catch(function (err) {
      v.failed = true;
      clearTimeout(v.timer); v.timer = null;
      stop.hidden = true;
      if (v.token !== generation) return;
      status.textContent = "Không tải được dữ liệu tìm kiếm: " + err.message + ". Hãy tải lại trang.";
      root.setAttribute("data-ready", "error");
    });
  }

  loadNext.addEventListener("click", function () { if (view) { view.paused = false; fill(view, manifest.budget, true); } });
  loadAll.addEventListener("click", function () { if (view) { view.paused = false; fill(view, Infinity, true); } });
  stop.addEventListener("click", function () { if (view) view.paused = true; });

  // ------------------------------------------------------------ CSV

  function csvCell(v) {
    // a text a spreadsheet would run as a formula gets a leading apostrophe (OWASP; as generator/site/index.py)
    if (typeof v === "string" && /^[=+\-@\t\r\n]/.test(v) && !/^[+-]?\d+(?:[.,]\d+)?$/.test(v)) v = "'" + v;
    v = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(v) ? "\"" + v.replace(/"/g, "\"\"") + "\"" : v;
  }

  // The finder's CSV has the same columns and the same cells as every listing's CSV (generator/site/index.py
  // CSV_COLUMNS, README "Data dictionary"): its rows are taken, as the generator wrote them, from the CSV of
  // each province the results are in (data/csv/tinh/<province>.csv), in the finder's order, with the last two
  // columns set for the view: `role`, the role of the chosen agency (lead, support, both) or the chosen role, and
  // `via_group`, the combined group(s) through which a task reaches the chosen agency (as its listing's CSV).
  function rowRole(s, f) {
    if (s["co-quan"]) {
      return ["lead", "support"].filter(function (r) { return f[r].indexOf(s["co-quan"]) >= 0; }).join("; ");
    }
    return s["vai-tro"] || "";
  }

  // each province's CSV, read once (listing-csv.js, loaded on every page: PortalCsv.load)
  function loadProvinceCsv(pid) {
    return window.PortalCsv.load(siteRoot + "data/csv/tinh/" + encodeURIComponent(pid) + ".csv");
  }

  function csvText(rows, s) {
    var pids = [];
    rows.forEach(function (pair) {
      var pid = manifest.provinces[pair[0].province][0];
      if (pids.indexOf(pid) < 0) pids.push(pid);
    });
    return Promise.all(pids.map(loadProvinceCsv)).then(function (files) {
      var got = {};
      pids.forEach(function (pid, k) { got[pid] = files[k]; });
      var header = files.length ? files[0].header : "";
      var lines = [header];
      rows.forEach(function (pair) {
        var shard = pair[0], row = pair[1], plan = shard.plans[row[0]];
        var record = got[manifest.provinces[shard.province][0]].byId[plan[0] + "/" + row[1]];
        if (record === undefined) throw new Error("không tìm thấy dòng " + plan[0] + "/" + row[1]);
        lines.push(record + "," + csvCell(rowRole(s, pair[2])) + ","
          + csvCell(viaGroups(s, pair[2]).map(function (k) { return manifest.agencies[k][0]; }).join("; ")));
      });
      return "\ufeff" + lines.join("\n") + "\n";
    });
  }

  download.addEventListener("click", function () {
    var label = download.textContent;
    download.disabled = true;
    download.textContent = "Đang chuẩn bị tệp…";
    csvText(lastResult, state()).then(function (text) { window.PortalCsv.save(text, "nhiem-vu.csv"); }).catch(function (err) {
      status.textContent = "Không tạo được tệp CSV: " + err.message;
    }).then(function () { download.disabled = !lastResult.length; download.textContent = label; });
  });

  // ------------------------------------------------------------ wiring

  var timer = null;
  q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
  Object.keys(selects).forEach(function (k) { selects[k].addEventListener("change", run); });
  inferSel.addEventListener("change", run);
  reset.addEventListener("click", function () {
    q.value = ""; inferSel.value = ""; Object.keys(selects).forEach(function (k) { selects[k].value = ""; }); run();
  });
  more.addEventListener("click", function () {
    var from = shown;
    shown += PAGE;
    root.setAttribute("data-ready", "0");
    renderTable(lastResult, from);
    // a keyboard reader goes on from the first row added
    var link = table.tBodies[0].rows[from] && table.tBodies[0].rows[from].querySelector("td.ref a");
    if (link) link.focus();
    readyWhenDrawn();
  });

  fetchJSON("manifest.json").then(function (m) {
    manifest = m;
    m.criteria.forEach(function (c) { criterionParent[c[0]] = c[2]; });
    m.agencies.forEach(function (a, i) { agencyPos[a[0]] = i; });
    var s = readURL();
    q.value = s.q;
    inferSel.value = s["suy-luan"] === "1" ? "1" : "";
    // the selects need their options before they can hold the values from the address
    var values = facetValues();
    Object.keys(values).forEach(function (name) {
      options(name, values[name], {}, false);
      selects[name].value = s[name];
      if (s[name] && selects[name].value !== s[name]) {
        var o = el("option", { value: s[name], text: s[name] + " (không có)" });
        selects[name].appendChild(o);
        selects[name].value = s[name];
      }
    });
    return run();
  }).catch(function (err) {
    status.textContent = "Không tải được dữ liệu tìm kiếm: " + err.message;
  });
})();
