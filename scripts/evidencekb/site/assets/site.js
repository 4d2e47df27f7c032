/* Evidence explorer: small progressive enhancements over pages that work without it.
 *  - "Cite this" blocks: fill in today's date, copy as plain text or as rich text.
 *  - The claims table: filter by theme, kind, setting, confidence, design, outcome, words.
 *  - Printing: show where each outside link goes, unless its text already says so.
 * No dependencies, no network requests except data/claims-index.json on a paged table. */
(function () {
  "use strict";

  var SLOT = "{accessed}";

  function today() {
    var d = new Date();
    var months = ["January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"];
    return d.getDate() + " " + months[d.getMonth()] + " " + d.getFullYear();
  }

  /* ---- Cite this ------------------------------------------------------------------ */

  function plainText(block) {
    var tpl = block.querySelector("template[data-ev-cite-text]");
    var text = tpl ? (tpl.content ? tpl.content.textContent : tpl.textContent) : "";
    var at = text.lastIndexOf(SLOT);
    return at < 0 ? text : text.slice(0, at) + today() + text.slice(at + SLOT.length);
  }

  function richHtml(block) {
    var body = block.querySelector("[data-ev-cite-html]");
    return body ? body.innerHTML.trim() : "";
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(kind, block) {
    var text = plainText(block);
    var clip = navigator.clipboard;
    if (kind === "html" && clip && clip.write && window.ClipboardItem) {
      var item = new window.ClipboardItem({
        "text/html": new Blob([richHtml(block)], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      });
      return clip.write([item]);
    }
    if (clip && clip.writeText) {
      return clip.writeText(text);
    }
    return fallbackCopy(text);
  }

  function setupCite(block) {
    var date = today();
    Array.prototype.forEach.call(block.querySelectorAll(".ev-accessed"), function (el) {
      el.textContent = date;
    });
    var actions = block.querySelector(".ev-cite__actions");
    var status = block.querySelector(".ev-cite__status");
    if (!actions) return;
    actions.hidden = false;
    Array.prototype.forEach.call(actions.querySelectorAll("button[data-ev-copy]"), function (button) {
      button.addEventListener("click", function () {
        var kind = button.getAttribute("data-ev-copy");
        status.textContent = "";
        copy(kind, block).then(function () {
          status.textContent = kind === "html"
            ? "Copied with formatting: paste it into a document or an email."
            : "Copied as plain text.";
        }, function () {
          status.textContent = "Your browser did not allow copying: select the text above and copy it by hand.";
        });
      });
    });
  }

  /* ---- The claims table ----------------------------------------------------------- */

  function setupTable(table) {
    var form = document.getElementById("ev-filters");
    var count = document.getElementById("ev-count");
    var empty = document.getElementById("ev-empty");
    if (!form || !count) return;
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var total = parseInt(table.getAttribute("data-total"), 10) || rows.length;
    var paged = (parseInt(table.getAttribute("data-pages"), 10) || 1) > 1;
    var root = table.getAttribute("data-root") || "";
    var index = null;
    var pagers = document.querySelectorAll(".ev-pager");
    var controls = Array.prototype.slice.call(form.querySelectorAll("[data-ev-filter]"));
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    var LIMIT = 500;

    var params = new URLSearchParams(window.location.search);
    controls.forEach(function (c) {
      var v = params.get(c.name);
      if (v === null) return;
      if (c.tagName === "SELECT") {
        var known = Array.prototype.some.call(c.options, function (o) { return o.value === v; });
        if (!known) {
          /* a value no claim on this page has (e.g. from a map cell): keep it, say so */
          var o = document.createElement("option");
          o.value = v; o.textContent = v;
          c.appendChild(o);
        }
      }
      c.value = v;
    });
    form.hidden = false;

    function wanted() {
      var w = {};
      controls.forEach(function (c) { if (c.value.trim()) w[c.name] = c.value.trim(); });
      return w;
    }

    function matches(facets, text, w) {
      for (var k in w) {
        if (k === "q") {
          var words = w.q.toLowerCase().split(/\s+/);
          for (var i = 0; i < words.length; i++) if (words[i] && text.indexOf(words[i]) < 0) return false;
        } else if ((facets[k] || []).indexOf(w[k]) < 0) {
          return false;
        }
      }
      return true;
    }

    function rowFacets(r) {
      var f = {};
      ["theme", "type", "setting", "level", "design", "outcome"].forEach(function (k) {
        var v = r.getAttribute("data-" + k);
        f[k] = v ? v.split(" ") : [];
      });
      return f;
    }
    var facets = rows.map(rowFacets);

    var caption = table.caption;
    var captionAll = caption ? caption.textContent : "";

    /* "theme: Does it reduce reoffending?; confidence: Low": the filters in words, for the
       caption and the live region, so a screen reader hears what the count counts. */
    function described(w) {
      return controls.filter(function (c) { return w[c.name]; }).map(function (c) {
        var label = form.querySelector('label[for="' + c.id + '"]');
        var name = label ? label.textContent.trim().toLowerCase() : c.name;
        var value = c.tagName === "SELECT" && c.selectedIndex >= 0 ? c.options[c.selectedIndex].textContent : w[c.name];
        return name + ": " + value;
      }).join("; ");
    }

    function say(shown, all, w) {
      var active = Object.keys(w).length > 0;
      var what = active ? described(w) : "";
      count.textContent = active
        ? shown + " of " + all + " claims match (" + what + ")"
        : all + " claims";
      if (caption) caption.textContent = active ? shown + " of " + all + " claims, filtered by " + what : captionAll;
      if (empty) empty.hidden = shown !== 0;
    }

    function syncUrl(w) {
      var q = new URLSearchParams();
      Object.keys(w).forEach(function (k) { q.set(k, w[k]); });
      var s = q.toString();
      window.history.replaceState(null, "", window.location.pathname + (s ? "?" + s : "") + window.location.hash);
    }

    function renderIndexRows(w) {
      var frag = document.createDocumentFragment();
      var shown = 0, matched = 0;
      index.rows.forEach(function (c) {
        var text = (c.title + " " + c.type + " " + c.themes).toLowerCase();
        if (!matches(c.facets, text, w)) return;
        matched++;
        if (shown >= LIMIT) return;
        shown++;
        var tr = document.createElement("tr");
        var a = document.createElement("a");
        a.href = root + "claims/" + encodeURIComponent(c.id) + "/"; a.textContent = c.title;
        var badge = document.createElement("span");
        badge.className = "ev-level ev-level--small ev-level--" + c.level;
        badge.textContent = index.levels[c.level] || c.level;
        var cells = [[a], ["Kind", c.type], ["Themes", c.themes], ["Confidence", badge], ["Sources", String(c.sources)]];
        cells.forEach(function (cell) {
          var td = document.createElement("td");
          var v = cell.length === 1 ? cell[0] : cell[1];
          if (cell.length === 2) td.setAttribute("data-label", cell[0]);
          if (typeof v === "string") td.textContent = v; else td.appendChild(v);
          tr.appendChild(td);
        });
        frag.appendChild(tr);
      });
      tbody.textContent = "";
      tbody.appendChild(frag);
      return matched;
    }

    function apply() {
      var w = wanted();
      syncUrl(w);
      var active = Object.keys(w).length > 0;
      if (paged && active) {
        if (!index) {
          count.textContent = "Searching all claims…";
          fetch(root + "data/claims-index.json").then(function (r) { return r.json(); }).then(function (data) {
            index = data; apply();
          }, function () { count.textContent = "Could not load the list of all claims; filtering this page only."; paged = false; apply(); });
          return;
        }
        Array.prototype.forEach.call(pagers, function (p) { p.hidden = true; });
        var matched = renderIndexRows(w);
        say(matched, total, w);
        if (matched > LIMIT) count.textContent += " (showing the first " + LIMIT + ": narrow the filters to see the rest)";
        return;
      }
      if (paged) {
        Array.prototype.forEach.call(pagers, function (p) { p.hidden = false; });
        if (tbody.rows.length !== rows.length || tbody.rows[0] !== rows[0]) {
          tbody.textContent = "";
          rows.forEach(function (r) { tbody.appendChild(r); });
        }
      }
      var shown = 0;
      rows.forEach(function (r, i) {
        var ok = matches(facets[i], texts[i], w);
        r.hidden = !ok;
        if (ok) shown++;
      });
      say(shown, paged ? rows.length : total, w);
    }

    var timer = null;
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); apply(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-ev-clear]"), function (link) {
      link.addEventListener("click", function (ev) { ev.preventDefault(); form.reset(); setTimeout(apply, 0); controls[0].focus(); });
    });
    if (Object.keys(wanted()).length) apply();
  }

  /* ---- Printing: say where links go, once ------------------------------------------ */

  /* A printed brief shows the address of an outside link after its text (site.css), except
     where the text already is the address; links inside the site print as text only. */
  function markLinksForPrint() {
    function bare(u) { return u.replace(/^https?:\/\//, "").replace(/\/$/, ""); }
    Array.prototype.forEach.call(document.querySelectorAll(".md-content a[href]"), function (a) {
      var text = a.textContent.trim();
      if (/^https?:/i.test(a.getAttribute("href") || "") && bare(a.href) === bare(text)) a.classList.add("ev-url-text");
    });
  }

  /* ---- The author index of a large base: #author-slug lives on a letter page ------- */

  function forwardAuthor() {
    var box = document.querySelector("[data-ev-author-pages]");
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!box || !id || document.getElementById(id)) return;
    fetch(box.getAttribute("data-ev-author-pages")).then(function (r) { return r.json(); }).then(function (pages) {
      if (Object.prototype.hasOwnProperty.call(pages, id)) window.location.replace(pages[id] + "#" + encodeURIComponent(id));
    }, function () { /* the letter links above still lead there */ });
  }

  /* Material wraps Markdown tables in a box that scrolls sideways on a phone, and code
     samples scroll too (YAML keeps its indentation, so it must not wrap); a keyboard user
     must be able to reach them (WCAG 2.1.1), so each scrolling box takes focus and has a name. */
  function focusableScrollBoxes() {
    var n = { table: 0, code: 0 };
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset pre > code"), function (box) {
      var code = box.tagName === "CODE";
      n[code ? "code" : "table"]++;
      if (box.hasAttribute("tabindex") || (code && box.scrollWidth <= box.clientWidth)) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var caption = box.querySelector("caption");
      var label = caption ? caption.textContent.trim() : "";
      if (!label) label = code ? "Code example " + n.code + " (scrolls sideways)" : "Table " + n.table;
      box.setAttribute("aria-label", label);
    });
  }

  function init() {
    focusableScrollBoxes();
    forwardAuthor();
    window.addEventListener("hashchange", forwardAuthor);
    Array.prototype.forEach.call(document.querySelectorAll("[data-ev-cite]"), setupCite);
    var table = document.querySelector("table[data-ev-table]");
    if (table) setupTable(table);
    markLinksForPrint();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
