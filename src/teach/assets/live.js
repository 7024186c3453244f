// Written into pages by `policygraph build --watch` only: reloads the page when the
// build's stamp changes. A page opened from a file cannot fetch, but it can load a
// script; so once a second `build-stamp.js` beside the page is loaded afresh (a new
// query each time, so no cache answers), and the hash it sets is compared with the
// first one seen.
(function () {
  var seen, n = 0;
  function poll() {
    var s = document.createElement("script");
    s.src = "build-stamp.js?" + (++n);
    s.onload = s.onerror = function () {
      s.parentNode.removeChild(s);
      var now = window.policygraphBuild;
      if (seen === undefined) {
        seen = now;
      } else if (now !== undefined && now !== seen) {
        location.reload();
      }
    };
    document.head.appendChild(s);
  }
  poll();
  setInterval(poll, 1000);
})();
