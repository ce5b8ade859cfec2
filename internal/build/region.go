package build

import (
	"bytes"
	"context"
	"html/template"
	"slices"
	"strings"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/markdown"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/render"
	"github.com/helpgen/helpgen/internal/shortcode"
)

// Region is one region's view of the project: the pages published there with
// their titles evaluated for it.
type Region struct {
	Config *config.Region
	Site   *render.Site
	Pages  []*Page // sorted by URL
	ByURL  map[string]*Page
	Nav    *Nav // the region's navigation, built once its pages are known
	// project is the site the region belongs to, for what its pages share
	// (the edit URL, dates from git history).
	project *Project
}

// Page is a content page as a reader of one region gets it.
type Page struct {
	Src         *content.Page
	Region      *Region
	Title       string
	Description string
	// Filled by Render:
	Content template.HTML
	Facts   *Facts
}

// The facts of a rendered page are the site model's (see internal/model).
type (
	Facts = model.Facts
	Ref   = model.Ref
	Block = model.Block
)

// Prepare evaluates every page's title and description for region code.
func (p *Project) Prepare(rc *config.Region) (*Region, diag.List) {
	r := &Region{Config: rc, ByURL: map[string]*Page{}, project: p}
	var errs diag.List
	env := &shortcode.Env{Region: rc.Code, Vars: rc.Params}
	title := p.Config.Title
	if p.title != nil {
		res, err := p.title.Eval(config.File, env)
		if err != nil {
			errs = append(errs, diag.Flatten(err)...)
		} else {
			title = strings.TrimSpace(string(res.Markdown))
		}
	}
	r.Site = &render.Site{Title: title, Params: rc.Values, BaseURL: rc.BaseURL, Region: rc.Code, Regions: p.Config.Codes(), Language: p.Config.DefaultLanguage, Data: p.data}
	for _, cp := range p.Pages {
		if !cp.InRegion(rc.Code) {
			continue
		}
		pg, err := r.NewPage(cp)
		if err != nil {
			errs = append(errs, diag.Flatten(err)...)
			continue
		}
		r.Pages = append(r.Pages, pg)
		r.ByURL[cp.URL] = pg
	}
	r.Nav = p.newNav(r)
	p.indexPages(r)
	return r, errs
}

// NewPage is cp as published in r, with title and description evaluated for
// the region; it is not added to r.Pages.
func (r *Region) NewPage(cp *content.Page) (*Page, error) {
	env := &shortcode.Env{Region: r.Config.Code, Vars: r.Config.Params}
	pg := &Page{Src: cp, Region: r}
	t, err := cp.TitleIn(r.Config.Code).Eval(cp.File, env)
	if err != nil {
		return nil, err
	}
	pg.Title = strings.TrimSpace(string(t.Markdown))
	if cp.Desc != nil {
		d, err := cp.Desc.Eval(cp.File, env)
		if err != nil {
			return nil, err
		}
		pg.Description = strings.TrimSpace(string(d.Markdown))
	}
	return pg, nil
}

// RenderBody evaluates the page's shortcodes for its region, converts the
// Markdown and fills Content and Facts.
func (p *Project) RenderBody(pg *Page) error {
	return p.underLimits(p.ctx, func(ctx context.Context) error { return p.renderBody(ctx, pg, nil) })
}

// renderBody is RenderBody under ctx, sharing region-independent work
// through w.
func (p *Project) renderBody(ctx context.Context, pg *Page, w *pageWork) error {
	r := pg.Region
	cp := pg.Src
	var table []string
	var blocks []Block
	var outLinks, outImages []Ref // found in {{< >}} output, which Markdown never sees
	var ids []string
	var idPos []int
	ref := p.pageRef(r, pg)
	var hooks markdown.Hooks
	ph := newPageHooks(p.Templates.PageHooks(ctx, ref), cp)
	if ph != nil {
		hooks = ph
	}
	ordinal := 0
	env := &shortcode.Env{
		Region: r.Config.Code,
		Vars:   r.Config.Params,
		Exec: func(c *shortcode.Call, inner []byte) (string, error) {
			n := ordinal
			ordinal++
			if c.Kind == shortcode.BlockTemplate {
				blocks = append(blocks, Block{Name: c.Name, Pos: c.Pos, Empty: len(bytes.TrimSpace(inner)) == 0})
			}
			out, err := w.shortcode(p.Templates, c, inner, func() (string, error) {
				return p.Templates.Shortcode(ctx, c.Name, render.NewShortcodeContext(c, inner, r.Site, ref, n))
			})
			if err == nil && !c.Markdown {
				f := w.scan(out)
				for _, l := range f.Links {
					outLinks = append(outLinks, Ref{Dest: l, Pos: refPos(cp.Src, c, l)})
				}
				for _, im := range f.Images {
					outImages = append(outImages, Ref{Dest: im.Src, Alt: im.Alt, Pos: refPos(cp.Src, c, im.Src), Zoom: im.Zoom})
				}
				for _, id := range f.IDs {
					ids, idPos = append(ids, id), append(idPos, c.Pos)
				}
			}
			return out, err
		},
		Protect: func(html string) string {
			table = append(table, html)
			return markdown.Placeholder(len(table) - 1)
		},
		Halted: func() bool { return ctx.Err() != nil },
	}
	eval := func(tokens bool) (*shortcode.Result, error) {
		table, blocks, outLinks, outImages, ids, idPos, ordinal = nil, nil, nil, nil, nil, nil, 0
		env.VarToken = nil
		if tokens {
			env.VarToken = varToken
		}
		res, err := cp.Body.Eval(cp.File, env)
		if ph != nil {
			ph.res = res
		}
		return res, err
	}
	res, doc, err := w.evalConvert(eval, hooks)
	if err != nil {
		if _, ok := err.(markdownError); ok {
			return &diag.Error{File: cp.File, Msg: err.Error()}
		}
		return err
	}
	// With variable tokens the conversion is shared; this region's values
	// go into the HTML and every fact taken from the Markdown.
	vars := map[string]string(nil)
	html := doc.HTML
	if markdown.HasVars(res.Markdown) {
		vars = r.Config.Params
		w.html = markdown.ExpandVars(w.html[:0], doc.HTML, vars)
		html = w.html
	}
	sub := func(s string) string {
		if vars == nil {
			return s
		}
		return markdown.ExpandVarsString(s, vars)
	}
	body := bodyPool.Get().(*bytes.Buffer)
	body.Reset()
	defer bodyPool.Put(body)
	if err := markdown.Expand(body, html, table); err != nil {
		return &diag.Error{File: cp.File, Msg: err.Error()}
	}
	pg.Content = template.HTML(body.String())
	f := &Facts{Headings: doc.Headings, Blocks: blocks, Sections: doc.Sections}
	if vars != nil {
		f.Headings, f.Sections = expandHeadings(doc.Headings, doc.Sections, sub)
	}
	if len(table) > 0 {
		text := func(n int) (string, bool) {
			if n < 0 || n >= len(table) {
				return "", false
			}
			return w.text(table[n]), true
		}
		f.Sections = expandSectionText(f.Sections, text, vars != nil)
	}
	hookedH := hookedHeadings(doc)
	for i, h := range f.Headings {
		if !hookedH[i] {
			f.IDs, f.IDPos = append(f.IDs, h.ID), append(f.IDPos, res.SourceOffset(doc.HeadingOffsets[i]))
		}
	}
	f.IDs, f.IDPos = append(f.IDs, ids...), append(f.IDPos, idPos...)
	for _, l := range doc.Links {
		f.Links = append(f.Links, Ref{Dest: sub(l.Dest), Pos: res.SourceOffset(l.Offset)})
	}
	for _, im := range doc.Images {
		f.Images = append(f.Images, Ref{Dest: sub(im.Src), Alt: sub(im.Alt), Pos: res.SourceOffset(im.Offset)})
	}
	for _, raw := range doc.RawHTML {
		hf := w.scan(sub(raw.HTML))
		pos := res.SourceOffset(raw.Offset)
		// Raw HTML may be the output of a {{% %}} template: the link or
		// image then stands in that call's arguments or inner text.
		first, _, _ := strings.Cut(raw.HTML, "\n")
		own := pos < len(cp.Src) && first != "" && bytes.HasPrefix(cp.Src[pos:], []byte(first))
		at := func(dest string) int {
			if own {
				return pos
			}
			for _, c := range res.Calls {
				if c.Markdown {
					if p := refPos(cp.Src, c, dest); p != c.Pos {
						return p
					}
				}
			}
			return pos
		}
		for _, l := range hf.Links {
			f.Links = append(f.Links, Ref{Dest: l, Pos: at(l)})
		}
		for _, im := range hf.Images {
			f.Images = append(f.Images, Ref{Dest: im.Src, Alt: im.Alt, Pos: at(im.Src), Zoom: im.Zoom})
		}
		for _, id := range hf.IDs {
			f.IDs, f.IDPos = append(f.IDs, id), append(f.IDPos, pos)
		}
	}
	hookFacts(f, doc, res, w)
	f.Links = append(f.Links, outLinks...)
	f.Images = append(f.Images, outImages...)
	f.Lists = sourceLists(doc.Lists, res, cp.Src)
	f.Empty = len(f.Images) == 0 && !hasText(f.Sections)
	pg.Facts = f
	return nil
}

// refPos is where in the source a link or image found in a shortcode's
// output was written: the argument that gave it (screen's src), or the
// Markdown link in the shortcode's inner text, else the shortcode itself.
func refPos(src []byte, c *shortcode.Call, dest string) int {
	for _, a := range c.Args {
		if a.Value == dest {
			return a.Pos
		}
	}
	lo, hi := c.Inner[0], c.Inner[1]
	if dest == "" || lo < 0 || hi > len(src) || lo >= hi {
		return c.Pos
	}
	inner := src[lo:hi]
	i := bytes.Index(inner, []byte("]("+dest))
	if i < 0 {
		return c.Pos
	}
	// The link's text starts after the "[" that opens it on the same line.
	line := inner[:i]
	if nl := bytes.LastIndexByte(line, '\n'); nl >= 0 {
		line = line[nl+1:]
	}
	open := bytes.LastIndexByte(line, '[')
	if open < 0 {
		return c.Pos
	}
	return lo + i - len(line) + open + 1
}

// expandSectionText puts the text of {{< >}} output into the sections whose
// Markdown holds its placeholder; owned says secs is this page's own copy.
func expandSectionText(secs []markdown.Section, text func(int) (string, bool), owned bool) []markdown.Section {
	for i := range secs {
		t := markdown.ExpandText(secs[i].Text, text)
		if t == secs[i].Text {
			continue
		}
		if !owned {
			secs, owned = slices.Clone(secs), true
		}
		secs[i].Text = t
	}
	return secs
}

func hasText(secs []markdown.Section) bool {
	for _, s := range secs {
		if strings.TrimSpace(s.Text) != "" || s.Heading != nil {
			return true
		}
	}
	return false
}

// sourceLists maps list problems found in a region's Markdown back to the
// page's source. A line start maps only when the source has the same line,
// with the same indentation, there.
func sourceLists(ps []markdown.ListProblem, res *shortcode.Result, src []byte) []markdown.ListProblem {
	if len(ps) == 0 {
		return nil
	}
	out := make([]markdown.ListProblem, len(ps))
	for i, p := range ps {
		p.Offset, p.Item = res.SourceOffset(p.Offset), res.SourceOffset(p.Item)
		lines := make([]int, len(p.Lines))
		for j, l := range p.Lines {
			lines[j] = sourceLine(res, src, l)
		}
		p.Lines = lines
		out[i] = p
	}
	return out
}

// sourceLine is the source offset of the line starting at out in the
// evaluated Markdown, or -1 when the source's line there differs in its
// indentation or does not start there.
func sourceLine(res *shortcode.Result, src []byte, out int) int {
	s := res.SourceOffset(out)
	if s < 0 || s > len(src) || (s > 0 && src[s-1] != '\n') {
		return -1
	}
	md := res.Markdown
	for i := 0; ; i++ {
		var a, b byte = '\n', '\n'
		if out+i < len(md) {
			a = md[out+i]
		}
		if s+i < len(src) {
			b = src[s+i]
		}
		if a != b {
			return -1
		}
		if a != ' ' && a != '\t' {
			return s
		}
	}
}
