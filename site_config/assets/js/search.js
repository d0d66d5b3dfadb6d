/* The site search: the box in Material's header (written here into site_config/overrides/partials/search.html's element), in Vietnamese.
 *
 * - It follows every change of the box's content (input, composition end, paste, key-up), so a letter with a
 *   tone mark, a paste or an autocomplete choice that arrives without a key-up is searched as shown.
 * - Every word of the query must be found, folded (fold.js: "so noi vu" = "Sở Nội vụ", đ = d, abbreviations
 *   written out); the last word, while it is being typed, matches as the start of a word ("quang tr").
 * - Ranking: a page whose name holds the query as a phrase comes first, the more of its name the query covers
 *   the higher ("Quảng Trị" -> Tỉnh Quảng Trị); the page of a named thing (province, plan, agency, criterion,
 *   field) gets a bonus; a listing (an agency or criterion in one province, deadlines, data quality) counts
 *   half, so the tasks it repeats and the named pages come before it.
 * - Nothing is loaded before a reader uses the box: its index (search/tim-kiem.json, written by
 *   generator/site/search.py) and fold.js are fetched when the box is focused or opened.
 */
(function () {
  "use strict";

  // the box: Material's search markup (9.7), written here since it works only with this script (partials/search.html)
  var box = document.querySelector("[data-portal-search]");
  if (!box) return;
  var icon = function (name) {
    return '<svg viewBox="0 0 24 24"><use href="' + box.getAttribute("data-icons") + "#" + name + '"/></svg>';
  };
  box.innerHTML =
    '<label class="md-search__overlay" for="__search"></label>' +
    '<div class="md-search__inner" role="search">' +
    '<form class="md-search__form" name="portal-search" action="javascript:void(0)">' +
    '<input type="text" class="md-search__input" name="query" aria-label="Tìm kiếm" placeholder="Tìm kiếm" autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" enterkeyhint="search" aria-controls="portal-search-results" required data-portal-search-input>' +
    '<label class="md-search__icon md-icon" for="__search" title="Đóng tìm kiếm">' + icon("magnify") + icon("arrow-left") + "</label>" +
    '<nav class="md-search__options" aria-label="Tìm kiếm">' +
    '<button type="reset" class="md-search__icon md-icon" title="Xoá" aria-label="Xoá" tabindex="-1">' + icon("close") + "</button>" +
    "</nav></form>" +
    '<div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>' +
    '<div class="md-search-result" id="portal-search-results">' +
    '<div class="md-search-result__meta" role="status" aria-live="polite" data-portal-search-meta>Nhập để bắt đầu tìm kiếm</div>' +
    '<ol class="md-search-result__list" role="list" data-portal-search-list></ol>' +
    "</div></div></div></div>";
  var input = document.querySelector("[data-portal-search-input]");
  if (!input) return;
  var form = input.form;
  var meta = document.querySelector("[data-portal-search-meta]");
  var list = document.querySelector("[data-portal-search-list]");
  var toggle = document.getElementById("__search");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(String(config.base || ".").replace(/\/?$/, "/"), location.href);

  var TEXT = {
    start: "Nhập để bắt đầu tìm kiếm",
    loading: "Đang chuẩn bị tìm kiếm…",
    failed: "Không tải được dữ liệu tìm kiếm. Hãy tải lại trang.",
    none: "Không tìm thấy kết quả nào",
    one: "1 kết quả",
    other: "# kết quả",
    more: "Xem thêm # kết quả",
    partial: " (đang tải các nhiệm vụ…)"
  };
  var PAGE = 20;                                   // results shown at a time
  var KIND_BONUS = [8, 15, 10, 5, 0];              // task, named thing, cited document, section, listing
  var LISTING_SHARE = 0.5;
  var NAME_HIT = 10, TEXT_HIT = 2, NAME_PHRASE = 30, NAME_COVER = 40, NAME_START = 5, TEXT_PHRASE = 10;

  var docs = null, complete = false, loading = null, pending = false, lastQuery = null, results = [], shown = 0;
  var stats = { loadStart: null, fetched: null, loadEnd: null, files: [], shown: null, renders: [] };

  function fold() { return window.PortalFold; }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = url; s.onload = resolve; s.onerror = function () { reject(new Error(url)); };
      document.head.appendChild(s);
    });
  }

  function getJSON(path) {
    var url = new URL(path, base).href;
    stats.files.push(url);
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  // The pages and the tasks are fetched at once; the pages (small) answer first, the tasks join when they arrive.
  function load() {
    if (loading) return loading;
    stats.loadStart = performance.now();
    var foldReady = fold() ? Promise.resolve() : loadScript(new URL("assets/js/fold.js", base).href);
    var pages = Promise.all([foldReady, getJSON("search/tim-kiem.json")]).then(function (got) {
      stats.fetched = performance.now();
      docs = prepare(got[1].docs, 0);
      stats.loadEnd = performance.now();
      lastQuery = null;
      run();
    });
    var tasks = Promise.all([pages, getJSON("search/tim-kiem-nhiem-vu.json")]).then(function (got) {
      docs = docs.concat(prepare(got[1].docs, docs.length));
      complete = true;
      stats.completeAt = performance.now();
      lastQuery = null;
      run();
    });
    loading = tasks.catch(function () {
      loading = null; docs = null; complete = false;
      setMeta(TEXT.failed);
    });
    if (input.value.trim()) setMeta(TEXT.loading);
    return loading;
  }

  // Fold every name and text in one pass (one call per entry costs three times as much on a slow phone).
  function prepare(rows, offset) {
    var F = fold(), parts = [], out = [];
    rows.forEach(function (r) {
      var d = { i: offset + out.length, kind: r[0], url: r[1], name: r[2], text: r[3], sub: "" }, searched = r[3];
      if (r[0] === 0) {               // a task: [0, url, text, "<number> · <plan>", lead, support, deadline]
        d.sub = r[3];
        d.text = [["Chủ trì: ", r[4]], ["Phối hợp: ", r[5]], ["Thời hạn: ", r[6]]]
          .filter(function (p) { return p[1]; }).map(function (p) { return p[0] + p[1]; }).join(" · ");
        searched = [r[3], r[4], r[5], r[6]].join(" ");
      }
      parts.push(String(d.name).replace(/\n/g, " "), String(searched).replace(/\n/g, " "));
      out.push(d);
    });
    var folded = F.fold(parts.join("\n")).split("\n");
    out.forEach(function (d, k) {
      d.nt = expand(folded[2 * k]); d.bt = expand(folded[2 * k + 1]);
    });
    return out;
  }

  // PortalFold.searchTerms on text already folded: the terms, abbreviations written out in place.
  function expand(folded) {
    var words = folded.match(/[0-9a-z]+/g) || [], abbr = fold().ABBREVIATIONS, out = [];
    for (var i = 0; i < words.length; i++) {
      if (Object.prototype.hasOwnProperty.call(abbr, words[i])) out.push.apply(out, abbr[words[i]].split(" "));
      else out.push(words[i]);
    }
    return out;
  }

  // ------------------------------------------------------------ matching and ranking

  function parse(q) {
    var words = fold().searchTerms(q);
    // the last word is still being typed unless the query ends with a space or punctuation
    var prefix = words.length > 0 && /[0-9A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u0300-\u036F]$/.test(q);
    return { words: words, prefix: prefix };
  }

  function has(arr, word, prefix) {
    for (var i = 0; i < arr.length; i++) {
      if (arr[i] === word || (prefix && arr[i].lastIndexOf(word, 0) === 0)) return true;
    }
    return false;
  }

  function phraseAt(arr, words, prefix) {
    var n = words.length, last = n - 1;
    outer: for (var i = 0; i + n <= arr.length; i++) {
      for (var k = 0; k < n; k++) {
        var ok = (k === last && prefix) ? arr[i + k].lastIndexOf(words[k], 0) === 0 : arr[i + k] === words[k];
        if (!ok) continue outer;
      }
      return i;
    }
    return -1;
  }

  function score(d, q) {
    var s = 0, words = q.words, last = words.length - 1;
    for (var k = 0; k < words.length; k++) {
      var pre = q.prefix && k === last;
      if (has(d.nt, words[k], pre)) s += NAME_HIT;
      else if (has(d.bt, words[k], pre)) s += TEXT_HIT;
      else return -1;
    }
    var at = phraseAt(d.nt, words, q.prefix);
    if (at >= 0) s += NAME_PHRASE + NAME_COVER * words.length / d.nt.length + (at === 0 ? NAME_START : 0);
    else if (phraseAt(d.bt, words, q.prefix) >= 0) s += TEXT_PHRASE;
    s += KIND_BONUS[d.kind];
    return d.kind === 4 ? s * LISTING_SHARE : s;     // a listing repeats tasks and named pages: it follows them
  }

  function search(text) {
    var q = parse(text);
    if (!q.words.length || !docs) return [];
    var out = [];
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], q);
      if (s >= 0) out.push({ d: docs[i], s: s });
    }
    out.sort(function (a, b) { return (b.s - a.s) || (a.d.nt.length - b.d.nt.length) || (a.d.i - b.d.i); });
    return out.map(function (r) { return r.d; });
  }

  // ------------------------------------------------------------ showing

  function setMeta(text) { meta.textContent = text; }

  function count(n) {
    return n === 0 ? TEXT.none : n === 1 ? TEXT.one : TEXT.other.replace("#", n.toLocaleString("vi-VN"));
  }

  function cut(text, chars) {
    if (text.length <= chars) return text;
    var s = text.slice(0, chars), space = s.lastIndexOf(" ");
    return (space > chars / 2 ? s.slice(0, space) : s) + " …";
  }

  // Text as DOM nodes, the words the query matches marked (compared folded, the last as a prefix).
  function marked(el, text, q) {
    var words = {}, re = /[\p{L}\p{N}\p{M}]+/gu, at = 0, m, f;
    q.words.forEach(function (w) { words[w] = true; });
    var lastWord = q.words[q.words.length - 1];
    while ((m = re.exec(text))) {
      f = fold().terms(m[0]);
      var hit = f.some(function (t) { return words[t] || (q.prefix && t.lastIndexOf(lastWord, 0) === 0); });
      if (!hit) continue;
      if (m.index > at) el.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      at = m.index + m[0].length;
    }
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
    return el;
  }

  function item(d, q) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = new URL(d.url, base).href;
    a.setAttribute("data-portal-search-kind", ["task", "named", "document", "section", "listing"][d.kind]);
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    article.appendChild(icon);
    article.appendChild(marked(document.createElement("h1"), cut(d.name, 220), q));
    if (d.sub) article.appendChild(marked(document.createElement("p"), d.sub, q));
    if (d.text) article.appendChild(marked(document.createElement("p"), cut(d.text, 180), q));
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  function showMore(q) {
    var more = list.querySelector(".portal-search-more");
    if (more) more.remove();
    var end = Math.min(results.length, shown + PAGE);
    for (var i = shown; i < end; i++) list.appendChild(item(results[i], q));
    shown = end;
    if (shown < results.length) {
      var li = document.createElement("li");
      li.className = "md-search-result__item portal-search-more";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-search-result__link md-typeset";
      button.style.cssText = "width:100%;padding:.6rem 2.2rem;text-align:left;cursor:pointer;color:var(--md-typeset-a-color)";
      button.textContent = TEXT.more.replace("#", Math.min(PAGE, results.length - shown));
      button.addEventListener("click", function () { showMore(q); });
      li.appendChild(button);
      list.appendChild(li);
    }
  }

  function run() {
    pending = false;
    var text = input.value;
    if (text === lastQuery) return;
    if (!text.trim()) {
      lastQuery = text;
      results = []; shown = 0;
      list.textContent = "";
      setMeta(docs || !loading ? TEXT.start : TEXT.loading);
      list.parentNode.setAttribute("data-query", text);
      return;
    }
    if (!docs) { setMeta(TEXT.loading); list.parentNode.removeAttribute("data-query"); load(); return; }
    lastQuery = text;
    var q = parse(text);
    results = search(text);
    shown = 0;
    list.textContent = "";
    setMeta(count(results.length) + (complete ? "" : TEXT.partial));
    showMore(q);
    list.parentNode.setAttribute("data-query", text);   // the results shown are those of this text
    list.parentNode.setAttribute("data-complete", complete ? "1" : "0");
    stats.renders.push({ query: text, at: performance.now(), complete: complete, count: results.length });
    stats.shown = { query: text, count: results.length, at: performance.now() };
  }

  function schedule() {
    if (pending) return;
    pending = true;
    setTimeout(run, 0);
  }

  // ------------------------------------------------------------ the box

  function open() {
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    load();
  }

  function close() {
    if (toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    input.blur();
  }

  ["input", "compositionend", "paste", "cut", "keyup", "change", "search"].forEach(function (type) {
    input.addEventListener(type, function () { load(); schedule(); });
  });
  input.addEventListener("focus", open);
  // a pointer on the box or the header's search button is about to use it: start loading already
  input.addEventListener("pointerdown", load);
  input.addEventListener("mouseenter", load);
  Array.prototype.forEach.call(document.querySelectorAll("label[for='__search']"), function (label) {
    label.addEventListener("pointerdown", load);
    label.addEventListener("touchstart", load, { passive: true });
  });
  if (toggle) toggle.addEventListener("change", function () {
    if (toggle.checked) {
      load();
      if (document.activeElement !== input) setTimeout(function () { input.focus(); }, 50);
    }
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { lastQuery = null; run(); input.focus(); }, 0);
  });

  function links() { return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link")); }

  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { ev.preventDefault(); close(); }
    else if (ev.key === "Enter") {
      ev.preventDefault();
      if (pending || input.value !== lastQuery) run();
      var first = list.querySelector("a.md-search-result__link");
      if (first) first.click();
    } else if (ev.key === "ArrowDown") {
      var all = links();
      if (all.length) { ev.preventDefault(); all[0].focus(); }
    }
  });
  list.addEventListener("keydown", function (ev) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (ev.key === "ArrowDown" && at + 1 < all.length) { ev.preventDefault(); all[at + 1].focus(); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
    else if (ev.key === "Escape") { ev.preventDefault(); close(); }
  });
  list.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest("a")) close();
  });
  // "/" or "s" anywhere but in a field opens the search, as Material's own box does
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))) return;
    if (ev.key === "/" || ev.key === "s" || ev.key === "f") { ev.preventDefault(); open(); input.focus(); }
  });

  // A shared link ?q=... opens the search with that query (not on the finder, whose words live in ?tu-khoa=).
  var shared = new URLSearchParams(location.search).get("q");
  if (shared && !document.getElementById("finder")) {
    input.value = shared;
    open();
    schedule();
  }

  window.portalSearch = { stats: stats, load: load, search: function (text) {
    return search(text).map(function (d) { return { url: d.url, name: d.name, kind: d.kind }; });
  } };
})();
