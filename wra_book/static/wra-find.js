/* What a reader types finds a name in any of its forms (wra_book/find.py).

   window.WRA_NAMES (written before this by the build) lists every name of the
   record's names tables as its forms: characters, pinyin, English. For a
   piece of text, wraFind.terms(text) gives the text followed by every form of
   every name it mentions, plain and folded (lower case, no tone marks, no
   spaces): a cell that says 高台 also answers "Gaotai", "gaotai" and
   "Gāotái", and one that says Gaotai answers "高台". wraFind.matches(query,
   terms) is the filter: every word of the query, folded, is in the folded
   terms (DataTables' own filter does the same on a cell's data-search).
   Characters are found anywhere; pinyin and English as whole words, with
   their capitals ("He Long" the man, not "he long"). */
(function () {
  "use strict";

  var CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

  function strip(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function fold(text) {
    return strip(text).toLowerCase();
  }

  function squeeze(text) {
    return fold(text).replace(/[\s'’\u2010-\u2015-]+/g, "");
  }

  function escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // each name: its forms, and a test for each form
  var names = (window.WRA_NAMES || []).map(function (forms) {
    var tests = forms.map(function (form) {
      if (CJK.test(form)) {
        return function (raw) { return raw.indexOf(form) !== -1; };
      }
      var word = new RegExp("(^|[^A-Za-z0-9])" + escape(strip(form)) + "(?![A-Za-z0-9])");
      return function (raw, stripped) { return word.test(stripped); };
    });
    var extra = [];
    forms.forEach(function (form) {
      [form, fold(form), squeeze(form)].forEach(function (f) {
        if (extra.indexOf(f) === -1) extra.push(f);
      });
    });
    return { tests: tests, terms: extra.join(" ") };
  });

  function mentioned(text) {
    var raw = String(text);
    var stripped = strip(raw);
    var out = [];
    for (var i = 0; i < names.length; i++) {
      for (var j = 0; j < names[i].tests.length; j++) {
        if (names[i].tests[j](raw, stripped)) { out.push(names[i].terms); break; }
      }
    }
    return out;
  }

  function terms(text) {
    var extra = mentioned(text);
    return extra.length ? text + " " + extra.join(" ") : String(text);
  }

  function matches(query, haystack) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    var folded = fold(haystack);
    for (var i = 0; i < words.length; i++) {
      if (folded.indexOf(words[i]) === -1) return false;
    }
    return true;
  }

  window.wraFind = { fold: fold, terms: terms, matches: matches, mentioned: mentioned };
})();
