/* The glossary's filter (wra_book/glossary.py writes the place for it).

   Typed words show only the entries that hold every one of them, in the term
   or its note, case and tone marks ignored; a name matches in any of its
   forms, Chinese, pinyin or English (wra-find.js): "Gaotai", "gaotai",
   "Gāotái" and "高台" show the same entries. A kind with no entry left hides
   its heading. A line says how many entries are shown; Escape clears. */
(function () {
  "use strict";

  function entries(root) {
    var out = [];
    var terms = root.querySelectorAll("dl.glossary > dt");
    for (var i = 0; i < terms.length; i++) {
      var dt = terms[i];
      var parts = [dt];
      var next = dt.nextElementSibling;
      while (next && next.tagName === "DD") { parts.push(next); next = next.nextElementSibling; }
      var text = parts.map(function (p) { return p.textContent; }).join(" ");
      out.push({ parts: parts, list: dt.parentNode, terms: window.wraFind ? window.wraFind.terms(text) : text });
    }
    return out;
  }

  function entriesWord(n) { return n === 1 ? "1 entry" : n + " entries"; }

  function start() {
    var place = document.querySelector(".wra-glossary-find");
    if (!place || !window.wraFind) return;
    var root = place.parentNode;
    var all = entries(root);
    var lists = Array.prototype.slice.call(root.querySelectorAll("dl.glossary"));

    var label = document.createElement("label");
    label.htmlFor = "wra-glossary-filter";
    label.textContent = "Filter the glossary: ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "wra-glossary-filter";
    input.placeholder = "e.g. Gaotai, 高台, Chen Changhao";
    input.autocomplete = "off";
    var count = document.createElement("p");
    count.className = "wra-glossary-count";
    count.setAttribute("role", "status");
    count.textContent = "All " + entriesWord(all.length) + ".";
    place.appendChild(label);
    place.appendChild(input);
    place.appendChild(count);

    function apply() {
      var query = input.value.trim();
      var shown = 0;
      var inList = new Map();
      all.forEach(function (entry) {
        var hit = !query || window.wraFind.matches(query, entry.terms);
        entry.parts.forEach(function (p) { p.hidden = !hit; });
        if (hit) shown += 1;
        inList.set(entry.list, (inList.get(entry.list) || 0) + (hit ? 1 : 0));
      });
      lists.forEach(function (list) {
        var none = !inList.get(list);
        list.hidden = none;
        var heading = list.previousElementSibling;
        if (heading && heading.classList.contains("rubric")) heading.hidden = none;
      });
      count.textContent = !query
        ? "All " + entriesWord(all.length) + "."
        : shown === 0 ? "No entry matches." : entriesWord(shown) + " of " + all.length + " match.";
    }

    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { input.value = ""; apply(); }
    });
    // printing shows the whole glossary
    window.addEventListener("beforeprint", function () { input.value = ""; apply(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
