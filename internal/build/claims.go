package build

import (
	"fmt"
	"path"
	"sort"
	"sync"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/output"
)

// One output path, one source: every file of a region is written by exactly
// one thing, a page, an alias, a static file, or helpgen itself (home and
// 404 pages, the navigation tree, sitemap.xml, robots.txt, the search index).
// Two sources of one path, or a file where another needs a folder, are an
// error naming both; nothing is written, since the second would silently
// replace the first. helpgen's home and 404 pages, sitemap.xml and
// robots.txt are written only when the site has no file of its own there,
// and the site's static files replace the theme's of the same name: those
// are choices, not collisions.

// sourceKind orders sources from the most specific: an error is reported at
// the source a writer is most likely to change.
type sourceKind int

const (
	fromAlias sourceKind = iota
	fromPage
	fromStatic
	fromTheme
	fromHelpgen
)

// source is what writes one output file of a region.
type source struct {
	kind sourceKind
	name string // the alias, or what helpgen writes ("the 404 page")
	file string // the site file to change; "" for helpgen's own files
	pos  content.Pos
	line string // the source line at pos, for the caret
}

// short names s at its own position.
func (s source) short() string {
	switch s.kind {
	case fromAlias:
		return "alias " + s.name
	case fromPage:
		return "page"
	case fromStatic:
		return "static file"
	case fromTheme:
		return "the theme's file"
	}
	return "helpgen's " + s.name
}

// long names s where another source's error mentions it.
func (s source) long() string {
	switch s.kind {
	case fromAlias:
		return fmt.Sprintf("alias %s at %s:%d:%d", s.name, s.file, s.pos.Line, s.pos.Col)
	case fromPage:
		return "page " + s.file
	case fromStatic:
		return "static file " + s.file
	case fromTheme:
		return "the theme's " + s.file
	}
	return "helpgen's " + s.name
}

func (s source) hint() string {
	switch s.kind {
	case fromAlias:
		return "change or remove the alias: one output path has one source"
	case fromPage:
		return "rename the page or the other file: one output path has one source"
	case fromStatic:
		return "rename or remove the static file: one output path has one source"
	}
	return "one output path has one source"
}

func aliasSource(pg *content.Page, i int) source {
	s := source{kind: fromAlias, name: pg.Aliases[i], file: pg.File}
	if i < len(pg.AliasPos) {
		s.pos = pg.AliasPos[i]
		s.line = diag.NewSource(pg.File, pg.FrontMatter()).Line(s.pos.Line) // aliases are front matter
	}
	return s
}

// outputPlan is the owner of every file one region writes.
type outputPlan struct {
	region string
	mu     sync.Mutex
	owner  map[string]source // output path → its source
	folder map[string]string // a folder some file needs → that file
	errs   diag.List
}

func newOutputPlan(region string, n int) *outputPlan {
	return &outputPlan{region: region, owner: make(map[string]source, n), folder: map[string]string{}}
}

// claim records that s writes out, or an error when another source does.
func (o *outputPlan) claim(out string, s source) {
	if prev, ok := o.owner[out]; ok {
		o.collide(prev, s, out)
		return
	}
	o.owner[out] = s
}

// collide reports sources a and b of one path, at the more specific one.
func (o *outputPlan) collide(a, b source, out string) {
	at, other := order(a, b)
	o.report(at, fmt.Sprintf("%s writes /%s, as does %s", at.short(), out, other.long()))
}

// collideFolder reports file, which writes /dir, and inner, which writes
// /out inside it.
func (o *outputPlan) collideFolder(file, inner source, dir, out string) {
	at, other := order(file, inner)
	if at == file {
		o.report(at, fmt.Sprintf("%s writes /%s as a file, but %s writes /%s inside it", at.short(), dir, other.long(), out))
		return
	}
	o.report(at, fmt.Sprintf("%s writes /%s inside /%s, which %s writes as a file", at.short(), out, dir, other.long()))
}

// order puts first the source an error is reported at: the more specific
// one, or the later of two of a kind.
func order(a, b source) (at, other source) {
	if a.kind < b.kind {
		return a, b
	}
	return b, a
}

func (o *outputPlan) report(at source, msg string) {
	o.errs = append(o.errs, &diag.Error{File: at.file, Line: at.pos.Line, Col: at.pos.Col, Source: at.line,
		Msg: msg, Hint: at.hint(), Regions: []string{o.region}})
}

// checkFolders reports a file at a path another file needs as a folder
// (a static a.html/x.png beside a page a.html).
func (o *outputPlan) checkFolders() {
	outs := make([]string, 0, len(o.owner))
	for out := range o.owner {
		outs = append(outs, out)
	}
	sort.Strings(outs)
	for _, out := range outs {
		o.needFolders(out)
	}
}

// needFolders records the folders out needs; called with every path once.
func (o *outputPlan) needFolders(out string) {
	for d := path.Dir(out); d != "." && d != "/"; d = path.Dir(d) {
		if _, ok := o.folder[d]; ok {
			return
		}
		o.folder[d] = out
		if file, ok := o.owner[d]; ok {
			o.collideFolder(file, o.owner[out], d, out)
		}
	}
}

// claimWriter records a file a site-wide writer (the search index) writes
// once the pages are rendered.
func (o *outputPlan) claimWriter(out string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	mine := source{kind: fromHelpgen, name: "own file /" + out}
	n := len(o.errs)
	if prev, ok := o.owner[out]; ok {
		if prev.kind != fromHelpgen || prev.name != mine.name {
			o.collide(prev, mine, out)
		}
	} else {
		o.owner[out] = mine
		if file, ok := o.folder[out]; ok {
			o.collideFolder(mine, o.owner[file], out, file)
		} else {
			o.needFolders(out)
		}
	}
	if len(o.errs) > n {
		return o.errs[n:]
	}
	return nil
}

// planOutputs claims every file region r gets before anything is rendered.
func (p *Project) planOutputs(r *Region, statics []staticFile) *outputPlan {
	o := newOutputPlan(r.Config.Code, len(r.Pages)+len(statics)+8)
	for _, pg := range r.Pages {
		if prev, ok := o.owner[pg.Src.Out]; ok && prev.kind == fromPage {
			continue // two files of one URL: content.Load reports them
		}
		o.claim(pg.Src.Out, source{kind: fromPage, file: pg.Src.File})
	}
	for _, pg := range r.Pages {
		for i, a := range pg.Src.Aliases {
			o.claim(content.AliasOut(a), aliasSource(pg.Src, i))
		}
	}
	for _, f := range statics {
		kind := fromStatic
		if f.theme {
			kind = fromTheme
		}
		o.claim(f.out, source{kind: kind, file: f.file})
	}
	for _, g := range p.generatedFiles(r) {
		o.claim(g.out, source{kind: fromHelpgen, name: g.name})
	}
	o.checkFolders()
	return o
}

// claimedOutput passes a site-wide writer's files to output.Output, refusing one
// that another source of the region writes.
type claimedOutput struct {
	output.Output
	plan *outputPlan
}

func (c claimedOutput) WriteFile(dir, rel string, data []byte) error {
	if err := c.plan.claimWriter(path.Clean(rel)); err != nil {
		return err
	}
	return c.Output.WriteFile(dir, rel, data)
}
