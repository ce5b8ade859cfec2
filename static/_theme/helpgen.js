// helpgen default theme: the menu toggle on narrow screens, the whole section
// tree loaded from one shared file per region, and zoomable screenshots.
// Pages work without it; this only adds what needs a script.
(function () {
  "use strict";
  var doc = document;

  // A page URL as the tree writes it: /a/ for /a/index.html.
  function canonicalPath(p) {
    return p.replace(/index\.html$/, "");
  }

  // Menu toggle: shows the tree over the page on narrow screens.
  var toggle = doc.querySelector(".nav-toggle");
  var tree = doc.getElementById("site-tree");
  function setMenu(open) {
    if (!toggle) return;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    doc.body.classList.toggle("nav-open", open);
    if (open) {
      var header = doc.querySelector(".site-header");
      if (header) doc.body.style.setProperty("--nav-top", header.getBoundingClientRect().bottom + "px");
      var here = tree.querySelector('[aria-current="page"]') || tree.querySelector("a");
      if (here) {
        here.scrollIntoView({ block: "center" });
        here.focus({ preventScroll: true });
      }
    }
  }
  if (toggle && tree) {
    toggle.addEventListener("click", function () {
      setMenu(toggle.getAttribute("aria-expanded") !== "true");
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && doc.body.classList.contains("nav-open")) {
        setMenu(false);
        toggle.focus();
      }
    });
    // A link followed inside the open menu closes it (same-page anchors too).
    tree.addEventListener("click", function (e) {
      if (e.target.closest("a") && doc.body.classList.contains("nav-open")) setMenu(false);
    });
  }

  // The whole tree: one file per region, so a page's own HTML stays small.
  // The page keeps its own open branch when the file cannot be loaded.
  if (tree && tree.dataset.src && window.fetch) {
    fetch(tree.dataset.src, { credentials: "same-origin" })
      .then(function (r) {
        return r.ok ? r.text() : "";
      })
      .then(function (html) {
        if (!html) return;
        var tpl = doc.createElement("template");
        tpl.innerHTML = html;
        var full = tpl.content.querySelector(".tree-root");
        var old = tree.querySelector(".tree-root");
        if (!full || !old) return;
        var here = canonicalPath(location.pathname);
        var current = null;
        full.querySelectorAll("a[href]").forEach(function (a) {
          if (!current && canonicalPath(a.getAttribute("href")) === here) current = a;
        });
        if (!current) return;
        current.setAttribute("aria-current", "page");
        for (var el = current.parentElement; el && el !== full; el = el.parentElement) {
          if (el.tagName === "DETAILS") el.open = true;
          if (el.tagName === "LI" && el !== current.parentElement) el.classList.add("is-active");
        }
        var scroll = tree.scrollTop;
        old.replaceWith(full);
        tree.scrollTop = scroll;
        tree.dataset.loaded = "true";
      })
      .catch(function () {});
  }

  // Screenshots zoom on click (or Enter), and close with Esc, a click, or the button.
  var dialog = doc.querySelector("dialog.zoom");
  var shots = doc.querySelectorAll('img[data-action="zoom"]');
  if (dialog && dialog.showModal && shots.length) {
    var big = doc.createElement("img");
    dialog.insertBefore(big, dialog.firstChild);
    var opener = null;
    // The zoomed copy fills the window, enlarging a small screenshot at most twice.
    var fit = function () {
      var w = big.naturalWidth, h = big.naturalHeight;
      if (!w || !h) return;
      var scale = Math.min(2, (window.innerWidth * 0.96) / w, (window.innerHeight * 0.9) / h);
      big.style.width = Math.round(w * scale) + "px";
      big.style.height = Math.round(h * scale) + "px";
    };
    big.addEventListener("load", fit);
    window.addEventListener("resize", fit);
    var open = function (img) {
      opener = img;
      var src = img.currentSrc || img.src;
      if (big.getAttribute("src") !== src) {
        big.removeAttribute("style");
        big.src = src;
      }
      big.alt = img.alt;
      if (big.complete) fit();
      dialog.showModal();
    };
    dialog.addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("close", function () {
      if (opener) opener.focus();
    });
    shots.forEach(function (img) {
      img.tabIndex = 0;
      img.setAttribute("role", "button");
      img.addEventListener("click", function () {
        open(img);
      });
      img.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          open(img);
        }
      });
    });
  }
})();
