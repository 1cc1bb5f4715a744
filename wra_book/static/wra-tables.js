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
      printed page holds every row: before the browser prints, and when print
      media takes over (a page opened for printing, as tools/pdf.py opens the
      whole book: Chromium would lay a closed table out squeezed).
   4. The filter finds a name in any of its forms: each row's first cell gets
      a data-search holding its text and every form of every name the row
      mentions (wra-find.js, from the record's names tables), so "Gaotai",
      "gaotai", "Gāotái" and "高台" find the same rows. DataTables filters on
      data-search and ignores case and tone marks in what is typed.
   5. A long table's row with a cell more than 48 px taller than --wra-clamp
      (wra-tables.css: 20rem on a laptop, 12rem a cell on a phone, where rows
      are cards) shows the first
      --wra-clamp of each cell, the cut faded, and a button in its first cell,
      "Show all", that opens the whole row (and "Show less" closes it).
      Each cell's content is moved, as nodes, into a div.wra-cell that clips.
      Printing shows every row whole.
   7. On a phone a long table's rows are cards: each cell gets its column's
      header as data-label, which wra-tables.css shows before it (without
      scripts the table stays a table that scrolls sideways). A stacked table
      (wra-stack, chapter 06's) is left to wra.css, which sets its rows as
      blocks without a script.
   6. An opened full table (details.wra-full-table) is wider than the text on
      a wide screen (wra-tables.css); while it is on screen the page's contents
      list folds away, with sphinx-book-theme's own class for that ("hide", as
      the theme does for full-width cells). */
(function () {
  "use strict";

  var tables = [];

  function rows(n) { return n === 1 ? "1 row" : n + " rows"; }

  // DataTables reads a data-search value as HTML when it holds "&" (it decodes
  // entities through innerHTML): the value is the cell's text, so it is escaped
  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // the row's first cell answers for every name the row mentions, in all its forms
  function searchable(table) {
    var find = window.wraFind;
    var rows = table.tBodies.length ? table.tBodies[0].rows : [];
    for (var i = 0; i < rows.length; i++) {
      var first = rows[i].cells[0];
      if (!first) continue;
      var own = first.textContent;
      // the cells' texts apart: a row's textContent runs one cell into the next
      // ("Capture of GaotaiS064"), and a name is found as a whole word
      var text = Array.prototype.map.call(rows[i].cells, function (c) { return c.textContent; }).join(" ");
      var names = find ? find.mentioned(text) : [];
      first.setAttribute("data-search", escapeHtml(names.length ? own + " " + names.join(" ") : own));
    }
  }

  // on a phone the rows are cards (wra-tables.css, table.wra-cards): each cell
  // names its column, and running text (a wra-prose header) stands under it
  function cards(table) {
    // a stacked table (tables.show(..., stack=True)) is set as blocks by wra.css
    // already, each cell under its column's name: no second labelling
    if (table.classList.contains("wra-stack")) return;
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var rows = table.tBodies.length ? table.tBodies[0].rows : [];
    for (var i = 0; i < rows.length; i++) {
      for (var j = 0; j < rows[i].cells.length && j < heads.length; j++) {
        rows[i].cells[j].setAttribute("data-label", heads[j].textContent.trim());
        if (heads[j].classList.contains("wra-prose")) rows[i].cells[j].classList.add("wra-prose");
      }
    }
    table.classList.add("wra-cards");
  }

  function enhance(table) {
    if (typeof window.DataTable !== "function" || table.hasAttribute("data-wra-enhanced")) return;
    cards(table);
    searchable(table);
    var dt = new window.DataTable(table, {
      paging: false,
      order: [],
      autoWidth: false,
      layout: { topStart: null, topEnd: "search", bottomStart: "info", bottomEnd: null },
      language: {
        search: "Filter rows:",
        searchPlaceholder: "e.g. Gaotai, 高台, D12",
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

  // ---- tall rows: clipped, with a button that opens the row -------------

  function clampHeight(table) {
    var value = window.getComputedStyle(table).getPropertyValue("--wra-clamp").trim();
    var rem = parseFloat(window.getComputedStyle(document.documentElement).fontSize) || 16;
    var n = parseFloat(value);
    if (!n) return Infinity;
    return /rem$/.test(value) ? n * rem : n;
  }

  function wrapCells(row) {
    if (row.hasAttribute("data-wra-cells")) return;
    for (var i = 0; i < row.cells.length; i++) {
      var td = row.cells[i];
      var div = document.createElement("div");
      div.className = "wra-cell";
      while (td.firstChild) div.appendChild(td.firstChild);
      td.appendChild(div);
    }
    row.setAttribute("data-wra-cells", "");
  }

  function toggleRow(event) {
    var button = event.currentTarget;
    var row = button.closest("tr");
    var open = !row.classList.contains("wra-open");
    row.classList.toggle("wra-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "Show less" : "Show all";
    if (!open && row.getBoundingClientRect().top < 0) row.scrollIntoView({ block: "start" });
  }

  function clamp(table) {
    var limit = clampHeight(table);
    var rows = table.tBodies.length ? table.tBodies[0].rows : [];
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      wrapCells(row);
      if (row.classList.contains("wra-open")) continue;
      var tall = false;
      var cells = row.querySelectorAll(":scope > td > .wra-cell");
      for (var j = 0; j < cells.length; j++) {
        // measured unclipped (scrollHeight is the content's whole height); a cell
        // only a little taller than the limit is left whole
        var cut = cells[j].scrollHeight > limit + 48;
        cells[j].classList.toggle("wra-cut", cut);
        tall = tall || cut;
      }
      row.classList.toggle("wra-tall", tall);
      var button = row.cells[0] && row.cells[0].querySelector(":scope > .wra-row-toggle");
      if (tall && !button) {
        button = document.createElement("button");
        button.type = "button";
        button.className = "wra-row-toggle";
        button.textContent = "Show all";
        button.setAttribute("aria-expanded", "false");
        button.addEventListener("click", toggleRow);
        row.cells[0].appendChild(button);
      } else if (!tall && button) {
        button.parentNode.removeChild(button);
      }
    }
  }

  function clamps() {
    var long = document.querySelectorAll("table.wra-table[data-wra-enhanced]");
    for (var i = 0; i < long.length; i++) clamp(long[i]);
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

  // ---- the contents list folds away while an opened full table is on screen

  function foldContents() {
    var toc = document.querySelector("div.bd-sidebar-secondary");
    var full = document.querySelectorAll("details.wra-full-table");
    if (!toc || !full.length || typeof window.IntersectionObserver !== "function") return;
    var seen = new Set();
    var folded = false;
    function update() {
      var show = false;
      seen.forEach(function (d) { if (d.open) show = true; });
      if (show && !toc.classList.contains("hide")) { toc.classList.add("hide"); folded = true; }
      else if (!show && folded) { toc.classList.remove("hide"); folded = false; }
    }
    var observer = new window.IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) seen.add(e.target); else seen.delete(e.target); });
      update();
    }, { rootMargin: "0px 0px -33% 0px" });
    for (var i = 0; i < full.length; i++) {
      observer.observe(full[i]);
      full[i].addEventListener("toggle", update);
    }
  }

  function beforePrint() {
    for (var i = 0; i < tables.length; i++) tables[i].search("").draw();
    var closed = document.querySelectorAll("details.wra-full-table:not([open])");
    for (var j = 0; j < closed.length; j++) closed[j].setAttribute("open", "");
  }

  var timer = null;
  function later() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; clamps(); cues(); }, 150);
  }

  function start() {
    var long = document.querySelectorAll("table.wra-table[data-wra-long]");
    for (var i = 0; i < long.length; i++) enhance(long[i]);
    clamps();
    cues();
    foldContents();
    window.addEventListener("resize", later);
    window.addEventListener("beforeprint", beforePrint);
    if (typeof window.matchMedia === "function") {
      var printing = window.matchMedia("print");
      if (printing.matches) beforePrint();
      printing.addEventListener("change", function (e) { if (e.matches) beforePrint(); });
    }
    // a collapsed table measures only once it is opened
    document.addEventListener("toggle", later, true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
