// The drawer's list of sections (a phone's menu): the header's tabs, copied as Material would have written
// them (overrides/partials/nav.html says why), before the page is first shown.
(function () {
  var list = document.querySelector("[data-portal-nav]");
  if (!list) return;
  var toc = document.querySelector("label[for='__toc']");
  Array.prototype.forEach.call(document.querySelectorAll(".md-tabs__item"), function (tab) {
    var on = tab.classList.contains("md-tabs__item--active");
    var item = document.createElement("li"), link = tab.querySelector("a").cloneNode(true);
    item.className = on ? "md-nav__item md-nav__item--active" : "md-nav__item";
    link.className = on ? "md-nav__link md-nav__link--active" : "md-nav__link";
    if (on && toc) {
      var toggle = document.createElement("input");
      toggle.className = "md-nav__toggle md-toggle";
      toggle.type = "checkbox";
      toggle.id = "__toc";
      item.appendChild(toggle);
    }
    item.appendChild(link);
    list.appendChild(item);
  });
})();
// Material's bundle, started when the reader first acts on the page (site_config/overrides/main.html says why).
// Its page-scoped storage helpers (Material 9.7's partials/javascripts/base.html, an inline script on every page
// before) are defined here first, just as Material wrote them: only its bundle reads them, and it runs after this.
(function () {
  var me = document.currentScript, src = me.getAttribute("data-bundle"), started = false;
  var base = JSON.parse(document.getElementById("__config").textContent).base;
  /* eslint-disable */
  __md_scope=new URL(base,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
  var on = ["pointerdown", "keydown", "touchstart", "scroll", "wheel", "focusin"];
  function load() {
    var s = document.createElement("script");
    s.src = src;
    s.onload = function () { document.dispatchEvent(new Event("DOMContentLoaded")); };
    document.body.appendChild(s);
  }
  function start() {
    if (started) return;
    started = true;
    on.forEach(function (e) { removeEventListener(e, start, true); });
    // not before the page itself has loaded (the browser's own scroll to an address's #anchor comes first)
    if (document.readyState === "complete") load(); else addEventListener("load", load);
  }
  on.forEach(function (e) { addEventListener(e, start, { capture: true, passive: true }); });
})();
