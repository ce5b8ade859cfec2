// Package check proves that every region's site is whole: links reach pages
// published in that region, anchors exist in the target as rendered for it,
// images exist under static/, ids are unique, no block or page renders empty,
// and front matter names only known regions. It works on the facts each
// region's rendering collected from the goldmark AST (model.Facts), never on
// the HTML text.
package check

import (
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/render"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// Check names, as keys of helpgen.toml [check] (config.CheckNames).
const (
	Links        = "links"
	Anchors      = "anchors"
	Images       = "images"
	DuplicateIDs = "duplicateIDs"
	BaseURL      = "baseURL"
	EmptyBlocks  = "emptyBlocks"
	EmptyPages   = "emptyPages"
	Regions      = "regions"
	Lists        = "lists"
	// Writer checks: what a reader sees as a mistake, though nothing breaks.
	Alt             = "alt"
	Headings        = "headings"
	DuplicateTitles = "duplicateTitles"
	AbsoluteLinks   = "absoluteLinks"
	EmptyVariables  = "emptyVariables"
	UnusedStatic    = "unusedStatic"
	Descriptions    = "descriptions"
	UnsafeLinks     = "unsafeLinks"
	External        = "external"
)

// defaults are the severities when helpgen.toml sets none: what breaks a
// reader's page is an error, what merely looks odd is a warning.
var defaults = map[string]string{
	Links: "error", Anchors: "error", Images: "error", DuplicateIDs: "error",
	EmptyBlocks: "warning", EmptyPages: "warning", Regions: "error", BaseURL: "warning",
	Lists: "warning", Alt: "warning", Headings: "warning", DuplicateTitles: "warning", AbsoluteLinks: "warning",
	EmptyVariables: "warning", UnusedStatic: "warning", Descriptions: "warning", UnsafeLinks: "error", External: "warning",
}

// Finding is one problem with the check that found it.
type Finding struct {
	*diag.Error
	Check string
}

// Render prepares every selected region of p and renders each page's body
// (nothing is written), so that Sites can check them. Errors are those a
// build would fail with: shortcode evaluation and template errors.
func Render(p Renderer, workers int) ([]*model.Region, error) {
	return p.RenderBodies(workers)
}

// Sites checks regions whose pages have their Facts (after Render or a
// build) and returns every finding once, with the regions it affects,
// sorted by position. Checks set to "off" are skipped.
func Sites(p model.Site, regions []*model.Region) []Finding {
	return Pages(p, regions, nil, nil)
}

// Pages is Sites with the checks of one page run only on the pages whose
// file only accepts (all of them when only is nil); the checks of the whole
// site (SiteWide) still see every page, so that a preview checking the
// pages a change touched finds what a full check would. memo, if not nil,
// keeps what the other pages link to from one call to the next.
func Pages(s model.Site, regions []*model.Region, only func(file string) bool, memo *Memo) []Finding {
	p := s.Model()
	c := newChecker(p, regions)
	if memo != nil {
		c.memo, c.nextUses = memo, map[*model.Facts]pageUses{}
		defer func() { memo.uses = c.nextUses }()
	}
	for _, e := range p.Config.Notes {
		c.report(BaseURL, "", copyErr(e))
	}
	for _, cp := range p.Pages {
		for _, e := range cp.UnknownRegions {
			c.report(Regions, "", copyErr(e))
		}
	}
	for _, r := range regions {
		for _, pg := range r.Pages {
			if only == nil || only(pg.Src.File) {
				c.page(r, pg)
			} else {
				c.uses(pg)
			}
		}
	}
	c.site()
	c.regionalLists()
	return c.findings()
}

func newChecker(p *model.Project, regions []*model.Region) *checker {
	c := &checker{p: p, regions: regions, sev: map[string]string{}, sources: map[string]*diag.Source{}, seen: map[key]*Finding{},
		emptyParams: map[string]bool{}, used: map[string]bool{}}
	for k, v := range defaults {
		c.sev[k] = v
	}
	for k, v := range p.Config.Check.Severity {
		c.sev[k] = v
	}
	return c
}

// findings are the reported findings, sorted.
func (c *checker) findings() []Finding {
	c.changedFindings()
	out := make([]Finding, 0, len(c.order))
	for _, k := range c.order {
		out = append(out, *c.seen[k])
	}
	sortFindings(out)
	return out
}

// Merge joins the findings of two runs (the site's and --external's), sorted.
func Merge(a, b []Finding) []Finding {
	out := append(slices.Clip(a), b...)
	sortFindings(out)
	return out
}

func sortFindings(out []Finding) {
	slices.SortStableFunc(out, func(a, b Finding) int {
		l := diag.List{a.Error, b.Error}
		switch {
		case a.Error == b.Error:
			return 0
		case less(l, 0, 1):
			return -1
		case less(l, 1, 0):
			return 1
		}
		return strings.Compare(strings.Join(a.Regions, ","), strings.Join(b.Regions, ","))
	})
}

func less(l diag.List, i, j int) bool {
	a, b := l[i], l[j]
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Col != b.Col {
		return a.Col < b.Col
	}
	return a.Msg < b.Msg
}

// List returns the findings as diagnostics, for build and printing.
func List(fs []Finding) diag.List {
	out := make(diag.List, len(fs))
	for i, f := range fs {
		out[i] = f.Error
	}
	return out
}

func copyErr(e *diag.Error) *diag.Error { c := *e; return &c }

type key struct {
	file      string
	line, col int
	msg       string
}

type checker struct {
	p       *model.Project
	regions []*model.Region
	sev     map[string]string
	sources map[string]*diag.Source // each page's text, indexed when a finding needs it
	seen    map[key]*Finding
	order   []key
	// emptyParams says, per region, whether any of its variables is empty.
	emptyParams map[string]bool
	// used are the root-relative paths pages link to or show, for unusedStatic.
	used map[string]bool
	// static says whether each path looked up is a static file (inStatic).
	static map[string]bool
	// listLines are the lines each lists finding would move, for its hint.
	listLines map[key]listLines
	// unplaced are findings in files that changed after they were
	// rendered, and changed what the checks could not say about those
	// files (see pageSource).
	unplaced map[*diag.Error]bool
	changed  map[string]*changedFile
	// memo and nextUses are what pages not checked link to, from the
	// previous call and for the next (see Memo).
	memo     *Memo
	nextUses map[*model.Facts]pageUses
}

// report records e for region code ("" for a finding about no one region);
// the same finding from several regions is kept once with all of them.
func (c *checker) report(check, code string, e *diag.Error) {
	sev, on := c.severity(check)
	if !on {
		return
	}
	e.Severity = sev
	if c.unplaced[e] {
		c.unchecked(check, code, e.File, sev)
		return
	}
	k := key{e.File, e.Line, e.Col, e.Msg}
	if f, ok := c.seen[k]; ok {
		if code != "" && !slices.Contains(f.Regions, code) {
			f.Regions = append(f.Regions, code)
		}
		return
	}
	if code != "" {
		e.Regions = []string{code}
	}
	c.seen[k] = &Finding{Error: e, Check: check}
	c.order = append(c.order, k)
}

// severity is how check's findings are reported; on is false when the
// site turned it off.
func (c *checker) severity(check string) (sev diag.Severity, on bool) {
	switch c.sev[check] {
	case "off":
		return 0, false
	case "warning":
		return diag.SevWarning, true
	}
	return diag.SevError, true
}

// page runs every per-region check on one rendered page.
func (c *checker) page(r *model.Region, pg *model.Page) {
	f := pg.Facts
	if f == nil {
		return
	}
	code := r.Config.Code
	src := c.source(pg.Src)
	for _, l := range f.Links {
		c.link(r, pg, src, l)
	}
	for _, im := range f.Images {
		c.image(pg, src, im, code)
	}
	c.duplicateIDs(pg, src, code)
	c.lists(pg, src, code)
	c.writer(r, pg, src)
	for _, b := range f.Blocks {
		if b.Empty {
			c.report(EmptyBlocks, code, src.Errorf(b.Pos, "put text outside the conditional, or the whole block inside one",
				"%s block is empty in this region", b.Name))
		}
	}
	// A page whose body is blank by design (a section list) is not flagged.
	if f.Empty && !pg.Src.BodyBlank {
		c.report(EmptyPages, code, src.At(1, 1, "add the region to the page's disabled: front matter, or give it text for this region",
			"page is empty in this region: all of its body is conditional"))
	}
}

// target is what a root-relative URL path names in a region.
type target struct {
	page   *model.Page // a content page, possibly through an alias
	static bool        // a file copied from static/ or written by helpgen
}

// resolve finds what p names in region r; ok is false when nothing does.
func (c *checker) resolve(r *model.Region, p string) (target, bool) {
	raw, p := p, content.URLPath(p)
	cands := []string{p}
	switch {
	case strings.HasSuffix(p, "/index.html"):
		cands = append(cands, strings.TrimSuffix(p, "index.html"))
	case !strings.HasSuffix(p, "/") && path.Ext(p) == "":
		cands = append(cands, p+"/")
	}
	for _, u := range cands {
		if pg := r.ByURL[u]; pg != nil {
			return target{page: pg}, true
		}
	}
	for _, pg := range r.Pages {
		for _, a := range pg.Src.Aliases {
			if content.AliasOut(a) == content.AliasOut(p) {
				return target{page: pg}, true
			}
		}
	}
	switch p {
	case "/", "/index.html", "/404.html", "/sitemap.xml", "/robots.txt":
		return target{static: true}, true
	}
	if strings.HasPrefix(p, "/"+model.NavDir+"/") {
		return target{static: true}, true
	}
	if c.inStatic(raw) {
		return target{static: true}, true
	}
	return target{}, false
}

// inStatic reports whether root-relative path p is a file under static/ of
// the site or of the built-in theme, or a file of assets/ a template
// published. Each path is looked up once: most images and files are shown
// on many pages in every region.
func (c *checker) inStatic(p string) bool {
	if in, ok := c.static[p]; ok {
		return in
	}
	in := c.lookStatic(p)
	if c.static == nil {
		c.static = map[string]bool{}
	}
	c.static[p] = in
	return in
}

func (c *checker) lookStatic(p string) bool {
	if c.p.Templates != nil && c.p.Templates.IsPublished(p) {
		return true
	}
	rel := path.Join(sitefs.StaticDir, strings.TrimPrefix(path.Clean(p), "/"))
	for _, fsys := range []fs.FS{c.p.FS, c.p.Defaults} {
		if fsys == nil {
			continue
		}
		if fi, err := fs.Stat(fsys, rel); err == nil && !fi.IsDir() {
			return true
		}
	}
	return false
}

// parse splits a link target into a root-relative path and fragment;
// skip is set for external links and those under a skip prefix.
func (c *checker) parse(pg *model.Page, dest string) (p, frag string, skip bool, err error) {
	u, err := url.Parse(dest)
	if err != nil {
		return "", "", false, err
	}
	if u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return "", "", true, nil
	}
	frag = u.Fragment
	// p is the path as file names spell it; pages are found by
	// content.URLPath(p), the one encoding of their URLs.
	if u.Path == "" {
		return content.PathOf(pg.Src.URL), frag, false, nil
	}
	base := &url.URL{Path: content.PathOf(pg.Src.URL)}
	p = base.ResolveReference(&url.URL{Path: u.Path}).Path
	for _, pre := range c.p.Config.Check.SkipPrefixes {
		if strings.HasPrefix(p, pre) {
			return p, frag, true, nil
		}
	}
	return p, frag, false, nil
}

func (c *checker) link(r *model.Region, pg *model.Page, src *pageSource, l model.Ref) {
	code := r.Config.Code
	if unsafeScheme(l.Dest) != "" {
		return // the unsafeLinks check says what is wrong
	}
	p, frag, skip, err := c.parse(pg, l.Dest)
	if err != nil {
		c.report(Links, code, src.Errorf(l.Pos, "fix the URL", "malformed link %q: %v", l.Dest, err))
		return
	}
	if skip {
		return
	}
	c.used[path.Clean(p)] = true
	t, ok := c.resolve(r, p)
	if !ok {
		hint := "fix the path, or add the page"
		msg := fmt.Sprintf("link to %s: no such page", l.Dest)
		if cp := c.contentPage(p); cp != nil {
			msg = fmt.Sprintf("link to %s: the page is not published in this region", l.Dest)
			hint = fmt.Sprintf("wrap the link in {{%% disabled %s %%}}…{{%% /disabled %%}}, or publish %s in this region", code, cp.File)
		} else if file := c.draftFile(p); file != "" {
			msg = fmt.Sprintf("link to %s: the page is a draft", l.Dest)
			hint = fmt.Sprintf("remove draft: true from %s, or build with --drafts to preview it", file)
		}
		c.report(Links, code, src.Errorf(l.Pos, hint, "%s", msg))
		return
	}
	if frag == "" || t.page == nil {
		return
	}
	if t.page.Facts != nil && slices.Contains(t.page.Facts.IDs, frag) {
		return
	}
	where := "in " + t.page.Src.URL
	if t.page == pg {
		where = "on this page"
	}
	hint := "link to an existing heading id, or give the heading {#" + frag + "}"
	if in := c.idElsewhere(t.page.Src, code, frag); len(in) > 0 {
		hint = fmt.Sprintf("the id exists only in %s; make the link conditional too", strings.Join(in, ", "))
	}
	c.report(Anchors, code, src.Errorf(l.Pos, hint, "anchor #%s not found %s as rendered for this region", frag, where))
}

// draftFile is the content file behind root-relative path p when it exists
// but was not loaded (a draft), or "".
func (c *checker) draftFile(p string) string {
	if c.p.FS == nil {
		return ""
	}
	rel := strings.TrimSuffix(strings.TrimPrefix(p, "/"), ".html") + ".md"
	if p == "/" || strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/index.html") {
		rel = path.Join(strings.TrimSuffix(strings.TrimPrefix(p, "/"), "index.html"), "_index.md")
	}
	file := path.Join(content.Dir, rel)
	if _, err := fs.Stat(c.p.FS, file); err != nil {
		return ""
	}
	return file
}

// contentPage is the content page at root-relative path p, or having p as
// an alias, in any region.
func (c *checker) contentPage(p string) *content.Page {
	out := strings.TrimPrefix(p, "/")
	p = content.URLPath(p)
	if !strings.HasSuffix(out, ".html") {
		out = content.AliasOut(p)
	}
	for _, cp := range c.p.Pages {
		if cp.URL == p || cp.URL == p+"/" || cp.URL+"index.html" == p {
			return cp
		}
		for _, a := range cp.Aliases {
			if content.AliasOut(a) == out {
				return cp
			}
		}
	}
	return nil
}

// idElsewhere lists the regions other than code whose rendering of cp has id.
// Only regions checked in this run are known.
func (c *checker) idElsewhere(cp *content.Page, code, id string) []string {
	var out []string
	for _, r := range c.regions {
		if r.Config.Code == code {
			continue
		}
		if pg := r.ByURL[cp.URL]; pg != nil && pg.Facts != nil && slices.Contains(pg.Facts.IDs, id) {
			out = append(out, r.Config.Code)
		}
	}
	return out
}

func (c *checker) image(pg *model.Page, src *pageSource, im model.Ref, code string) {
	if strings.HasPrefix(im.Dest, "data:") {
		return
	}
	p, _, skip, err := c.parse(pg, im.Dest)
	if err != nil {
		c.report(Images, code, src.Errorf(im.Pos, "fix the URL", "malformed image source %q: %v", im.Dest, err))
		return
	}
	if !skip {
		c.used[path.Clean(p)] = true
	}
	if skip || c.inStatic(p) {
		return
	}
	c.report(Images, code, src.Errorf(im.Pos, "add the file under static"+path.Dir(p)+"/ or fix the path",
		"image %s not found: no file static%s", im.Dest, p))
}

// duplicateIDs reports an id given to two elements of one page, or to an
// element of the body and one of the layout around it. Headings' generated
// ids are made unique by the converter, so a duplicate comes from an
// explicit {#id} or an id attribute.
func (c *checker) duplicateIDs(pg *model.Page, src *pageSource, code string) {
	f := pg.Facts
	count := map[string]int{}
	for i, id := range f.IDs {
		pos := -1
		if i < len(f.IDPos) {
			pos = f.IDPos[i]
		}
		var e *diag.Error
		switch count[id]++; {
		case count[id] == 1 && slices.Contains(render.LayoutIDs, id):
			e = c.at(pg, src, pos, "choose another id: the page layout gives it to one of its own elements",
				"id %q is already used by the page layout", id)
		case count[id] == 2:
			e = c.at(pg, src, pos, "give each heading and element its own id", "duplicate id %q on this page", id)
		default:
			continue
		}
		c.report(DuplicateIDs, code, e)
	}
}

// at is a finding at byte offset pos of the page's source, or about the
// whole file when the position is unknown.
func (c *checker) at(pg *model.Page, src *pageSource, pos int, hint, format string, args ...any) *diag.Error {
	if pos < 0 {
		return &diag.Error{File: pg.Src.File, Msg: fmt.Sprintf(format, args...), Hint: hint}
	}
	return src.Errorf(pos, hint, format, args...)
}
