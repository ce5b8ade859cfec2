package build

import (
	"bytes"
	"errors"
	"slices"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/markdown"
	"github.com/helpgen/helpgen/internal/render"
	"github.com/helpgen/helpgen/internal/shortcode"
)

// pageWork is what rendering one source page in each of its regions can
// share. Build renders a page in all its regions one after another on one
// worker; results that depend only on bytes, not on the region, are then
// computed once per page: HTML scans of shortcode output (a screenshot is the
// same <img> in every region), region-free shortcode templates and the Markdown conversion when two regions
// evaluate to the same Markdown (pages with no variable or region-specific
// text). It is reset between pages, so it never grows with the site.
// A nil *pageWork computes everything afresh.
type pageWork struct {
	// noTokens is set once the page turned out to need its variables'
	// values at conversion time (see markdown.Inert).
	noTokens  bool
	scans     map[string]markdown.HTMLFacts // links, images and ids of raw HTML
	readHTML  map[string]markdown.HTMLFacts // shortcode output and HTML blocks, with their text
	innerRefs map[string]innerRefs          // links and images in inner text
	docs      []convDoc
	calls     map[callKey]string // output of region-free shortcodes
	html      []byte             // a region's HTML with its variable values
}

// callKey is one shortcode use (the tree is shared by all regions) with the
// inner text it got in a region.
type callKey struct {
	call  *shortcode.Call
	inner string
}

// convDoc is one region's evaluated Markdown, the {{< >}} output its
// placeholders stand for, and its conversion.
type convDoc struct {
	md    []byte
	table []string
	doc   *markdown.Doc
}

func (w *pageWork) reset() {
	if w == nil {
		return
	}
	w.noTokens = false
	clear(w.calls)
	clear(w.scans)
	clear(w.readHTML)
	clear(w.innerRefs)
	clear(w.docs)
	w.docs = w.docs[:0]
}

// shortcode returns the output of call c with inner text inner, running
// exec unless a region-free template already ran for the same inner text.
func (w *pageWork) shortcode(t *render.Templates, c *shortcode.Call, inner []byte, exec func() (string, error)) (string, error) {
	if w == nil || !t.RegionFree(c.Name) {
		return exec()
	}
	k := callKey{c, string(inner)}
	if out, ok := w.calls[k]; ok {
		return out, nil
	}
	out, err := exec()
	if err == nil {
		if w.calls == nil {
			w.calls = map[callKey]string{}
		}
		w.calls[k] = out
	}
	return out, err
}

// scan returns the links, images and ids in an HTML fragment.
func (w *pageWork) scan(fragment string) markdown.HTMLFacts {
	if w == nil {
		return markdown.ScanRefs(fragment)
	}
	return memo(&w.scans, fragment, markdown.ScanRefs)
}

// read returns the links, images, ids and visible text of an HTML fragment
// that is part of the page's text (shortcode output, an HTML block), read
// once per source page: the regions mostly get the same output.
func (w *pageWork) read(fragment string) markdown.HTMLFacts {
	if w == nil {
		return markdown.ScanHTML(fragment)
	}
	return memo(&w.readHTML, fragment, markdown.ScanHTML)
}

// text is the visible text of such a fragment (see read).
func (w *pageWork) text(fragment string) string { return w.read(fragment).Text }

// innerRefs are the links and images written in a shortcode's inner text.
type innerRefs struct {
	links  []markdown.Link
	images []markdown.Image
}

func readRefs(inner string) innerRefs {
	l, i := markdown.Refs([]byte(inner))
	return innerRefs{l, i}
}

// refs reads the links and images of a shortcode's inner text once per
// source page.
func (w *pageWork) refs(inner []byte) innerRefs {
	if w == nil {
		return readRefs(string(inner))
	}
	return memo(&w.innerRefs, string(inner), readRefs)
}

// memo returns f(key), computed once per key in *m.
func memo[V any](m *map[string]V, key string, f func(string) V) V {
	if v, ok := (*m)[key]; ok {
		return v
	}
	v := f(key)
	if *m == nil {
		*m = map[string]V{}
	}
	(*m)[key] = v
	return v
}

// convert converts evaluated Markdown with the {{< >}} output its
// placeholders stand for, reusing another region's conversion of the same
// bytes: as it is for the same output, its parse for other output. The reused Doc's lists are copied so that no two
// regions' Facts share a backing array. A conversion in which a render hook
// ran is never reused: a hook may write per region (it sees .Page and
// .Site).
func (w *pageWork) convert(md []byte, table []string, hooks markdown.Hooks) (*markdown.Doc, error) {
	// The text of HTML (shortcode output, HTML blocks) is read once for
	// all the page's regions.
	sc := &markdown.Shortcodes{HTML: table, Text: w.text}
	if w != nil {
		for _, c := range w.docs {
			if len(c.doc.Hooked) > 0 || !bytes.Equal(c.md, md) {
				continue
			}
			if slices.Equal(c.table, table) {
				d := *c.doc
				d.Headings, d.Sections = slices.Clone(d.Headings), slices.Clone(d.Sections)
				return &d, nil
			}
			// The same Markdown with other shortcode output: parsed once,
			// written again.
			if d, err := c.doc.WithShortcodes(sc); d != nil || err != nil {
				return d, err
			}
		}
	}
	doc, err := markdown.ConvertPage(md, render.LayoutIDs, hooks, sc)
	if err != nil || w == nil {
		return doc, err
	}
	w.docs = append(w.docs, convDoc{md: md, table: table, doc: doc})
	return doc, nil
}

// markdownError is a failure of the Markdown converter itself.
type markdownError struct{ error }

func (e markdownError) Error() string { return "markdown: " + e.error.Error() }

// convertError is err of a conversion: a render hook's positioned error as
// it is, else a failure of the converter.
func convertError(err error) error {
	var d *diag.Error
	if errors.As(err, &d) {
		return err
	}
	return markdownError{err}
}

// varToken stands in for a region variable where its value cannot change
// how the Markdown around it parses.
func varToken(name, value string, prev, next []byte) (string, bool) {
	if !markdown.Inert(value, prev, next) {
		return "", false
	}
	return markdown.VarToken(name), true
}

// evaluation is a page evaluated for one region: the evaluated Markdown
// with its source map, and the {{< >}} output its placeholders stand for.
type evaluation struct {
	res   *shortcode.Result
	table []string
}

// evalConvert evaluates the page for one region with eval and converts the
// Markdown. Within Build (w not nil) inert variables are evaluated to tokens
// first, so that regions differing only in those values share the
// conversion; when the converted page shows that a value mattered after all
// (a heading id made from it, a URL holding it, a link reference
// definition), the page is evaluated again with the values and converted per
// region. So is a page a render hook wrote part of: the hook must see the
// region's values, not tokens.
func (w *pageWork) evalConvert(eval func(tokens bool) (evaluation, error), hooks markdown.Hooks) (evaluation, *markdown.Doc, error) {
	tokens := w != nil && !w.noTokens
	ev, err := eval(tokens)
	if err != nil {
		return ev, nil, err
	}
	if tokens && markdown.HasVars(ev.res.Markdown) {
		var doc *markdown.Doc
		if !bytes.Contains(ev.res.Markdown, []byte("]:")) {
			if doc, err = w.convert(ev.res.Markdown, ev.table, hooks); err != nil {
				return ev, nil, convertError(err)
			}
		}
		if doc != nil && !doc.VarInID && !doc.HTMLHasEscapedVar() && len(doc.Hooked) == 0 {
			return ev, doc, nil
		}
		w.noTokens = true
		if ev, err = eval(false); err != nil {
			return ev, nil, err
		}
	}
	doc, err := w.convert(ev.res.Markdown, ev.table, hooks)
	if err != nil {
		return ev, nil, convertError(err)
	}
	return ev, doc, nil
}

// expandHeadings puts a region's variable values into headings and
// sections converted with tokens.
func expandHeadings(hs []markdown.Heading, secs []markdown.Section, sub func(string) string) ([]markdown.Heading, []markdown.Section) {
	hs = slices.Clone(hs)
	for i := range hs {
		hs[i].Text, hs[i].ID = sub(hs[i].Text), sub(hs[i].ID)
	}
	secs = slices.Clone(secs)
	for i := range secs {
		secs[i].Text = sub(secs[i].Text)
		if h := secs[i].Heading; h != nil {
			secs[i].Heading = &markdown.Heading{Level: h.Level, ID: sub(h.ID), Text: sub(h.Text)}
		}
	}
	return hs, secs
}
