package theme

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/render"
)

// Go versions of the built-in layouts that depend on the page. The theme's
// one source is layouts/: what does not depend on the page (the header
// but its region switcher, the search box, the footer; the breadcrumbs but
// the page's own entry, per section) runs there once per region and
// language through partialCached. What does runs on every page of every
// region, where html/template's reflection costs about a microsecond an
// action; each function below writes exactly what its template writes,
// and is kept only because it saves a measured share of the whole build:
// docs/architecture.md (Fast copies) lists every one with its figure, and
// BenchmarkFastCopies measures them. internal/build's themehtml_test.go
// builds the bundled site, a generated corpus and a site of characters
// that need escaping both ways and compares every byte; a site that
// overrides a file gets its own template run (render.Templates.SetNative).

// nativeTheme is the Go version of each built-in layout that has one.
var nativeTheme = map[string]func(theme, *bytes.Buffer, *PageData) error{
	"_default/single.html":   theme.page,
	"partials/head.html":     theme.head,
	"partials/regions.html":  theme.regions,
	"partials/tree.html":     theme.tree,
	"partials/toc.html":      theme.toc,
	"partials/prevnext.html": theme.prevNext,
}

// NativeLayouts are the names of the built-in layouts that have a Go
// version, sorted.
func NativeLayouts() []string { return slices.Sorted(maps.Keys(nativeTheme)) }

// SetNative registers the Go versions of the built-in layouts but
// those named in except (which benchmarks leave out to measure them).
func SetNative(t *render.Templates, except ...string) {
	for name, fn := range nativeTheme {
		if slices.Contains(except, name) {
			continue
		}
		t.SetNative(name, func(ctx context.Context, w *bytes.Buffer, data any) (bool, error) {
			d, ok := data.(*PageData)
			if !ok || d.Site == nil {
				return false, nil
			}
			return true, fn(theme{t: t, ctx: ctx}, w, d)
		})
	}
}

// theme writes the built-in layouts for one page; ctx is the page's, for
// the templates a site may put in place of a partial.
type theme struct {
	t   *render.Templates
	ctx context.Context
}

// partial is {{ partial name . }}: the Go version or the site's template.
func (th theme) partial(w *bytes.Buffer, name string, d *PageData) error {
	return th.t.Layout(th.ctx, w, name, d)
}

// i18n writes {{ i18n key .Lang }}.
func (th theme) i18n(w *bytes.Buffer, key string, d *PageData) {
	render.EscapeHTML(w, th.t.T(key, d.Lang))
}

// page is single.html.
func (th theme) page(w *bytes.Buffer, d *PageData) error {
	w.WriteString("<!DOCTYPE html>\n<html lang=\"")
	render.EscapeHTML(w, d.Lang)
	w.WriteString("\">\n<head>\n")
	if err := th.partial(w, "partials/head.html", d); err != nil {
		return err
	}
	w.WriteString("\n</head>\n<body class=\"kind-")
	render.EscapeHTML(w, d.Kind)
	w.WriteString("\">\n")
	if err := th.partial(w, "partials/header.html", d); err != nil {
		return err
	}
	w.WriteString("\n<div class=\"layout\">\n")
	if err := th.partial(w, "partials/tree.html", d); err != nil {
		return err
	}
	w.WriteString("\n<main id=\"main\" class=\"content\" tabindex=\"-1\">\n")
	if err := th.partial(w, "partials/breadcrumbs.html", d); err != nil {
		return err
	}
	w.WriteString("\n<div class=\"page\">\n<h1>")
	render.EscapeHTML(w, d.Title)
	w.WriteString("</h1>\n")
	if err := th.partial(w, "partials/toc.html", d); err != nil {
		return err
	}
	w.WriteString("\n<article class=\"article\">")
	w.WriteString(string(d.Content))
	w.WriteString("</article>\n")
	if err := th.partial(w, "partials/page-meta.html", d); err != nil {
		return err
	}
	w.WriteString("\n")
	if err := th.partial(w, "partials/prevnext.html", d); err != nil {
		return err
	}
	w.WriteString("\n</div>\n</main>\n</div>\n")
	if err := th.t.LayoutCached(th.ctx, w, "partials/footer.html", d, d.Lang); err != nil {
		return err
	}
	w.WriteString("\n")
	if err := th.t.LayoutCached(th.ctx, w, "partials/zoom.html", d, d.Lang); err != nil {
		return err
	}
	w.WriteString("\n</body>\n</html>\n")
	return nil
}

func (th theme) head(w *bytes.Buffer, d *PageData) error {
	w.WriteString("<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>")
	render.EscapeHTML(w, d.Title)
	if d.Title != d.Site.Title {
		w.WriteString(" | ")
		render.EscapeHTML(w, d.Site.Title)
	}
	w.WriteString("</title>\n")
	if d.Description != "" {
		w.WriteString("<meta name=\"description\" content=\"")
		render.EscapeHTML(w, d.Description)
		w.WriteString("\">\n")
	}
	if c := d.Canonical; c != "" {
		w.WriteString("<link rel=\"canonical\" href=\"")
		render.EscapeURL(w, c)
		w.WriteString("\">\n")
	}
	for _, l := range d.Alternates {
		w.WriteString("<link rel=\"alternate\" hreflang=\"")
		render.EscapeHTML(w, l.HrefLang)
		w.WriteString("\" href=\"")
		render.EscapeURL(w, l.URL)
		w.WriteString("\">\n")
	}
	w.WriteString("<link rel=\"icon\" href=\"/_theme/favicon.svg\" type=\"image/svg+xml\">\n<link rel=\"stylesheet\" href=\"/_theme/helpgen.css\">\n")
	if err := th.t.LayoutCached(th.ctx, w, "partials/search-head.html", d); err != nil {
		return err
	}
	w.WriteString("\n<script>(function (h) { h.className += \" js\"; try { var t = localStorage.getItem(\"helpgen-theme\"); if (t === \"dark\" || t === \"light\") h.dataset.theme = t; } catch (e) {} })(document.documentElement);</script>\n<script src=\"/_theme/helpgen.js\" defer></script>\n")
	return nil
}

func (th theme) regions(w *bytes.Buffer, d *PageData) error {
	if links := d.RegionLinks; len(links) > 0 {
		w.WriteString("<nav class=\"region-switch\" aria-label=\"")
		th.i18n(w, "region", d)
		w.WriteString("\">\n  <ul>")
		for _, l := range links {
			w.WriteString("\n    <li>")
			switch {
			case l.Up && !l.Current:
				w.WriteString("<a class=\"region-up\" href=\"")
				render.EscapeURL(w, l.URL)
				w.WriteString("\" hreflang=\"")
				render.EscapeHTML(w, l.HrefLang)
				w.WriteString("\">")
				render.EscapeHTML(w, l.Code)
				w.WriteString(" <span class=\"region-note\">")
				th.i18n(w, "regionUp", d)
				w.WriteString("</span><span class=\"visually-hidden\"> (")
				th.i18n(w, "regionUpLabel", d)
				if l.UpTitle != "" {
					w.WriteString(": ")
					render.EscapeHTML(w, l.UpTitle)
				}
				w.WriteString(")</span></a>")
			default:
				w.WriteString("<a href=\"")
				render.EscapeURL(w, l.URL)
				w.WriteString("\" hreflang=\"")
				render.EscapeHTML(w, l.HrefLang)
				if l.Current {
					w.WriteString("\" aria-current=\"true\">")
				} else {
					w.WriteString("\">")
				}
				render.EscapeHTML(w, l.Code)
				w.WriteString("</a>")
			}
			w.WriteString("</li>")
		}
		w.WriteString("\n  </ul>\n</nav>")
	}
	w.WriteString("\n")
	return nil
}

func (th theme) tree(w *bytes.Buffer, d *PageData) error {
	w.WriteString("<nav id=\"site-tree\" class=\"site-tree\" aria-label=\"")
	th.i18n(w, "tree", d)
	w.WriteString("\" data-src=\"")
	render.EscapeURL(w, d.TreeURL)
	w.WriteString("\">\n")
	if n := d.nav(); n != nil && th.t.IsBuiltIn(TreeLayout) {
		n.Tree.WriteBranch(w, d.node(), nav.Window, th.t.T("showAll", d.Lang))
		w.WriteString("\n")
	} else if it := d.Tree(); it != nil {
		if err := th.t.Layout(th.ctx, w, TreeLayout, map[string]any{"Item": it, "Lang": d.Lang, "Root": true}); err != nil {
			return err
		}
	}
	w.WriteString("\n</nav>\n")
	return nil
}

func (th theme) toc(w *bytes.Buffer, d *PageData) error {
	if toc := d.TOC; len(toc) > 0 {
		w.WriteString("<aside class=\"toc\" aria-labelledby=\"helpgen-toc\">\n  <h2 id=\"helpgen-toc\" class=\"toc-title\">")
		th.i18n(w, "toc", d)
		w.WriteString("</h2>\n  <ul>")
		entry := func(e *TOCEntry, indent string) {
			w.WriteString(indent)
			w.WriteString("<li class=\"toc-h")
			w.WriteString(strconv.Itoa(e.Level))
			w.WriteString("\"><a href=\"#")
			render.EscapeURLPart(w, e.ID)
			w.WriteString("\">")
			render.EscapeHTML(w, e.Text)
			w.WriteString("</a>")
		}
		for _, e := range toc {
			entry(e, "\n    ")
			if len(e.Children) > 0 {
				w.WriteString("\n      <ul>")
				for _, c := range e.Children {
					entry(c, "\n        ")
					w.WriteString("</li>")
				}
				w.WriteString("\n      </ul>")
			}
			w.WriteString("</li>")
		}
		w.WriteString("\n  </ul>\n</aside>")
	}
	w.WriteString("\n")
	return nil
}

func (th theme) prevNext(w *bytes.Buffer, d *PageData) error {
	prev, next := d.Prev, d.Next
	if prev != nil || next != nil {
		w.WriteString("<nav class=\"prevnext\" aria-label=\"")
		th.i18n(w, "pager", d)
		w.WriteString("\">\n  ")
		link := func(l *nav.Link, class, label string) {
			w.WriteString("<a class=\"" + class + "\" rel=\"" + class + "\" href=\"")
			render.EscapeURL(w, l.URL)
			w.WriteString("\"><span class=\"pager-label\">")
			th.i18n(w, label, d)
			w.WriteString("</span><span class=\"pager-title\">")
			render.EscapeHTML(w, l.Title)
			w.WriteString("</span></a>")
		}
		if prev != nil {
			link(prev, "prev", "previous")
		}
		w.WriteString("\n  ")
		if next != nil {
			link(next, "next", "next")
		}
		w.WriteString("\n</nav>")
	}
	w.WriteString("\n")
	return nil
}
