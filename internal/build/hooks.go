package build

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/markdown"
	"github.com/helpgen/helpgen/internal/shortcode"
)

// pageHooks are a page's render hooks in one region. An error in a hook
// template keeps its position there, and its trace gains the Markdown
// element it was writing ("… called from content/a.md:3:2").
type pageHooks struct {
	markdown.Hooks
	file string
	src  []byte
	res  *shortcode.Result // the evaluation being converted
}

// newPageHooks wraps the hooks of the page of file and text src, or returns
// nil when it has none.
func newPageHooks(h markdown.Hooks, file string, src []byte) *pageHooks {
	if h == nil {
		return nil
	}
	return &pageHooks{Hooks: h, file: file, src: src}
}

func (h *pageHooks) Render(w *bytes.Buffer, c *markdown.HookContext) error {
	err := h.Hooks.Render(w, c)
	var te *diag.Error
	if err == nil || !errors.As(err, &te) || te.File == h.file || h.res == nil {
		return err
	}
	line, col := diag.NewSource(h.file, h.src).LineCol(h.res.SourceOffset(c.Offset))
	d := *te
	at := fmt.Sprintf("%s:%d:%d", h.file, line, col)
	if d.Trace == "" {
		d.Trace = te.File + " called from " + at
	} else {
		d.Trace += " called from " + at
	}
	return &d
}

// hookFacts adds to f the links, images and ids the render hooks wrote,
// found as in raw HTML, at the Markdown element each hook wrote. Of a link
// or image hook's output only its links or images count (the element's
// text was rendered, and counted, on its own); a heading hook's ids replace
// the heading's id, so that an anchor the hook leaves out is reported.
func hookFacts(f *Facts, doc *markdown.Doc, res *shortcode.Result, w *pageWork) {
	for _, o := range doc.Hooked {
		hf := w.scan(o.HTML)
		pos := res.SourceOffset(o.Offset)
		if o.Kind == markdown.HookHeading && o.Heading >= 0 && o.Heading < len(doc.HeadingOffsets) {
			pos = res.SourceOffset(doc.HeadingOffsets[o.Heading])
		}
		if o.Kind == markdown.HookLink || o.Kind == markdown.HookCodeBlock {
			for _, l := range hf.Links {
				f.Links = append(f.Links, Ref{Dest: l, Pos: pos})
			}
		}
		if o.Kind == markdown.HookImage || o.Kind == markdown.HookCodeBlock {
			for _, im := range hf.Images {
				f.Images = append(f.Images, Ref{Dest: im.Src, Alt: im.Alt, Pos: pos, Zoom: im.Zoom})
			}
		}
		for _, id := range hf.IDs {
			f.IDs, f.IDPos = append(f.IDs, id), append(f.IDPos, pos)
		}
	}
}

// hookedHeadings are the indexes of the headings a hook wrote.
func hookedHeadings(doc *markdown.Doc) map[int]bool {
	var m map[int]bool
	for _, o := range doc.Hooked {
		if o.Kind == markdown.HookHeading {
			if m == nil {
				m = map[int]bool{}
			}
			m[o.Heading] = true
		}
	}
	return m
}
