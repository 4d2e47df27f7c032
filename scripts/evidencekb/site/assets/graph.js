/*
 * Graph explorer for the evidence base (page graph/).
 *
 * Why it works this way:
 * - Positions are precomputed by the build (data/graph/all.json and the theme parts); the
 *   browser runs no force layout, so even thousands of nodes are interactive at once. A theme
 *   view only re-places its own members around the theme (placeFor), cached per theme.
 * - Level of detail: above LOD_NODES visible nodes, claims and authors wait until the reader
 *   zooms in (or focuses a node they link to), so the first picture is readable (themes and
 *   sources) and cheap to draw.
 * - Sigma draws a view graph that holds only the nodes and edges shown now; the whole data
 *   stays in `graph` (search, summaries, filters). Hidden items cost nothing to draw, so the
 *   whole-graph view of a 10,000-claim base draws its themes and sources only. Two
 *   hidden corner nodes pin the view's extent (the whole graph's, or a theme view's own), so
 *   positions on screen do not move while the view's nodes change.
 * - Meaning never rests on colour alone: each relation has its own line shape, its name is
 *   drawn on highlighted edges, and the hover summary spells the relations out in words.
 * - All text from the data reaches the page through textContent or the canvas, never as
 *   markup; URLs are resolved against the site root and must stay on this site.
 * - Titles (themes, relations, node kinds) come from the page's JSON config, which the build
 *   writes from the vocabularies: nothing here knows the topic.
 */
(function () {
  "use strict";

  var LOD_NODES = 1500; // more visible nodes than this: claims and authors wait for zoom
  var LOD_RATIO = 0.45; // camera ratio (1 = whole graph) below which claims appear
  var FADED_NODE = "#d9d9d9";
  var FADED_EDGE = "#eeeeee";
  var MAX_MATCHES = 12;
  var started = typeof performance !== "undefined" ? performance.now() : Date.now();
  var timings = { script: Math.round(started) }; // ms since navigation start, for the bench

  function now() {
    return typeof performance !== "undefined" ? performance.now() : Date.now();
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function setStatus(text) {
    var el = byId("evg-status");
    if (el && el.textContent !== text) el.textContent = text;
  }

  // Only same-site pages may be opened: node.url is relative to the site root.
  function siteUrl(root, rel) {
    if (typeof rel !== "string" || !rel || /^[a-z][a-z0-9+.-]*:/i.test(rel) || rel.indexOf("//") === 0) return null;
    try {
      var base = new URL(root, window.location.href);
      var url = new URL(rel, base);
      return url.origin === base.origin && url.href.indexOf(base.href) === 0 ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // An object in V8's dictionary mode from the start: it takes thousands of keys as a hash
  // table does, instead of a new hidden class for every key added.
  function dictionary() {
    var o = { a: 0, b: 0 };
    delete o.a; // deleting a property that is not the last one: dictionary mode
    delete o.b;
    return o;
  }

  // graphology keeps each node's in- and out-edges in plain objects keyed by the other end's
  // id; filled one key at a time, each gets a new hidden class per key (one per edge over the
  // graph, quadratic for a theme with thousands of claims): most of the graph's build time.
  // Its nodes' data are made with those objects in dictionary mode instead: same graphology,
  // same results (the objects keep Object.prototype), made once for every graph of the page.
  function dictionaryAdjacency(graph) {
    var proto = graph.NodeDataClass && graph.NodeDataClass.prototype;
    if (!proto || proto.evgDictionary || typeof proto.clear !== "function") return;
    var clear = proto.clear;
    proto.clear = function () {
      clear.call(this);
      if (this.in) this.in = dictionary();
      if (this.out) this.out = dictionary();
    };
    proto.evgDictionary = true;
  }

  var current = null; // the live explorer, if any (killed when its page goes away)

  function init() {
    var app = byId("evg-app");
    if (!app) {
      if (current) {
        current.kill();
        current = null;
      }
      return;
    }
    if (app.getAttribute("data-evg-started")) return;
    app.setAttribute("data-evg-started", "1");
    if (current) {
      current.kill();
      current = null;
    }
    var config;
    try {
      config = JSON.parse(byId(app.getAttribute("data-config-id")).textContent);
    } catch (e) {
      setStatus("The graph could not start: its settings are missing. Use the text alternative below.");
      return;
    }
    if (typeof window.Sigma === "undefined" || typeof window.graphology === "undefined") {
      setStatus("The graph library did not load. Use the text alternative below.");
      return;
    }
    var loading = early || fetchFirst(config);
    early = null; // a later page (instant navigation) fetches its own
    loading
      .then(function (got) {
        timings.parsed = Math.round(now());
        current = explore(app, config, got.data, got.url);
      })
      .catch(function (err) {
        setStatus("The graph data could not be loaded (" + err.message + "). Use the text alternative below.");
        if (window.console) console.warn("evidence graph:", err);
      });
  }

  function fetchFirst(config) {
    return firstPart(config).then(function (url) {
      return getJson(url).then(function (data) {
        return { url: url, data: data };
      });
    });
  }

  // This script runs before the graph library loads: the data is fetched from here on, while
  // the library and the page's other scripts load, and init() picks it up.
  var early = null;
  function startEarly() {
    var app = byId("evg-app");
    if (!app || typeof fetch === "undefined" || typeof Promise === "undefined") return;
    try {
      early = fetchFirst(JSON.parse(byId(app.getAttribute("data-config-id")).textContent));
      early.then(startSoon, function () {}); // init() reports a failure
    } catch (e) {
      early = null;
    }
  }

  // The page's markup above the scripts is all the explorer needs: it starts once its data and
  // the graph library are both there, without waiting for the site's other scripts to run
  // (DOMContentLoaded still starts it if this does not).
  function startSoon() {
    if (document.readyState !== "loading") return;
    if (typeof window.Sigma !== "undefined" && typeof window.graphology !== "undefined") {
      init();
      return;
    }
    var lib = document.querySelector('script[src$="sigma-graphology.min.js"]');
    if (lib) lib.addEventListener("load", function () {
      if (document.readyState === "loading") init();
    });
  }

  function getJson(url) {
    return fetch(new URL(url, window.location.href).href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      timings.fetched = timings.fetched || Math.round(now());
      return response.json();
    });
  }

  // The data fetched on opening: the whole graph for ?theme=all, the part holding the claim
  // for ?claim=<id>, else the part of the theme asked for (or of the start theme).
  function firstPart(config) {
    var params = new URLSearchParams(window.location.search);
    var parts = config.parts || {};
    var theme = params.get("theme");
    var claim = params.get("claim");
    if (theme === "all" || !Object.keys(parts).length) return Promise.resolve(config.data);
    if (claim && config.claims_map) {
      return getJson(config.claims_map).then(function (map) {
        var i = Object.prototype.hasOwnProperty.call(map, claim) ? map[claim] : -1;
        var t = (config.themes || [])[i];
        return (t && parts[t.id]) || config.data;
      }, function () {
        return config.data;
      });
    }
    var wanted = Object.prototype.hasOwnProperty.call(parts, theme) ? theme : config.start_theme;
    return Promise.resolve(parts[wanted] || config.data);
  }

  function explore(app, config, data, firstUrl) {
    var container = byId("evg-canvas");
    var live = byId("evg-live");
    var openLink = byId("evg-open");
    var input = byId("evg-search-input");
    var list = byId("evg-search-list");
    var themeSelect = byId("evg-theme");
    var relationBoxes = Array.prototype.slice.call(app.querySelectorAll('input[name="relation"]'));
    var defaultLive = live.textContent;

    var kinds = {};
    (config.kinds || []).forEach(function (k) {
      kinds[k.id] = k;
    });
    var relations = {};
    (config.relations || []).forEach(function (r) {
      relations[r.id] = r;
    });
    var structure = config.structure || { color: "#bdbdbd", shape: "line", size: 0.5 };
    var programs = { arrow: "arrow", line: "line", triangle: "triangle" };

    // ---- graph ---------------------------------------------------------------------
    var Graph = window.graphology.MultiDirectedGraph || window.graphology;
    dictionaryAdjacency(new Graph());
    var graph = new Graph();
    var defaultSize = { theme: 14, source: 6, claim: 4, author: 3, scheme: 5 };
    var themeNodes = []; // the theme nodes' ids: their labels are always drawn
    var NO_THEMES = [];
    var styles = {};
    function styleFor(r) {
      if (!styles[r]) {
        var rel = r && relations[r];
        var style = rel || structure;
        styles[r] = { relation: rel ? r : null, color: style.color, size: style.size || 1,
          type: programs[style.shape] || "line" };
      }
      return styles[r];
    }
    // Parts of the data arrive one by one (a theme, then the whole graph): each is merged in.
    // The data is columnar (site/graphparts.py): node i is n.id[i], n.x[i]...; edge j links
    // the nodes at places e.s[j] and e.t[j] of the same file; themes, relations and kinds are
    // places in the file's own lists. Nothing is computed here that the build could do.
    function addData(part) {
      if (!part || part.v !== 2 || !part.n || !part.e) throw new Error("the graph data is not in the expected form");
      var n = part.n, e = part.e;
      var ids = Array.isArray(n.id) ? n.id : [];
      var kindNames = part.kinds || [], themeNames = part.themes || [], relNames = part.rels || [];
      var kindOf = kindNames.map(function (k) {
        return kinds[k] || { title: k || "Node", color: "#424242" };
      });
      var col = function (name) { return Array.isArray(n[name]) ? n[name] : []; };
      var xs = col("x"), ys = col("y"), ss = col("s"), ks = col("k"), ls = col("l"), us = col("u"), cs = col("c"),
        ds = col("d"), ts = col("t");
      var fresh = graph.order === 0; // the first file: its ids and edge keys are unique by construction
      var here = new Array(ids.length); // place -> true when that node is in the graph
      for (var i = 0; i < ids.length; i++) {
        var id = ids[i];
        if (typeof id !== "string") continue;
        if (!fresh && graph.hasNode(id)) {
          here[i] = true;
          continue;
        }
        var x = +xs[i], y = +ys[i];
        if (!isFinite(x) || !isFinite(y)) {
          // No position from the build: park it on a circle rather than fail the whole page.
          x = Math.cos(i) * 1000;
          y = Math.sin(i) * 1000;
        }
        var kindName = kindNames[ks[i]];
        var size = +ss[i];
        if (!isFinite(size) || size <= 0) size = defaultSize[kindName] || 4;
        var label = ls[i] == null ? id : String(ls[i]);
        var d = ds[i];
        var t = Array.isArray(ts[i]) ? ts[i] : NO_THEMES;
        var themesOf = t.length ? new Array(t.length) : NO_THEMES; // read only: one empty list for all
        for (var j = 0; j < t.length; j++) themesOf[j] = themeNames[t[j]];
        if (kindName === "theme") themeNodes.push(id);
        here[i] = true;
        graph.addNode(id, {
          x: x,
          y: y,
          size: size > 30 ? 30 : size < 1.5 ? 1.5 : size,
          color: (kindOf[ks[i]] || { color: "#424242" }).color,
          label: label,
          kind: kindName,
          url: us[i] || "",
          themes: themesOf,
          level: cs[i] || "",
          // stored without what it repeats: null = the label, [prefix] = prefix + label
          detail: d == null ? label : Array.isArray(d) ? String(d[0]) + label : String(d)
        });
      }
      var es = Array.isArray(e.s) ? e.s : [], et = Array.isArray(e.t) ? e.t : [];
      var ek = Array.isArray(e.k) ? e.k : [], er = Array.isArray(e.r) ? e.r : [];
      // One attributes object per relation, shared by its edges (nothing writes to an edge's
      // attributes; sigma's reducers get copies): 60,000 edges, a handful of objects.
      var styleOf = relNames.map(styleFor);
      var other = styleFor("");
      for (var k = 0; k < es.length; k++) {
        var a = es[k], b = et[k];
        if (!here[a] || !here[b]) continue;
        var key = "e" + ek[k];
        if (!fresh && graph.hasEdge(key)) continue;
        graph.addDirectedEdgeWithKey(key, ids[a], ids[b], styleOf[er[k]] || other);
      }
    }
    addData(data);
    var loaded = {};
    loaded[firstUrl] = true;
    var whole = firstUrl === config.data;
    var total = Number(data.total_nodes) > 0 ? Number(data.total_nodes) : graph.order;
    // The whole graph's extent, pinned in every view by two hidden corner nodes.
    var bbox = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    var given = Array.isArray(data.bbox) && data.bbox.length === 4 && data.bbox.every(isFinite) ? data.bbox : null;
    if (given) {
      bbox = { minX: Number(given[0]), minY: Number(given[1]), maxX: Number(given[2]), maxY: Number(given[3]) };
    } else {
      graph.forEachNode(function (id, a) {
        if (a.x < bbox.minX) bbox.minX = a.x;
        if (a.x > bbox.maxX) bbox.maxX = a.x;
        if (a.y < bbox.minY) bbox.minY = a.y;
        if (a.y > bbox.maxY) bbox.maxY = a.y;
      });
    }
    if (!graph.order) bbox = { minX: 0, minY: 0, maxX: 1, maxY: 1 };
    var CORNERS = ["\u0000evg-min", "\u0000evg-max"];

    // ---- state and visibility --------------------------------------------------------
    var state = {
      theme: "",
      relations: {},
      hovered: null,
      selected: null,
      neighbours: {},
      filtered: null, // null = no filter; else {nodeId: true}
      shown: {}, // nodeId -> true for the nodes drawn now (made once per refresh, read by the reducers)
      lod: false, // true while claims wait for zoom
      lodWanted: false // the filtered graph is big enough for level of detail
    };
    relationBoxes.forEach(function (box) {
      state.relations[box.value] = box.checked;
    });

    function relationOn(edgeAttrs) {
      return !edgeAttrs.relation || state.relations[edgeAttrs.relation] !== false;
    }

    function computeFilter() {
      var allRelations = relationBoxes.every(function (b) {
        return b.checked;
      });
      if (!state.theme && allRelations) {
        state.filtered = null;
      } else {
        var keep = {};
        var theme = state.theme;
        graph.forEachNode(function (id, a) {
          if (a.kind === "claim" && (!theme || a.themes.indexOf(theme) >= 0)) keep[id] = true;
          else if (a.kind === "theme" && (!theme || id === "theme:" + theme)) keep[id] = true;
        });
        // Sources (and schemes) follow the claims that cite them through a shown relation.
        graph.forEachEdge(function (edge, a, s, t, sa, ta) {
          if (!keep[s] || !relationOn(a)) return;
          if (ta.kind === "source" || ta.kind === "scheme") keep[t] = true;
        });
        // Authors follow their sources; schemes follow sources too.
        graph.forEachEdge(function (edge, a, s, t, sa, ta) {
          if (sa.kind === "source" && keep[s] && (ta.kind === "author" || ta.kind === "scheme")) keep[t] = true;
        });
        state.filtered = keep;
      }
      var count = state.filtered ? Object.keys(state.filtered).length : graph.order;
      state.lodWanted = count > LOD_NODES;
    }

    function focusNode() {
      return state.hovered || state.selected;
    }

    function nodeShown(id, a) {
      if (state.filtered && !state.filtered[id]) return false;
      if (state.lod && (a.kind === "claim" || a.kind === "author")) {
        var f = focusNode();
        return id === f || (!!f && !!state.neighbours[id]);
      }
      return true;
    }

    function visibleNodeCount() {
      var n = 0;
      graph.forEachNode(function (id, a) {
        if (nodeShown(id, a)) n++;
      });
      return n;
    }

    // The reducers run for every node and edge on each refresh: they read this map, made once.
    // Returns true when the set of shown nodes (or of shown relations) changed.
    function computeShown() {
      var shown = {};
      var list = [];
      var same = true;
      var old = state.shown;
      graph.forEachNode(function (id, a) {
        if (nodeShown(id, a)) {
          shown[id] = true;
          list.push(id);
          if (same && !old[id]) same = false;
        }
      });
      var n = list.length;
      state.shownList = list;
      var rels = JSON.stringify(state.relations);
      if (n !== state.shownCount || rels !== state.shownRelations) same = false;
      state.shown = shown;
      state.shownCount = n;
      state.shownRelations = rels;
      return !same;
    }

    var viewTypes = {}; // the edge programs the view needs (type -> true)
    // What sigma draws: the shown nodes, the shown edges among them, and the two corners.
    function buildView() {
      var v = new Graph();
      v.addNode(CORNERS[0], { x: bbox.minX, y: bbox.minY, size: 0.1, label: "" });
      v.addNode(CORNERS[1], { x: bbox.maxX, y: bbox.maxY, size: 0.1, label: "" });
      var shown = state.shown;
      var list = state.shownList || [];
      // sigma copies every attribute of every node it draws on each refresh: give it only its own
      list.forEach(function (id) {
        var a = graph.getNodeAttributes(id);
        v.addNode(id, { x: a.x, y: a.y, size: a.size, color: a.color, label: a.label, kind: a.kind });
      });
      // the shown nodes' own out-edges, not every edge (at level of detail most lead nowhere shown)
      viewTypes = {};
      var add = function (edge, a, s, t) {
        if (shown[t] && relationOn(a)) {
          v.addDirectedEdgeWithKey(edge, s, t, a);
          viewTypes[a.type] = true;
        }
      };
      list.forEach(function (id) {
        graph.forEachOutEdge(id, add);
      });
      return v;
    }

    function setNeighbours() {
      var f = focusNode();
      state.neighbours = {};
      if (f && graph.hasNode(f)) {
        graph.forEachEdge(f, function (edge, a, s, t) {
          if (relationOn(a)) state.neighbours[s === f ? t : s] = true;
        });
      }
    }

    // ---- summaries -----------------------------------------------------------------
    function summary(id) {
      var a = graph.getNodeAttributes(id);
      var kind = kinds[a.kind] || { title: a.kind || "Node" };
      var parts = [kind.title + ": " + a.label + "."];
      var level = a.level ? String(a.level).replace(/-/g, " ") : "";
      if (level && String(a.detail || "").indexOf(level) < 0) parts.push("Confidence: " + level + ".");
      if (a.detail) parts.push(String(a.detail));
      var byRelation = {};
      var byKind = {};
      graph.forEachEdge(id, function (edge, e, s, t, sa, ta) {
        if (!relationOn(e)) return;
        var other = s === id ? ta : sa;
        if (e.relation) {
          var title = (relations[e.relation] || {}).title || e.relation;
          byRelation[title] = (byRelation[title] || 0) + 1;
        } else {
          var k = kinds[other.kind] ? kinds[other.kind].title.toLowerCase() : other.kind;
          byKind[k] = (byKind[k] || 0) + 1;
        }
      });
      var links = [];
      Object.keys(byRelation).forEach(function (r) {
        links.push(r + ": " + byRelation[r]);
      });
      Object.keys(byKind).forEach(function (k) {
        links.push(plural(byKind[k], k));
      });
      if (links.length) parts.push("Links — " + links.join("; ") + ".");
      if (siteUrl(config.root, a.url)) parts.push("Click or press Enter to open its page.");
      return parts.join(" ");
    }

    function announce(id) {
      live.textContent = id ? summary(id) : defaultLive;
    }

    function showOpenLink(id) {
      var url = id ? siteUrl(config.root, graph.getNodeAttribute(id, "url")) : null;
      if (url) {
        openLink.href = url;
        openLink.textContent = "Open: " + graph.getNodeAttribute(id, "label");
        openLink.hidden = false;
      } else {
        openLink.hidden = true;
      }
    }

    function open(id) {
      var url = siteUrl(config.root, graph.getNodeAttribute(id, "url"));
      if (url) window.location.assign(url);
    }

    // ---- labels that never overlap ------------------------------------------------------
    // Sigma's label grid thins labels, but forced ones (themes, the focus and its neighbours)
    // and long titles can still collide or run off the canvas. Each frame, labels claim
    // boxes: the focus first, then themes, then neighbours, then the rest in sigma's order;
    // a label that would overlap a claimed box, or leave the canvas, is not drawn.
    var labels = { boxes: [], reserved: {}, drawn: [] };

    function labelBox(ctx, d, settings) {
      var fontSize = settings.labelSize || 14;
      ctx.font = (settings.labelWeight || "normal") + " " + fontSize + "px " + (settings.labelFont || "sans-serif");
      var w = ctx.measureText(d.label).width;
      var h = fontSize + 2;
      var right = { x: d.x + d.size + 3, y: d.y - h / 2, w: w, h: h, align: "left" };
      var left = { x: d.x - d.size - 3 - w, y: d.y - h / 2, w: w, h: h, align: "right" };
      var width = container.clientWidth, height = container.clientHeight;
      var fits = function (b) { return b.x >= 0 && b.x + b.w <= width && b.y >= 0 && b.y + b.h <= height; };
      var free = function (b) {
        return labels.boxes.every(function (o) {
          return b.x + b.w <= o.x || o.x + o.w <= b.x || b.y + b.h <= o.y || o.y + o.h <= b.y;
        });
      };
      if (fits(right) && free(right)) return right;
      if (fits(left) && free(left)) return left;
      return null;
    }

    function labelPriority(id, a) {
      var f = focusNode();
      if (id === f) return 0;
      if (a.kind === "theme") return 1;
      if (f && state.neighbours[id]) return 2;
      return 3;
    }

    // Before each frame: claim boxes for the labels that matter most, in priority order.
    function reserveLabels() {
      labels.boxes = [];
      labels.reserved = {};
      labels.drawn = [];
      if (!renderer) return;
      var ctx = labels.measure || (labels.measure = document.createElement("canvas").getContext("2d"));
      var first = [];
      var seen = {};
      var f = focusNode();
      var candidates = (f ? [f] : []).concat(themeNodes, Object.keys(state.neighbours));
      candidates.forEach(function (id) {
        if (seen[id] || !state.shown[id]) return;
        seen[id] = true;
        var a = graph.getNodeAttributes(id);
        var p = labelPriority(id, a);
        if (p < 3) first.push({ id: id, p: p, a: a });
      });
      first.sort(function (x, y) { return x.p - y.p || (x.id < y.id ? -1 : 1); });
      first.forEach(function (item) {
        var d = renderer.getNodeDisplayData(item.id);
        if (!d || d.hidden) return;
        var v = renderer.graphToViewport({ x: item.a.x, y: item.a.y });
        var box = labelBox(ctx, { x: v.x, y: v.y, size: renderer.scaleSize(d.size), label: item.a.label },
          renderer.getSettings());
        labels.reserved[item.id] = box;
        if (box) labels.boxes.push(box);
      });
    }

    function drawLabelNoOverlap(ctx, d, settings) {
      if (!d.label) return;
      var box;
      if (Object.prototype.hasOwnProperty.call(labels.reserved, d.key)) {
        box = labels.reserved[d.key];
      } else {
        box = labelBox(ctx, d, settings);
        if (box) labels.boxes.push(box);
      }
      if (!box) return;
      var fontSize = settings.labelSize || 14;
      ctx.font = (settings.labelWeight || "normal") + " " + fontSize + "px " + (settings.labelFont || "sans-serif");
      ctx.fillStyle = settings.labelColor && settings.labelColor.color ? settings.labelColor.color : "#000";
      ctx.textAlign = "left";
      ctx.fillText(d.label, box.x, box.y + fontSize - 1);
      labels.drawn.push({ id: d.key, label: d.label, x: box.x, y: box.y, w: box.w, h: box.h });
    }

    // ---- sigma -------------------------------------------------------------------------
    // ---- a theme's own layout ------------------------------------------------------------
    // The build's positions place a claim by its first theme, so in one theme's view its
    // claims lie scattered over the whole map. A theme view is laid out around its theme
    // instead (O(n), once per theme): the theme in the centre, its claims in a sunflower,
    // their sources on a ring outside them in the direction of the claims that cite them,
    // authors on a ring beyond. The whole graph and a claim's neighbourhood keep the build's.
    var GOLDEN = Math.PI * (3 - Math.sqrt(5));
    var wholeBox = bbox;
    var placedFor = "";
    var placeCache = {};
    function hashOf(text) {
      var h = 0;
      for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
      return Math.abs(h);
    }
    function meanAngle(points) {
      var x = 0, y = 0;
      points.forEach(function (p) { x += p[0]; y += p[1]; });
      return points.length && (x || y) ? Math.atan2(y, x) : null;
    }
    // Nodes spread evenly round a ring, in the order of the angle each would like.
    function ring(ids, radius, wanted, pos) {
      var order = ids.map(function (id, i) {
        var a = wanted(id);
        return { id: id, a: a === null ? (hashOf(id) % 628) / 100 : a, i: i };
      }).sort(function (p, q) { return p.a - q.a || p.i - q.i; });
      var r = Math.max(radius, order.length * 0.09 / (2 * Math.PI) * 10);
      var start = order.length ? order[0].a : 0;
      order.forEach(function (o, k) {
        var t = start + 2 * Math.PI * k / order.length;
        pos[o.id] = [r * Math.cos(t), r * Math.sin(t)];
      });
      return r;
    }
    function themeLayout(theme, keep) {
      var pos = {};
      var claims = [], sources = [], authors = [];
      graph.forEachNode(function (id, a) {
        if (!keep[id]) return;
        if (a.kind === "claim") claims.push(id);
        else if (a.kind === "source" || a.kind === "scheme") sources.push(id);
        else if (a.kind !== "theme") authors.push(id);
      });
      pos["theme:" + theme] = [0, 0];
      var disc = Math.max(3, Math.sqrt(claims.length) * 0.55);
      var step = disc / Math.sqrt(Math.max(1, claims.length));
      claims.forEach(function (id, j) {
        var r = 0.9 + step * Math.sqrt(j + 0.5), t = j * GOLDEN;
        pos[id] = [r * Math.cos(t), r * Math.sin(t)];
      });
      function towards(id, inward) {
        var pts = [];
        var visit = function (n) { if (pos[n] && keep[n]) pts.push(pos[n]); };
        if (inward) graph.forEachInNeighbor(id, visit); else graph.forEachNeighbor(id, visit);
        return meanAngle(pts);
      }
      var rs = ring(sources, disc + 2.2, function (id) { return towards(id, true); }, pos);
      ring(authors, rs + 1.8, function (id) { return towards(id, false); }, pos);
      return pos;
    }
    function placeFor(theme) {
      var wanted = theme ? theme + " " + JSON.stringify(state.relations) : "";
      if (wanted === placedFor) return;
      graph.forEachNode(function (id, a) {
        if (a.gx === undefined) { a.gx = a.x; a.gy = a.y; }
        a.x = a.gx;
        a.y = a.gy;
      });
      if (placedFor) {
        state.shownCount = -1;
        state.moved = true;
      }
      bbox = wholeBox;
      placedFor = "";
      if (!theme || !state.filtered) return;
      var key = theme + " " + JSON.stringify(state.relations);
      var pos = placeCache[key] || (placeCache[key] = themeLayout(theme, state.filtered));
      var box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
      Object.keys(pos).forEach(function (id) {
        if (!graph.hasNode(id)) return;
        var a = graph.getNodeAttributes(id), p = pos[id];
        a.x = p[0];
        a.y = p[1];
        box.minX = Math.min(box.minX, p[0]); box.maxX = Math.max(box.maxX, p[0]);
        box.minY = Math.min(box.minY, p[1]); box.maxY = Math.max(box.maxY, p[1]);
      });
      if (isFinite(box.minX)) bbox = box;
      placedFor = wanted;
      state.shownCount = -1; // the positions changed: the next refresh rebuilds what sigma draws
      state.moved = true;
    }

    // What the URL asks for (?claim=, ?theme=, else the start theme) is known before the
    // first draw too, so sigma draws that view once instead of the whole data and then it.
    var opening = (function () {
      var params = new URLSearchParams(window.location.search);
      var claim = params.get("claim");
      var theme = params.get("theme");
      if (claim && graph.hasNode("claim:" + claim)) return { claim: "claim:" + claim };
      if (theme === "all") return {};
      var known = Array.prototype.some.call(themeSelect.options, function (o) { return o.value && o.value === theme; });
      if (!known) theme = config.start_theme || "";
      var has = theme && graph.someNode(function (id, a) { return a.kind === "claim" && a.themes.indexOf(theme) >= 0; });
      return has ? { theme: theme } : {};
    })();
    if (opening.theme) {
      themeSelect.value = opening.theme;
      state.theme = opening.theme;
    }
    // Filters and level of detail are known before the first draw, so sigma draws once.
    computeFilter();
    if (opening.claim) {
      state.filtered = neighbourhood(opening.claim);
      state.lodWanted = false;
    }
    placeFor(state.theme);
    state.moved = false; // nothing was drawn yet
    state.lod = state.lodWanted; // the camera starts at ratio 1, the whole graph
    computeShown();
    var view = buildView();
    timings.built = Math.round(now());
    var R = window.Sigma.rendering || {};
    // Each edge program compiles its shaders (and their picking twins) when sigma gets it: only
    // the shapes the view draws are given to sigma, the others when a view first needs them
    // (the whole graph at level of detail draws no edges at all).
    var PROGRAMS = { arrow: R.EdgeArrowProgram, line: R.EdgeRectangleProgram, triangle: R.EdgeTriangleProgram };
    var programClasses = { line: PROGRAMS.line }; // sigma's default edge type is always there
    // Adds the edge programs the view now needs to programClasses; true if it added any.
    function edgePrograms() {
      var more = Object.keys(viewTypes).filter(function (t) { return PROGRAMS[t] && !programClasses[t]; });
      if (!more.length) return false;
      programClasses = Object.assign({}, programClasses);
      more.forEach(function (t) { programClasses[t] = PROGRAMS[t]; });
      return true;
    }
    var renderer;
    try {
      renderer = new window.Sigma(view, container, {
        allowInvalidContainer: true,
        zIndex: true,
        renderEdgeLabels: true,
        labelRenderedSizeThreshold: 7,
        defaultDrawNodeLabel: drawLabelNoOverlap,
        labelFont: window.getComputedStyle(container).fontFamily || "sans-serif",
        labelColor: { color: "#1a1a1a" },
        edgeLabelColor: { color: "#333333" },
        edgeLabelSize: 12,
        defaultEdgeType: "line",
        edgeProgramClasses: (edgePrograms(), programClasses),
        // Sigma hands the reducers a shallow copy of the attributes: they change it in place.
        nodeReducer: function (id, a) {
          var res = a;
          if (!state.shown[id]) {
            res.hidden = true;
            return res;
          }
          var f = focusNode();
          if (a.kind === "theme") res.forceLabel = true;
          if (f) {
            if (id === f) {
              res.highlighted = true;
              res.forceLabel = true;
              res.zIndex = 2;
            } else if (state.neighbours[id]) {
              res.forceLabel = true;
              res.zIndex = 1;
            } else {
              res.color = FADED_NODE;
              res.label = "";
              res.forceLabel = false;
              res.zIndex = 0;
            }
          }
          return res;
        },
        edgeReducer: function (edge, a) {
          var res = a;
          var s = view.source(edge), t = view.target(edge);
          if (!relationOn(a) || !state.shown[s] || !state.shown[t]) {
            res.hidden = true;
            return res;
          }
          var f = focusNode();
          if (f) {
            if (s === f || t === f) {
              if (a.relation) {
                res.label = (relations[a.relation] || {}).title || a.relation;
                res.forceLabel = true;
              }
              res.size = (a.size || 1) * 1.5;
              res.zIndex = 1;
            } else {
              res.color = FADED_EDGE;
              res.zIndex = 0;
            }
          }
          return res;
        }
      });
    } catch (err) {
      setStatus("Your browser cannot draw the graph (" + err.message + "). Use the text alternative below.");
      if (window.console) console.warn("evidence graph:", err);
      return { kill: function () {} };
    }
    var camera = renderer.getCamera();
    renderer.on("beforeRender", reserveLabels);
    timings.drawn = Math.round(now());

    function updateLod() {
      var lod = state.lodWanted && camera.getState().ratio >= LOD_RATIO;
      var changed = lod !== state.lod;
      state.lod = lod;
      return changed;
    }

    var lastStatus = "";
    function updateStatus() {
      var text = "Showing " + state.shownList.length + " of " + plural(total, "node") + ".";
      if (state.lod) text += " Zoom in to reveal the claims and authors.";
      if (state.filtered) text += " Filters are on.";
      if (text !== lastStatus) {
        lastStatus = text;
        setStatus(text);
      }
    }

    // schedule: coalesce bursts (hover in and out) into one frame.
    function refresh(schedule) {
      setNeighbours();
      if (computeShown()) {
        view = buildView();
        if (edgePrograms()) renderer.setSetting("edgeProgramClasses", programClasses);
        renderer.setGraph(view); // draws at once
        if (state.moved) {
          // sigma reserves labels (beforeRender) before it reprocesses moved nodes: draw
          // once more so the reserved label boxes sit beside the nodes' new places
          state.moved = false;
          renderer.refresh();
        }
      } else {
        renderer.refresh({ skipIndexation: true, schedule: !!schedule });
      }
      updateStatus();
    }

    camera.on("updated", function () {
      if (updateLod()) refresh();
    });

    renderer.on("enterNode", function (ev) {
      state.hovered = ev.node;
      container.style.cursor = siteUrl(config.root, graph.getNodeAttribute(ev.node, "url")) ? "pointer" : "default";
      announce(ev.node);
      refresh(true);
    });
    renderer.on("leaveNode", function () {
      state.hovered = null;
      container.style.cursor = "";
      announce(state.selected);
      refresh(true);
    });
    renderer.on("clickNode", function (ev) {
      var original = ev.event && ev.event.original;
      var touch = original && /^touch/.test(original.type || "");
      // On touch screens there is no hover: the first tap selects, the second opens.
      if (touch && state.selected !== ev.node) {
        select(ev.node, false);
        return;
      }
      open(ev.node);
    });
    renderer.on("clickStage", function () {
      if (state.selected) select(null, false);
    });

    function select(id, moveCamera) {
      state.selected = id;
      showOpenLink(id);
      announce(id);
      refresh();
      if (id && moveCamera) {
        var d = renderer.getNodeDisplayData(id);
        if (d) camera.animate({ x: d.x, y: d.y, ratio: Math.min(camera.getState().ratio, LOD_RATIO * 0.6) }, { duration: 400 });
      }
    }

    // ---- search (ARIA 1.2 combobox with a listbox popup) --------------------------------
    // Made on the first search (not before the first draw), again after more data arrives.
    var index = null;
    function rebuildIndex() {
      index = null;
    }
    function makeIndex() {
      index = [];
      graph.forEachNode(function (id, a) {
        index.push({ id: id, label: a.label, lower: a.label.toLowerCase(), kind: a.kind });
      });
      index.sort(function (x, y) {
        return x.lower < y.lower ? -1 : x.lower > y.lower ? 1 : 0;
      });
    }
    var matches = [];
    var active = -1;

    function closeList() {
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      matches = [];
      active = -1;
    }

    function setActive(i) {
      var items = list.children;
      if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
      active = i;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[active].id);
        if (items[active].scrollIntoView) items[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function search(q) {
      q = q.trim().toLowerCase();
      closeList();
      if (!q) return;
      if (!index) makeIndex();
      var starts = [], contains = [];
      for (var i = 0; i < index.length && starts.length < MAX_MATCHES; i++) {
        var item = index[i];
        if (state.filtered && !state.filtered[item.id]) continue;
        var at = item.lower.indexOf(q);
        if (at === 0) starts.push(item);
        else if (at > 0 && contains.length < MAX_MATCHES) contains.push(item);
      }
      matches = starts.concat(contains).slice(0, MAX_MATCHES);
      if (!matches.length) {
        setStatus("No node matches “" + input.value.trim() + "”" + (state.filtered ? " with the current filters." : "."));
        lastStatus = "";
        return;
      }
      matches.forEach(function (m, i) {
        var li = document.createElement("li");
        li.id = "evg-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = m.label;
        var kind = document.createElement("span");
        kind.className = "evg-kind";
        kind.textContent = " (" + ((kinds[m.kind] || {}).title || m.kind) + ")";
        li.appendChild(kind);
        li.addEventListener("mousedown", function (ev) {
          ev.preventDefault(); // keep focus in the input
        });
        li.addEventListener("click", function () {
          choose(i);
        });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function choose(i) {
      var m = matches[i];
      if (!m) return;
      input.value = m.label;
      closeList();
      select(m.id, true);
      input.focus();
    }

    input.addEventListener("input", function () {
      search(input.value);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") {
        if (list.hidden) search(input.value);
        if (matches.length) setActive((active + 1) % matches.length);
        ev.preventDefault();
      } else if (ev.key === "ArrowUp") {
        if (matches.length) setActive(active <= 0 ? matches.length - 1 : active - 1);
        ev.preventDefault();
      } else if (ev.key === "Enter") {
        ev.preventDefault();
        if (!list.hidden && matches.length) {
          choose(active >= 0 ? active : 0);
        } else if (state.selected && graph.getNodeAttribute(state.selected, "label") === input.value) {
          open(state.selected);
        } else {
          search(input.value);
          if (matches.length) choose(0);
        }
      } else if (ev.key === "Escape") {
        if (!list.hidden) {
          closeList();
          ev.preventDefault();
        }
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(closeList, 150);
    });

    // ---- filters and buttons ------------------------------------------------------------
    function applyFilters() {
      state.theme = themeSelect.value;
      relationBoxes.forEach(function (box) {
        state.relations[box.value] = box.checked;
      });
      computeFilter();
      placeFor(state.theme);
      if (state.selected && state.filtered && !state.filtered[state.selected]) select(null, false);
      updateLod();
      refresh();
    }
    // The data a theme needs (its part; the whole graph for "All themes"), fetched once, then `then`.
    function ensure(theme, then) {
      var url = theme ? (config.parts || {})[theme] : config.data;
      if (whole || !url || loaded[url]) {
        then();
        return;
      }
      state.busy = true;
      setStatus("Loading " + (theme ? "the theme" : "the whole graph") + "…");
      lastStatus = "";
      getJson(url)
        .then(function (part) {
          addData(part);
          loaded[url] = true;
          if (url === config.data) whole = true;
          rebuildIndex();
          state.busy = false;
          then();
        })
        .catch(function (err) {
          state.busy = false;
          setStatus("That part of the graph could not be loaded (" + err.message + ").");
          if (window.console) console.warn("evidence graph:", err);
        });
    }
    themeSelect.addEventListener("change", function () {
      var theme = themeSelect.value;
      ensure(theme, function () {
        if (themeSelect.value !== theme) return; // the reader chose again meanwhile
        applyFilters();
        fitToShown(true);
        if (widen) widen.hidden = !theme;
      });
    });
    relationBoxes.forEach(function (box) {
      box.addEventListener("change", applyFilters);
    });
    byId("evg-zoom-in").addEventListener("click", function () {
      camera.animatedZoom({ duration: 300 });
    });
    byId("evg-zoom-out").addEventListener("click", function () {
      camera.animatedUnzoom({ duration: 300 });
    });
    byId("evg-reset").addEventListener("click", function () {
      ensure("", reset);
    });
    function reset() {
      themeSelect.value = "";
      relationBoxes.forEach(function (box) {
        box.checked = true;
      });
      input.value = "";
      closeList();
      state.hovered = null;
      select(null, false);
      applyFilters();
      camera.animatedReset({ duration: 300 });
      if (widen) widen.hidden = true;
    }

    [input, themeSelect, byId("evg-zoom-in"), byId("evg-zoom-out"), byId("evg-reset")].forEach(function (el) {
      el.disabled = false;
    });

    // ---- fit the view to what is shown ---------------------------------------------------
    // After a filter or on opening a neighbourhood, the camera frames the shown nodes, so
    // a filtered view is never a few dots in a corner.
    function fitToShown(animate) {
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, n = 0;
      var norm = renderer.normalizationFunction;
      graph.forEachNode(function (id, a) {
        if (!nodeShown(id, a) && !(state.filtered && state.filtered[id])) return;
        var d = typeof norm === "function" ? norm(a) : renderer.getNodeDisplayData(id);
        if (!d) return;
        n++;
        minX = Math.min(minX, d.x); maxX = Math.max(maxX, d.x);
        minY = Math.min(minY, d.y); maxY = Math.max(maxY, d.y);
      });
      if (!n) return;
      var target = { x: (minX + maxX) / 2, y: (minY + maxY) / 2,
        ratio: Math.min(1, Math.max(0.04, Math.max(maxX - minX, maxY - minY) * 1.25)) };
      if (animate) camera.animate(target, { duration: 300 });
      else camera.setState(target);
    }

    // ---- one claim's neighbourhood ---------------------------------------------------------
    // graph/?claim=<id> opens on the claim, its sources and their authors, its themes and
    // the claims related to it; "Show the whole graph" (or Reset) widens to everything.
    function neighbourhood(id) {
      var keep = {};
      keep[id] = true;
      graph.forEachEdge(id, function (edge, a, s, t) {
        var other = s === id ? t : s;
        keep[other] = true;
        var oa = graph.getNodeAttributes(other);
        if (oa.kind === "source") {
          graph.forEachOutEdge(other, function (e2, a2, s2, t2, sa2, ta2) {
            if (ta2.kind === "author") keep[t2] = true;
          });
        }
      });
      return keep;
    }

    var widen = byId("evg-widen");
    function showNeighbourhood(id) {
      placeFor("");
      state.filtered = neighbourhood(id);
      state.lodWanted = false;
      state.lod = false;
      select(id, false);
      refresh();
      fitToShown(false);
      if (widen) widen.hidden = false;
      setStatus("Showing " + state.shownList.length + " of " + plural(total, "node") +
        ": one claim and what it links to. Use “Show the whole graph” to widen.");
    }
    function showAll() {
      ensure("", function () {
        themeSelect.value = "";
        applyFilters();
        camera.animatedReset({ duration: 300 });
        if (widen) widen.hidden = true;
      });
    }
    if (widen) widen.addEventListener("click", showAll);
    relationBoxes.forEach(function (box) {
      box.addEventListener("change", function () { fitToShown(true); });
    });

    // ---- tap first on touch: the Selected panel comes into view ----------------------------
    var panel = app.querySelector(".evg-summary");
    renderer.on("clickNode", function (ev) {
      var original = ev.event && ev.event.original;
      if (original && /^touch/.test(original.type || "") && panel && panel.scrollIntoView) {
        panel.scrollIntoView({ block: "nearest", behavior: "auto" });
      }
    });

    // ---- where it opened: ?claim=, ?theme=, else the first theme ----------------------------
    if (opening.claim) {
      showNeighbourhood(opening.claim);
    } else if (opening.theme) {
      fitToShown(false);
      if (widen) widen.hidden = false;
    }

    updateStatus();

    var api = {
      ready: true,
      sigma: renderer,
      graph: graph,
      total: total,
      busy: function () { return !!state.busy; },
      loaded: function () { return Object.keys(loaded); },
      view: function () { return view; },
      state: state,
      msToReady: Math.round(now() - started), // from this script's start
      readyAt: Math.round(now()), // from navigation start
      timings: timings,
      visibleNodeCount: visibleNodeCount,
      labelBoxes: function () { return labels.drawn.slice(); },
      fitToShown: fitToShown,
      isShown: function (id) {
        return graph.hasNode(id) && nodeShown(id, graph.getNodeAttributes(id));
      },
      select: function (id) {
        select(id, true);
      },
      kill: function () {
        renderer.kill();
        if (window.evidenceGraph === api) window.evidenceGraph = { ready: false };
      }
    };
    window.evidenceGraph = api;
    app.setAttribute("data-evg-ready", "true");
    return api;
  }

  window.evidenceGraph = { ready: false };
  startEarly();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  // Material's instant navigation swaps pages without reloading scripts: follow it if present.
  window.addEventListener("load", function () {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () {
        init();
      });
    }
  });
})();
