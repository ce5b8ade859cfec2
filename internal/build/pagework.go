package build

import (
	"bytes"
	"slices"
	"sync"

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
	scans map[string]markdown.HTMLFacts
	docs  []convDoc
	calls map[callKey]string // output of region-free shortcodes
}

// callKey is one shortcode use (the tree is shared by all regions) with the
// inner text it got in a region.
type callKey struct {
	call  *shortcode.Call
	inner string
}

// convDoc is one region's evaluated Markdown and its conversion.
type convDoc struct {
	md  []byte
	doc *markdown.Doc
}

func (w *pageWork) reset() {
	if w == nil {
		return
	}
	clear(w.calls)
	clear(w.scans)
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
	if f, ok := w.scans[fragment]; ok {
		return f
	}
	f := markdown.ScanRefs(fragment)
	if w.scans == nil {
		w.scans = map[string]markdown.HTMLFacts{}
	}
	w.scans[fragment] = f
	return f
}

// convert converts evaluated Markdown, reusing another region's conversion
// of the same bytes. The reused Doc's lists are copied so that no two
// regions' Facts share a backing array.
func (w *pageWork) convert(md []byte) (*markdown.Doc, error) {
	if w != nil {
		for _, c := range w.docs {
			if bytes.Equal(c.md, md) {
				d := *c.doc
				d.Headings, d.Sections = slices.Clone(d.Headings), slices.Clone(d.Sections)
				return &d, nil
			}
		}
	}
	doc, err := markdown.Convert(md)
	if err != nil || w == nil {
		return doc, err
	}
	w.docs = append(w.docs, convDoc{md: md, doc: doc})
	return doc, nil
}

// bodyPool holds the buffers page bodies are assembled in.
var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
