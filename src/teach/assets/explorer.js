// The explorer: Cytoscape.js draws the graph; this script chooses what is shown and
// where it comes from. Two views:
//   the overview: the lineage on its time axis, placed by the lineage chart's own layout
//     (the positions are in the data); filters and the year slider drop empty lanes;
//   the focus view: a node's neighbourhood to a depth, laid out by dagre (left to right,
//     earlier things left: each edge is drawn forward in time).
// The state (focus, depth, expanded nodes, filters, year) lives in the address, so a view
// can be sent as a link; focusing a node pushes a history entry.
//
// Data text reaches the page only through textContent (and as text drawn on the canvas);
// every table keyed by an id, kind or relation is a Map, so an id such as `constructor`
// or `__proto__` is just a key. Cytoscape.js element ids are our own ("n12", "e40"),
// never data.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("policygraph-data").textContent);
  var FONT = "Liberation Sans, Arial, Helvetica, sans-serif";
  // Labels are drawn at these sizes at zoom 1; the view never frames below the zoom
  // at which they are 12 px on screen.
  var FOCUS_FONT = 14, CHART_FONT = 15, MIN_PX = 12;
  var kindStyle = new Map(Object.entries(data.styles.kinds));
  var relationStyle = new Map(Object.entries(data.styles.relations));
  var stanceColour = new Map(Object.entries(data.styles.stances));
  var docs = new Map(Object.entries(data.docs || {}));
  var byId = new Map();
  data.nodes.forEach(function (n, i) { n.ix = i; byId.set(n.id, n); });
  var outEdges = new Map(), inEdges = new Map();
  function add(table, key, e) {
    if (!table.has(key)) table.set(key, []);
    table.get(key).push(e);
  }
  data.edges.forEach(function (e, i) {
    e.ix = i;
    add(outEdges, e.from, e);
    add(inEdges, e.to, e);
  });
  function el(id) { return document.getElementById(id); }
  function make(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) x.textContent = String(text);
    if (cls) x.className = cls;
    return x;
  }
  var years = data.years || [0, 0];
  var overview = data.overview;

  // ---- State, and the address that holds it ----------------------------------------
  var state = { focus: null, depth: 1, expand: [], hide: new Map(), era: "", year: null };
  function hidden(group, value) { return state.hide.get(group + ":" + value) === true; }
  function toHash() {
    var p = new URLSearchParams();
    if (state.focus !== null) p.set("focus", state.focus);
    if (state.focus !== null && state.depth !== 1) p.set("depth", String(state.depth));
    if (state.focus !== null && state.expand.length) p.set("expand", state.expand.join(","));
    var hide = [];
    state.hide.forEach(function (v, k) { if (v) hide.push(k); });
    if (hide.length) p.set("hide", hide.sort().join(","));
    if (state.era !== "") p.set("era", state.era);
    if (state.year !== null) p.set("year", String(state.year));
    var s = p.toString();
    return s ? "#" + s : "#";
  }
  function fromHash() {
    var h = location.hash.replace(/^#/, "");
    var next = { focus: null, depth: 1, expand: [], hide: new Map(), era: "", year: null };
    // The old form, #node-<id>, names a focus.
    if (h.indexOf("node-") === 0) {
      try { h = "focus=" + encodeURIComponent(decodeURIComponent(h.slice(5))); } catch (err) { h = ""; }
    }
    var p;
    try { p = new URLSearchParams(h); } catch (err) { p = new URLSearchParams(""); }
    var f = p.get("focus");
    if (f !== null && byId.has(f)) next.focus = f;
    var d = parseInt(p.get("depth") || "1", 10);
    next.depth = d >= 1 && d <= 4 ? d : 1;
    (p.get("expand") || "").split(",").forEach(function (id) { if (byId.has(id) && next.expand.indexOf(id) < 0) next.expand.push(id); });
    (p.get("hide") || "").split(",").forEach(function (k) { if (/^(kind|relation|stance):[a-z-]+$/.test(k)) next.hide.set(k, true); });
    var era = p.get("era");
    if (era !== null && /^\d+$/.test(era) && parseInt(era, 10) < data.eras.length) next.era = era;
    var y = parseInt(p.get("year") || "", 10);
    if (y >= years[0] && y <= years[1]) next.year = y;
    return next;
  }
  // Writes the state into the address: a new history entry when the focus changes.
  function remember(push) {
    var h = toHash();
    if (h === (location.hash || "#")) return;
    if (push) history.pushState(null, "", h); else history.replaceState(null, "", h);
  }
  // The controls show the state.
  function showState() {
    document.querySelectorAll("#controls input[type=checkbox]").forEach(function (b) {
      b.checked = !hidden(b.name, b.value);
    });
    el("era").value = state.era;
    el("depth").value = String(state.depth);
    el("depth").disabled = state.focus === null;
    var s = el("year");
    s.value = String(state.year === null ? parseInt(s.max, 10) : state.year);
    el("year-label").textContent = state.year === null ? "all years" : String(state.year);
  }

  // ---- What is shown -----------------------------------------------------------------
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
  function stanceOf(e) { return e.stance || null; }
  // Whether a node passes the filters: 0 no, 1 yes, 2 yes but faded (end unknown).
  function passes(n) {
    if (hidden("kind", n.kind)) return 0;
    if (n.stance && hidden("stance", n.stance)) return 0;
    var era = state.era === "" ? null : data.eras[parseInt(state.era, 10)];
    var a = asOf(n, state.year);
    if (a === 0) return 0;
    if (!inEra(n, era) && !(era && n.end_unknown && a === 2)) return 0;
    return a;
  }
  function edgePasses(e) {
    if (hidden("relation", e.relation)) return false;
    var s = stanceOf(e);
    return !(s && hidden("stance", s));
  }
  // The focus view's nodes: breadth first from the focus to the depth, then one hop
  // from each expanded node; filtered nodes are neither shown nor walked through. The
  // focus is always shown. A hub (more than HUB neighbours) past the focus is shown but
  // not walked through unless expanded: it is listed with how many it leaves out.
  // At most MOST nodes are drawn: focusing a node with 120 neighbours takes about 1.3 s
  // on a 2-core laptop (dagre 0.25 s, the two animations 0.55 s, redrawing the rest),
  // one with 485 drawn took 3.35 s (benches/explorer.py), and a column of hundreds reads
  // as nothing. The rest are counted, and the filters narrow them.
  var HUB = 12, MOST = 120;
  function neighbourhood() {
    var depth = new Map(), order = [], collapsed = new Map(), over = new Map();
    function visit(id, d) {
      if (depth.has(id)) return;
      if (depth.size >= MOST) { over.set(id, true); return; }
      depth.set(id, d); order.push(id);
    }
    visit(state.focus, 0);
    function around(id) {
      var out = [];
      (outEdges.get(id) || []).forEach(function (e) { if (edgePasses(e)) out.push(e.to); });
      (inEdges.get(id) || []).forEach(function (e) { if (edgePasses(e)) out.push(e.from); });
      return out.filter(function (o, i) { return out.indexOf(o) === i && passes(byId.get(o)) > 0; });
    }
    var expanded = new Map();
    state.expand.forEach(function (x) { expanded.set(x, true); });
    for (var i = 0; i < order.length; i++) {
      var id = order[i], d = depth.get(id);
      if (d >= state.depth && !expanded.get(id)) continue;
      var next = around(id);
      if (d > 0 && next.length > HUB && !expanded.get(id)) { collapsed.set(id, next.length); continue; }
      next.forEach(function (o) { visit(o, d + 1); });
    }
    // What a collapsed hub leaves out: its neighbours not shown anyway.
    collapsed.forEach(function (_, id) {
      var left = around(id).filter(function (o) { return !depth.has(o); }).length;
      if (left > 0) collapsed.set(id, left); else collapsed.delete(id);
    });
    return { depth: depth, collapsed: collapsed, over: over.size };
  }

  // ---- Drawing ------------------------------------------------------------------------
  var container = el("graph");
  var cy = cytoscape({
    container: container,
    minZoom: 0.05,
    maxZoom: 4,
    boxSelectionEnabled: false,
    autoungrabify: false,
    style: [
      { selector: "node", style: {
        "font-family": FONT, "font-size": FOCUS_FONT, "color": "#111", "label": "data(label)",
        "text-wrap": "wrap", "text-max-width": 2000, "text-valign": "center", "text-halign": "center",
        "width": "data(w)", "height": "data(h)", "shape": "data(shape)", "background-color": "data(fill)",
        "border-width": 1, "border-color": "#333", "z-index-compare": "manual", "z-index": 10, "line-height": 1.2 } },
      { selector: "node.finding", style: { "border-width": 4, "border-color": "data(stance)" } },
      { selector: "node.contested", style: { "border-width": 6, "border-style": "double", "border-color": "#000" } },
      { selector: "node.focus", style: { "underlay-color": "#000", "underlay-opacity": 0.18, "underlay-padding": 9, "font-weight": "bold" } },
      { selector: "node.unknown", style: { "opacity": 0.45, "border-style": "dashed", "border-width": 2 } },
      { selector: "edge", style: {
        "curve-style": "bezier", "width": "data(width)", "line-color": "data(colour)", "line-style": "data(line)",
        "target-arrow-shape": "triangle", "target-arrow-color": "data(colour)", "arrow-scale": 1.1,
        "z-index-compare": "manual", "z-index": 5 } },
      // The overview: the lineage chart's bars, markers, labels, eras and years.
      { selector: "node.bar", style: { "label": "", "shape": "rectangle", "border-width": 0.8, "border-color": "#333" } },
      { selector: "node.bar.ongoing", style: { "shape": "tag" } },
      { selector: "node.tail", style: {
        "label": "?", "text-halign": "right", "text-valign": "center", "text-margin-x": 4, "font-size": CHART_FONT,
        "shape": "rectangle", "border-width": 0, "background-fill": "linear-gradient",
        "background-gradient-direction": "to-right", "background-gradient-stop-colors": "data(fade)", "events": "no" } },
      { selector: "node.act", style: { "label": "", "shape": "diamond", "background-color": "data(fill)", "border-width": 1 } },
      { selector: "node.lbl", style: {
        "background-opacity": 0, "border-width": 0, "font-size": CHART_FONT, "text-justification": "left",
        "text-valign": "center", "text-halign": "center", "z-index": 11 } },
      { selector: "node.era", style: {
        "background-color": "data(fill)", "background-opacity": 1, "border-width": 0, "shape": "rectangle",
        "label": "data(label)", "text-valign": "top", "text-halign": "center", "text-margin-y": -4,
        "font-size": CHART_FONT, "font-weight": "bold", "color": "#334", "z-index": 0, "events": "no" } },
      { selector: "node.tick", style: {
        "background-opacity": 0, "border-width": 0, "font-size": 13, "color": "#555", "z-index": 1, "events": "no" } },
      { selector: "node.now", style: { "background-color": "#D55E00", "background-opacity": 0.7, "border-width": 0, "label": "data(label)",
        "text-valign": "bottom", "text-margin-y": 22, "text-halign": "center", "font-size": CHART_FONT, "font-weight": "bold", "color": "#D55E00", "z-index": 2, "events": "no" } },
      { selector: "edge.chart", style: { "curve-style": "straight", "z-index": 6, "source-endpoint": "data(se)", "target-endpoint": "data(te)" } },
      // An Act's guide: down from its marker, then along to what it established.
      // A reform: straight down from the Act onto the bar it reformed.
      { selector: "edge.reform", style: { "width": 1.2, "arrow-scale": 0.7, "curve-style": "straight" } },
      { selector: "edge.guide", style: { "line-style": "dashed", "width": 1, "arrow-scale": 0.7, "curve-style": "taxi", "taxi-direction": "downward", "taxi-turn": "100%" } },
      { selector: "node.mark", style: {
        "shape": "ellipse", "background-color": "#fff", "border-width": 2.2, "border-color": "#000", "label": "data(label)",
        "text-valign": "top", "text-halign": "left", "text-margin-x": 1, "text-margin-y": 1, "font-size": 12, "font-weight": "bold",
        "text-outline-color": "#fff", "text-outline-width": 2, "z-index": 12, "events": "no" } },
      { selector: ".faded", style: { "opacity": 0.4 } },
    ],
  });
  // For the browser tests: the graph and the state, read only.
  window.policygraphExplorer = { cy: cy, state: function () { return JSON.parse(JSON.stringify({ focus: state.focus, depth: state.depth, year: state.year, era: state.era })); } };

  function relationLook(e) {
    var r = relationStyle.get(e.relation);
    var colour = r.color;
    if (e.relation === "evaluated-by" && stanceOf(e)) colour = stanceColour.get(stanceOf(e)) || colour;
    return { colour: colour, line: r.line, width: r.width, forward: r.forward };
  }
  function nodeData(n, prefix) {
    var k = kindStyle.get(n.kind);
    return {
      id: prefix + n.ix, of: n.id, label: n.label, w: n.w, h: n.h, fill: k.fill, shape: k.shape,
      stance: n.stance ? stanceColour.get(n.stance) : "#333",
    };
  }

  var busy = 0;
  function setBusy(d) {
    busy += d;
    if (busy > 0) container.setAttribute("data-busy", ""); else container.removeAttribute("data-busy");
  }
  // Frames `eles`: the whole of them when that keeps labels readable; else at the
  // smallest readable zoom, across around `centre.x` (model coordinates) or the
  // middle, and down from their top.
  function frame(eles, fontSize, centre, animate) {
    if (!eles.length) return;
    var bb = eles.boundingBox({ includeLabels: true });
    var w = container.clientWidth, h = container.clientHeight, pad = 24;
    var fitZoom = Math.min((w - 2 * pad) / Math.max(bb.w, 1), (h - 2 * pad) / Math.max(bb.h, 1));
    var least = MIN_PX / fontSize * 1.02;
    var zoom = Math.min(Math.max(fitZoom, least), 1.3);
    var cx = (bb.x1 + bb.x2) / 2, cyy = (bb.y1 + bb.y2) / 2;
    if (bb.w * zoom > w - 2 * pad && centre) {
      // Keep the view within the drawing.
      var half = (w / 2 - pad) / zoom;
      cx = Math.max(bb.x1 + half, Math.min(bb.x2 - half, centre.x));
    }
    if (bb.h * zoom > h - 2 * pad) {
      cyy = centre && !centre.top ? centre.y : bb.y1 + (h / 2 - pad) / zoom;
    }
    var pan = { x: w / 2 - cx * zoom, y: h / 2 - cyy * zoom };
    if (animate) {
      setBusy(1);
      cy.animate({ zoom: zoom, pan: pan }, { duration: 250, complete: function () { setBusy(-1); } });
    } else {
      cy.viewport({ zoom: zoom, pan: pan });
    }
  }

  // The data of an overview element: every field the style sheet maps.
  function deco(id, w, h, label, fill, of) {
    return { id: id, w: w, h: h, label: label, fill: fill, shape: "rectangle", stance: "#333", of: of || null };
  }
  // The overview's elements for what passes the filters, lanes emptied by them dropped.
  function drawOverview() {
    var shown = [], faded = 0;
    overview.items.forEach(function (it) {
      var n = data.nodes[it.node];
      var p = passes(n);
      if (p > 0) { shown.push(it); if (p === 2) faded++; }
    });
    var used = new Map();
    shown.forEach(function (it) { used.set(it.row, true); });
    // New tops: rows kept in order, gaps between them as in the chart.
    var shift = new Map(), cursor = null, lanesBegun = false;
    overview.rows.forEach(function (r, i) {
      if (!used.get(i)) return;
      var top = r[0];
      if (cursor === null) cursor = top;
      else {
        // The gap the chart left above this row (the Acts' band keeps its distance).
        var above = overview.rows[i - 1];
        var gap = Math.max(6, top - (above[0] + above[1]));
        if (i >= overview.act_rows && !lanesBegun) gap = Math.max(gap, 40);
        cursor += gap;
      }
      if (i >= overview.act_rows) lanesBegun = true;
      shift.set(i, cursor - top);
      cursor += r[1];
    });
    var els = [], at = new Map();
    var x = function (year) { return overview.x0 + (year - overview.years[0]) * overview.year; };
    var top = Infinity, bottom = -Infinity, left = Infinity, right = -Infinity;
    shown.forEach(function (it) {
      var n = data.nodes[it.node], dy = shift.get(it.row), k = kindStyle.get(n.kind);
      var b = it.bar, l = it.label;
      var cls = it.end === "event" ? "act" : "bar " + it.end;
      if (passes(n) === 2) cls += " faded";
      var id = "b" + n.ix;
      // The centre as the chart placed it: the edges' ends are given from there.
      at.set(it.node, { id: id, ox: b[0] + b[2] / 2, oy: b[1] + b[3] / 2, dy: dy });
      els.push({ group: "nodes", data: deco(id, b[2], b[3], "", k.fill, n.id), position: { x: b[0] + b[2] / 2, y: b[1] + dy + b[3] / 2 }, classes: cls });
      els.push({ group: "nodes", data: deco("l" + n.ix, l[2], l[3], it.lines, "#fff", n.id), position: { x: l[0] + l[2] / 2, y: l[1] + dy + l[3] / 2 }, classes: "lbl" + (passes(n) === 2 ? " faded" : "") });
      if (it.end === "unknown") {
        var tw = 1.5 * overview.year;
        els.push({ group: "nodes", data: Object.assign(deco("t" + n.ix, tw, b[3], "?", k.fill), { fade: k.fill + " #ffffff" }), position: { x: b[0] + b[2] + tw / 2, y: b[1] + dy + b[3] / 2 }, classes: "tail" });
      }
      top = Math.min(top, l[1] + dy, b[1] + dy); bottom = Math.max(bottom, b[1] + dy + b[3]);
      left = Math.min(left, b[0]); right = Math.max(right, b[0] + b[2], l[0] + l[2]);
    });
    overview.edges.forEach(function (r) {
      var e = data.edges[r.edge];
      if (!edgePasses(e)) return;
      var tail = at.get(byId.get(e.to).ix), head = at.get(byId.get(e.from).ix);
      if (!tail || !head) return;
      var look = relationLook(e);
      // Bars that meet end to start on one lane: a short arrow into the junction (a
      // line of no length cannot be drawn).
      var from = [r.from[0], r.from[1]];
      if (Math.abs(r.to[0] - from[0]) + Math.abs(r.to[1] - from[1]) < 6) from[0] = r.to[0] - 6;
      els.push({
        group: "edges", data: {
          id: "o" + e.ix, source: tail.id, target: head.id, colour: look.colour, line: look.line, width: look.width,
          se: (from[0] - tail.ox) + "px " + (from[1] - tail.oy) + "px", te: (r.to[0] - head.ox) + "px " + (r.to[1] - head.oy) + "px",
        },
        classes: "chart" + (e.relation === "replaced" ? "" : e.relation === "established-by" ? " guide" : " reform"),
      });
    });
    // Mergers and splits: a ring where the arrows join or fork, its type above.
    (overview.marks || []).forEach(function (m, i) {
      var host = at.get(m.node);
      if (!host) return;
      els.push({ group: "nodes", data: deco("mk" + i, 12, 12, m.kind, "#ffffff"), position: { x: m.at[0], y: m.at[1] + host.dy }, classes: "mark" });
    });
    if (!shown.length) return { els: els, shown: 0, faded: 0, box: null };
    // Eras behind, and the years above and below.
    var bandTop = top - 34, bandBottom = bottom + 12;
    data.eras.forEach(function (era, i) {
      var from = x(era.from), to = x(era.until === null ? overview.years[1] : era.until);
      if (to <= from) return;
      els.push({ group: "nodes", data: deco("era" + i, to - from, bandBottom - bandTop, era.name, i % 2 ? "#f4efe4" : "#e9eef4"), position: { x: (from + to) / 2, y: (bandTop + bandBottom) / 2 }, classes: "era" });
    });
    for (var y = Math.ceil(overview.years[0] / 5) * 5; y <= overview.years[1]; y += 5) {
      els.push({ group: "nodes", data: deco("ty" + y, 40, 16, String(y), "#fff"), position: { x: x(y), y: bandTop - 34 }, classes: "tick" });
      els.push({ group: "nodes", data: deco("by" + y, 40, 16, String(y), "#fff"), position: { x: x(y), y: bandBottom + 12 }, classes: "tick" });
    }
    if (state.year !== null) {
      els.push({ group: "nodes", data: deco("now", 3, bandBottom - bandTop, "as of " + state.year, "#D55E00"), position: { x: x(state.year + 0.5), y: (bandTop + bandBottom) / 2 }, classes: "now" });
    }
    return { els: els, shown: shown.length, faded: faded, box: { left: left, right: right, top: bandTop - 46, bottom: bandBottom + 44 }, x: x };
  }

  // The x at the middle of the window, as wide as the readable view, where most bars
  // and markers start: where a first look finds the most to read.
  function densest(o) {
    var span = container.clientWidth / (MIN_PX / CHART_FONT * 1.02) - 60;
    var starts = [];
    cy.nodes(".bar, .act").forEach(function (x) { starts.push(x.position().x - x.width() / 2); });
    starts.sort(function (a, b) { return a - b; });
    var best = o.box.left, most = -1, j = 0;
    for (var i = 0; i < starts.length; i++) {
      while (starts[j] < starts[i] - span) j++;
      // Windows ending at each start: [starts[i] - span, starts[i]].
      if (i - j + 1 > most) { most = i - j + 1; best = starts[i] - span; }
    }
    var left = Math.max(o.box.left, Math.min(best, o.box.right - span)) - 20;
    return left + span / 2 + 30;
  }

  function drawFocus() {
    var hood = neighbourhood(), depth = hood.depth;
    var els = [], faded = 0;
    depth.forEach(function (d, id) {
      var n = byId.get(id), p = passes(n);
      var nd = nodeData(n, "n");
      if (hood.collapsed.has(id)) {
        nd.label += "\n(+" + hood.collapsed.get(id) + " more)";
        nd.h += Math.ceil(FOCUS_FONT * 1.2);
      }
      var cls = n.kind + (id === state.focus ? " focus" : "") + (n.contested ? " contested" : "");
      if (p === 2) { cls += " unknown"; faded++; }
      if (p === 0) cls += " faded";
      els.push({ group: "nodes", data: nd, classes: cls });
    });
    var edges = 0;
    data.edges.forEach(function (e) {
      if (!depth.has(e.from) || !depth.has(e.to) || !edgePasses(e)) return;
      var look = relationLook(e);
      var a = byId.get(e.from).ix, b = byId.get(e.to).ix;
      els.push({
        group: "edges",
        data: { id: "e" + e.ix, source: "n" + (look.forward ? a : b), target: "n" + (look.forward ? b : a), colour: look.colour, line: look.line, width: look.width },
        classes: e.relation,
      });
      edges++;
    });
    lastCollapsed = hood.collapsed;
    return { els: els, shown: depth.size, edges: edges, faded: faded, collapsed: hood.collapsed.size, over: hood.over };
  }

  var mode = null, lastCollapsed = new Map();
  // Draws the state: replaces what differs, lays out, frames, and says what is shown.
  function render(animate) {
    var count;
    if (state.focus === null && overview) {
      var o = drawOverview();
      cy.batch(function () { cy.elements().remove(); cy.add(o.els); });
      mode = "overview";
      var centre = null;
      if (o.box) {
        if (state.year !== null) centre = { x: o.x(state.year + 0.5), y: 0, top: true };
        else if (state.era !== "") centre = { x: o.x(data.eras[parseInt(state.era, 10)].from) + (container.clientWidth / 2 - 40) / (MIN_PX / CHART_FONT * 1.02), y: 0, top: true };
        else centre = { x: densest(o), y: 0, top: true };
        frame(cy.nodes(), CHART_FONT, centre, animate);
      }
      count = "Overview, the lineage on its time axis: " + o.shown + " of " + data.nodes.length + " nodes" +
        (o.faded ? "; " + o.faded + " faded: started earlier, end not recorded" : "") +
        (o.shown ? ". Click a bar, or search, to focus a node." : ". Nothing in the lineage passes these filters.");
    } else if (state.focus === null) {
      cy.elements().remove();
      mode = "empty";
      count = "This collection's lineage has " + data.overview_size + " nodes, more than the overview draws (" + data.overview_limit + "): search for a node to focus it.";
    } else {
      var f = drawFocus();
      var keep = new Map();
      f.els.forEach(function (x) { keep.set(x.data.id, x); });
      var focusEl = cy.getElementById("n" + byId.get(state.focus).ix);
      var origin = focusEl.length && mode === "focus" ? focusEl.position() : { x: 0, y: 0 };
      cy.batch(function () {
        if (mode !== "focus") cy.elements().remove();
        cy.elements().forEach(function (x) {
          var want = keep.get(x.id());
          if (!want || (x.isEdge() && (want.data.source !== x.data("source") || want.data.target !== x.data("target")))) x.remove();
          else { x.classes(want.classes); x.data(want.data); keep.delete(x.id()); }
        });
        keep.forEach(function (x) {
          if (x.group === "nodes") x.position = { x: origin.x, y: origin.y };
          cy.add(x);
        });
      });
      mode = "focus";
      var layout = cy.layout({
        name: "dagre", rankDir: "LR", nodeSep: 16, rankSep: 70, edgeSep: 10, ranker: "network-simplex",
        fit: false, animate: !!animate, animationDuration: 300,
      });
      setBusy(1);
      layout.one("layoutstop", function () {
        var fe = cy.getElementById("n" + byId.get(state.focus).ix);
        frame(cy.elements(), FOCUS_FONT, fe.length ? fe.position() : null, animate);
        setBusy(-1);
      });
      layout.run();
      var n = byId.get(state.focus);
      count = "Focus: " + n.name + ", depth " + state.depth + (state.expand.length ? " (+" + state.expand.length + " expanded)" : "") +
        ": " + f.shown + " nodes, " + f.edges + " edges" +
        (f.faded ? "; " + f.faded + " faded: started earlier, end not recorded" : "") +
        (f.collapsed ? "; " + f.collapsed + (f.collapsed === 1 ? " hub" : " hubs") + " not expanded (see the panel)" : "") +
        (f.over ? "; " + f.over + " more not drawn (at most " + MOST + "): narrow with the filters or the year" : "") +
        (passes(n) === 0 ? "; the focus itself is outside the filters" : "");
    }
    el("count").textContent = count;
    showState();
    legend();
    details();
  }

  // ---- Legend ----------------------------------------------------------------------
  function swatch(fill, shape) {
    var box = make("span", null, "swatch" + (shape ? " " + shape : ""));
    box.style.background = fill;
    return box;
  }
  function lineSample(r) {
    var sample = make("span", null, "line");
    sample.style.borderTop = r.width + 1 + "px " + r.line + " " + r.color;
    return sample;
  }
  function legend() {
    var box = el("legend");
    box.replaceChildren();
    var kinds = new Map(), relations = new Map(), stances = new Map();
    cy.nodes().forEach(function (x) {
      var n = byId.get(x.data("of"));
      if (!n) return;
      kinds.set(n.kind, true);
      if (n.stance) stances.set(n.stance, true);
    });
    cy.edges().forEach(function (x) {
      var e = data.edges[parseInt(x.id().slice(1), 10)];
      relations.set(e.relation, true);
      if (stanceOf(e)) stances.set(stanceOf(e), true);
    });
    function row(parts) { var li = make("li"); parts.forEach(function (p) { li.appendChild(typeof p === "string" ? document.createTextNode(p) : p); }); box.appendChild(li); }
    if (mode === "overview") {
      kinds.forEach(function (_, k) { row([swatch(kindStyle.get(k).fill, k === "legislation" ? "diamond" : "bar"), " " + k]); });
      relations.forEach(function (_, r) { row([lineSample(relationStyle.get(r)), " " + relationStyle.get(r).reads + (r === "replaced" ? " (forward in time)" : "")]); });
      row([swatch("linear-gradient(to right, #999, #fff)", "bar"), " ? end not recorded"]);
    } else if (mode === "focus") {
      kinds.forEach(function (_, k) { row([swatch(kindStyle.get(k).fill, kindStyle.get(k).shape), " " + k]); });
      relations.forEach(function (_, r) { row([lineSample(relationStyle.get(r)), " " + relationStyle.get(r).reads + " →"]); });
      stances.forEach(function (_, s) { row([swatch(stanceColour.get(s)), " " + s + " judgement"]); });
      if (cy.nodes(".contested").length) row([swatch("#fff", "double"), " contested: judged both critically and favourably (supportive or mixed)"]);
      if (cy.nodes(".unknown").length) row([swatch("#fff", "dashed"), " faded, dashed: end not recorded"]);
      row(["Earlier on the left, later on the right."]);
    }
  }

  // ---- Details and evidence ----------------------------------------------------------
  function dates(n) {
    if (n.start && n.end) return n.start + " to " + n.end;
    if (n.start && n.end_status === "ongoing") return "from " + n.start + ", ongoing";
    if (n.start && !n.point) return "from " + n.start + ", end not recorded";
    if (n.start) return n.start;
    if (n.end) return "until " + n.end;
    return "undated";
  }
  function goto(id, text) {
    var b = make("button", text, "goto");
    b.type = "button";
    b.addEventListener("click", function () { focus(id); });
    return b;
  }
  // "Miller et al. 2021, L149 (Integrated health ...)", the citation a button.
  function citation(docId, at) {
    var li = make("li");
    var doc = docs.get(docId);
    if (doc) li.appendChild(goto(docId, doc.cite)); else li.appendChild(document.createTextNode(docId));
    if (at) {
      var where = at[0] === docId ? at[1] : at[1] + " in " + (docs.has(at[0]) ? docs.get(at[0]).cite : at[0]);
      li.appendChild(document.createTextNode(", " + where));
    }
    if (doc) li.appendChild(make("span", " (" + doc.name + ")", "docname"));
    return li;
  }
  function sourceItem(s) { return citation(s.doc, [s.doc, s.at]); }
  function stanceChip(s) {
    var c = make("span", s, "stance");
    c.style.borderColor = stanceColour.get(s) || "#777";
    return c;
  }
  function safeUrl(u) { return typeof u === "string" && /^https?:\/\//i.test(u) ? u : null; }
  function section(d, title, items) {
    if (!items.length) return;
    d.appendChild(make("h3", title));
    var ul = make("ul");
    items.forEach(function (li) { ul.appendChild(li); });
    d.appendChild(ul);
    return ul;
  }
  function details() {
    var d = el("details");
    d.replaceChildren();
    if (state.focus === null) {
      d.appendChild(make("h2", "Start here"));
      d.appendChild(make("p", "Search, or click a bar, to focus a node: its neighbourhood is laid out, and its details, evidence and sources are shown here. Slide or play the years to see what existed when. Drag to pan; scroll to zoom.", "hint"));
      var contested = data.nodes.filter(function (n) { return n.contested; });
      contested.sort(function (a, b) { return a.name.localeCompare(b.name); });
      var cu = section(d, "Contested: judged both critically and favourably", contested.map(function (n) {
        var li = make("li");
        li.appendChild(goto(n.id, n.name));
        li.appendChild(document.createTextNode(" (" + n.contested.critical + " critical, " + n.contested.supportive + " supportive, " + n.contested.mixed + " mixed)"));
        return li;
      }));
      if (cu) cu.className = "start";
      var disagree = data.nodes.filter(function (n) { return n.discrepancy; });
      disagree.sort(function (a, b) { return a.name.localeCompare(b.name); });
      var du = section(d, "Sources that disagree with the public record", disagree.map(function (n) {
        var li = make("li");
        li.appendChild(goto(n.id, n.name));
        return li;
      }));
      if (du) du.className = "start";
      var judged = data.nodes.map(function (n) {
        return { n: n, k: (outEdges.get(n.id) || []).filter(function (e) { return e.relation === "evaluated-by"; }).length };
      }).filter(function (x) { return x.k > 0; });
      judged.sort(function (a, b) { return b.k - a.k || a.n.name.localeCompare(b.n.name); });
      var ju = section(d, "Most judged", judged.slice(0, 6).map(function (x) {
        var li = make("li");
        li.appendChild(goto(x.n.id, x.n.name));
        li.appendChild(document.createTextNode(" (" + x.k + (x.k === 1 ? " judgement)" : " judgements)")));
        return li;
      }));
      if (ju) ju.className = "start";
      d.appendChild(make("h3", "Keys"));
      d.appendChild(make("p", "Tab moves through the controls; in the search box, Enter focuses the first result and the down arrow moves into the results; Alt+Left and Alt+Right go back and forward.", "hint"));
      return;
    }
    var id = state.focus, n = byId.get(id);
    d.appendChild(make("h2", n.name, "name"));
    var meta = make("p", n.kind + " · " + dates(n), "meta");
    if (n.stance) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(stanceChip(n.stance)); }
    d.appendChild(meta);
    if (n.contested) {
      var c = n.contested;
      d.appendChild(make("p", "Contested: judged critically " + c.critical + (c.critical === 1 ? " time" : " times") +
        " and supportively " + c.supportive + (c.supportive === 1 ? " time" : " times") +
        (c.mixed ? ", with " + c.mixed + " mixed" : "") + ".", "contested"));
    }
    if (n.discrepancy) d.appendChild(make("p", "Disagrees with the public record: " + n.discrepancy, "discrepancy"));
    if (n.aliases && n.aliases.length) d.appendChild(make("p", "Also: " + n.aliases.join("; "), "aliases"));
    if (n.summary) d.appendChild(make("p", n.summary, "summary"));
    if (n.note) d.appendChild(make("p", "Note: " + n.note, "note"));
    var link = safeUrl(n.link);
    if (link) {
      var a = make("a", link);
      a.href = link; a.rel = "noopener noreferrer"; a.target = "_blank";
      var p = make("p"); p.appendChild(a); d.appendChild(p);
    }
    // A finding: what it judges, the document that makes it, and who reported it.
    if (n.kind === "finding") {
      var judges = (inEdges.get(id) || []).filter(function (e) { return e.relation === "evaluated-by"; }).map(function (e) {
        var li = make("li");
        if (stanceOf(e)) { li.appendChild(stanceChip(stanceOf(e))); li.appendChild(document.createTextNode(" ")); }
        li.appendChild(goto(e.from, byId.get(e.from).name));
        return li;
      });
      section(d, "Judges", judges);
      var ev = n.evidence;
      if (ev && ev.made_in) section(d, "Made in", [citation(ev.made_in.doc, ev.made_in.at)]);
      if (ev && ev.reported_in.length) section(d, "Reported in", ev.reported_in.map(function (r) { return citation(r.doc, r.at); }));
    }
    // A subject: its judgements.
    var judged = (outEdges.get(id) || []).filter(function (e) { return e.relation === "evaluated-by"; }).map(function (e) {
      var li = make("li"), f = byId.get(e.to);
      var s = stanceOf(e) || f.stance;
      if (s) { li.appendChild(stanceChip(s)); li.appendChild(document.createTextNode(" ")); }
      li.appendChild(goto(e.to, f.name));
      var made = f.evidence && f.evidence.made_in;
      if (made && docs.has(made.doc)) li.appendChild(document.createTextNode(" (" + docs.get(made.doc).cite + ")"));
      return li;
    });
    section(d, "Judgements", judged);
    var hubs = [];
    lastCollapsed.forEach(function (left, hub) {
      var li = make("li");
      li.appendChild(goto(hub, byId.get(hub).name));
      li.appendChild(document.createTextNode(" leaves out " + left + " "));
      var b = make("button", "Expand", "expand");
      b.type = "button";
      b.setAttribute("aria-label", "Expand " + byId.get(hub).name);
      b.addEventListener("click", function () { state.expand.push(hub); changed(); });
      li.appendChild(b);
      hubs.push(li);
    });
    section(d, "Not expanded here", hubs);
    var ul = section(d, "Sources", (n.sources || []).map(sourceItem));
    if (!ul) { d.appendChild(make("h3", "Sources")); d.appendChild(make("p", "none recorded", "hint")); }
    var edges = [];
    (outEdges.get(id) || []).forEach(function (e) {
      var li = make("li");
      li.appendChild(document.createTextNode(e.relation + (e.stance ? " (" + e.stance + ")" : "") + " → "));
      li.appendChild(goto(e.to, byId.get(e.to).name));
      edges.push(li);
    });
    (inEdges.get(id) || []).forEach(function (e) {
      var li = make("li");
      li.appendChild(goto(e.from, byId.get(e.from).name));
      li.appendChild(document.createTextNode(" " + e.relation + (e.stance ? " (" + e.stance + ")" : "") + " → this"));
      edges.push(li);
    });
    var eu = section(d, "Edges", edges);
    if (eu) eu.className = "edges";
    if (ul) ul.className = "sources";
  }

  // ---- Actions -----------------------------------------------------------------------
  function focus(id) {
    if (!byId.has(id)) return;
    if (state.focus === id) { details(); return; }
    state.focus = id;
    state.expand = [];
    remember(true);
    render(true);
    el("details").scrollTop = 0;
  }
  function toOverview() {
    if (state.focus === null) return;
    state.focus = null; state.expand = [];
    remember(true);
    render(false);
  }
  function changed() { remember(false); render(true); }
  cy.on("tap", "node", function (ev) {
    var of = ev.target.data("of");
    if (of) focus(of);
  });
  cy.on("mouseover", "node", function (ev) { if (ev.target.data("of")) container.style.cursor = "pointer"; });
  cy.on("mouseout", "node", function () { container.style.cursor = ""; });
  document.querySelectorAll("#controls input[type=checkbox]").forEach(function (b) {
    b.addEventListener("change", function () {
      if (b.checked) state.hide.delete(b.name + ":" + b.value); else state.hide.set(b.name + ":" + b.value, true);
      changed();
    });
  });
  el("era").addEventListener("change", function () { state.era = el("era").value; changed(); });
  var yearSlider = el("year");
  function setYear(v) {
    state.year = v > parseInt(yearSlider.max, 10) - 1 ? null : v;
    changed();
  }
  yearSlider.addEventListener("input", function () { stop(); setYear(parseInt(yearSlider.value, 10)); });
  el("depth").addEventListener("change", function () {
    var d = parseInt(el("depth").value, 10);
    if (!(d >= 1 && d <= 4) || state.focus === null) { showState(); return; }
    state.depth = d;
    changed();
  });
  // Play: the history year by year from the slider's place (or the first year).
  var timer = null;
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    el("play").textContent = "▶ Play";
    el("play").setAttribute("aria-pressed", "false");
  }
  el("play").addEventListener("click", function () {
    if (timer !== null) { stop(); return; }
    if (state.year === null || state.year >= years[1]) setYear(years[0]);
    el("play").textContent = "❚❚ Pause";
    el("play").setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (state.year === null || state.year >= years[1]) { stop(); return; }
      setYear(state.year + 1);
    }, 900);
  });
  el("back").addEventListener("click", function () { history.back(); });
  el("forward").addEventListener("click", function () { history.forward(); });
  el("overview").addEventListener("click", toOverview);
  el("overview").disabled = !overview;
  el("zoom-in").addEventListener("click", function () { cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } }); });
  el("zoom-out").addEventListener("click", function () { cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } }); });
  el("zoom-fit").addEventListener("click", function () { cy.fit(cy.elements(), 30); });
  window.addEventListener("popstate", function () { stop(); state = fromHash(); render(true); });
  // An address typed or pasted by hand; a step through history has already been drawn
  // by popstate, and then the state already reads as the address.
  window.addEventListener("hashchange", function () {
    if (toHash() === (location.hash || "#")) return;
    stop(); state = fromHash(); render(true);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey && ev.key === "ArrowLeft") { history.back(); ev.preventDefault(); }
    if (ev.altKey && ev.key === "ArrowRight") { history.forward(); ev.preventDefault(); }
  });

  // ---- Search --------------------------------------------------------------------------
  var hay = null;
  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    if (hay === null) hay = data.nodes.map(function (n) { return [n.name, n.id].concat(n.aliases || []).join("\n").toLowerCase(); });
    var hits = [];
    data.nodes.forEach(function (n, i) {
      var at = hay[i].indexOf(q);
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
      li.setAttribute("role", "option");
      li.appendChild(make("span", n.name, "name"));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(make("span", n.kind, "kind"));
      li.addEventListener("click", function () { focus(n.id); });
      li.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter") focus(n.id);
        if (ev.key === "ArrowDown" && li.nextSibling) { li.nextSibling.focus(); ev.preventDefault(); }
        if (ev.key === "ArrowUp") { (li.previousSibling || search).focus(); ev.preventDefault(); }
      });
      results.appendChild(li);
    });
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var first = matches(search.value)[0]; if (first) focus(first.id); }
    if (ev.key === "ArrowDown" && results.firstChild) { results.firstChild.focus(); ev.preventDefault(); }
  });

  // ---- Export the view -------------------------------------------------------------------
  function download(name, blob) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function fileStem() {
    if (state.focus === null) return "policygraph-overview" + (state.year !== null ? "-" + state.year : "");
    return "policygraph-" + state.focus.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 60);
  }
  el("export-png").addEventListener("click", function () {
    download(fileStem() + ".png", cy.png({ output: "blob", bg: "#ffffff", full: false, scale: 2 }));
  });
  // The view as SVG, from where Cytoscape.js drew each element; text is set with
  // textContent and written by XMLSerializer, so it is escaped.
  var SVGNS = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs, text) {
    var x = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { x.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) x.textContent = text;
    return x;
  }
  function shapeSvg(node) {
    var p = node.position(), w = node.width(), h = node.height();
    var fill = node.style("background-color"), stroke = node.style("border-color");
    var sw = parseFloat(node.style("border-width")) || 0;
    var opacity = parseFloat(node.style("opacity"));
    var common = { fill: fill, stroke: sw ? stroke : "none", "stroke-width": sw, opacity: opacity };
    if (node.style("border-style") === "dashed") common["stroke-dasharray"] = "6 4";
    if (node.hasClass("tail")) {
      return svgEl("rect", { x: p.x - w / 2, y: p.y - h / 2, width: w, height: h, fill: fill, opacity: 0.5 });
    }
    var shape = node.style("shape");
    if (shape === "ellipse") return svgEl("ellipse", Object.assign({ cx: p.x, cy: p.y, rx: w / 2, ry: h / 2 }, common));
    if (shape === "diamond") return svgEl("polygon", Object.assign({ points: [p.x, p.y - h / 2, p.x + w / 2, p.y, p.x, p.y + h / 2, p.x - w / 2, p.y].join(" ") }, common));
    var r = shape === "round-rectangle" || shape === "round-tag" ? 8 : 0;
    return svgEl("rect", Object.assign({ x: p.x - w / 2, y: p.y - h / 2, width: w, height: h, rx: r }, common));
  }
  function labelSvg(node) {
    var text = node.data("label");
    if (!text || node.style("label") === "") return null;
    var lines = String(text).split("\n");
    var size = parseFloat(node.style("font-size"));
    var p = node.position(), w = node.width(), h = node.height();
    var left = node.style("text-justification") === "left";
    var g = svgEl("text", {
      "font-family": "Liberation Sans, Arial, Helvetica, sans-serif", "font-size": size,
      "font-weight": node.style("font-weight"), fill: node.style("color"), opacity: parseFloat(node.style("opacity")),
      "text-anchor": left ? "start" : "middle",
    });
    var lh = size * 1.2, y0 = p.y - (lines.length * lh) / 2 + size * 0.9;
    if (node.style("text-valign") === "top") y0 = p.y - h / 2 - 4 - (lines.length - 1) * lh;
    if (node.style("text-valign") === "bottom") y0 = p.y + h / 2 + size;
    y0 += parseFloat(node.style("text-margin-y")) || 0;
    var x = left ? p.x - w / 2 : p.x;
    if (node.style("text-halign") === "right") { x = p.x + w / 2 + 4; g.setAttribute("text-anchor", "start"); y0 = p.y + size * 0.35; }
    lines.forEach(function (l, i) { g.appendChild(svgEl("tspan", { x: x, y: y0 + i * lh }, l)); });
    return g;
  }
  function edgeSvg(edge) {
    var from = edge.sourceEndpoint(), t = edge.targetEndpoint(), cps = edge.controlPoints();
    var bends = edge.segmentPoints();
    var colour = edge.style("line-color"), width = parseFloat(edge.style("width"));
    var d = "M" + from.x + " " + from.y;
    var last = from;
    if (bends && bends.length) {
      // A taxi guide: straight pieces through its bends.
      bends.forEach(function (b) { d += " L" + b.x + " " + b.y; last = b; });
      d += " L" + t.x + " " + t.y;
    } else if (cps && cps.length) {
      cps.forEach(function (c, i) {
        var next = i + 1 < cps.length ? { x: (c.x + cps[i + 1].x) / 2, y: (c.y + cps[i + 1].y) / 2 } : t;
        d += " Q" + c.x + " " + c.y + " " + next.x + " " + next.y;
        last = c;
      });
    } else d += " L" + t.x + " " + t.y;
    var style = edge.style("line-style");
    var g = svgEl("g", { opacity: parseFloat(edge.style("opacity")) });
    g.appendChild(svgEl("path", { d: d, fill: "none", stroke: colour, "stroke-width": width, "stroke-dasharray": style === "dashed" ? "6 4" : style === "dotted" ? "1 3" : "none" }));
    var ang = Math.atan2(t.y - last.y, t.x - last.x), len = 6 + 2 * width, half = 3 + width;
    var bx = t.x - len * Math.cos(ang), by = t.y - len * Math.sin(ang);
    g.appendChild(svgEl("polygon", { fill: colour, points: [t.x, t.y, bx + half * Math.sin(ang), by - half * Math.cos(ang), bx - half * Math.sin(ang), by + half * Math.cos(ang)].join(" ") }));
    return g;
  }
  el("export-svg").addEventListener("click", function () {
    var ext = cy.extent();
    var svg = svgEl("svg", { xmlns: SVGNS, viewBox: [ext.x1, ext.y1, ext.w, ext.h].join(" "), width: Math.round(container.clientWidth), height: Math.round(container.clientHeight) });
    svg.appendChild(svgEl("title", {}, document.title + ": " + el("count").textContent));
    svg.appendChild(svgEl("rect", { x: ext.x1, y: ext.y1, width: ext.w, height: ext.h, fill: "#fff" }));
    var sorted = cy.elements().sort(function (a, b) { return a.style("z-index") - b.style("z-index"); });
    sorted.forEach(function (x) {
      if (x.isEdge()) { svg.appendChild(edgeSvg(x)); return; }
      if (!x.hasClass("lbl") && !x.hasClass("tick") && x.style("background-opacity") !== "0") svg.appendChild(shapeSvg(x));
      var t = labelSvg(x);
      if (t) svg.appendChild(t);
    });
    var text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
    download(fileStem() + ".svg", new Blob([text], { type: "image/svg+xml" }));
  });

  // ---- Start -------------------------------------------------------------------------------
  document.querySelectorAll("#relations .line").forEach(function (x) {
    var r = relationStyle.get(x.getAttribute("data-relation"));
    if (r) x.replaceWith(lineSample(r));
  });
  state = fromHash();
  if (!overview && state.focus === null) el("search").focus();
  render(false);
  window.addEventListener("resize", function () { cy.resize(); });
  document.body.setAttribute("data-ready", "");
})();
