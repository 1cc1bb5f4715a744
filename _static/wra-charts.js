/* Each chart once: its image first, the interactive chart in its place when the
   reader reaches it (wra_book/charts.py; tests/test_charts_once.py).

   A chart is one plotly figure, drawn by the build at two widths and in two
   themes (wra/presentation/figures.py). Its <div class="wra-chart"> holds the
   static images (a <picture> per theme, each with the phone drawing as a
   <source> whose media query says what a phone is) and one deferred script per
   drawing. When the reader reaches the chart (it is near the viewport and the
   reader scrolls, or points at, touches or tabs into it) this script fetches
   plotly.js (once per page) and the script of the drawing for the reader's
   width and theme, and draws it in the image's place. A change of theme, or a
   window that crosses the phone width, swaps in that drawing. Nothing here
   changes a chart: every drawing is made in Python. If plotly.js cannot load,
   the image stays.

   plotly.js is fetched before a chart is reached, so that a chart the reader
   jumps to (an anchor link, the page's contents) draws at once: once the reader
   starts reading (scrolls, points, touches or presses a key), it is fetched and
   warmed up (one tiny plot drawn off-screen) while the browser is idle; a page
   opened at a chart's anchor fetches it at once. A first visit that is only
   opened fetches no plotly.js, and a reader who asked to save data fetches it
   only when a chart comes near. */
(function () {
  "use strict";

  var NEAR = "600px 0px";   // a chart this close to the viewport is drawn
  var AHEAD = "2500px 0px"; // plotly.js is fetched when a chart is this close
  var specs = {}, waiting = {}, plotly = null, live = [];

  // each drawing's script calls this with its data, layout and config
  window.wraChart = function (key, spec) {
    specs[key] = spec;
    if (waiting[key]) waiting[key].forEach(function (resolve) { resolve(spec); });
    delete waiting[key];
  };

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  function loadPlotly() {
    if (!plotly) {
      var meta = document.querySelector('meta[name="wra-plotly-js"]');
      plotly = window.Plotly ? Promise.resolve() : loadScript(meta.getAttribute("content"));
    }
    return plotly;
  }

  function idle(callback) {
    if (window.requestIdleCallback) window.requestIdleCallback(callback, { timeout: 2000 });
    else window.setTimeout(callback, 50);
  }

  function savingData() {
    var c = navigator.connection;
    return !!(c && (c.saveData || /(^|-)2g$/.test(c.effectiveType || "")));
  }

  // plotly's first plot on a page sets plotly up (styles, measurements): done once, off-screen
  function warmUp() {
    var gd = document.createElement("div");
    gd.setAttribute("aria-hidden", "true");
    gd.style.cssText = "position:absolute;left:-10000px;top:0;width:200px;height:150px;visibility:hidden";
    document.body.appendChild(gd);
    return window.Plotly.newPlot(gd, [{ x: [0, 1], y: [0, 1], type: "scatter" }], { width: 200, height: 150 },
      { staticPlot: true }).then(function () {
      window.Plotly.purge(gd);
      gd.remove();
    });
  }

  var prefetching = false;
  function prefetch() {
    if (prefetching || savingData()) return;
    prefetching = true;
    idle(function () {
      loadPlotly().then(function () { idle(function () { warmUp().catch(function () {}); }); })
        .catch(function () { /* the chart that needs it says so when reached */ });
    });
  }

  // the element a link's #fragment names, if it is or holds or sits in a chart's figure
  function targetsChart() {
    var target = null;
    try { target = document.getElementById(decodeURIComponent(window.location.hash.slice(1))); } catch (e) { return false; }
    if (!target) return false;
    var figure = target.closest("figure") || target;
    return !!figure.querySelector(".wra-chart.wra-interactive");
  }

  function isDark() { return document.documentElement.getAttribute("data-theme") === "dark"; }

  // a phone is what the chart's own images call one
  function isPhone(chart) {
    var source = chart.querySelector("picture source[media]");
    return !!source && window.matchMedia(source.getAttribute("media")).matches;
  }

  function drawingOf(chart) {
    var name = (isPhone(chart) ? "phone" : "wide") + "-" + (isDark() ? "dark" : "light");
    return chart.querySelector('script[data-variant="' + name + '"]');
  }

  function spec(script) {
    var src = script.getAttribute("data-src");
    var key = src.replace(/^.*\//, "").replace(/\.js$/, "");
    if (specs[key]) return Promise.resolve(specs[key]);
    var wait = new Promise(function (resolve) { (waiting[key] = waiting[key] || []).push(resolve); });
    return loadScript(src).then(function () { return wait; });
  }

  function draw(chart) {
    var script = drawingOf(chart);
    if (!script || chart.wraDrawing === script) return Promise.resolve();
    chart.wraDrawing = script;
    return Promise.all([loadPlotly(), spec(script)]).then(function (got) {
      var s = got[1], gd = chart.querySelector(".wra-plot");
      if (!gd) {
        gd = document.createElement("div");
        gd.className = "wra-plot";
        chart.appendChild(gd);
        chart.classList.add("wra-is-live");
        return window.Plotly.newPlot(gd, s.data, s.layout, s.config);
      }
      return window.Plotly.react(gd, s.data, s.layout, s.config);
    });
  }

  function activate(chart) {
    if (chart.hasAttribute("data-wra-live")) return;
    chart.setAttribute("data-wra-live", "loading");
    draw(chart).then(function () {
      chart.setAttribute("data-wra-live", "drawn");
      live.push(chart);
    }).catch(function (error) {
      // the image stays: a chart that cannot load is never a blank space
      chart.classList.remove("wra-is-live");
      chart.setAttribute("data-wra-live", "failed");
      if (window.console) console.warn("wra-charts:", error.message);
    });
  }

  function redraw() {
    live.forEach(function (chart) {
      if (chart.isConnected) draw(chart).catch(function (e) { if (window.console) console.warn("wra-charts:", e.message); });
    });
  }

  function start() {
    var charts = document.querySelectorAll(".wra-chart.wra-interactive");
    if (!charts.length) return;
    // A chart is drawn once the reader has reached it: it is near the viewport
    // and the reader has scrolled, or points at it, touches it or tabs into it.
    var near = [], engaged = false, approaching = false;
    function engage() {
      if (engaged) return;
      engaged = true;
      if (approaching) loadPlotly();
      near.forEach(activate);
    }
    Array.prototype.forEach.call(charts, function (c) {
      ["pointerenter", "touchstart", "focusin"].forEach(function (type) {
        c.addEventListener(type, function () { activate(c); }, { once: true, passive: true });
      });
    });
    window.addEventListener("scroll", engage, { once: true, passive: true });
    ["scroll", "pointermove", "touchstart", "keydown"].forEach(function (type) {
      window.addEventListener(type, prefetch, { once: true, passive: true });
    });
    if (targetsChart()) loadPlotly().catch(function () {});
    new MutationObserver(redraw).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    var timer = null;
    window.addEventListener("resize", function () {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(redraw, 250);
    });
    if (!("IntersectionObserver" in window)) {
      near = Array.prototype.slice.call(charts);
      return;
    }
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var i = near.indexOf(entry.target);
        if (entry.isIntersecting && i < 0) near.push(entry.target);
        if (!entry.isIntersecting && i >= 0) near.splice(i, 1);
        if (entry.isIntersecting && engaged) { seen.unobserve(entry.target); activate(entry.target); }
      });
    }, { rootMargin: NEAR });
    // plotly.js is fetched ahead, once the reader is reading and a chart is
    // within a few screens: the chart then draws at once when reached
    var ahead = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        approaching = true;
        if (engaged) { loadPlotly(); ahead.disconnect(); }
      });
    }, { rootMargin: AHEAD });
    Array.prototype.forEach.call(charts, function (c) { seen.observe(c); ahead.observe(c); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
