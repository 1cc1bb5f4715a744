/* The chapter list on a wide screen (the theme's primary sidebar).

   The theme scrolls the list so the current page's link sits a quarter of the
   way down whenever that link is below half the window, even when it would be
   in view unscrolled: on every chapter page at 1366 x 768 that pushed the
   book's title and the search field off screen. Here the list goes back to
   its top when the current page's link is in view there. A position the theme
   remembered from the reader's own scrolling (sessionStorage) is kept.
   The search field is pinned to the top of the list (wra-reader.css), so it
   stays in view however far the list scrolls. Checked by tests/test_reader.py. */
(function () {
  "use strict";

  // read before the theme's deferred script runs, which restores this position
  var remembered = true;
  try { remembered = window.sessionStorage.getItem("sidebar-scroll-top") !== null; } catch (e) { /* no storage */ }

  function settle() {
    if (remembered) return;
    var sidebar = document.querySelector("div.bd-sidebar");
    var nav = document.querySelector(".bd-docs-nav");
    if (!sidebar || !nav || sidebar.scrollTop === 0) return;
    var active = nav.querySelectorAll(".active > a");
    if (!active.length) return;
    var link = active[active.length - 1];
    var bottom = link.getBoundingClientRect().bottom - sidebar.getBoundingClientRect().top + sidebar.scrollTop;
    if (bottom <= sidebar.clientHeight) sidebar.scrollTop = 0;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", settle);
  } else {
    settle();
  }
})();
