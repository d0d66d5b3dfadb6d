/* Vietnamese folding for search: the JavaScript twin of generator/folding.py (same results, checked by
 * tests/test_folding.py in the browser). Runs in pages: the assignment finder (finder.js) and the site search
 * (search.js, which loads it when a reader first uses the search box).
 *
 * "Sở Nội vụ", "so noi vu" and "SO NOI VU" fold to the same terms; đ/Đ fold to d by hand (no Unicode
 * decomposition); abbreviations are expanded in the index and contracted in queries.
 */
(function (root) {
  "use strict";

  // ABBREVIATIONS of generator/folding.py, written in here by the generator when it copies this file into the
  // site (folding.fold_js): one table, kept in Python.
  var ABBREVIATIONS = /* ABBREVIATIONS */ {};
  var PIPELINE_NAME = "foldVi";
  var COMBINING = /\p{Mn}/gu;            // every nonspacing mark, as Python's category "Mn"
  var TERM = /[0-9a-z]+/g;
  var EDGES = /^[^0-9a-z]+|[^0-9a-z]+$/g;

  // Long forms as term lists, longest first, then by abbreviation (same order as Python).
  var LONG_FORMS = Object.keys(ABBREVIATIONS).map(function (s) { return [ABBREVIATIONS[s].split(" "), s]; })
    .sort(function (a, b) { return (b[0].length - a[0].length) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });

  function fold(text) {
    var stripped = String(text).normalize("NFD").replace(COMBINING, "").replace(/đ/g, "d").replace(/Đ/g, "D");
    return stripped.normalize("NFC").toLowerCase();
  }

  function terms(text) {
    return fold(text).match(TERM) || [];
  }

  function foldToken(token) {
    return fold(token).replace(EDGES, "");
  }

  function startsAt(words, i, long) {
    if (i + long.length > words.length) return false;
    for (var k = 0; k < long.length; k++) if (words[i + k] !== long[k]) return false;
    return true;
  }

  function indexTerms(text) {
    var words = terms(text), extra = [], present = {}, i, k;
    for (i = 0; i < words.length; i++) present[words[i]] = true;
    Object.keys(ABBREVIATIONS).forEach(function (short) {
      if (present[short] === true) extra = extra.concat(ABBREVIATIONS[short].split(" "));
    });
    for (k = 0; k < LONG_FORMS.length; k++) {
      for (i = 0; i + LONG_FORMS[k][0].length <= words.length; i++) {
        if (startsAt(words, i, LONG_FORMS[k][0])) { extra.push(LONG_FORMS[k][1]); break; }
      }
    }
    return words.concat(extra);
  }

  function queryTerms(text) {
    var words = terms(text), out = [], i = 0, k, hit;
    while (i < words.length) {
      hit = false;
      for (k = 0; k < LONG_FORMS.length; k++) {
        if (startsAt(words, i, LONG_FORMS[k][0])) {
          out.push(LONG_FORMS[k][1]); i += LONG_FORMS[k][0].length; hit = true; break;
        }
      }
      if (!hit) { out.push(words[i]); i += 1; }
    }
    return out;
  }

  // The terms with every abbreviation written out in place: the site search (search.js) compares these
  // sequences at index and query time (search_terms in Python).
  function searchTerms(text) {
    var words = terms(text), out = [], i, long;
    for (i = 0; i < words.length; i++) {
      long = Object.prototype.hasOwnProperty.call(ABBREVIATIONS, words[i]) ? ABBREVIATIONS[words[i]] : null;
      if (long) out.push.apply(out, long.split(" ")); else out.push(words[i]);
    }
    return out;
  }

  // The lunr pipeline function, registered as "foldVi" (the Python index names it).
  function lunrFold(token) {
    var folded = token.update(foldToken).toString();
    return folded === "" ? undefined : token;
  }
  lunrFold.label = PIPELINE_NAME;

  function registerWith(lunr) {
    if (lunr && lunr.Pipeline && !lunr.Pipeline.registeredFunctions[PIPELINE_NAME]) {
      lunr.Pipeline.registerFunction(lunrFold, PIPELINE_NAME);
    }
  }

  var api = {
    ABBREVIATIONS: ABBREVIATIONS, PIPELINE_NAME: PIPELINE_NAME,
    fold: fold, terms: terms, foldToken: foldToken, indexTerms: indexTerms, queryTerms: queryTerms, searchTerms: searchTerms,
    lunrFold: lunrFold, registerWith: registerWith
  };
  root.PortalFold = api;
  if (root.lunr) registerWith(root.lunr);
})(typeof self !== "undefined" ? self : this);
