package build

import (
	"bytes"
	"slices"

	"github.com/helpgen/helpgen/internal/markdown"
	"github.com/helpgen/helpgen/internal/shortcode"
)

// collector gathers the facts of one page in one region: the block
// shortcodes and what {{< >}} calls wrote while the page is evaluated, the
// rest from its converted Markdown. Every position comes from the source map
// evaluation keeps: the Markdown's own text maps through
// shortcode.Result.SourceOffset; what a call wrote maps to the argument that
// gave it, else to the link or image in its inner text (through the call's
// inner source map), else to the call.
type collector struct {
	src []byte // the page's source
	w   *pageWork
	res *shortcode.Result
	// vars are the region's variable values when the conversion holds
	// variable tokens, else nil.
	vars map[string]string
	f    *Facts // being filled
	// Filled while evaluating, in the order the calls ran:
	inners [][]byte // inner text of every call that ran (Result.Calls)
	shown  []shown  // scanned output of {{< >}} calls
	blocks []Block
}

// shown is the output of the {{< >}} call res.Calls[ran], scanned.
type shown struct {
	ran   int
	facts markdown.HTMLFacts
}

func newCollector(src []byte, w *pageWork) *collector { return &collector{src: src, w: w} }

// reset forgets what an evaluation recorded, before the page is evaluated
// again.
func (c *collector) reset() {
	c.inners, c.shown, c.blocks = c.inners[:0], c.shown[:0], nil
}

// ran records a template call that ran with inner text inner and wrote out.
func (c *collector) ran(call *shortcode.Call, inner []byte, out string) {
	if call.Kind == shortcode.BlockTemplate {
		c.blocks = append(c.blocks, Block{Name: call.Name, Pos: call.Pos, Empty: len(bytes.TrimSpace(inner)) == 0})
	}
	if !call.Markdown {
		c.shown = append(c.shown, shown{ran: len(c.inners), facts: c.w.read(out)})
	}
	c.inners = append(c.inners, inner)
}

// sub puts the region's variable values into s.
func (c *collector) sub(s string) string {
	if c.vars == nil {
		return s
	}
	return markdown.ExpandVarsString(s, c.vars)
}

// facts are the page's facts from its conversion doc of evaluation res.
func (c *collector) facts(doc *markdown.Doc, res *shortcode.Result) *Facts {
	c.res = res
	f := &Facts{}
	c.f = f
	f.Headings, f.Sections, f.Blocks = doc.Headings, doc.Sections, c.blocks
	if c.vars != nil {
		f.Headings, f.Sections = expandHeadings(doc.Headings, doc.Sections, c.sub)
	}
	c.headingIDs(doc)
	for _, s := range c.shown {
		for _, id := range s.facts.IDs {
			c.id(id, res.Calls[s.ran].Pos)
		}
	}
	for _, l := range doc.Links {
		dest := c.sub(l.Dest)
		c.link(dest, c.markdownPos(l.Offset, dest, false))
	}
	for _, im := range doc.Images {
		src := c.sub(im.Src)
		f.Images = append(f.Images, Ref{Dest: src, Alt: c.sub(im.Alt), Pos: c.markdownPos(im.Offset, src, true)})
	}
	for _, raw := range doc.RawHTML {
		c.rawHTML(raw)
	}
	hookFacts(f, doc, res, c.w)
	for _, s := range c.shown {
		c.html(s.facts, c.callPos(s.ran))
	}
	f.Lists = sourceLists(doc.Lists, res, c.src)
	f.Empty = len(f.Images) == 0 && !hasText(f.Sections)
	return f
}

// headingIDs adds the ids of the headings no hook wrote (a hook's ids are
// found in its output, see hookFacts).
func (c *collector) headingIDs(doc *markdown.Doc) {
	hooked := hookedHeadings(doc)
	for i, h := range c.f.Headings {
		if !hooked[i] {
			c.id(h.ID, c.res.SourceOffset(doc.HeadingOffsets[i]))
		}
	}
}

func (c *collector) id(id string, pos int) {
	c.f.IDs, c.f.IDPos = append(c.f.IDs, id), append(c.f.IDPos, pos)
}

func (c *collector) link(dest string, pos int) {
	c.f.Links = append(c.f.Links, Ref{Dest: dest, Pos: pos})
}

// rawHTML adds the links, images and ids of raw HTML in the Markdown. When a
// {{% %}} call wrote it, they stand in that call's arguments or inner text.
func (c *collector) rawHTML(raw markdown.RawHTML) {
	pos := c.res.SourceOffset(raw.Offset)
	hf := c.w.scan(c.sub(raw.HTML))
	if i := c.callAt(raw.Offset); i >= 0 {
		c.html(hf, c.callPos(i))
		for _, id := range hf.IDs {
			c.id(id, c.res.Calls[i].Pos)
		}
		return
	}
	c.html(hf, func(string, bool) int { return pos })
	for _, id := range hf.IDs {
		c.id(id, pos)
	}
}

// html adds the links and images of scanned HTML, placed by at.
func (c *collector) html(hf markdown.HTMLFacts, at func(dest string, image bool) int) {
	for _, l := range hf.Links {
		c.link(l, at(l, false))
	}
	for _, im := range hf.Images {
		c.f.Images = append(c.f.Images, Ref{Dest: im.Src, Alt: im.Alt, Pos: at(im.Src, true), Zoom: im.Zoom})
	}
}

// markdownPos is the source offset of a link or image the converted
// Markdown holds at off: in the page's own text, or in a {{% %}} call's
// output.
func (c *collector) markdownPos(off int, dest string, image bool) int {
	if i := c.callAt(off); i >= 0 {
		return c.callPos(i)(dest, image)
	}
	return c.res.SourceOffset(off)
}

// callAt is the index in res.Calls of the call whose output holds offset
// off of the evaluated Markdown, or -1 when the page's own text is there.
func (c *collector) callAt(off int) int {
	for i, r := range c.res.Calls {
		if r.Out <= off && off < r.End {
			return i
		}
	}
	return -1
}

// callPos places what call res.Calls[i] wrote: at the argument that gave
// a destination, else at the link or image with that destination in the
// call's inner text (the start of its text), else at the call.
func (c *collector) callPos(i int) func(dest string, image bool) int {
	ran := &c.res.Calls[i]
	return func(dest string, image bool) int {
		for _, a := range ran.Args {
			if a.Value == dest {
				return a.Pos
			}
		}
		if dest == "" || i >= len(c.inners) || len(c.inners[i]) == 0 {
			return ran.Pos
		}
		refs := c.w.refs(c.inners[i])
		if image {
			for _, im := range refs.images {
				if im.Src == dest {
					return ran.InnerOffset(im.Offset)
				}
			}
		}
		for _, l := range refs.links {
			if l.Dest == dest {
				return ran.InnerOffset(l.Offset)
			}
		}
		return ran.Pos
	}
}

// shareFacts makes f use the lists of an earlier region's facts of the
// same source page wherever they are equal: most of a page's headings,
// ids, links, images and blocks are the same in every region, and a
// build keeps every region's facts to its end (for the checks), so each
// list is then held once a page, not once a region. Facts are not
// changed once made, so sharing is safe.
func shareFacts(f *Facts, done []*Page) {
	if f == nil {
		return
	}
	for _, o := range done {
		g := o.Facts
		if g == nil || g == f {
			continue
		}
		share(&f.Headings, g.Headings)
		share(&f.IDs, g.IDs)
		share(&f.IDPos, g.IDPos)
		share(&f.Links, g.Links)
		share(&f.Images, g.Images)
		share(&f.Blocks, g.Blocks)
	}
}

// share points *l at m when they hold the same elements.
func share[T comparable](l *[]T, m []T) {
	if len(*l) > 0 && slices.Equal(*l, m) {
		*l = m
	}
}
