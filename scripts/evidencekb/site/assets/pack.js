/* Evidence pack: "Add to pack" buttons, the header count, and the Pack page.
 * The pack lives in this browser (localStorage); the Pack page fetches one small record per
 * chosen claim (pack/claims/<id>.json) and arranges their text into an evidence section.
 * Every sentence comes from those records: nothing here writes words about the evidence.
 * Outputs (rich text, plain text, Markdown, .docx, print) are all made from one model
 * (a list of blocks of runs), so they cannot disagree. The .docx is zipped with the
 * vendored fflate (assets/evidencekb/vendor), loaded on demand from this site. */
(function () {
  "use strict";

  var KEY = "evidencekb.pack.v1";
  var ID = /^[a-z0-9][a-z0-9-]*$/;

  function siteRoot() {
    var cfg = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(cfg.textContent).base || "."; } catch (e) { /* default */ }
    return base.replace(/\/?$/, "/");
  }

  function load() {
    try {
      var v = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(v) ? v.filter(function (x) { return x && ID.test(x.id); }) : [];
    } catch (e) { return []; }
  }
  function save(items, quiet) {
    try { window.localStorage.setItem(KEY, JSON.stringify(items)); } catch (e) { /* private mode */ }
    updateCount();
    if (!quiet) document.dispatchEvent(new CustomEvent("ev-pack-change"));
  }
  function has(id) { return load().some(function (x) { return x.id === id; }); }
  function toggle(id) {
    var items = load();
    var at = items.findIndex(function (x) { return x.id === id; });
    if (at >= 0) items.splice(at, 1); else items.push({ id: id, mode: "short" });
    save(items);
  }

  /* ---- header count and Add buttons ------------------------------------------------ */

  function updateCount() {
    var n = load().length;
    var link = document.getElementById("ev-pack-count");
    if (!link) {
      var header = document.querySelector(".md-header__inner");
      if (!header) return;
      link = document.createElement("a");
      link.id = "ev-pack-count";
      link.className = "ev-pack-count";
      link.href = siteRoot() + "pack/";
      var search = header.querySelector(".md-search");
      header.insertBefore(link, search || null);
    }
    link.textContent = "Pack (" + n + ")";
    link.setAttribute("aria-label", "Evidence pack: " + n + (n === 1 ? " finding" : " findings"));
  }

  function paint(button) {
    var on = has(button.getAttribute("data-ev-pack-id"));
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "In pack (remove)" : "Add to pack";
  }

  function addButton(holder, id, name, where) {
    if (!ID.test(id) || holder.querySelector("button.ev-pack-add")) return;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "ev-pack-add";
    b.setAttribute("data-ev-pack-id", id);
    b.setAttribute("aria-label", "Add to pack: " + name);
    b.addEventListener("click", function () { toggle(id); });
    paint(b);
    (where || holder).appendChild(b);
  }

  function idOf(a) {
    var m = /\/claims\/([a-z0-9-]+)\/$/.exec(new URL(a.getAttribute("href"), window.location.href).pathname);
    return m ? m[1] : null;
  }

  function decorate(scope) {
    var head = scope.querySelector(".ev-claim-head[data-ev-claim]");
    if (head) {
      var h1 = head.querySelector("h1");
      var p = document.createElement("p");
      p.className = "ev-pack-row";
      head.insertBefore(p, h1 ? h1.nextSibling : null);
      addButton(p, head.getAttribute("data-ev-claim"), h1 ? h1.textContent : "this finding");
    }
    Array.prototype.forEach.call(scope.querySelectorAll("[data-ev-claim].ev-item"), function (li) {
      addButton(li, li.getAttribute("data-ev-claim"), li.getAttribute("data-ev-title") || "");
    });
    var links = scope.querySelectorAll("#ev-claims tbody td:first-child a, .ev-card__title a, .ev-list .ev-item__head a, .ev-theme-claims li > a, .md-content .ev-list > li > a");
    Array.prototype.forEach.call(links, function (a) {
      var id = idOf(a);
      var cell = a.parentNode;
      if (!id || (cell.closest && cell.closest("[data-ev-claim]"))) return;
      addButton(cell, id, a.textContent);
    });
  }

  function watchTable() {
    var tbody = document.querySelector("#ev-claims tbody");
    if (!tbody || !window.MutationObserver) return;
    new MutationObserver(function () { decorate(tbody.closest("table")); }).observe(tbody, { childList: true });
  }

  document.addEventListener("ev-pack-change", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button.ev-pack-add"), paint);
  });
  window.addEventListener("storage", function (ev) { if (ev.key === KEY) document.dispatchEvent(new CustomEvent("ev-pack-change")); });

  /* ---- the model: blocks of runs -------------------------------------------------- */

  function today() {
    var d = new Date();
    var months = ["January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"];
    return d.getDate() + " " + months[d.getMonth()] + " " + d.getFullYear();
  }

  function t(text, o) { var r = { t: text }; if (o) { r.i = !!o.i; r.b = !!o.b; r.href = o.href || ""; } return r; }

  /* A formatted reference (made and escaped by the build) as runs: only <i>/<em> and http(s) links survive. */
  function refRuns(html) {
    var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
    var runs = [];
    (function walk(node, italic, href) {
      Array.prototype.forEach.call(node.childNodes, function (n) {
        if (n.nodeType === 3) { if (n.nodeValue) runs.push(t(n.nodeValue, { i: italic, href: href })); return; }
        if (n.nodeType !== 1) return;
        var tag = n.tagName.toLowerCase();
        var link = href;
        if (tag === "a" && /^https?:\/\//i.test(n.getAttribute("href") || "")) link = n.getAttribute("href");
        walk(n, italic || tag === "i" || tag === "em", link);
      });
    })(doc.body.firstChild, false, "");
    return runs;
  }

  function model(records, items, site, baseVersion) {
    var blocks = [{ kind: "h1", runs: [t("Evidence")] }];
    var refs = {};
    items.forEach(function (it) {
      var r = records[it.id];
      if (!r) return;
      blocks.push({ kind: "h2", runs: [t(r.title)] });
      blocks.push({ kind: "p", runs: [t(r.sentence)] });
      blocks.push({ kind: "p", runs: [t("Confidence: ", { b: true }), t(r.confidence)] });
      r.cited_as.forEach(function (line) { blocks.push({ kind: "p", runs: [t(line)] }); });
      if (r.caveat && (r.caveat_always || it.mode === "full")) blocks.push({ kind: "p", runs: [t("Caveat: ", { b: true }), t(r.caveat)] });
      if (it.mode === "full" && r.rationale) blocks.push({ kind: "p", runs: [t("Why this rating: ", { b: true }), t(r.rationale)] });
      r.references.forEach(function (ref) { refs[ref.key] = ref; });
    });
    blocks.push({ kind: "h2", runs: [t("References")] });
    Object.keys(refs).map(function (k) { return refs[k]; })
      .sort(function (a, b) { return a.rank - b.rank; })
      .forEach(function (ref) { blocks.push({ kind: "ref", runs: refRuns(ref.html) }); });
    var from = "Findings from " + site + (baseVersion ? ", " + baseVersion : "") + "; accessed " + today() + ".";
    blocks.push({ kind: "p", runs: [t(from)] });
    blocks.push({ kind: "h2", runs: [t("Permalinks")] });
    items.forEach(function (it) {
      var r = records[it.id];
      if (!r) return;
      blocks.push({ kind: "li", runs: [t(r.title + (r.version ? " (" + r.version + ")" : "") + ": "), t(r.permalink, { href: r.permalink })] });
    });
    return blocks;
  }

  function esc(s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }

  function toHtml(blocks) {
    var out = [], list = false;
    blocks.forEach(function (b) {
      var inner = b.runs.map(function (r) {
        var s = esc(r.t);
        if (r.i) s = "<i>" + s + "</i>";
        if (r.b) s = "<strong>" + s + "</strong>";
        if (r.href) s = '<a href="' + esc(r.href) + '">' + s + "</a>";
        return s;
      }).join("");
      if (b.kind === "li" && !list) { out.push("<ul>"); list = true; }
      if (b.kind !== "li" && list) { out.push("</ul>"); list = false; }
      var tag = { h1: "h3", h2: "h4", p: "p", ref: "p", li: "li" }[b.kind];
      out.push("<" + tag + (b.kind === "ref" ? ' class="ev-ref"' : "") + ">" + inner + "</" + tag + ">");
    });
    if (list) out.push("</ul>");
    return out.join("\n");
  }

  function toText(blocks) {
    return blocks.map(function (b) {
      var s = b.runs.map(function (r) { return r.t; }).join("");
      return (b.kind === "li" ? "- " : "") + s;
    }).join("\n\n") + "\n";
  }

  function mdEsc(s) { return s.replace(/([\\`*_[\]<>#])/g, "\\$1"); }
  function toMarkdown(blocks) {
    return blocks.map(function (b) {
      var s = b.runs.map(function (r) {
        var x = mdEsc(r.t);
        if (r.i && x.trim()) x = "*" + x + "*";
        if (r.b && x.trim()) x = "**" + x.trim() + "** ";
        if (r.href) x = "<" + r.href + ">";
        return x;
      }).join("");
      return ({ h1: "# ", h2: "## ", li: "- " }[b.kind] || "") + s.trim();
    }).join("\n\n") + "\n";
  }

  /* ---- .docx: WordprocessingML parts, zipped with fflate --------------------------- */

  function xml(s) { return esc(s).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ""); }

  function toDocx(blocks) {
    var rels = [], body = [];
    blocks.forEach(function (b) {
      var style = { h1: "Heading1", h2: "Heading2", li: "ListParagraph" }[b.kind];
      var runs = b.runs.map(function (r) {
        var pr = (r.b ? "<w:b/>" : "") + (r.i ? "<w:i/>" : "") + (r.href ? '<w:color w:val="0563C1"/><w:u w:val="single"/>' : "");
        var run = "<w:r>" + (pr ? "<w:rPr>" + pr + "</w:rPr>" : "") + '<w:t xml:space="preserve">' + xml(r.t) + "</w:t></w:r>";
        if (!r.href) return run;
        var id = "rIdL" + (rels.length + 1);
        rels.push('<Relationship Id="' + id + '" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="' + xml(r.href) + '" TargetMode="External"/>');
        return '<w:hyperlink r:id="' + id + '">' + run + "</w:hyperlink>";
      }).join("");
      body.push("<w:p>" + (style ? '<w:pPr><w:pStyle w:val="' + style + '"/></w:pPr>' : "") + runs + "</w:p>");
    });
    var W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    var files = {
      "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>',
      "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      "word/_rels/document.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' + rels.join("") + "</Relationships>",
      "word/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ' + W + '><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:spacing w:after="120"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="720"/></w:pPr></w:style></w:styles>',
      "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + W + "><w:body>" + body.join("") + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>'
    };
    var zip = {};
    Object.keys(files).forEach(function (k) { zip[k] = [window.fflate.strToU8(files[k]), { mtime: new Date(1980, 0, 1) }]; });
    return window.fflate.zipSync(zip, { level: 6 });
  }

  function withFflate() {
    if (window.fflate) return Promise.resolve();
    return new Promise(function (ok, fail) {
      var s = document.createElement("script");
      s.src = siteRoot() + "assets/evidencekb/vendor/fflate.umd.min.js";
      s.onload = ok; s.onerror = function () { fail(new Error("could not load the zip library")); };
      document.head.appendChild(s);
    });
  }

  function download(name, type, data) {
    var url = URL.createObjectURL(new Blob([data], { type: type }));
    var a = document.createElement("a");
    a.href = url; a.download = name;
    document.body.appendChild(a); a.click(); document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  /* ---- the Pack page ---------------------------------------------------------------- */

  function sharedItems() {
    var m = /[#&?]claims=([^&]*)/.exec(window.location.hash || "");
    if (!m) return null;
    return decodeURIComponent(m[1]).split(",").map(function (part) {
      var bits = part.split("~");
      return { id: bits[0], mode: bits[1] === "full" ? "full" : "short" };
    }).filter(function (x) { return ID.test(x.id); });
  }

  function shareLink(items) {
    var here = window.location.href.split("#")[0].split("?")[0];
    return here + "#claims=" + items.map(function (x) { return x.id + (x.mode === "full" ? "~full" : ""); }).join(",");
  }

  function setupPackPage(box) {
    var root = siteRoot();
    var status = document.getElementById("ev-pack-status");
    var list = document.getElementById("ev-pack-items");
    var section = document.getElementById("ev-pack-section");
    var shared = sharedItems();
    var records = {};
    var current = [];

    function items() { return shared || load(); }
    /* The page's own changes render at once (records are loaded), so focus can be put back. */
    function setItems(next) { if (shared) shared = next; else save(next, true); render(); }
    function say(msg) { status.textContent = msg; }

    function fetchAll(ids) {
      return Promise.all(ids.filter(function (id) { return !records[id]; }).map(function (id) {
        return fetch(root + "pack/claims/" + id + ".json").then(function (r) {
          if (!r.ok) throw new Error(id);
          return r.json();
        }).then(function (rec) { records[id] = rec; }, function () { records[id] = null; });
      }));
    }

    function control(label, text, onClick, disabled) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "md-button ev-pack__ctl"; b.textContent = text;
      b.setAttribute("aria-label", label); b.disabled = !!disabled;
      b.addEventListener("click", onClick);
      return b;
    }

    function move(i, by, focusLabel) {
      var next = items().slice();
      var x = next.splice(i, 1)[0];
      next.splice(i + by, 0, x);
      setItems(next);
      var buttons = Array.prototype.filter.call(list.querySelectorAll("button"), function (b) { return b.getAttribute("aria-label") === focusLabel; });
      var again = buttons[0];
      if (again && again.disabled) again = by < 0 ? again.nextSibling : again.previousSibling;
      if (again) again.focus();
      say("Moved.");
    }

    function render() {
      current = items().filter(function (x) { return records[x.id] !== null; });
      document.getElementById("ev-pack-shared").hidden = !shared;
      document.getElementById("ev-pack-ui").hidden = current.length === 0;
      document.getElementById("ev-pack-empty").hidden = current.length !== 0;
      list.textContent = "";
      current.forEach(function (it, i) {
        var r = records[it.id];
        if (!r) return;
        var li = document.createElement("li");
        li.className = "ev-pack__item";
        var name = document.createElement("p");
        var a = document.createElement("a");
        a.href = root + "claims/" + it.id + "/"; a.textContent = r.title;
        name.appendChild(a);
        name.appendChild(document.createTextNode(" · " + r.level_title + " confidence"));
        li.appendChild(name);
        var ctl = document.createElement("p");
        var up = "Move up: " + r.title, down = "Move down: " + r.title;
        ctl.appendChild(control(up, "Move up", function () { move(i, -1, up); }, i === 0));
        ctl.appendChild(control(down, "Move down", function () { move(i, 1, down); }, i === current.length - 1));
        var full = it.mode === "full";
        var mode = control((full ? "Show short form: " : "Show full form with rationale: ") + r.title, full ? "Short form" : "Full form", function () {
          var next = items().map(function (x) { return x.id === it.id ? { id: x.id, mode: full ? "short" : "full" } : x; });
          setItems(next); say(full ? "Short form." : "Full form, with the rationale.");
          var same = list.querySelector('[data-ev-ctl="mode:' + it.id + '"]');
          if (same) same.focus();
        });
        mode.setAttribute("data-ev-ctl", "mode:" + it.id);
        mode.setAttribute("aria-pressed", full ? "true" : "false");
        ctl.appendChild(mode);
        ctl.appendChild(control("Remove: " + r.title, "Remove", function () {
          setItems(items().filter(function (x) { return x.id !== it.id; }));
          say("Removed " + r.title + ".");
          var first = list.querySelector("button:not([disabled])");
          if (first) first.focus(); else { status.setAttribute("tabindex", "-1"); status.focus(); }
        }));
        li.appendChild(ctl);
        list.appendChild(li);
      });
      var blocks = model(records, current, box.getAttribute("data-site-name"), box.getAttribute("data-base-version"));
      section.innerHTML = toHtml(blocks);
      document.getElementById("ev-pack-link").value = shareLink(current);
      return blocks;
    }

    function out(kind) {
      var blocks = model(records, current, box.getAttribute("data-site-name"), box.getAttribute("data-base-version"));
      var clip = navigator.clipboard;
      if (kind === "html") {
        if (!(clip && clip.write && window.ClipboardItem)) return Promise.reject(new Error("no rich clipboard"));
        return clip.write([new window.ClipboardItem({
          "text/html": new Blob([toHtml(blocks)], { type: "text/html" }),
          "text/plain": new Blob([toText(blocks)], { type: "text/plain" })
        })]).then(function () { return "Copied as rich text."; });
      }
      if (kind === "text") return clip.writeText(toText(blocks)).then(function () { return "Copied as plain text."; });
      if (kind === "markdown") return clip.writeText(toMarkdown(blocks)).then(function () { return "Copied as Markdown."; });
      if (kind === "share") return clip.writeText(shareLink(current)).then(function () { return "Share link copied."; });
      if (kind === "print") { window.print(); return Promise.resolve(""); }
      if (kind === "docx") {
        return withFflate().then(function () {
          download("evidence-pack.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", toDocx(blocks));
          return "Word document made.";
        });
      }
      return Promise.resolve("");
    }

    Array.prototype.forEach.call(box.querySelectorAll("[data-ev-pack-out]"), function (b) {
      b.addEventListener("click", function () {
        out(b.getAttribute("data-ev-pack-out")).then(say, function (e) { say("That did not work here: " + e.message + ". Select the section below and copy it instead."); });
      });
    });
    document.getElementById("ev-pack-keep").addEventListener("click", function () {
      var keep = shared; shared = null; save(keep); say("Saved as your pack.");
    });
    document.addEventListener("ev-pack-change", function () { fetchAll(items().map(function (x) { return x.id; })).then(render); });
    window.addEventListener("hashchange", function () { shared = sharedItems(); fetchAll(items().map(function (x) { return x.id; })).then(render); });
    say("Loading your pack…");
    fetchAll(items().map(function (x) { return x.id; })).then(function () {
      render();
      var n = current.length;
      say(n ? n + (n === 1 ? " finding" : " findings") + " in " + (shared ? "this shared pack." : "your pack.") : "");
      box.setAttribute("data-ev-ready", "true");
    });
  }

  function init() {
    updateCount();
    decorate(document);
    watchTable();
    var box = document.getElementById("ev-pack");
    if (box) setupPackPage(box);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
