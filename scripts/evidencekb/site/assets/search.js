/* Site search: Pagefind's index (pagefind/ in the site), in Material's search box.
 *  - Loads nothing until a reader points at, touches or focuses the box: then pagefind.js, its WebAssembly and the index
 *    fragments the typed words need (all from this site; no CDN).
 *  - Results: title, the claim's confidence badge and kind, an excerpt with the words marked.
 *  - Filters (kind, theme, claim type, confidence, setting) from the index's own filter data.
 *  - Keyboard: "/" or the header button opens; Down/Up move through the results; Escape closes
 *    and gives focus back. A live status counts the results for screen readers.
 * Text from the index is always put in as text (textContent); an excerpt keeps only <mark>. */
(function () {
  "use strict";

  var PAGE = 10;
  var FILTERS = [["kind", "Kind of page"], ["theme", "Theme"], ["type", "Kind of claim"],
    ["confidence", "Confidence"], ["setting", "Setting"]];
  var LEVEL_ORDER = ["High", "Moderate", "Low", "Very low"];

  var dialog = document.getElementById("ev-search");
  var toggle = document.getElementById("__search");
  if (!dialog || !toggle || !window.fetch || !window.Promise) return;
  var opener = document.querySelector(".ev-search-open");
  var input = dialog.querySelector(".ev-search__input");
  var form = dialog.querySelector("form");
  var status = document.getElementById("ev-search-status");
  var list = dialog.querySelector(".ev-search__results");
  var more = dialog.querySelector(".ev-search__more");
  var fieldset = dialog.querySelector(".ev-search__filters");
  var bundle = new URL(dialog.getAttribute("data-ev-search"), window.location.href);
  var siteRoot = new URL("../", bundle).pathname;

  var engine = null;      // Promise of the Pagefind module
  var seq = 0;            // the newest search; older answers are dropped
  var pending = [];       // results not shown yet ("Show more")
  var selects = {};
  var returnFocus = null;
  var filtersTimer = 0;
  var filtersBuilt = false;

  dialog.hidden = false;
  if (opener) opener.hidden = false;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind.js", bundle).href).then(function (pf) {
        // init() starts Pagefind's WebAssembly and its entry file now, while the reader is
        // still typing, instead of on the first search.
        return Promise.resolve(pf.options({ baseUrl: siteRoot, excerptLength: 24 })).then(function () {
          return pf.init();
        }).then(function () {
          return pf;
        });
      });
      // The filter lists load after the first answer (or when the box stays empty for a
      // moment after opening), so they never compete with a search: at 10,000 claims they
      // are most of the index's bytes.
      engine.then(function () {}, function () {
        status.textContent = "Search is not available: this copy of the site has no search index. " +
          "Build the site with mkdocs build (the index is made as part of the build).";
      });
    }
    return engine;
  }

  /* ---- open and close ------------------------------------------------------------ */

  function open(fromButton) {
    if (fromButton) returnFocus = document.activeElement;
    toggle.checked = true;
    if (opener) opener.setAttribute("aria-expanded", "true");
    window.clearTimeout(filtersTimer);
    filtersTimer = window.setTimeout(function () {
      if (!input.value) load().then(buildFilters);
    }, 1500);
    load();
    if (document.activeElement !== input) input.focus();
  }

  function close() {
    toggle.checked = false;
    if (opener) opener.setAttribute("aria-expanded", "false");
    var back = returnFocus;
    returnFocus = null;
    if (back && back.focus && document.contains(back)) back.focus();
    else if (dialog.contains(document.activeElement)) document.activeElement.blur();
  }

  // Pagefind starts (its script, WebAssembly and entry file) at the first sign that a
  // reader means to search: a pointer over the box or the button, a touch, or focus.
  ["pointerenter", "touchstart"].forEach(function (type) {
    [dialog, opener].forEach(function (el) {
      if (el) el.addEventListener(type, function () { load(); }, { passive: true, once: true });
    });
  });
  if (opener) opener.addEventListener("click", function () { open(true); });
  input.addEventListener("focus", function () { if (!toggle.checked) open(false); });
  toggle.addEventListener("change", function () { if (!toggle.checked) close(); });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var first = list.querySelector("a");
    if (first) first.focus();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { run(); input.focus(); }, 0);
  });

  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (ev.key === "/" && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      open(true);
    } else if (ev.key === "Escape" && toggle.checked) {
      ev.preventDefault();
      close();
    }
  });

  dialog.addEventListener("keydown", function (ev) {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    if (document.activeElement === input) at = -1;
    else if (at < 0) return;  // arrows inside a filter list change the filter
    ev.preventDefault();
    var next = ev.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) input.focus();
    else links[Math.min(next, links.length - 1)].focus();
  });

  /* ---- filters ------------------------------------------------------------------- */

  function buildFilters(pf) {
    window.clearTimeout(filtersTimer);
    if (filtersBuilt) return Promise.resolve();
    filtersBuilt = true;
    return Promise.resolve(pf.filters()).then(function (all) {
      var any = false;
      FILTERS.forEach(function (f) {
        var counts = all[f[0]];
        if (!counts || !Object.keys(counts).length) return;
        any = true;
        var id = "ev-search-f-" + f[0];
        var wrap = document.createElement("div");
        wrap.className = "ev-search__filter";
        var label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = f[1];
        var sel = document.createElement("select");
        sel.id = id;
        var anyOpt = document.createElement("option");
        anyOpt.value = "";
        anyOpt.textContent = "Any";
        sel.appendChild(anyOpt);
        var names = Object.keys(counts).sort(function (a, b) {
          if (f[0] === "confidence") return LEVEL_ORDER.indexOf(a) - LEVEL_ORDER.indexOf(b);
          return a.localeCompare(b);
        });
        names.forEach(function (name) {
          var o = document.createElement("option");
          o.value = name;
          o.textContent = name + " (" + counts[name] + ")";
          sel.appendChild(o);
        });
        sel.addEventListener("change", run);
        wrap.appendChild(label);
        wrap.appendChild(sel);
        fieldset.appendChild(wrap);
        selects[f[0]] = sel;
      });
      fieldset.hidden = !any;
      if (!input.value && status.textContent === "Type to search.") {
        status.textContent = "Type to search, or choose a filter.";
      }
    });
  }

  function chosenFilters() {
    var out = {};
    var n = 0;
    Object.keys(selects).forEach(function (k) {
      if (selects[k].value) { out[k] = selects[k].value; n++; }
    });
    return n ? out : null;
  }

  /* ---- searching and showing results -------------------------------------------- */

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function excerptNodes(html) {
    // Pagefind's excerpt is escaped text with <mark> around the matches: keep just that.
    var doc = new DOMParser().parseFromString("<p>" + (html || "") + "</p>", "text/html");
    var frag = document.createDocumentFragment();
    Array.prototype.forEach.call(doc.body.firstChild ? doc.body.firstChild.childNodes : [], function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        frag.appendChild(m);
      } else {
        frag.appendChild(document.createTextNode(node.textContent));
      }
    });
    return frag;
  }

  function resultItem(r) {
    var meta = r.meta || {};
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = r.url;
    var art = document.createElement("article");
    art.className = "md-search-result__article md-typeset";
    var h = document.createElement("h3");
    h.textContent = meta.title || r.url;
    art.appendChild(h);
    var line = document.createElement("p");
    line.className = "ev-search__kind";
    if (meta.confidence && /^[a-z_-]+$/.test(meta.level || "")) {
      var badge = document.createElement("span");
      badge.className = "ev-level ev-level--small ev-level--" + meta.level;
      badge.textContent = meta.confidence;
      line.appendChild(badge);
      line.appendChild(document.createTextNode(" "));
    }
    if (meta.type) {
      var kind = document.createElement("span");
      kind.className = "ev-muted";
      kind.textContent = meta.type;
      line.appendChild(kind);
    }
    art.appendChild(line);
    var p = document.createElement("p");
    p.className = "ev-search__excerpt";
    p.appendChild(excerptNodes(r.excerpt));
    art.appendChild(p);
    a.appendChild(art);
    li.appendChild(a);
    return li;
  }

  function showMore(mine) {
    var batch = pending.splice(0, PAGE);
    more.hidden = true;
    // Each result is drawn as soon as it and those above it have arrived, so the first
    // one shows without waiting for the other nine.
    var items = batch.map(function () { return null; });
    var drawn = 0;
    return Promise.all(batch.map(function (r, i) {
      return r.data().then(function (row) {
        items[i] = row;
        if (mine !== seq) return;
        while (drawn < items.length && items[drawn]) list.appendChild(resultItem(items[drawn++]));
      });
    })).then(function () {
      if (mine !== seq) return;
      more.hidden = pending.length === 0;
    });
  }

  more.addEventListener("click", function () {
    var shown = list.children.length;
    showMore(seq).then(function () {
      var next = list.children[shown] && list.children[shown].querySelector("a");
      if (next) next.focus();
    });
  });

  function run() {
    var mine = ++seq;
    var q = input.value.trim();
    var filters = chosenFilters();
    if (!q && !filters) {
      pending = [];
      list.textContent = "";
      more.hidden = true;
      status.textContent = "Type to search, or choose a filter.";
      return Promise.resolve();
    }
    return load().then(function (pf) {
      return pf.search(q || null, filters ? { filters: filters } : {});
    }).then(function (found) {
      if (mine !== seq || !found) return;
      pending = found.results.slice();
      list.textContent = "";
      list.setAttribute("data-ev-query", q);  // which query the list answers (tests, bench)
      return showMore(mine).then(function () {
        if (!filtersBuilt) engine.then(buildFilters);
        if (mine !== seq) return;
        var n = found.results.length;
        var what = q ? " for \u201c" + q + "\u201d" : "";
        status.textContent = n ? plural(n, "result") + what + (filters ? ", filtered" : "") + "."
          : "No results" + what + (filters ? " with these filters" : "") + ".";
      });
    }, function () { /* status already says search is unavailable */ });
  }

  // How long a query waits for the next keystroke before it is searched. One or two letters
  // match every word they begin (thousands of index entries at 10,000 claims): searching them
  // while the reader is still typing would keep Pagefind busy when the whole word arrives.
  // Longer queries wait only long enough to gather keystrokes that come at once (a paste,
  // a fast typist, autocompletion).
  function settle(q) {
    var n = q.trim().length;
    return n < 2 ? 220 : n < 3 ? 110 : 25;
  }

  var timer = 0;
  input.addEventListener("input", function () {
    window.clearTimeout(filtersTimer);  // the first answer builds the filters
    window.clearTimeout(timer);
    timer = window.setTimeout(run, settle(input.value));
  });
})();
