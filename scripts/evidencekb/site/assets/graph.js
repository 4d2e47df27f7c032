/*
 * Graph explorer for the evidence base (page graph/).
 *
 * Why it works this way:
 * - Positions are precomputed by the build (data/graph.json); the browser runs no layout,
 *   so even thousands of nodes are interactive at once.
 * - Level of detail: above LOD_NODES visible nodes, claims wait until the reader zooms in,
 *   so the first picture is readable (themes and sources) and cheap to draw.
 * - Sigma draws a view graph that holds only the nodes and edges shown now; the whole data
 *   stays in `graph` (search, summaries, filters). Hidden items cost nothing to draw, so the
 *   whole-graph view of a 10,000-claim base draws its themes, sources and authors only. Two
 *   hidden corner nodes pin the view's extent to the whole graph's, so positions on screen
 *   do not move when the view changes.
 * - Meaning never rests on colour alone: each relation has its own line shape, its name is
 *   drawn on highlighted edges, and the hover summary spells the relations out in words.
 * - All text from the data reaches the page through textContent or the canvas, never as
 *   markup; URLs are resolved against the site root and must stay on this site.
 * - Titles (themes, relations, node kinds) come from the page's JSON config, which the build
 *   writes from the vocabularies: nothing here knows the topic.
 */
(function () {
  "use strict";

  var LOD_NODES = 1500; // more visible nodes than this: claims wait for zoom
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
      early.catch(function () {}); // init() reports a failure
    } catch (e) {
      early = null;
    }
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
    var graph = new Graph();
    var defaultSize = { theme: 14, source: 6, claim: 4, author: 3, scheme: 5 };
    // Parts of the data arrive one by one (a theme, then the whole graph): each is merged in.
    function addData(part) {
      var nodes = Array.isArray(part.nodes) ? part.nodes : [];
      var edges = Array.isArray(part.edges) ? part.edges : [];
      nodes.forEach(function (n, i) {
        if (!n || typeof n.id !== "string" || graph.hasNode(n.id)) return;
        var x = Number(n.x), y = Number(n.y);
        if (!isFinite(x) || !isFinite(y)) {
          // No position from the build: park it on a circle rather than fail the whole page.
          x = Math.cos(i) * 1000;
          y = Math.sin(i) * 1000;
        }
        var size = Number(n.size);
        if (!isFinite(size) || size <= 0) size = defaultSize[n.kind] || 4;
        var kind = kinds[n.kind] || { title: n.kind || "Node", color: "#424242" };
        graph.addNode(n.id, {
          x: x,
          y: y,
          size: Math.max(1.5, Math.min(size, 30)),
          color: kind.color,
          label: String(n.label == null ? n.id : n.label),
          kind: n.kind,
          url: n.url,
          themes: Array.isArray(n.themes) ? n.themes : [],
          level: n.level,
          detail: n.detail
        });
      });
      edges.forEach(function (e, i) {
        if (!e || !graph.hasNode(e.source) || !graph.hasNode(e.target)) return;
        var key = typeof e.id === "string" ? e.id : "e" + i;
        if (graph.hasEdge(key)) return;
        var rel = e.relation && relations[e.relation];
        var style = rel || structure;
        graph.addDirectedEdgeWithKey(key, e.source, e.target, {
          s: e.source, // kept on the edge so the reducer needs no graph lookups
          t: e.target,
          relation: rel ? e.relation : null,
          color: style.color,
          size: style.size || 1,
          type: programs[style.shape] || "line"
        });
      });
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
      var count = 0;
      graph.forEachNode(function (id) {
        if (!state.filtered || state.filtered[id]) count++;
      });
      state.lodWanted = count > LOD_NODES;
    }

    function focusNode() {
      return state.hovered || state.selected;
    }

    function nodeShown(id, a) {
      if (state.filtered && !state.filtered[id]) return false;
      if (state.lod && a.kind === "claim") {
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
      var n = 0;
      var same = true;
      var old = state.shown;
      graph.forEachNode(function (id, a) {
        if (nodeShown(id, a)) {
          shown[id] = true;
          n++;
          if (same && !old[id]) same = false;
        }
      });
      var rels = JSON.stringify(state.relations);
      if (n !== state.shownCount || rels !== state.shownRelations) same = false;
      state.shown = shown;
      state.shownCount = n;
      state.shownRelations = rels;
      return !same;
    }

    // What sigma draws: the shown nodes, the shown edges among them, and the two corners.
    function buildView() {
      var v = new Graph();
      v.addNode(CORNERS[0], { x: bbox.minX, y: bbox.minY, size: 0.1, label: "" });
      v.addNode(CORNERS[1], { x: bbox.maxX, y: bbox.maxY, size: 0.1, label: "" });
      var shown = state.shown;
      graph.forEachNode(function (id, a) {
        if (shown[id]) v.addNode(id, a);
      });
      graph.forEachEdge(function (edge, a, s, t) {
        if (shown[s] && shown[t] && relationOn(a)) v.addDirectedEdgeWithKey(edge, s, t, a);
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
      graph.forEachNode(function (id, a) {
        var p = labelPriority(id, a);
        if (p < 3 && nodeShown(id, a)) first.push({ id: id, p: p });
      });
      first.sort(function (x, y) { return x.p - y.p || (x.id < y.id ? -1 : 1); });
      first.forEach(function (item) {
        var d = renderer.getNodeDisplayData(item.id);
        if (!d || d.hidden) return;
        var v = renderer.framedGraphToViewport(d);
        var text = graph.getNodeAttribute(item.id, "label");
        var box = labelBox(ctx, { x: v.x, y: v.y, size: renderer.scaleSize(d.size), label: text }, renderer.getSettings());
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
    // Filters and level of detail are known before the first draw, so sigma draws once.
    computeFilter();
    state.lod = state.lodWanted; // the camera starts at ratio 1, the whole graph
    computeShown();
    var view = buildView();
    timings.built = Math.round(now());
    var R = window.Sigma.rendering || {};
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
        edgeProgramClasses: {
          arrow: R.EdgeArrowProgram,
          line: R.EdgeRectangleProgram,
          triangle: R.EdgeTriangleProgram
        },
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
          var s = a.s, t = a.t;
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
      var text = "Showing " + visibleNodeCount() + " of " + plural(total, "node") + ".";
      if (state.lod) text += " Zoom in to reveal the claims.";
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
        renderer.setGraph(view); // draws at once
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
    var index = [];
    function rebuildIndex() {
      index = [];
      graph.forEachNode(function (id, a) {
        index.push({ id: id, label: a.label, lower: a.label.toLowerCase(), kind: a.kind });
      });
      index.sort(function (x, y) {
        return x.lower < y.lower ? -1 : x.lower > y.lower ? 1 : 0;
      });
    }
    rebuildIndex();
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
      state.filtered = neighbourhood(id);
      state.lodWanted = false;
      state.lod = false;
      select(id, false);
      refresh();
      fitToShown(false);
      if (widen) widen.hidden = false;
      setStatus("Showing " + visibleNodeCount() + " of " + plural(total, "node") +
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

    // ---- where to open: ?claim=, ?theme=, else the first theme -----------------------------
    (function openFromUrl() {
      var params = new URLSearchParams(window.location.search);
      var claim = params.get("claim");
      var theme = params.get("theme");
      if (claim && graph.hasNode("claim:" + claim)) {
        showNeighbourhood("claim:" + claim);
        return;
      }
      if (theme === "all") return;
      var known = Array.prototype.some.call(themeSelect.options, function (o) { return o.value && o.value === theme; });
      if (!known) theme = config.start_theme || "";
      var has = theme && graph.someNode(function (id, a) { return a.kind === "claim" && a.themes.indexOf(theme) >= 0; });
      if (!has) return;
      themeSelect.value = theme;
      applyFilters();
      fitToShown(false);
      if (widen) widen.hidden = false;
    })();

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
