/* Site search: Pagefind's index (pagefind/ in the site), in Material's search box.
 *  - Loads nothing until a reader points at, touches or focuses the box: then search-worker.js,
 *    which runs pagefind.js, its WebAssembly and the index fragments the typed words need in a
 *    worker (all from this site; no CDN), and sends back only the rows drawn.
 *  - Results: title, the claim's confidence badge and kind, an excerpt with the words marked.
 *  - Filters (kind, theme, claim type, confidence, setting) from the index's own filter data.
 *  - Keyboard: "/" or the header button opens; Down/Up move through the results; Escape closes
 *    and gives focus back. A live status counts the results for screen readers.
 * Text from the index is always put in as text (textContent); an excerpt keeps only <mark>. */
(function () {
  "use strict";

  var script = document.currentScript;

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

  var workerUrl = new URL("search-worker.js", script.src).href;

  var engine = null;      // {send(message)}: search-worker.js, in a worker or in the page
  var seq = 0;            // the newest search; answers to older ones are dropped
  var shown = null;       // {id, total, rows, drawn, first, then}: the answer being drawn
  var selects = {};
  var returnFocus = null;
  var filtersTimer = 0;
  var filtersBuilt = false;
  var filtersAsked = false;
  var lastSearch = null;  // replayed to a fresh worker, or to the page if it has to do the work

  dialog.hidden = false;
  if (opener) opener.hidden = false;

  function unavailable() {
    status.textContent = "Search is not available: this copy of the site has no search index. " +
      "Build the site with mkdocs build (the index is made as part of the build).";
  }

  // A search Pagefind has begun cannot be stopped, and a word on the way can cost seconds
  // ("autho" matches every author "Author0000" to "Author1999"): once an overtaken search has
  // been scoring this long, its worker is stopped and a fresh one answers the newest query
  // (about 0.15 s to start again, from the browser's cache).
  var OVERTAKEN_MS = 250;
  var FILTERS_AFTER_MS = 800;

  function load() {
    if (engine) return engine;
    var hello = { type: "init", pagefind: new URL("pagefind.js", bundle).href, baseUrl: siteRoot,
      excerptLength: 24 };
    var everReady = false;
    var current = null;   // {worker, scoring: {id, since} | null}
    var watch = 0;

    function hand(send) {
      // An engine (the first worker, a fresh one, or the page) is told where Pagefind is and
      // given the newest query and the filters still owed; it ignores what it is given twice.
      send(hello);
      if (lastSearch && lastSearch.id === seq) send(lastSearch);
      if (filtersAsked && !filtersBuilt) send({ type: "filters" });
    }

    function heard(me, msg) {
      // One engine's message; `me` is its worker, null for the engine in the page.
      if (me && current !== me) return;  // a stopped worker's last words
      if (msg.type === "ready") everReady = true;
      else if (msg.type === "failed") {
        if (me && !everReady) { me.worker.terminate(); inPage(); } else unavailable();
      } else if (msg.type === "scoring") {
        if (me) { me.scoring = { id: msg.id, since: Date.now() }; restartIfOvertaken(); }
      } else if (msg.type === "scored") {
        if (me) me.scoring = null;
      } else received(msg);
    }

    function inPage() {
      // No module workers here (or the worker failed to start): the same engine, in the page.
      current = null;
      var queued = [];
      engine.send = function (msg) { queued.push(msg); };
      import(workerUrl).then(function (mod) {
        var receive = mod.searchServer(function (msg) { heard(null, msg); });
        engine.send = receive;
        hand(receive);
        queued.forEach(receive);
      }, unavailable);
    }

    function startWorker() {
      var me = { worker: new Worker(workerUrl, { type: "module" }), scoring: null };
      me.worker.addEventListener("message", function (ev) { heard(me, ev.data); });
      me.worker.addEventListener("error", function () {
        if (current === me && !everReady) { me.worker.terminate(); inPage(); }
      });
      hand(function (msg) { me.worker.postMessage(msg); });
      return me;
    }

    function restartIfOvertaken() {
      window.clearTimeout(watch);
      var busy = current && current.scoring;
      if (!busy || busy.id === seq) return;
      var wait = busy.since + OVERTAKEN_MS - Date.now();
      if (wait > 0) { watch = window.setTimeout(restartIfOvertaken, wait); return; }
      current.worker.terminate();
      current = startWorker();
    }

    engine = {
      send: function (msg) {
        current.worker.postMessage(msg);
        if (msg.type === "search") restartIfOvertaken();
      },
    };
    try {
      current = startWorker();
    } catch (e) {
      inPage();
    }
    return engine;
  }

  function askFilters() {
    window.clearTimeout(filtersTimer);
    if (filtersAsked) return;
    filtersAsked = true;
    load().send({ type: "filters" });
  }

  /* ---- open and close ------------------------------------------------------------ */

  function open(fromButton) {
    if (fromButton) returnFocus = document.activeElement;
    toggle.checked = true;
    if (opener) opener.setAttribute("aria-expanded", "true");
    window.clearTimeout(filtersTimer);
    filtersTimer = window.setTimeout(function () {
      if (!input.value) askFilters();
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

  function buildFilters(all) {
    if (filtersBuilt) return;
    filtersBuilt = true;
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

  function received(msg) {
    if (msg.type === "filters") { buildFilters(msg.all || {}); return; }
    if (msg.id !== seq) return;  // an answer to a query the reader has typed past
    if (msg.type === "found") {
      list.textContent = "";
      list.setAttribute("data-ev-query", lastSearch.q);  // which query the list answers (tests, bench)
      shown = { id: msg.id, total: msg.total, rows: [], drawn: 0, first: true };
      more.hidden = true;
    } else if (msg.type === "row" && shown) {
      // Each result is drawn as soon as it and those above it have arrived, so the first
      // one shows without waiting for the other nine.
      shown.rows[msg.index] = msg.row;
      while (shown.rows[shown.drawn]) list.appendChild(resultItem(shown.rows[shown.drawn++]));
    } else if (msg.type === "done" && shown) {
      more.hidden = msg.left === 0;
      if (shown.first) {
        shown.first = false;
        var q = lastSearch.q;
        var filters = lastSearch.filters;
        var n = shown.total;
        var what = q ? " for \u201c" + q + "\u201d" : "";
        status.textContent = n ? plural(n, "result") + what + (filters ? ", filtered" : "") + "."
          : "No results" + what + (filters ? " with these filters" : "") + ".";
        // The filter lists (most of the index's bytes at 10,000 claims) load once the reader
        // stops typing, so they never compete with the searches for the letters on the way.
        window.clearTimeout(filtersTimer);
        if (!filtersAsked) filtersTimer = window.setTimeout(askFilters, FILTERS_AFTER_MS);
      }
      if (shown.then) { var then = shown.then; shown.then = null; then(); }
    } else if (msg.type === "error") {
      status.textContent = "The search failed. Try again, or use the claims table and the browse pages.";
    }
  }

  more.addEventListener("click", function () {
    if (!shown) return;
    var from = list.children.length;
    more.hidden = true;
    shown.then = function () {
      var next = list.children[from] && list.children[from].querySelector("a");
      if (next) next.focus();
    };
    load().send({ type: "more", id: shown.id });
  });

  function run() {
    var mine = ++seq;
    var q = input.value.trim();
    var filters = chosenFilters();
    shown = null;
    if (!q && !filters) {
      list.textContent = "";
      more.hidden = true;
      status.textContent = "Type to search, or choose a filter.";
      return;
    }
    lastSearch = { type: "search", id: mine, q: q, filters: filters };
    load().send(lastSearch);
  }

  // How long a query waits for the next keystroke before it is searched. One or two letters
  // match every word they begin (thousands of index entries at 10,000 claims): they wait
  // for the reader to stop typing (300 ms is longer than the gap between keys of all but the
  // slowest typists), or Pagefind would be busy with them when the whole word arrives.
  // Longer queries wait only long enough to gather keystrokes that come at once (a paste,
  // autocompletion): a query overtaken on the way is dropped or stopped (OVERTAKEN_MS).
  function settle(q) {
    return q.trim().length < 3 ? 300 : 25;
  }

  var timer = 0;
  input.addEventListener("input", function () {
    window.clearTimeout(filtersTimer);  // the filters wait for the reader to stop typing
    window.clearTimeout(timer);
    timer = window.setTimeout(run, settle(input.value));
  });
})();
