// The explorer. Data comes from the JSON block; every piece of data text is written with
// textContent, never as HTML. Nodes and edges of the diagram are found by their ids
// (node-<id>, edge-<index>) and hidden with a class. Every table keyed by an id (or by a
// kind or relation) is a Map: an id such as `constructor` or `__proto__` is just a key.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("policygraph-data").textContent);
  var docs = new Map(Object.entries(data.docs || {}));
  var byId = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); });
  var outEdges = new Map(), inEdges = new Map();
  function add(table, key, e) {
    if (!table.has(key)) table.set(key, []);
    table.get(key).push(e);
  }
  data.edges.forEach(function (e) {
    add(outEdges, e.from, e);
    add(inEdges, e.to, e);
  });
  var svg = document.querySelector("#diagram svg");
  function el(id) { return document.getElementById(id); }
  function make(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) x.textContent = String(text);
    if (cls) x.className = cls;
    return x;
  }
  var visible = new Map();
  var selected = null;

  // Filters.
  function checked(name) {
    var out = new Map();
    document.querySelectorAll("input[name=" + name + "]").forEach(function (b) { out.set(b.value, b.checked); });
    return out;
  }
  function inEra(n, era) {
    if (!era) return true;
    if (n.from === null || n.from === undefined) return false;
    var eraEnd = era.until === null ? 99999 : era.until;
    if (n.point) return n.from >= era.from && n.from <= eraEnd;
    var until = (n.until === null || n.until === undefined) ? 99999 : n.until;
    return n.from <= eraEnd && until >= era.from;
  }
  // 1: active in the year; 2: started earlier, end not recorded (shown faded); 0: not.
  function asOf(n, year) {
    if (year === null) return 1;
    if (n.from === null || n.from === undefined) return 0;
    var until = (n.until === null || n.until === undefined || n.point) ? 99999 : n.until;
    if (n.from <= year && year <= until) return 1;
    return n.end_unknown && year > until ? 2 : 0;
  }
  function currentYear() {
    var s = el("year");
    var v = parseInt(s.value, 10);
    return v > parseInt(s.max, 10) - 1 ? null : v;
  }
  function apply() {
    var kinds = checked("kind"), relations = checked("relation");
    var eraIx = el("era").value;
    var era = eraIx === "" ? null : data.eras[parseInt(eraIx, 10)];
    var year = currentYear();
    el("year-label").textContent = year === null ? "all years" : String(year);
    var shown = 0, unknown = 0;
    data.nodes.forEach(function (n) {
      var state = asOf(n, year);
      var ok = kinds.get(n.kind) !== false && (inEra(n, era) || (era && n.end_unknown && state === 2)) && state > 0;
      visible.set(n.id, ok);
      if (ok && state === 1) shown++;
      if (ok && state === 2) unknown++;
      var g = el("node-" + n.id);
      if (g) {
        g.classList.toggle("pg-hidden", !ok);
        g.classList.toggle("pg-unknown", ok && state === 2);
      }
    });
    data.edges.forEach(function (e) {
      var ok = relations.get(e.relation) !== false && visible.get(e.from) === true && visible.get(e.to) === true;
      var g = el(e.svg);
      if (g) g.classList.toggle("pg-hidden", !ok);
    });
    el("count").textContent = "showing " + shown + " of " + data.nodes.length + " nodes" +
      (unknown ? "; " + unknown + " faded: started earlier, end not recorded" : "");
  }
  document.querySelectorAll("#controls input[type=checkbox], #era").forEach(function (c) {
    c.addEventListener("change", apply);
  });
  el("year").addEventListener("input", apply);

  // Details.
  function dates(n) {
    if (n.start && n.end) return n.start + " to " + n.end;
    if (n.start && n.end_status === "ongoing") return "from " + n.start + ", ongoing";
    if (n.start && !n.point) return "from " + n.start + ", end not recorded";
    if (n.start) return n.start;
    if (n.end) return "until " + n.end;
    return "undated";
  }
  function sourceItem(s) {
    var doc = docs.get(s.doc);
    var li = make("li");
    if (doc) {
      li.appendChild(goto(s.doc, doc.cite));
      li.appendChild(document.createTextNode(", " + s.at + " (" + doc.name + ")"));
    } else {
      li.textContent = s.doc + ", " + s.at;
    }
    return li;
  }
  function goto(id, text) {
    var b = make("button", text, "goto");
    b.type = "button";
    b.addEventListener("click", function () { select(id, true); });
    return b;
  }
  function safeUrl(u) { return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null; }
  function select(id, scroll) {
    var n = byId.get(id);
    if (!n) return;
    if (selected) { var old = el("node-" + selected); if (old) old.classList.remove("pg-selected"); }
    selected = id;
    var g = el("node-" + id);
    if (g) {
      g.classList.add("pg-selected");
      if (scroll && g.scrollIntoView) g.scrollIntoView({ block: "center", inline: "center" });
    }
    var d = el("details");
    d.replaceChildren();
    d.appendChild(make("h2", n.name, "name"));
    d.appendChild(make("p", n.kind + " · " + dates(n) + (n.stance ? " · " + n.stance : ""), "meta"));
    if (n.aliases && n.aliases.length) d.appendChild(make("p", "Also: " + n.aliases.join("; "), "aliases"));
    if (n.summary) d.appendChild(make("p", n.summary, "summary"));
    if (n.note) d.appendChild(make("p", "Note: " + n.note, "note"));
    // The link is checked when the page is made (src/weblink.rs); checked again here.
    var link = safeUrl(n.link);
    if (link) {
      var a = make("a", link);
      a.href = link; a.rel = "noopener noreferrer"; a.target = "_blank";
      var p = make("p"); p.appendChild(a); d.appendChild(p);
    }
    d.appendChild(make("h3", "Sources"));
    var src = make("ul", null, "sources");
    (n.sources || []).forEach(function (s) { src.appendChild(sourceItem(s)); });
    if (!n.sources || !n.sources.length) src.appendChild(make("li", "none recorded"));
    d.appendChild(src);
    d.appendChild(make("h3", "Edges"));
    var list = make("ul", null, "edges");
    (outEdges.get(id) || []).forEach(function (e) {
      var li = make("li");
      li.appendChild(document.createTextNode(e.relation + (e.stance ? " (" + e.stance + ")" : "") + " → "));
      li.appendChild(goto(e.to, byId.has(e.to) ? byId.get(e.to).name : e.to));
      list.appendChild(li);
    });
    (inEdges.get(id) || []).forEach(function (e) {
      var li = make("li");
      li.appendChild(goto(e.from, byId.has(e.from) ? byId.get(e.from).name : e.from));
      li.appendChild(document.createTextNode(" " + e.relation + (e.stance ? " (" + e.stance + ")" : "") + " → this"));
      list.appendChild(li);
    });
    if (!list.children.length) list.appendChild(make("li", "none"));
    d.appendChild(list);
    if (location.hash !== "#node-" + id) history.replaceState(null, "", "#node-" + id);
  }
  document.querySelectorAll("#diagram g.node").forEach(function (g) {
    var id = g.id.indexOf("node-") === 0 ? g.id.slice(5) : null;
    if (!id || !byId.has(id)) return;
    g.addEventListener("click", function (ev) { ev.preventDefault(); select(id, false); });
  });

  // Search.
  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var hits = [];
    data.nodes.forEach(function (n) {
      var hay = [n.name, n.id].concat(n.aliases || []).join("\n").toLowerCase();
      var at = hay.indexOf(q);
      if (at >= 0) hits.push({ n: n, score: (n.name.toLowerCase() === q ? 0 : 1) + (at === 0 ? 0 : 1) });
    });
    hits.sort(function (a, b) { return a.score - b.score || a.n.name.localeCompare(b.n.name); });
    return hits.slice(0, 30).map(function (h) { return h.n; });
  }
  var search = el("search"), results = el("results");
  search.addEventListener("input", function () {
    results.replaceChildren();
    matches(search.value).forEach(function (n) {
      var li = make("li");
      li.tabIndex = 0;
      li.dataset.id = n.id;
      li.appendChild(make("span", n.name, "name"));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(make("span", n.kind, "kind"));
      li.addEventListener("click", function () { select(n.id, true); });
      li.addEventListener("keydown", function (e) { if (e.key === "Enter") select(n.id, true); });
      results.appendChild(li);
    });
  });
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { var first = matches(search.value)[0]; if (first) select(first.id, true); }
  });

  // Zoom: the SVG's own size in points, scaled.
  var baseW = svg ? svg.width.baseVal.value : 0, baseH = svg ? svg.height.baseVal.value : 0;
  var scale = 1;
  function zoom(s) {
    if (!svg) return;
    scale = Math.max(0.05, Math.min(4, s));
    svg.style.width = (baseW * scale) + "px";
    svg.style.height = (baseH * scale) + "px";
  }
  function fit() {
    var box = el("diagram");
    if (baseW > 0) zoom(Math.min(1, box.clientWidth / baseW));
  }
  el("zoom-in").addEventListener("click", function () { zoom(scale * 1.25); });
  el("zoom-out").addEventListener("click", function () { zoom(scale / 1.25); });
  el("zoom-fit").addEventListener("click", fit);

  // Start at a readable size rather than squeezing a large graph into the window.
  zoom(baseW > 0 && el("diagram").clientWidth / baseW > 0.5 ? el("diagram").clientWidth / baseW : 0.5);
  apply();
  // The address names a node; a malformed escape (#node-%) names none.
  var start = null;
  try { start = decodeURIComponent(location.hash.replace(/^#node-/, "")); } catch (e) { start = null; }
  if (start && byId.has(start)) select(start, true);
})();
