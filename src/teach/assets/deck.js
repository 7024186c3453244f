// The seminar deck: arrow keys, Page Up/Down, space or a click step through the slides;
// Home and End jump; F toggles full screen; N shows the speaker notes; P opens the
// presenter view in a second window, which follows this one and can drive it.
// The slide is kept in the address (#3).
//
// Step slides share one inline picture of the story (#pg-story): showing a step moves
// the picture into the slide, animates its viewBox to the step's camera and sets which
// groups are hidden, dimmed or new. Nodes never move; only the camera does.
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var counter = document.getElementById("counter");
  var picture = document.getElementById("pg-story");
  var ruler = document.getElementById("pg-ruler");
  var cameras = JSON.parse(document.getElementById("pg-cameras").textContent);
  var presenting = /(^|[?&])presenter(&|$)/.test(location.search);
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var DURATION = 700;
  var RULER_H = 30; // camera::RULER_H
  var current = -1;
  var other = null; // the window that mirrors this one: the presenter view, or its opener

  // Every group of the picture by element id: a Map, never a plain object.
  var groups = new Map();
  if (picture) {
    picture.querySelectorAll("g[id^='node-'], g[id^='edge-']").forEach(function (g) {
      groups.set(g.id, g);
    });
  }

  var view = null; // the viewBox shown now: [x, y, w, h]
  var animation = 0;
  function setView(v) {
    view = v;
    picture.setAttribute("viewBox", v.map(function (n) { return n.toFixed(1); }).join(" "));
    if (ruler) ruler.setAttribute("transform", "translate(0," + (v[1] + v[3] - RULER_H).toFixed(1) + ")");
  }
  function moveTo(target, animate) {
    cancelAnimationFrame(animation);
    if (!animate || reduced || view === null) {
      setView(target);
      picture.removeAttribute("data-moving");
      return;
    }
    var from = view.slice();
    var start = null;
    picture.setAttribute("data-moving", "");
    function frame(now) {
      if (start === null) start = now;
      var t = Math.min(1, (now - start) / DURATION);
      var e = t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2;
      setView(from.map(function (a, k) { return a + (target[k] - a) * e; }));
      if (t < 1) animation = requestAnimationFrame(frame);
      else picture.removeAttribute("data-moving");
    }
    animation = requestAnimationFrame(frame);
  }

  function stage(i, animate) {
    var cam = cameras[i];
    if (!cam || !picture) return;
    var slot = slides[i].querySelector(".slot");
    if (slot && picture.parentNode !== slot) slot.appendChild(picture);
    var state = new Map();
    cam.dim.forEach(function (id) { state.set(id, "pg-dim"); });
    cam["new"].forEach(function (id) { state.set(id, id.indexOf("edge-") === 0 ? "pg-new-edge" : "pg-new"); });
    var shift = new Map(cam.shift);
    groups.forEach(function (g, id) {
      var s = state.get(id);
      var dx = shift.get(id);
      g.querySelectorAll("text.pg-label").forEach(function (t) {
        if (dx === undefined) t.removeAttribute("transform");
        else t.setAttribute("transform", "translate(" + dx + ",0)");
      });
      g.classList.toggle("pg-hidden", s === undefined);
      g.classList.toggle("pg-dim", s === "pg-dim");
      g.classList.toggle("pg-new", s === "pg-new");
      g.classList.toggle("pg-new-edge", s === "pg-new-edge");
    });
    if (ruler) ruler.style.display = cam.ruler ? "" : "none";
    moveTo(cam.frame, animate);
  }

  function show(i, fromOther) {
    if (slides.length === 0) return;
    i = Math.max(0, Math.min(slides.length - 1, i));
    if (i === current) return;
    var step = current >= 0 && cameras[current] && cameras[i] && Math.abs(i - current) === 1;
    current = i;
    slides.forEach(function (s, k) { s.hidden = k !== current; });
    stage(current, step);
    counter.textContent = (current + 1) + " / " + slides.length;
    document.title = slides[current].getAttribute("data-title");
    if (location.hash !== "#" + (current + 1)) history.replaceState(null, "", location.search + "#" + (current + 1));
    if (presenting) {
      var next = slides[current + 1];
      document.getElementById("next").textContent = next ? "Next: " + next.getAttribute("data-title") : "Last slide";
    }
    if (!fromOther && other && !other.closed) other.postMessage({ policygraphSlide: current }, "*");
  }

  // The presenter view and the audience's window keep each other on the same slide.
  window.addEventListener("message", function (e) {
    if (e.source !== other || !e.data) return;
    var n = e.data.policygraphSlide;
    if (typeof n === "number" && n === Math.floor(n) && n >= 0 && n < slides.length) show(n, true);
  });
  if (presenting && window.opener) other = window.opener;
  function openPresenter() {
    if (presenting) return;
    var url = location.pathname + "?presenter#" + (current + 1);
    other = window.open(url, "policygraph-presenter", "width=1280,height=800");
  }

  var started = Date.now();
  if (presenting) {
    document.body.classList.add("presenter", "with-notes");
    document.getElementById("presenter-bar").hidden = false;
    setInterval(function () {
      var s = Math.floor((Date.now() - started) / 1000);
      document.getElementById("timer").textContent =
        Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
    }, 1000);
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    switch (e.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ": show(current + 1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace": show(current - 1); break;
      case "Home": show(0); break;
      case "End": show(slides.length - 1); break;
      case "n": case "N": document.body.classList.toggle("with-notes"); break;
      case "p": case "P": openPresenter(); break;
      case "f": case "F":
        if (document.fullscreenElement) document.exitFullscreen();
        else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(function () {});
        break;
      default: return;
    }
    e.preventDefault();
  });
  document.getElementById("deck").addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest(".notes")) return;
    show(current + 1);
  });
  var start = parseInt(location.hash.slice(1), 10);
  show(isNaN(start) ? 0 : start - 1);
})();
