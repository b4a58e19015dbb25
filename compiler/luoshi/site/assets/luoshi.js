/* luoshi site: render the Mermaid diagrams with the bundled mermaid.min.js (no network), in the light DOM so the
   SVG can be inspected and printed, and again when the reader switches between the light and dark palette.
   mermaid.min.js (2.7 MB) is loaded only by a page that has a diagram: a plain <script> next to this one, which
   also works when the site is opened from a shared folder (file://). */
(function () {
  "use strict";
  var counter = 0;
  var loading = null;

  function here() {
    var own = document.querySelector("script[src$='assets/luoshi.js']");
    return own ? own.src.replace(/luoshi\.js(\?.*)?$/, "") : "assets/";
  }

  function withMermaid(then) {
    if (typeof window.mermaid !== "undefined") {
      then();
      return;
    }
    if (!loading) {
      loading = [];
      var script = document.createElement("script");
      script.src = here() + "mermaid.min.js";
      script.onload = function () {
        loading.forEach(function (f) { f(); });
      };
      document.head.appendChild(script);
    }
    loading.push(then);
  }

  function theme() {
    var scheme = document.body && document.body.getAttribute("data-md-color-scheme");
    return scheme === "slate" ? "dark" : "default";
  }

  function renderAll() {
    if (typeof window.mermaid === "undefined") {
      return;
    }
    window.mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: theme(),
      fontFamily: "inherit",
      flowchart: { useMaxWidth: true, htmlLabels: true, nodeSpacing: 30, rankSpacing: 40 }
    });
    var boxes = document.querySelectorAll("div.luoshi-diagram");
    Array.prototype.forEach.call(boxes, function (box) {
      var source = box.querySelector("pre.luoshi-diagram-source");
      if (!source) {
        return;
      }
      var id = "luoshi-diagram-" + counter++;
      window.mermaid.render(id, source.textContent).then(function (result) {
        var old = box.querySelector(".luoshi-diagram-svg");
        var holder = document.createElement("div");
        holder.className = "luoshi-diagram-svg";
        holder.innerHTML = result.svg;
        if (old) {
          box.replaceChild(holder, old);
        } else {
          box.appendChild(holder);
        }
        keepSize(holder);
        box.classList.add("luoshi-rendered");
      }).catch(function (error) {
        box.classList.add("luoshi-failed");
        if (window.console) {
          window.console.warn("luoshi: diagram not rendered", error);
        }
      });
    });
  }

  /* Each cell of a .luoshi-cards table gets its column's name, shown before it when the table is laid out as
     cards on a phone (luoshi.css). */
  function labelCells() {
    var tables = document.querySelectorAll(".luoshi-cards table");
    Array.prototype.forEach.call(tables, function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (names[i]) {
            td.setAttribute("data-label", names[i]);
          }
        });
      });
    });
  }

  /* On a narrow screen a diagram keeps its drawn size and scrolls sideways, rather than shrinking to labels
     nobody can read. */
  function keepSize(holder) {
    var svg = holder.querySelector("svg");
    if (!svg || !window.matchMedia("(max-width: 60em)").matches) {
      return;
    }
    var box = svg.viewBox && svg.viewBox.baseVal;
    if (box && box.width) {
      svg.style.minWidth = Math.round(Math.min(box.width, 2400)) + "px";
    }
  }

  function start() {
    labelCells();
    if (!document.querySelector("div.luoshi-diagram")) {
      return;
    }
    withMermaid(renderAll);
    new MutationObserver(function (changes) {
      if (changes.some(function (c) { return c.attributeName === "data-md-color-scheme"; })) {
        renderAll();
      }
    }).observe(document.body, { attributes: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
