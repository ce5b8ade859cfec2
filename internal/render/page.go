package render

import (
	"fmt"
	"html/template"
	"path"
	"strings"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/tplfunc"
)

// PageInfo is what a layout's data tells templates about its page: its
// language (for i18n with one argument) and its region's baseURL (for
// relURL and absURL).
type PageInfo interface {
	TemplateLang() string
	TemplateBaseURL() string
}

// pageOf reads the language and baseURL of a layout's or shortcode's data.
func pageOf(data any) (lang, baseURL string) {
	switch d := data.(type) {
	case PageInfo:
		return d.TemplateLang(), d.TemplateBaseURL()
	case *ShortcodeContext:
		if d.Page != nil {
			lang = d.Page.Lang
		}
		if d.Site != nil {
			baseURL = d.Site.BaseURL
		}
	case map[string]any:
		lang, _ = d["Lang"].(string)
	}
	return lang, baseURL
}

// i18n is Hugo's i18n (and T): the key in the page's language, with an
// optional context (a count choosing the plural form, or the text's dot).
// helpgen's own layouts name the language: {{ i18n "key" .Lang }}.
func (st *execState) i18n(key any, args ...any) (string, error) {
	k, ok := key.(string)
	if !ok {
		var err error
		if k, err = (&tplfunc.Cast{}).ToString(key); err != nil {
			return "", fmt.Errorf("i18n: the key must be text, not %T", key)
		}
	}
	t := st.set.t
	switch len(args) {
	case 0:
		return t.translate(k, st.lang, nil), nil
	case 1:
		if l, ok := args[0].(string); ok && t.i18n[l] != nil {
			return t.translate(k, l, nil), nil
		}
		return t.translate(k, st.lang, args[0]), nil
	}
	return "", fmt.Errorf("i18n takes a key and at most one context, not %d arguments", len(args)+1)
}

// LanguageCode is Hugo's .Site.LanguageCode: the site's language.
func (s *Site) LanguageCode() string { return s.Language }

// RenderString is Hugo's .Page.RenderString: Markdown rendered inline.
func (p *PageRef) RenderString(s any) (template.HTML, error) { return Markdownify(s) }

// Scratch is Hugo's .Scratch of a shortcode: a scratch pad of this call.
func (c *ShortcodeContext) Scratch() *tplfunc.Scratch {
	if c.scratch == nil {
		c.scratch = tplfunc.NewScratch()
	}
	return c.scratch
}

// warn records a template's warnf, at the template that called it.
func (t *Templates) warn(st *execState, msg string) {
	e := &diag.Error{Severity: diag.SevWarning, Msg: msg, Hint: "the template says so with warnf"}
	if n := len(st.calls); n > 0 {
		e.File = st.calls[n-1]
	}
	if len(st.calls) > 1 {
		e.Trace = st.chain()
	}
	t.warnMu.Lock()
	t.warnings = append(t.warnings, e)
	t.warnMu.Unlock()
}

// Warnings returns what templates said with warnf since the last call,
// each message once.
func (t *Templates) Warnings() diag.List {
	t.warnMu.Lock()
	w := t.warnings
	t.warnings = nil
	t.warnMu.Unlock()
	return w.Merge()
}

// IsHome is Hugo's .IsHome: the page is the site's home page.
func (p *PageRef) IsHome() bool { return p.RelPermalink == "/" }

// Type is Hugo's .Type: the page's top section (general for
// general/ja/login/a.md), "page" for a page at the top.
func (p *PageRef) Type() string {
	if dir, _, ok := strings.Cut(p.Path, "/"); ok {
		return dir
	}
	return "page"
}

// File is Hugo's .File of a page.
func (p *PageRef) File() *PageFile { return &PageFile{path: p.Path} }

// PageFile is a page's file as Hugo's templates see it: .Path
// (general/ja/a.md), .Dir (general/ja/), .LogicalName (a.md),
// .BaseFileName (a), .ContentBaseName (a, or the folder's name for an
// _index.md) and .Ext (md).
type PageFile struct{ path string }

// Path is the file's path under content/.
func (f *PageFile) Path() string { return f.path }

// Dir is the file's folder under content/, ending in a slash ("" at the top).
func (f *PageFile) Dir() string {
	d, _ := path.Split(f.path)
	return d
}

// LogicalName is the file's name.
func (f *PageFile) LogicalName() string { return path.Base(f.path) }

// BaseFileName is the file's name without its extension.
func (f *PageFile) BaseFileName() string {
	return strings.TrimSuffix(f.LogicalName(), path.Ext(f.path))
}

// ContentBaseName is the file's name without extension, or for a section's
// _index.md the section's folder name.
func (f *PageFile) ContentBaseName() string {
	if b := f.BaseFileName(); b != "_index" && b != "index" {
		return b
	}
	return path.Base(strings.TrimSuffix(f.Dir(), "/"))
}

// Ext is the file's extension without its dot.
func (f *PageFile) Ext() string { return strings.TrimPrefix(path.Ext(f.path), ".") }
