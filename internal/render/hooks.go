package render

import (
	"bytes"
	"context"
	"html/template"

	"github.com/helpgen/helpgen/internal/markdown"
)

// Render hooks are layouts under _default/_markup/ (or _markup/, Hugo's
// newer place): render-link.html, render-image.html, render-heading.html,
// render-codeblock.html and render-codeblock-LANG.html for one language.
// They run from the Markdown converter (internal/markdown) with Hugo's
// contexts below.

var hookNames = [...]string{
	markdown.HookLink:      "render-link",
	markdown.HookImage:     "render-image",
	markdown.HookHeading:   "render-heading",
	markdown.HookCodeBlock: "render-codeblock",
}

// hookDirs are where hook templates are looked up, first match wins.
var hookDirs = [...]string{hugoMarkup, "_markup/"}

// hookLayout is the layout of the hook for kind k (and a code block's
// language), or "".
func (t *Templates) hookLayout(k markdown.HookKind, lang string) string {
	if k < 0 || int(k) >= len(hookNames) {
		return ""
	}
	for _, dir := range hookDirs {
		if lang != "" {
			if name := dir + hookNames[k] + "-" + lang + ".html"; t.HasLayout(name) {
				return name
			}
		}
		if name := dir + hookNames[k] + ".html"; t.HasLayout(name) {
			return name
		}
	}
	return ""
}

// HasHooks reports whether the site (or its theme) has any render hook.
func (t *Templates) HasHooks() bool { return t.hasHooks }

// findHooks reports whether any layout is a render hook.
func (t *Templates) findHooks() bool {
	for _, tpl := range t.master.layouts.Templates() {
		for _, dir := range hookDirs {
			if n := tpl.Name(); len(n) > len(dir) && n[:len(dir)] == dir {
				return true
			}
		}
	}
	return false
}

// LinkHook is the dot of render-link.html and render-image.html.
type LinkHook struct {
	Destination string
	Title       string
	Text        template.HTML
	PlainText   string
	Ordinal     int
	Attributes  map[string]any
	Page        *PageRef
}

// HeadingHook is the dot of render-heading.html.
type HeadingHook struct {
	Level      int
	Anchor     string
	Text       template.HTML
	PlainText  string
	Ordinal    int
	Attributes map[string]any
	Page       *PageRef
}

// CodeBlockHook is the dot of render-codeblock.html.
type CodeBlockHook struct {
	Type       string
	Inner      string
	Attributes map[string]any
	Options    map[string]any
	Ordinal    int
	Page       *PageRef
}

// Hooks are the site's render hooks bound to one page in one region; they
// run under ctx (see PageContext).
type Hooks struct {
	t    *Templates
	ctx  context.Context
	page *PageRef
}

// PageHooks returns the render hooks for page, or nil when the site has
// none, so that such a site converts its Markdown without them.
func (t *Templates) PageHooks(ctx context.Context, page *PageRef) markdown.Hooks {
	if !t.hasHooks {
		return nil
	}
	return &Hooks{t: t, ctx: ctx, page: page}
}

// Has implements markdown.Hooks.
func (h *Hooks) Has(k markdown.HookKind, lang string) bool { return h.t.hookLayout(k, lang) != "" }

// Render implements markdown.Hooks: it executes the hook for c.
func (h *Hooks) Render(w *bytes.Buffer, c *markdown.HookContext) error {
	name := h.t.hookLayout(c.Kind, c.Type)
	var data any
	switch c.Kind {
	case markdown.HookLink, markdown.HookImage:
		data = &LinkHook{Destination: c.Destination, Title: c.Title, Text: c.Text, PlainText: c.PlainText,
			Ordinal: c.Ordinal, Attributes: c.Attributes, Page: h.page}
	case markdown.HookHeading:
		data = &HeadingHook{Level: c.Level, Anchor: c.Anchor, Text: c.Text, PlainText: c.PlainText,
			Ordinal: c.Ordinal, Attributes: c.Attributes, Page: h.page}
	default:
		data = &CodeBlockHook{Type: c.Type, Inner: c.Inner, Attributes: c.Attributes, Options: c.Options,
			Ordinal: c.Ordinal, Page: h.page}
	}
	s := h.t.acquire(h.ctx)
	defer h.t.release(s)
	s.st.lang, s.st.region = h.page.Lang, regionOf(h.page)
	if h.page.Site != nil {
		s.st.baseURL = h.page.Site.BaseURL
	}
	file := h.t.files[name]
	if _, err := s.st.enter(file); err != nil {
		return h.t.templateError(err, file, s.st)
	}
	return s.layout(w, name, data)
}
