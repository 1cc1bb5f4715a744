/* The book's tables (wra_book/tables.py loads this on pages that hold one).

   1. Long tables (data-wra-long) become sortable and filterable with the
      vendored DataTables library: no paging (every row stays on the page, for
      print and for the browser's own find), the rows' order as written until a
      reader sorts, a filter box, and a count of the rows shown. DataTables
      moves the page's own row elements; it never rewrites a cell.
   2. A table wider than its frame says so: the frame gets the class
      wra-scrolls (wra-tables.css draws its edge shadow) and a line above it,
      "Scroll sideways for more columns". Keyboard access to the frame is the
      theme's: it makes every .pst-scrollable-table-container that scrolls a tab
      stop, and DataTables' frame gets that class too.
   3. Printing: the filter is cleared and collapsed tables are opened, so the
      printed page holds every row. */
(function () {
  "use strict";

  var tables = [];

  function rows(n) { return n === 1 ? "1 row" : n + " rows"; }

  function enhance(table) {
    if (typeof window.DataTable !== "function" || table.hasAttribute("data-wra-enhanced")) return;
    var dt = new window.DataTable(table, {
      paging: false,
      order: [],
      autoWidth: false,
      layout: { topStart: null, topEnd: "search", bottomStart: "info", bottomEnd: null },
      language: {
        search: "Filter rows:",
        searchPlaceholder: "words in any column",
        zeroRecords: "No row matches the filter.",
        emptyTable: "No rows.",
      },
      infoCallback: function (settings, start, end, max, total) {
        return total === max ? "All " + rows(max) + "." : rows(total) + " of " + max + " match the filter.";
      },
    });
    table.setAttribute("data-wra-enhanced", "");
    tables.push(dt);
  }

  var CUE = "wra-scroll-cue";

  function cue(wrap) {
    var frame = wrap.querySelector(".dt-layout-table > .dt-layout-cell") || wrap;
    frame.classList.add("pst-scrollable-table-container");
    var wide = frame.scrollWidth > frame.clientWidth + 1;
    frame.classList.toggle("wra-scrolls", wide);
    var line = wrap.previousElementSibling;
    var has = line && line.classList.contains(CUE);
    if (wide && !has) {
      line = document.createElement("p");
      line.className = CUE;
      line.textContent = "Scroll sideways for more columns \u2192";
      wrap.parentNode.insertBefore(line, wrap);
    } else if (!wide && has) {
      line.parentNode.removeChild(line);
    }
  }

  function cues() {
    var wraps = document.querySelectorAll(".wra-table-wrap");
    for (var i = 0; i < wraps.length; i++) cue(wraps[i]);
  }

  function beforePrint() {
    for (var i = 0; i < tables.length; i++) tables[i].search("").draw();
    var closed = document.querySelectorAll("details.wra-full-table:not([open])");
    for (var j = 0; j < closed.length; j++) closed[j].setAttribute("open", "");
  }

  var timer = null;
  function later() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; cues(); }, 150);
  }

  function start() {
    var long = document.querySelectorAll("table.wra-table[data-wra-long]");
    for (var i = 0; i < long.length; i++) enhance(long[i]);
    cues();
    window.addEventListener("resize", later);
    window.addEventListener("beforeprint", beforePrint);
    // a collapsed table measures only once it is opened
    document.addEventListener("toggle", later, true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
