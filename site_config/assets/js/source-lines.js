// Marks the lines of a source view named by the address: #L12 or #L12-L20.
(function () {
  function mark() {
    var m = /^#L(\d+)(?:-L(\d+))?$/.exec(window.location.hash);
    var view = document.getElementById("source");
    if (!view) return;
    var old = view.querySelectorAll(".line.marked");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("marked");
    if (!m) return;
    var first = parseInt(m[1], 10), last = m[2] ? parseInt(m[2], 10) : first;
    for (var n = first; n <= last; n++) {
      var el = document.getElementById("L" + n);
      if (el) el.classList.add("marked");
    }
    var top = document.getElementById("L" + first);
    if (top) top.scrollIntoView({ block: "center" });
  }
  // once, when the page is parsed (this script is deferred): Material's bundle, started later, announces
  // DOMContentLoaded again, which must not scroll the reader back to the marked line
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark, { once: true });
  else mark();
  window.addEventListener("hashchange", mark);
})();
