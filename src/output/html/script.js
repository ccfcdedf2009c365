// Progressive enhancement only: the page reads fully without this script.
(function () {
  "use strict";
  var tree = document.querySelector("ul.tree");

  // Open every <details> from a tree row up to the top.
  function reveal(li) {
    for (var el = li; el && el !== tree; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
  }

  // #pandas.core.frame: open the tree down to that module and show it.
  function follow() {
    var name;
    try {
      name = decodeURIComponent(location.hash.slice(1));
    } catch (e) {
      return; // a fragment typed by hand that is no percent-encoding of a name
    }
    if (!name) return;
    var li = document.getElementById(name);
    if (!li || !tree.contains(li)) return;
    reveal(li);
    var old = tree.querySelector("li.target");
    if (old) old.classList.remove("target");
    li.classList.add("target");
    li.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", follow);

  // Search: matching modules highlighted and opened; Enter goes to the next one.
  var tools = document.getElementById("tree-tools");
  var input = document.createElement("input");
  input.type = "search";
  input.placeholder = "Find a module (Enter: next)";
  input.setAttribute("aria-label", "Find a module");
  var status = document.createElement("output");
  var expand = document.createElement("button");
  expand.type = "button";
  expand.textContent = "Expand all";
  var collapse = document.createElement("button");
  collapse.type = "button";
  collapse.textContent = "Collapse all";
  tools.append(input, expand, collapse, status);
  var rows = Array.prototype.slice.call(tree.querySelectorAll("li[id]"));
  var matches = [];
  var at = -1;
  input.addEventListener("input", function () {
    var query = input.value.trim().toLowerCase();
    matches.forEach(function (li) { li.classList.remove("match"); });
    matches = query.length < 2 ? [] : rows.filter(function (li) {
      return li.id.toLowerCase().indexOf(query) >= 0;
    });
    matches.slice(0, 200).forEach(function (li) { li.classList.add("match"); reveal(li); });
    at = -1;
    status.textContent = query.length < 2 ? "" :
      matches.length + (matches.length === 1 ? " module" : " modules") +
      (matches.length > 200 ? " (first 200 opened)" : "");
  });
  input.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !matches.length) return;
    at = (at + 1) % matches.length;
    reveal(matches[at]);
    matches[at].scrollIntoView({ block: "center" });
  });
  function all(open) {
    tree.querySelectorAll("details").forEach(function (d) { d.open = open; });
  }
  expand.addEventListener("click", function () { all(true); });
  collapse.addEventListener("click", function () { all(false); });
  // Printing shows the whole tree.
  window.addEventListener("beforeprint", function () { all(true); });

  // The slowest table sorts by any column.
  var table = document.getElementById("slowest-table");
  if (table) {
    var heads = table.querySelectorAll("th");
    heads.forEach(function (th, column) {
      th.classList.add("sortable");
      th.tabIndex = 0;
      function sort() {
        var down = th.getAttribute("aria-sort") !== "descending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        var body = table.tBodies[0];
        var list = Array.prototype.slice.call(body.rows);
        list.sort(function (a, b) {
          var x = a.cells[column], y = b.cells[column];
          var d = x.dataset.v !== undefined ? Number(x.dataset.v) - Number(y.dataset.v)
            : x.textContent.localeCompare(y.textContent);
          return down ? -d : d;
        });
        list.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  }
  follow();

  // Icicles: a click zooms into a bar (it and what is under it fill the width); a click on a
  // bar above it zooms out to that one, on the zoomed bar back to the whole. #zoom=NAME zooms
  // each icicle to that module.
  function zoom(svg, x0, w0) {
    svg.querySelectorAll("svg.b").forEach(function (b) {
      var x = (parseFloat(b.dataset.x) - x0) * 100 / w0;
      var end = x + parseFloat(b.dataset.w) * 100 / w0;
      var left = Math.max(x, 0), right = Math.min(end, 100);
      b.style.display = right - left > 0.001 ? "" : "none";
      b.setAttribute("x", left.toFixed(3) + "%");
      b.setAttribute("width", Math.max(right - left, 0).toFixed(3) + "%");
    });
    svg.dataset.zoom = x0 + " " + w0;
  }
  function zoomTo(svg, bar) {
    var x = parseFloat(bar.dataset.x), w = parseFloat(bar.dataset.w);
    var whole = svg.dataset.zoom === x + " " + w || w <= 0;
    if (whole) zoom(svg, 0, 100); else zoom(svg, x, w);
  }
  document.querySelectorAll("svg.icicle").forEach(function (svg) {
    svg.addEventListener("click", function (e) {
      var bar = e.target.closest("svg.b");
      if (bar) zoomTo(svg, bar);
    });
  });
  function zoomHash() {
    var m = /^#zoom=(.+)$/.exec(location.hash);
    if (!m) return;
    var name;
    try { name = decodeURIComponent(m[1]); } catch (e) { return; }
    document.querySelectorAll("svg.icicle").forEach(function (svg) {
      var bars = svg.querySelectorAll("svg.b");
      for (var i = 0; i < bars.length; i++) {
        if (bars[i].dataset.m === name) { zoomTo(svg, bars[i]); return; }
      }
    });
  }
  window.addEventListener("hashchange", zoomHash);
  zoomHash();
})();
