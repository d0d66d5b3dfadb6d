// A long list continues on trang-2/, trang-3/, ...: an address of its first page naming a row that is on a
// later page is sent on to that page. A plan's tasks (#t-...): the page's #task-parts names a small JSON file
// beside it (task anchor -> page), fetched only then. A source text's lines (#L12, #L12-L15): the page's
// #line-parts holds the first line of each page.
(function () {
  function go(part) {
    var base = window.location.pathname.replace(/trang-\d+\/$/, "");
    if (part > 1) window.location.replace(base + "trang-" + part + "/" + window.location.hash);
    else if (part === 1 && base !== window.location.pathname) window.location.replace(base + window.location.hash);
  }
  function follow() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    var lines = document.getElementById("line-parts");
    var m = /^L(\d+)(-L\d+)?$/.exec(id);
    if (lines && m) {
      var starts = JSON.parse(lines.textContent), n = parseInt(m[1], 10), part = 0;
      for (var i = 0; i < starts.length; i++) if (starts[i] <= n) part = i + 1;
      if (part) go(part);
      return;
    }
    var tasks = document.getElementById("task-parts");
    if (!tasks) return;
    fetch(tasks.getAttribute("data-src")).then(function (r) { return r.json(); }).then(function (map) {
      if (map[id]) go(map[id]);
    }).catch(function () {});
  }
  follow();
  window.addEventListener("hashchange", follow);
})();
