/* Each chart once, interactive when the reader reaches it (wra_book/twins.py,
   wra_book/plotly_assets.py; tests/test_reader.py, bench/bench.py).

   A chart's figure shows its static image first. When the reader reaches it
   (it is near the viewport and the reader scrolls, or the reader points at,
   touches or tabs into it) this script fetches plotly.js (once per page) and
   the chart's own script, then draws the interactive chart in the image's
   place: one copy on screen at any time, and a reader who never reaches a
   chart never downloads plotly.js. Print shows the static image
   (wra-print.css).

   Every chart is drawn through the house style of wra/presentation/style.py,
   in the script <meta name="wra-plotly-style"> names (fetched with plotly.js):
   - phone: a chart narrower than phone.width px gets larger text, its legend
     below the plot, horizontal date labels, a wrapped title and none of the
     annotations named in phone.drop_annotations;
   - dark: while the theme is dark (<html data-theme="dark">) the dark layout
     is merged in and the light colours are swapped for dark ones; switching
     the theme redraws the charts;
   - no way out: the modebar never offers a link or button that sends data
     off the machine (the plotly logo's link, "Share chart"). */
(function () {
  "use strict";

  var DEFERRED = 'script[type="application/x-wra-chart"]';
  var NEAR = "600px 0px";   // a chart this close to the viewport is drawn
  var AHEAD = "2500px 0px"; // plotly.js is fetched when a chart is this close
  var state = { plotly: null, charts: [] };

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : null;
  }

  function houseStyle() { return window.WRA_PLOTLY_STYLE || {}; }

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
    if (!state.plotly) {
      var style = window.WRA_PLOTLY_STYLE ? Promise.resolve() : loadScript(meta("wra-plotly-style"));
      state.plotly = style.then(function () {
        return window.Plotly ? null : loadScript(meta("wra-plotly-js"));
      }).then(wrapNewPlot);
    }
    return state.plotly;
  }

  function clone(value) { return value === undefined ? value : JSON.parse(JSON.stringify(value)); }

  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      var value = source[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        if (!target[key] || typeof target[key] !== "object") target[key] = {};
        merge(target[key], value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  function isDark() { return document.documentElement.getAttribute("data-theme") === "dark"; }

  function swapColors(value, map) {
    if (typeof value === "string") {
      var hit = map[value.toLowerCase()];
      return hit === undefined ? value : hit;
    }
    if (Array.isArray(value)) return value.map(function (v) { return swapColors(v, map); });
    if (value && typeof value === "object") {
      Object.keys(value).forEach(function (k) {
        // text is the data's words, never a colour
        if (k === "text" || k === "hovertext" || k === "customdata" || k === "name") return;
        value[k] = swapColors(value[k], map);
      });
    }
    return value;
  }

  /* the axes of a chart: those its layout names and those its traces use */
  function axes(layout, data) {
    var names = Object.keys(layout).filter(function (k) { return /^[xy]axis\d*$/.test(k); });
    (data || []).forEach(function (trace) {
      [["x", trace.xaxis || "x"], ["y", trace.yaxis || "y"]].forEach(function (pair) {
        var name = pair[0] + "axis" + pair[1].slice(1);
        if (names.indexOf(name) < 0) names.push(name);
      });
    });
    return names;
  }

  function wrapTitle(text, width) {
    if (typeof text !== "string" || text.length <= width || text.indexOf("<br") >= 0) return text;
    var words = text.split(" "), lines = [], line = "";
    words.forEach(function (w) {
      if (line && (line + " " + w).length > width) { lines.push(line); line = w; }
      else { line = line ? line + " " + w : w; }
    });
    if (line) lines.push(line);
    return lines.join("<br>");
  }

  function phoneLayout(layout, data, phone) {
    layout.font = layout.font || {};
    layout.font.size = Math.max(layout.font.size || 0, phone.font_size || 13);
    layout.legend = merge(layout.legend || {}, { orientation: "h", x: 0, xanchor: "left", y: -0.18, yanchor: "top" });
    axes(layout, data).forEach(function (k) {
      layout[k] = layout[k] || {};
      if (/^xaxis/.test(k)) layout[k].tickangle = 0;
      // monthly date ticks every other month: "Oct 1936" side by side does not fit a phone
      var every = /^M(\d+)$/.exec(layout[k].dtick || "");
      if (/^xaxis/.test(k) && every) layout[k].dtick = "M" + 2 * Number(every[1]);
      layout[k].automargin = true;
    });
    if (layout.title) {
      if (typeof layout.title === "string") layout.title = { text: layout.title };
      layout.title.text = wrapTitle(layout.title.text, phone.title_chars || 38);
      // room above the plot for every line of the title (and its subtitle) at the phone's size
      var text = String(layout.title.text || "") + (layout.title.subtitle ? "<br>" + (layout.title.subtitle.text || "") : "");
      var lines = text ? text.split(/<br\s*\/?>/i).length : 0;
      var size = (phone.font_size || 14) + 2;
      // a title of several lines is anchored by its first line: pad it down into view
      var pad = Math.max((layout.title.pad && layout.title.pad.t) || 0, 16);
      layout.title.y = 0.995;
      layout.title.yanchor = "top";
      layout.title.yref = "container";
      layout.title.pad = merge(layout.title.pad || {}, { t: pad });
      layout.margin = layout.margin || {};
      layout.margin.t = Math.max(layout.margin.t || 0, Math.ceil(lines * size * 1.35) + 24 + pad);
    }
    var drop = phone.drop_annotations || [];
    if (Array.isArray(layout.annotations) && drop.length) {
      layout.annotations = layout.annotations.filter(function (a) { return drop.indexOf(a.name) < 0; });
    }
    layout.margin = merge(layout.margin || {}, { l: 48, r: 12 });
    return layout;
  }

  function darkLayout(layout, data, dark) {
    var map = {};
    Object.keys(dark.colors || {}).forEach(function (k) { map[k.toLowerCase()] = dark.colors[k]; });
    swapColors(layout, map);
    swapColors(data, map);
    merge(layout, clone(dark.layout || {}));
    axes(layout, data).forEach(function (k) { layout[k] = merge(layout[k] || {}, clone(dark.axis || {})); });
    if (layout.template && layout.template.layout) delete layout.template.layout.paper_bgcolor;
    return layout;
  }

  function safeConfig(config) {
    config = merge(config || {}, { displaylogo: false, showSendToCloud: false, plotlyServerURL: "" });
    var remove = config.modeBarButtonsToRemove || [];
    if (remove.indexOf("sendDataToCloud") < 0) remove.push("sendDataToCloud");
    config.modeBarButtonsToRemove = remove;
    return config;
  }

  /* what the chart looks like for this width and theme, from its original spec */
  function styled(spec, gd) {
    var house = houseStyle();
    var data = clone(spec.data), layout = clone(spec.layout) || {};
    var width = (gd && gd.clientWidth) || window.innerWidth;
    if (house.phone && width < (house.phone.width || 640)) phoneLayout(layout, data, house.phone);
    if (house.dark && isDark()) darkLayout(layout, data, house.dark);
    return { data: data, layout: layout, config: safeConfig(clone(spec.config)) };
  }

  function wrapNewPlot() {
    var Plotly = window.Plotly;
    if (!Plotly || Plotly.__wra) return;
    var newPlot = Plotly.newPlot;
    Plotly.newPlot = function (gd, data, layout, config) {
      var el = typeof gd === "string" ? document.getElementById(gd) : gd;
      var spec = { data: data, layout: layout, config: config };
      var s = styled(spec, el);
      state.charts.push({ gd: el, spec: spec, phone: narrow(el), dark: isDark() });
      return newPlot.call(Plotly, el, s.data, s.layout, s.config);
    };
    Plotly.__wra = true;
  }

  function narrow(el) {
    var phone = houseStyle().phone || {};
    return ((el && el.clientWidth) || window.innerWidth) < (phone.width || 640);
  }

  function redraw() {
    state.charts.forEach(function (c) {
      if (!c.gd || !c.gd.isConnected) return;
      var phone = narrow(c.gd), dark = isDark();
      if (phone === c.phone && dark === c.dark) return;
      c.phone = phone; c.dark = dark;
      var s = styled(c.spec, c.gd);
      window.Plotly.react(c.gd, s.data, s.layout, s.config);
    });
  }

  function activate(figure) {
    if (figure.hasAttribute("data-wra-live")) return;
    figure.setAttribute("data-wra-live", "loading");
    var live = figure.querySelector(".wra-live");
    var scripts = live ? live.querySelectorAll(DEFERRED) : [];
    loadPlotly().then(function () {
      // the interactive chart takes the image's place, then draws at its own width
      figure.classList.add("wra-is-live");
      var chain = Promise.resolve();
      Array.prototype.forEach.call(scripts, function (s) {
        chain = chain.then(function () { return loadScript(s.getAttribute("data-src")); });
      });
      return chain;
    }).then(function () {
      figure.setAttribute("data-wra-live", "drawn");
    }).catch(function (error) {
      // the static image stays: a chart that cannot load is never a blank space
      figure.classList.remove("wra-is-live");
      figure.setAttribute("data-wra-live", "failed");
      if (window.console) console.warn("wra-charts:", error.message);
    });
  }

  function start() {
    // a plotly chart without a static twin (none in the book's chapters) is
    // wrapped the same way: it draws in place when the reader reaches it
    Array.prototype.forEach.call(document.querySelectorAll(".wra-plotly"), function (el) {
      if (el.closest(".wra-live")) return;
      var live = document.createElement("div");
      live.className = "wra-live";
      el.parentNode.insertBefore(live, el);
      live.appendChild(el);
      live.parentNode.classList.add("wra-twin");
    });
    var figures = document.querySelectorAll(".wra-twin");
    // A chart is drawn once the reader has reached it: it is near the viewport
    // and the reader has scrolled, or points at it, touches it or tabs into it.
    // A first visit that does nothing fetches no plotly.js, even when a chart
    // shows in the first screen.
    var near = [];
    var engaged = false;
    var approaching = false;
    function engage() {
      if (engaged) return;
      engaged = true;
      if (approaching) loadPlotly();
      near.forEach(activate);
    }
    Array.prototype.forEach.call(figures, function (f) {
      ["pointerenter", "touchstart", "focusin"].forEach(function (type) {
        f.addEventListener(type, function () { activate(f); }, { once: true, passive: true });
      });
    });
    window.addEventListener("scroll", engage, { once: true, passive: true });
    if (!("IntersectionObserver" in window)) {
      near = Array.prototype.slice.call(figures);
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
    Array.prototype.forEach.call(figures, function (f) { seen.observe(f); });
    // plotly.js is fetched ahead, once the reader is reading and a chart is
    // within a few screens: the chart then draws at once when reached
    var ahead = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        approaching = true;
        if (engaged) { loadPlotly(); ahead.disconnect(); }
      });
    }, { rootMargin: AHEAD });
    Array.prototype.forEach.call(figures, function (f) { ahead.observe(f); });
    new MutationObserver(redraw).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    var timer = null;
    window.addEventListener("resize", function () {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(redraw, 250);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
