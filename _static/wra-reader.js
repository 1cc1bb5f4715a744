/* The reader's shell (tests/test_reader.py): keyboard access to every frame
   that scrolls. A table wider than the page scrolls inside its frame; a
   reader without a mouse reaches it with Tab and scrolls it with the arrow
   keys, and a screen reader announces it by its caption. The frames are found
   by their computed style, so this holds for any table or output that
   scrolls, whatever draws it; frames that fit (a wide window) are left out of
   the tab order. (Images say what they show from the build: wra_book/twins.py
   gives each the opening of its caption, or of the paragraph after it.) */
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

  var timer = null;
  function later() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; update(); }, 200);
  }

  function start() {
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
