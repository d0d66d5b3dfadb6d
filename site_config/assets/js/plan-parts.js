// A plan longer than one page continues on trang-2/, trang-3/, ...: an address of the first page naming a task
// that is on a later page (#t-...) is sent on to that page. The map is the page's own JSON (#task-parts).
(function () {
  function follow() {
    var map = document.getElementById("task-parts");
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!map || !id || document.getElementById(id)) return;
    var part = JSON.parse(map.textContent)[id];
    if (part) window.location.replace("trang-" + part + "/" + window.location.hash);
  }
  follow();
  window.addEventListener("hashchange", follow);
})();
