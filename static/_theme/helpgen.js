// helpgen default theme: the menu toggle on narrow screens, the sections of
// the tree loaded as the reader opens them, the fragment carried to the other
// regions, the other regions' pages on the 404 page, and zoomable
// screenshots. Pages work without it; this only adds what needs a script.
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

  // The page carries only its own branch of the tree; a section off it is
  // its link (li.tree-lazy), given here a closed, empty toggle, and its
  // level, one file per section (data-src + the section's path + ".html"),
  // is fetched when the reader opens it. A level cut short ("Show all (n)")
  // is fetched whole when the reader asks for the rest.
  function addToggles(root) {
    root.querySelectorAll("li.tree-lazy").forEach(function (li) {
      var a = li.firstElementChild;
      if (!a || a.tagName !== "A" || a.nextElementSibling) return;
      var details = doc.createElement("details"), summary = doc.createElement("summary"), name = doc.createElement("span");
      details.className = "tree-lazy";
      name.className = "visually-hidden";
      name.textContent = a.textContent;
      summary.appendChild(name);
      details.appendChild(summary);
      li.appendChild(details);
    });
  }
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
          addToggles(ul);
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
    addToggles(tree);
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
