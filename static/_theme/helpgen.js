// helpgen default theme: the menu toggle on narrow screens, the whole section
// tree loaded from one shared file per region, zoomable screenshots, the
// dark theme toggle, the search button on phones, copy buttons on code
// blocks, heading permalinks, "In this article" following the scroll and
// back-to-top. Pages work without it; this only adds what needs a script.
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
        // A button needs a name: the screenshot's alt, else a label.
        if (!img.alt) img.setAttribute("aria-label", dialog.dataset.enlarge || "Enlarge screenshot");
      } else {
        img.removeAttribute("data-action");
        img.removeAttribute("tabindex");
        img.removeAttribute("role");
        img.removeAttribute("aria-label");
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

  // Dark theme: follows the system until the reader chooses, then keeps
  // the choice (localStorage; the head's script applies it before the page
  // is drawn).
  var root = doc.documentElement;
  var themeToggle = doc.querySelector(".theme-toggle");
  var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function isDark() {
    var t = root.dataset.theme;
    return t ? t === "dark" : !!(systemDark && systemDark.matches);
  }
  function showTheme() {
    if (themeToggle) themeToggle.setAttribute("aria-pressed", isDark() ? "true" : "false");
  }
  if (themeToggle) {
    showTheme();
    themeToggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.dataset.theme = next;
      try {
        localStorage.setItem("helpgen-theme", next);
      } catch (e) {}
      showTheme();
    });
    if (systemDark && systemDark.addEventListener) systemDark.addEventListener("change", showTheme);
  }

  // Search on phones: a button in the header opens the field over it.
  var searchToggle = doc.querySelector(".search-toggle");
  var searchBox = doc.getElementById("site-search");
  function setSearch(open) {
    searchToggle.setAttribute("aria-expanded", open ? "true" : "false");
    doc.body.classList.toggle("search-open", open);
    var input = searchBox.querySelector("input");
    if (open && input) input.focus();
  }
  if (searchToggle && searchBox) {
    searchToggle.addEventListener("click", function () {
      setSearch(searchToggle.getAttribute("aria-expanded") !== "true");
    });
    doc.addEventListener("keydown", function (e) {
      var input = searchBox.querySelector("input");
      if (e.key === "Escape" && doc.body.classList.contains("search-open") && (!input || !input.value)) {
        setSearch(false);
        searchToggle.focus();
      }
    });
  }

  var footer = doc.querySelector(".site-footer");
  var label = function (key, def) {
    return (footer && footer.dataset[key]) || def;
  };

  // Code blocks: a copy button, and a keyboard stop when a line is wider
  // than the block (which scrolls sideways).
  doc.querySelectorAll("article.article pre").forEach(function (pre) {
    var box = doc.createElement("div");
    box.className = "code-block";
    pre.parentNode.insertBefore(box, pre);
    box.appendChild(pre);
    if (pre.scrollWidth > pre.clientWidth) pre.tabIndex = 0;
    if (!navigator.clipboard) return;
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = label("copy", "Copy");
    button.addEventListener("click", function () {
      var code = pre.querySelector("code") || pre;
      navigator.clipboard.writeText(code.textContent.replace(/\n$/, "")).then(function () {
        button.textContent = label("copied", "Copied");
        setTimeout(function () {
          button.textContent = label("copy", "Copy");
        }, 2000);
      }, function () {});
    });
    box.appendChild(button);
  });

  // Heading permalinks: a link to the heading itself, shown beside it.
  var headings = Array.prototype.slice.call(doc.querySelectorAll("article.article :is(h2, h3, h4)[id]"));
  headings.forEach(function (h) {
    var a = doc.createElement("a");
    a.className = "anchor";
    a.href = "#" + encodeURIComponent(h.id);
    a.setAttribute("aria-label", label("anchor", "Link to this section") + ": " + h.textContent.trim());
    a.textContent = "#";
    h.appendChild(a);
  });

  // "In this article" marks the section being read: the last heading above
  // the upper third of the window.
  var tocLinks = {};
  doc.querySelectorAll(".toc a[href^='#']").forEach(function (a) {
    tocLinks[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
  });
  var tracked = headings.filter(function (h) {
    return tocLinks[h.id];
  });
  var marked = null;
  function markSection() {
    var line = window.innerHeight / 3, at = tracked[0];
    for (var i = 0; i < tracked.length; i++) {
      if (tracked[i].getBoundingClientRect().top <= line) at = tracked[i];
    }
    // At the end of the page the last sections cannot reach the line.
    if (window.innerHeight + window.scrollY >= doc.documentElement.scrollHeight - 2) {
      for (var j = tracked.length - 1; j >= 0; j--) {
        var top = tracked[j].getBoundingClientRect().top;
        if (top < window.innerHeight && top >= 0) {
          at = tracked[j];
          break;
        }
      }
    }
    var link = at && tocLinks[at.id];
    if (link === marked) return;
    if (marked) marked.removeAttribute("aria-current");
    if (link) link.setAttribute("aria-current", "true");
    marked = link;
  }

  // Back to top: on a page longer than two and a half windows, once the
  // reader has scrolled one down.
  var toTop = doc.querySelector(".to-top");
  function showToTop() {
    if (!toTop) return;
    var long = doc.documentElement.scrollHeight > window.innerHeight * 2.5;
    toTop.hidden = !(long && window.scrollY > window.innerHeight);
  }
  if (toTop) {
    toTop.addEventListener("click", function (e) {
      e.preventDefault();
      window.scrollTo({ top: 0 });
      var main = doc.getElementById("main");
      if (main) main.focus({ preventScroll: true });
    });
  }

  var pending = false;
  function onScroll() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      if (tracked.length) markSection();
      showToTop();
    });
  }
  window.addEventListener("scroll", onScroll, { passive: true });
  window.addEventListener("resize", onScroll);
  onScroll();
})();
