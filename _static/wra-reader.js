/* The reader's shell (tests/test_reader.py).

   1. Images named by their file. myst-nb gives a chart's image its own path as
      alt text ("../_images/9072….png"), which a screen reader reads out. Until a
      chart's cell sets its own alt text (cell metadata mystnb: image: alt:),
      the image takes the first sentence of its caption, or, on the front page,
      of the paragraph that follows it.

   2. Keyboard access to every frame that scrolls. A table wider than the page
      scrolls inside its frame; a reader without a mouse reaches it with Tab and
      scrolls it with the arrow keys, and a screen reader announces it by its
      caption. The frames are found by their computed style, so this holds for
      any table or output that scrolls, whatever draws it; frames that fit (a
      wide window) are left out of the tab order. */
(function () {
  "use strict";

  var MARK = "data-wra-scroll";

  function scrolls(el, style) {
    var x = (style.overflowX === "auto" || style.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1;
    var y = (style.overflowY === "auto" || style.overflowY === "scroll") && el.scrollHeight > el.clientHeight + 1;
    return x || y;
  }

  function label(el) {
    var caption = el.querySelector("caption, figcaption");
    var text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    return text ? text + " (scrolls)" : "";
  }

  function update() {
    var article = document.querySelector(".bd-article") || document.body;
    var nodes = article.querySelectorAll("div, pre, section, figure");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var style = window.getComputedStyle(el);
      var canScroll = scrolls(el, style);
      var ours = el.hasAttribute(MARK);
      if (canScroll && !ours && !el.hasAttribute("tabindex")) {
        var name = label(el);
        el.setAttribute(MARK, "");
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", name ? "region" : "group");
        el.setAttribute("aria-label", name || "Scrollable content");
      } else if (!canScroll && ours) {
        el.removeAttribute(MARK);
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
    }
  }

  var FILE_NAME = /(^|\/)[^\/\s]+\.(png|jpe?g|gif|svg|webp)$/i;

  function firstSentence(text) {
    text = (text || "").replace(/\s+/g, " ").trim().replace(/^Fig\.\s*\d+\s*/, "");
    var match = text.match(/^.{20,}?[.!?](\s|$)/);
    return (match ? match[0] : text).trim();
  }

  function nameImages() {
    var images = document.querySelectorAll(".bd-article img");
    for (var i = 0; i < images.length; i++) {
      var img = images[i];
      if (img.getAttribute("alt") && !FILE_NAME.test(img.getAttribute("alt"))) continue;
      var figure = img.closest("figure");
      var caption = figure ? figure.querySelector("figcaption") : null;
      var text = caption ? caption.textContent : "";
      if (!text) {
        var holder = img.closest(".wra-front-chart");
        var next = holder ? holder.querySelector("p") : null;
        text = next ? next.textContent : "";
      }
      img.setAttribute("alt", firstSentence(text) || "Chart");
    }
  }

  var timer = null;
  function later() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; update(); }, 200);
  }

  function start() {
    nameImages();
    update();
    window.addEventListener("resize", later);
    var main = document.getElementById("main-content");
    if (main && window.MutationObserver) {
      new MutationObserver(later).observe(main, { childList: true, subtree: true });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
