package build

import (
	"context"
	"html/template"
	"strings"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/markdown"
	"github.com/helpgen/helpgen/internal/render"
	"github.com/helpgen/helpgen/internal/shortcode"
)

// RenderBody evaluates the page's shortcodes for its region, converts the
// Markdown and fills Content and Facts.
func (p *Project) RenderBody(pg *Page) error {
	return p.underLimits(p.ctx, func(ctx context.Context) error { return p.renderBody(ctx, pg, nil) })
}

// renderBody is RenderBody under ctx, sharing region-independent work
// through w: the page is evaluated for the region (shortcode templates run,
// their facts collected) and the Markdown converted with their output
// (shared with another region when both evaluate alike).
func (p *Project) renderBody(ctx context.Context, pg *Page, w *pageWork) error {
	cp := pg.Src
	body, err := cp.Tree() // read again when the page was released
	if err != nil {
		return changedError(err)
	}
	ref := p.pageRef(pg.Region, pg)
	var hooks markdown.Hooks
	ph := newPageHooks(p.Templates.PageHooks(ctx, ref), cp.File, body.Src)
	if ph != nil {
		hooks = ph
	}
	c := newCollector(body.Src, w)
	run := &shortcodeRun{p: p, ctx: ctx, site: pg.Region.Site, page: ref, w: w, c: c}
	env := run.env(pg.Region)
	eval := func(tokens bool) (evaluation, error) {
		run.reset()
		env.VarToken = nil
		if tokens {
			env.VarToken = varToken
		}
		res, err := body.Eval(cp.File, env)
		if ph != nil {
			ph.res = res
		}
		return evaluation{res, run.table}, err
	}
	ev, doc, err := w.evalConvert(eval, hooks)
	if err != nil {
		if _, ok := err.(markdownError); ok {
			return &diag.Error{File: cp.File, Msg: err.Error()}
		}
		return err
	}
	// With variable tokens the conversion is shared; this region's values
	// go into the HTML and every fact taken from the Markdown. They are put
	// in the written HTML rather than by a node renderer so that the regions
	// share the rendering too, not only the parse as for shortcode output:
	// most pages hold a variable, and rendering is about 13% of a
	// conversion's CPU time in profiles of a 3,000-page build (0.33 s of
	// 2.50 s), paid again for every further region; a renderer for values
	// was not built or measured.
	html := doc.HTML
	if markdown.HasVars(ev.res.Markdown) {
		c.vars = pg.Region.Config.Params
		w.html = markdown.ExpandVars(w.html[:0], doc.HTML, c.vars)
		html = w.html
	}
	pg.Content = template.HTML(html)
	pg.Facts = c.facts(doc, ev.res)
	return nil
}

// shortcodeRun runs the template shortcodes of one evaluation of a page.
type shortcodeRun struct {
	p    *Project
	ctx  context.Context
	site *render.Site
	page *render.PageRef
	w    *pageWork
	c    *collector
	// ordinal counts the calls executed, for .Ordinal.
	ordinal int
	// table holds the {{< >}} output kept from Markdown, by placeholder.
	table []string
}

func (s *shortcodeRun) reset() {
	s.ordinal, s.table = 0, nil
	s.c.reset()
}

// env is the evaluation environment of region r running templates through s.
func (s *shortcodeRun) env(r *Region) *shortcode.Env {
	return &shortcode.Env{
		Region:  r.Config.Code,
		Vars:    r.Config.Params,
		Exec:    s.exec,
		Protect: s.protect,
		Halted:  func() bool { return s.ctx.Err() != nil },
	}
}

// exec runs template call c with its region-evaluated inner text.
func (s *shortcodeRun) exec(c *shortcode.Call, inner []byte) (string, error) {
	n := s.ordinal
	s.ordinal++
	t := s.p.Templates
	out, err := s.w.shortcode(t, c, inner, func() (string, error) {
		return t.Shortcode(s.ctx, c.Name, render.NewShortcodeContext(c, inner, s.site, s.page, n))
	})
	if err == nil {
		s.c.ran(c, inner, out)
	}
	return out, err
}

// protect keeps html, the output of a {{< >}} call, from Markdown: the
// Markdown gets a placeholder, which the conversion writes html for (see
// markdown.Shortcodes).
func (s *shortcodeRun) protect(html string) string {
	s.table = append(s.table, html)
	return markdown.Placeholder(len(s.table) - 1)
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
