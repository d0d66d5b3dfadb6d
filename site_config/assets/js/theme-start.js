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
