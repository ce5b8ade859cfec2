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

  var toggle = doc.querySelector(".nav-toggle");
  var tree = doc.getElementById("site-tree");

  // Scrolls the tree itself, never the window, so that link shows in it: at
  // offset (its distance from the top of the tree) when that fits, else
  // centred. Without an offset, a link already in view stays where it is.
  function reveal(link, offset) {
    if (!link || !tree.clientHeight) return;
    var at = link.getBoundingClientRect().top - tree.getBoundingClientRect().top;
    var room = tree.clientHeight - link.getBoundingClientRect().height;
    if (offset === undefined) offset = at;
    tree.scrollTop += at - (offset >= 0 && offset <= room ? offset : Math.max(0, room / 2));
  }

  // Menu toggle: shows the tree over the page on narrow screens.
  function setMenu(open) {
    if (!toggle) return;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    doc.body.classList.toggle("nav-open", open);
    if (open) {
      loadTree();
      var header = doc.querySelector(".site-header");
      if (header) doc.body.style.setProperty("--nav-top", header.getBoundingClientRect().bottom + "px");
      var here = tree.querySelector('[aria-current="page"]');
      reveal(here, -1);
      var first = here || tree.querySelector("a");
      if (first) first.focus({ preventScroll: true });
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
  // A page's own branch can be taller than the sidebar on a large site.
  if (tree) reveal(tree.querySelector('[aria-current="page"]'));

  // The whole tree: one file per region, so a page's own HTML stays small.
  // It is fetched once, when the reader is about to use the tree (opens or
  // closes a section, points at or focuses the tree, opens the menu) or when
  // the browser is next idle. The page keeps its own branch when the file
  // cannot be loaded.
  var requested = false;
  function loadTree() {
    if (requested || !tree || !tree.dataset.src || !window.fetch) return;
    requested = true;
    fetch(tree.dataset.src, { credentials: "same-origin" })
      .then(function (r) {
        return r.ok ? r.text() : "";
      })
      .then(insertTree)
      .catch(function () {});
  }

  // The section a <details> belongs to: the link written just before it.
  function sectionOf(details) {
    var a = details.previousElementSibling;
    return a && a.tagName === "A" ? a.getAttribute("href") : null;
  }

  function insertTree(html) {
    if (!html) return;
    var tpl = doc.createElement("template");
    tpl.innerHTML = html;
    var full = tpl.content.querySelector(".tree-root");
    var old = tree.querySelector(".tree-root");
    if (!full || !old) return;
    // The current page, if the tree has it: the home page and 404.html
    // are in no section, and get the tree with every section closed.
    var here = canonicalPath(location.pathname);
    var current = null;
    full.querySelectorAll("a[href]").forEach(function (a) {
      if (!current && canonicalPath(a.getAttribute("href")) === here) current = a;
    });
    if (current) {
      current.setAttribute("aria-current", "page");
      var own = current.nextElementSibling;
      if (own && own.tagName === "DETAILS") own.open = true;
      for (var el = current.parentElement.parentElement; el && el !== full; el = el.parentElement) {
        if (el.tagName === "DETAILS") el.open = true;
        if (el.tagName === "LI") el.classList.add("is-active");
      }
    }
    // Sections the reader opened or closed before the file arrived stay so,
    // and focus stays on the same link or toggle.
    var state = {};
    old.querySelectorAll("details").forEach(function (d) {
      state[sectionOf(d)] = d.open;
    });
    full.querySelectorAll("details").forEach(function (d) {
      var key = sectionOf(d);
      if (key in state) d.open = state[key];
    });
    var focused = old.contains(doc.activeElement) ? doc.activeElement : null;
    var focusHref = null, focusToggle = false;
    if (focused && focused.tagName === "A") focusHref = focused.getAttribute("href");
    if (focused && focused.tagName === "SUMMARY") {
      focusHref = sectionOf(focused.parentElement);
      focusToggle = true;
    }
    // The current page keeps its place in the tree when it was in view, so
    // the longer lists above it do not push it out of the sidebar.
    var before = old.querySelector('[aria-current="page"]');
    var offset = before && tree.clientHeight ? before.getBoundingClientRect().top - tree.getBoundingClientRect().top : -1;
    var scroll = tree.scrollTop;
    old.replaceWith(full);
    tree.scrollTop = scroll;
    if (current) reveal(current, offset);
    if (focusHref !== null) {
      var again = null;
      full.querySelectorAll("a[href]").forEach(function (a) {
        if (!again && a.getAttribute("href") === focusHref) again = a;
      });
      if (again && focusToggle) again = again.nextElementSibling && again.nextElementSibling.querySelector("summary");
      if (again) again.focus({ preventScroll: true });
    }
    tree.dataset.loaded = "true";
  }

  if (tree) {
    // A click on a toggle, not its toggle event: an open <details> fires one
    // as the page loads.
    tree.addEventListener("click", function (e) {
      if (e.target.closest("summary")) loadTree();
    });
    tree.addEventListener("pointerenter", loadTree);
    tree.addEventListener("focusin", loadTree);
    if (window.requestIdleCallback) requestIdleCallback(loadTree, { timeout: 3000 });
    else setTimeout(loadTree, 1500);
  }

  // Screenshots zoom on click (or Enter), and close with Esc, a click, or the
  // button. Zoom is offered only while the text shows a screenshot smaller
  // than its own pixels, and never enlarges it past them: an enlarged
  // screenshot is only blurred.
  var dialog = doc.querySelector("dialog.zoom");
  var shots = Array.prototype.slice.call(doc.querySelectorAll('img[data-action="zoom"]'));
  if (dialog && dialog.showModal && shots.length) {
    var big = doc.createElement("img");
    dialog.insertBefore(big, dialog.firstChild);
    var opener = null;
    // The zoomed copy fits the window, at most at its natural size.
    var fit = function () {
      var w = big.naturalWidth, h = big.naturalHeight;
      if (!w || !h) return;
      var scale = Math.min(1, (window.innerWidth * 0.96) / w, (window.innerHeight * 0.9) / h);
      big.style.width = Math.round(w * scale) + "px";
      big.style.height = Math.round(h * scale) + "px";
    };
    big.addEventListener("load", fit);
    // Decided once the screenshot has loaded (they load lazily), and again
    // when the window's width changes the text's.
    var offer = function (img) {
      if (!img.complete || !img.naturalWidth) return;
      if (img.clientWidth < img.naturalWidth) {
        img.setAttribute("data-action", "zoom");
        img.tabIndex = 0;
        img.setAttribute("role", "button");
      } else {
        img.removeAttribute("data-action");
        img.removeAttribute("tabindex");
        img.removeAttribute("role");
      }
    };
    window.addEventListener("resize", function () {
      fit();
      shots.forEach(offer);
    });
    var open = function (img) {
      if (img.getAttribute("data-action") !== "zoom") return;
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
      img.addEventListener("load", function () {
        offer(img);
      });
      offer(img);
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
