// helpgen default theme: the menu toggle on narrow screens, the sections of
// the tree loaded as the reader opens them, the fragment carried to the other
// regions, the other regions' pages on the 404 page, zoomable screenshots,
// the dark theme toggle, the search button on phones, copy buttons on code
// blocks, heading permalinks, "In this article" following the scroll and
// back-to-top. Pages work without it; this only adds what needs a script.
(function () {
  "use strict";
  var doc = document;

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

  // The page carries only its own branch of the tree; a section off it has
  // a closed, empty toggle (details.tree-lazy), and its level, one file per
  // section (data-src + the section's path + ".html"), is fetched when the
  // reader opens it. A level cut short ("Show all (n)") is fetched whole
  // when the reader asks for the rest.
  function sectionOf(details) {
    var a = details.previousElementSibling;
    return a && a.tagName === "A" ? a.getAttribute("href") : null;
  }
  var levels = {};
  function fetchLevel(href) {
    if (!levels[href]) {
      levels[href] = fetch(tree.dataset.src + href.replace(/\/$/, "") + ".html", { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.text();
        })
        .then(function (html) {
          var tpl = doc.createElement("template");
          tpl.innerHTML = html;
          var ul = tpl.content.querySelector("ul");
          if (!ul) throw new Error("no list");
          return ul;
        });
      levels[href].catch(function () {
        delete levels[href];
      });
    }
    return levels[href];
  }
  function openLevel(details) {
    var href = sectionOf(details);
    if (!href || details.querySelector("ul") || details.getAttribute("aria-busy")) return;
    details.setAttribute("aria-busy", "true");
    fetchLevel(href)
      .then(function (ul) {
        var list = ul.cloneNode(true);
        list.className = "tree-list";
        details.appendChild(list);
        details.classList.remove("tree-lazy");
      })
      .catch(function () {
        details.open = false;
      })
      .then(function () {
        details.removeAttribute("aria-busy");
      });
  }
  // The whole level in place of the window: entries the page has keep their
  // state (the open branch, the current page), focus goes to the first new.
  function showAll(more) {
    var list = more.parentElement, link = more.querySelector("a");
    fetchLevel(link.getAttribute("href")).then(function (ul) {
      var have = {};
      list.querySelectorAll(":scope > li > a").forEach(function (a) {
        have[a.getAttribute("href")] = a.parentElement;
      });
      var first = null;
      Array.prototype.forEach.call(ul.cloneNode(true).children, function (li) {
        var a = li.querySelector("a"), old = a && have[a.getAttribute("href")];
        if (!old && !first) first = a;
        list.insertBefore(old || li, more);
      });
      more.remove();
      if (first) first.focus();
    }, function () {
      location.href = link.href;
    });
  }
  if (tree && tree.dataset.src && window.fetch) {
    // Capture: toggle does not bubble. Sections open on the page fire one
    // as it loads, and already hold their list.
    tree.addEventListener("toggle", function (e) {
      if (e.target.tagName === "DETAILS" && e.target.open) openLevel(e.target);
    }, true);
    tree.addEventListener("click", function (e) {
      var more = e.target.closest(".tree-more");
      if (more && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
        e.preventDefault();
        showAll(more);
      }
    });
  }

  // The region switcher leads to the same place on the page in another
  // region: its links carry the fragment, as it changes. A link to a section
  // (the page is not in that region) does not, nor a 404 page's.
  function carryHash() {
    doc.querySelectorAll(".region-switch a[hreflang]:not(.region-up):not([aria-current])").forEach(function (a) {
      a.href = a.href.replace(/#.*$/, "") + location.hash;
    });
  }
  if (!doc.body.classList.contains("kind-404")) {
    carryHash();
    window.addEventListener("hashchange", carryHash);
  }

  // A 404 page says which other regions publish the URL asked for, from
  // the one small file of the region's list that can hold it (by a hash of
  // the URL, as the build wrote it), and links there, fragment included.
  function whereKey(p) {
    try {
      p = decodeURIComponent(p);
    } catch (e) {}
    if (/\/index\.html$/.test(p)) return p.slice(0, -"index.html".length);
    if (!/\/$/.test(p) && !/\.[^\/]*$/.test(p)) return p + "/";
    return p;
  }
  // 64-bit FNV-1a of the UTF-8 bytes, as the build computes it.
  function fnv1a(s) {
    var b = new TextEncoder().encode(s), h = BigInt("0xcbf29ce484222325"), p = BigInt("0x100000001b3");
    var mask = BigInt("0xffffffffffffffff");
    for (var i = 0; i < b.length; i++) h = ((h ^ BigInt(b[i])) * p) & mask;
    return h;
  }
  var where = doc.querySelector(".elsewhere[data-src]");
  if (where && window.fetch && window.TextEncoder && window.BigInt && +where.dataset.buckets > 0) {
    var key = whereKey(location.pathname), hash = fnv1a(key);
    fetch(where.dataset.src + (hash % BigInt(+where.dataset.buckets)) + ".json", { credentials: "same-origin" })
      .then(function (r) {
        return r.ok ? r.json() : {};
      })
      .then(function (list) {
        var e = list[hash.toString(16).padStart(16, "0")];
        if (!e) return;
        where.querySelectorAll("li[data-region]").forEach(function (li) {
          if (e.r.indexOf(li.dataset.region) < 0) return;
          var a = li.querySelector("a");
          a.href = a.href.replace(/\/$/, "") + encodeURI(key) + location.hash;
          a.textContent = li.dataset.region + ": " + decodeURI(a.href);
          li.hidden = false;
          var sw = doc.querySelector('.region-switch a[hreflang="' + a.getAttribute("hreflang") + '"]');
          if (sw) sw.href = a.href;
        });
        if (e.s) {
          var p = where.querySelector(".elsewhere-section"), s = p.querySelector("a");
          s.setAttribute("href", e.s);
          s.textContent = e.t || e.s;
          p.hidden = false;
        }
        where.hidden = false;
      })
      .catch(function () {});
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
