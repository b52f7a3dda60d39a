/* Zoom, pan and neighbour highlighting for server-rendered maps (svg[data-zoomable]).
   Plain script loaded with `defer`; the maps stay readable without it. Zooming changes the
   viewBox; elements marked data-fixed (legends) are counter-transformed to stay in place. */
(function () {
  "use strict";

  var MIN_WIDTH = 1 / 12; // narrowest viewBox, relative to the original: 12× zoom
  var MAX_WIDTH = 1.5;
  var DRAG_THRESHOLD = 4; // screen pixels moved before a press becomes a pan, not a click
  var STEP = 1.4;

  function setupZoom(svg) {
    var home = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    var box = home.slice();
    var fixed = Array.prototype.slice.call(svg.querySelectorAll("[data-fixed]"));
    var fixedBase = fixed.map(function (el) { return el.getAttribute("transform") || ""; });
    var press = null;
    var dragged = false;

    function apply() {
      svg.setAttribute("viewBox", box.join(" "));
      var k = box[2] / home[2];
      var tx = box[0] - home[0] * k;
      var ty = box[1] - home[1] * k;
      fixed.forEach(function (el, i) {
        el.setAttribute("transform", "translate(" + tx + " " + ty + ") scale(" + k + ") " + fixedBase[i]);
      });
    }

    function toUser(clientX, clientY) {
      var pt = svg.createSVGPoint();
      pt.x = clientX;
      pt.y = clientY;
      return pt.matrixTransform(svg.getScreenCTM().inverse());
    }

    // factor < 1 zooms in; the user-space point (cx, cy) stays under the pointer.
    function zoom(factor, cx, cy) {
      var width = Math.min(Math.max(box[2] * factor, home[2] * MIN_WIDTH), home[2] * MAX_WIDTH);
      var f = width / box[2];
      box = [cx - (cx - box[0]) * f, cy - (cy - box[1]) * f, width, box[3] * f];
      apply();
    }

    function zoomCentre(factor) {
      zoom(factor, box[0] + box[2] / 2, box[1] + box[3] / 2);
    }

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = toUser(event.clientX, event.clientY);
      zoom(Math.pow(1.0015, event.deltaY), p.x, p.y);
    }, { passive: false });

    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      press = { x: event.clientX, y: event.clientY, box: box.slice(), id: event.pointerId,
                scale: svg.getScreenCTM().a };
      dragged = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!press || event.pointerId !== press.id) return;
      var dx = event.clientX - press.x;
      var dy = event.clientY - press.y;
      if (!dragged) {
        if (Math.abs(dx) + Math.abs(dy) < DRAG_THRESHOLD) return;
        dragged = true;
        svg.setPointerCapture(event.pointerId);
        svg.classList.add("is-panning");
      }
      box[0] = press.box[0] - dx / press.scale;
      box[1] = press.box[1] - dy / press.scale;
      apply();
    });
    function release(event) {
      if (press && event.pointerId === press.id) {
        press = null;
        svg.classList.remove("is-panning");
      }
    }
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);
    // A pan that ends on a link must not follow it.
    svg.addEventListener("click", function (event) {
      if (dragged) {
        event.preventDefault();
        event.stopPropagation();
        dragged = false;
      }
    }, true);
    svg.addEventListener("dragstart", function (event) { event.preventDefault(); });

    var frame = document.createElement("div");
    frame.className = "map-frame";
    svg.parentNode.insertBefore(frame, svg);
    frame.appendChild(svg);
    var controls = document.createElement("div");
    controls.className = "map-controls";
    [["+", "data-zoom-in", function () { zoomCentre(1 / STEP); }],
     ["\u2212", "data-zoom-out", function () { zoomCentre(STEP); }],
     ["\u21BA", "data-zoom-reset", function () { box = home.slice(); apply(); }]
    ].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[0];
      button.setAttribute("aria-label", svg.getAttribute(spec[1]) || spec[1].slice(5));
      button.title = button.getAttribute("aria-label");
      button.addEventListener("click", spec[2]);
      controls.appendChild(button);
    });
    frame.appendChild(controls);

    return function isPanning() { return press !== null && dragged; };
  }

  function setupNeighbours(svg, isPanning) {
    var nodes = Array.prototype.slice.call(svg.querySelectorAll("[data-org-id]"));
    var edges = Array.prototype.slice.call(svg.querySelectorAll("[data-source][data-target]"));
    if (!nodes.length) return;
    var around = {};
    edges.forEach(function (edge) {
      var a = edge.getAttribute("data-source");
      var b = edge.getAttribute("data-target");
      (around[a] = around[a] || {})[b] = true;
      (around[b] = around[b] || {})[a] = true;
    });

    function highlight(id) {
      if (isPanning()) return;
      var near = around[id] || {};
      svg.classList.add("is-focusing");
      nodes.forEach(function (node) {
        var other = node.getAttribute("data-org-id");
        node.classList.toggle("is-neighbour", other === id || near[other] === true);
      });
      edges.forEach(function (edge) {
        var touches = edge.getAttribute("data-source") === id || edge.getAttribute("data-target") === id;
        edge.classList.toggle("is-neighbour", touches);
      });
    }

    function clear() {
      svg.classList.remove("is-focusing");
      nodes.concat(edges).forEach(function (el) { el.classList.remove("is-neighbour"); });
    }

    nodes.forEach(function (node) {
      var id = node.getAttribute("data-org-id");
      node.addEventListener("mouseenter", function () { highlight(id); });
      node.addEventListener("focus", function () { highlight(id); });
      node.addEventListener("mouseleave", clear);
      node.addEventListener("blur", clear);
    });
  }

  function init() {
    document.querySelectorAll("svg[data-zoomable]").forEach(function (svg) {
      if (svg.hasAttribute("data-zoom-ready")) return;
      svg.setAttribute("data-zoom-ready", "");
      setupNeighbours(svg, setupZoom(svg));
    });
  }

  init();
  // Maps swapped in by HTMX get the same behaviour.
  document.addEventListener("htmx:afterSettle", init);
})();
