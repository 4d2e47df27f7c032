/* The search engine behind search.js: Pagefind, run in this module worker (or, where a
 * browser has no module workers, imported into the page by search.js).
 *
 * Why a worker of our own: a word on most pages matches thousands of them, and Pagefind hands
 * every match (with its word positions) from its own worker to the page, about 0.08 s for
 * 11,000 matches that the page then throws away but ten. Here the matches stay in the worker
 * and only the rows the page draws cross over, each as soon as its fragment has arrived.
 *
 * Queries are served newest first: while one is being answered, newer ones replace each other,
 * and a query already overtaken is dropped once its index chunks are in (before Pagefind scores
 * it), so a reader typing fast never waits behind the words on the way.
 *
 * Messages in:  {type: "init", pagefind, baseUrl, excerptLength}
 *               {type: "search", id, q, filters} (ids rising; one seen before is ignored)
 *               {type: "more", id} / {type: "filters"} (answered once)
 * Messages out: {type: "ready"} / {type: "failed"}
 *               {type: "scoring", id} / {type: "scored", id}: Pagefind's scoring, which cannot be
 *               stopped, begun and ended (the page stops a worker stuck on an overtaken query)
 *               {type: "found", id, total} {type: "row", id, index, row} {type: "done", id, left}
 *               {type: "filters", all}  ({type: "error", id} when a search fails) */

var PAGE = 10;

export function searchServer(post) {
  var pf = null;
  var started = null;
  var latest = null;    // the newest search not yet started
  var running = false;
  var answer = null;    // {id, results, next}: the search whose rows are being handed out
  var newestId = 0;     // a query is asked again when a fresh engine takes over: once is enough
  var filtersAsked = false;

  function start(msg) {
    if (!started) {
      started = import(msg.pagefind).then(function (mod) {
        return Promise.resolve(mod.options({ baseUrl: msg.baseUrl, excerptLength: msg.excerptLength }))
          .then(function () { return mod.init(); })
          .then(function () { pf = mod; post({ type: "ready" }); });
      }).catch(function () {
        post({ type: "failed" });
        throw new Error("no search index");
      });
    }
    return started;
  }

  function row(r) {
    // Only what the page draws; strings from the index stay strings.
    var meta = r.meta || {};
    return {
      url: String(r.url || ""),
      excerpt: String(r.excerpt || ""),
      meta: { title: meta.title, confidence: meta.confidence, level: meta.level, type: meta.type },
    };
  }

  function handOut(current) {
    var from = current.next;
    var to = Math.min(from + PAGE, current.results.length);
    current.next = to;
    var batch = [];
    for (var i = from; i < to; i++) {
      batch.push(current.results[i].data().then(function (index, data) {
        if (answer === current) post({ type: "row", id: current.id, index: index, row: row(data) });
      }.bind(null, i)));
    }
    return Promise.all(batch).then(function () {
      if (answer === current) post({ type: "done", id: current.id, left: current.results.length - to });
    });
  }

  function options(filters) {
    return filters ? { filters: filters } : {};
  }

  function nextTurn(value) {
    // Scoring runs in one piece, so a query typed meanwhile is still waiting in this worker's
    // message queue: let it in before deciding whether this answer is still wanted.
    return new Promise(function (resolve) { setTimeout(function () { resolve(value); }, 0); });
  }

  function pump() {
    if (running || !latest) return;
    running = true;
    var ask = latest;
    latest = null;
    var q = ask.q || null;
    // The chunks first, then a look at whether a newer query came meanwhile.
    (q ? pf.preload(q, options(ask.filters)) : Promise.resolve()).then(function () {
      if (latest) return null;
      post({ type: "scoring", id: ask.id });
      return pf.search(q, options(ask.filters)).then(function (found) {
        post({ type: "scored", id: ask.id });
        return nextTurn(found);
      }, function (err) {
        post({ type: "scored", id: ask.id });
        throw err;
      });
    }).then(function (found) {
      if (!found || latest) return;
      answer = { id: ask.id, results: found.results, next: 0 };
      post({ type: "found", id: ask.id, total: found.results.length });
      handOut(answer);  // the rows follow as their fragments arrive; a newer query need not wait
    }).catch(function () {
      post({ type: "error", id: ask.id });
    }).then(function () {
      running = false;
      pump();
    });
  }

  return function receive(msg) {
    if (msg.type === "init") {
      start(msg).catch(function () {});
    } else if (msg.type === "search") {
      if (msg.id <= newestId) return;
      newestId = msg.id;
      latest = msg;
      if (started) started.then(pump, function () {});  // "failed" has said it
    } else if (msg.type === "more") {
      if (answer && answer.id === msg.id) handOut(answer);
    } else if (msg.type === "filters" && !filtersAsked) {
      filtersAsked = true;
      if (started) {
        started.then(function () { return pf.filters(); }).then(function (all) {
          post({ type: "filters", all: all });
        }, function () {});
      }
    }
  };
}

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  var receive = searchServer(function (msg) { self.postMessage(msg); });
  self.addEventListener("message", function (ev) { receive(ev.data); });
}
