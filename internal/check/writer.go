package check

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/shortcode"
)

// writer runs the checks of one page that find what a reader sees as a
// mistake though nothing breaks: images without alt text, skipped heading
// levels, absolute links to the site itself, empty variables, a missing
// description, and URLs that run code.
func (c *checker) writer(r *model.Region, pg *model.Page, src *pageSource) {
	code := r.Config.Code
	f := pg.Facts
	for _, im := range f.Images {
		if strings.TrimSpace(im.Alt) == "" {
			c.report(Alt, code, src.Errorf(im.Pos, `say what the image shows: ![text](src), or alt="…" in screen`,
				"image %s has no alt text: screen readers and searches get nothing", im.Dest))
		}
		c.unsafe(src, code, im.Dest, im.Pos, true)
	}
	for _, l := range f.Links {
		c.unsafe(src, code, l.Dest, l.Pos, false)
		c.absolute(src, code, l)
	}
	c.headings(pg, src, code)
	c.emptyVariables(r, pg, src)
	c.description(r, pg, src)
}

// unsafe reports a URL that runs code when followed: javascript: and
// vbscript: anywhere, data: outside images. Browsers ignore case and the
// tabs and line breaks inside a scheme, so the check does too.
func (c *checker) unsafe(src *pageSource, code, dest string, pos int, image bool) {
	scheme := unsafeScheme(dest)
	if scheme == "" || (scheme == "data" && image) {
		return
	}
	what := "link"
	if image {
		what = "image"
	}
	c.report(UnsafeLinks, code, src.Errorf(pos, "link to a page instead; a help page never needs a "+scheme+": URL",
		"%s to a %s: URL runs code in the site's origin when followed", what, scheme))
}

// unsafeScheme is "javascript", "vbscript" or "data" when dest uses one.
func unsafeScheme(dest string) string {
	colon := strings.IndexByte(dest, ':')
	if colon < 0 || colon > 40 {
		return "" // no scheme, or too far in to be one of these
	}
	d := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, strings.TrimLeft(dest, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
	for _, s := range []string{"javascript", "vbscript", "data"} {
		if len(d) > len(s) && strings.EqualFold(d[:len(s)+1], s+":") {
			return s
		}
	}
	return ""
}

// absolute reports a link written with the address of one of the site's
// own regions: it leaves the reader's region and the preview.
func (c *checker) absolute(src *pageSource, code string, l model.Ref) {
	if len(l.Dest) < 7 || !strings.EqualFold(l.Dest[:4], "http") {
		return
	}
	u, err := url.Parse(l.Dest)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return
	}
	for _, rc := range c.p.Config.Regions {
		b, err := url.Parse(rc.BaseURL)
		if err != nil || b.Host == "" || !strings.EqualFold(b.Host, u.Host) || !strings.HasPrefix(u.Path+"/", strings.TrimSuffix(b.Path, "/")+"/") {
			continue
		}
		rel := "/" + strings.TrimPrefix(strings.TrimPrefix(u.Path, strings.TrimSuffix(b.Path, "/")), "/")
		if u.RawQuery != "" {
			rel += "?" + u.RawQuery
		}
		if u.Fragment != "" {
			rel += "#" + u.Fragment
		}
		c.report(AbsoluteLinks, code, src.Errorf(l.Pos, fmt.Sprintf("write it root-relative, as (%s), so that it stays in the reader's region and is checked", rel),
			"absolute link to the site's own address %s (region %s)", rc.BaseURL, rc.Code))
		return
	}
}

// headings reports a heading more than one level below the one before it;
// the page title is the h1.
func (c *checker) headings(pg *model.Page, src *pageSource, code string) {
	prev := 1
	for i, h := range pg.Facts.Headings {
		if h.Level > prev+1 && i < len(pg.Facts.IDPos) {
			line, _ := src.LineCol(pg.Facts.IDPos[i])
			col := 1 + len(src.Line(line)) - len(strings.TrimLeft(src.Line(line), " \t"))
			c.report(Headings, code, src.At(line, col, fmt.Sprintf("make it h%d (%s), or add the h%d it belongs under", prev+1, strings.Repeat("#", prev+1), prev+1),
				"heading level skips from h%d to h%d", prev, h.Level))
		}
		prev = h.Level
	}
}

// emptyVariables reports a region variable used in the page's title,
// description or text for a region where its value is empty: the sentence
// reads with a hole.
func (c *checker) emptyVariables(r *model.Region, pg *model.Page, src *pageSource) {
	code := r.Config.Code
	if !c.hasEmptyParam(r) {
		return
	}
	cp := pg.Src
	front := cp.FrontMatter()
	var walk func(d *shortcode.Doc, key string, nodes []shortcode.Node)
	walk = func(d *shortcode.Doc, key string, nodes []shortcode.Node) {
		for _, n := range nodes {
			call, ok := n.(*shortcode.Call)
			if !ok {
				continue
			}
			switch call.Kind {
			case shortcode.Conditional:
				if call.Keeps(code) {
					walk(d, key, call.Children)
				}
			case shortcode.Variable:
				if v, ok := r.Config.Params[call.Name]; ok && strings.TrimSpace(v) == "" {
					hint := fmt.Sprintf("give %s a value under [regions.%s.params] in helpgen.toml, or wrap the text in {{%% disabled %s %%}}", call.Name, code, code)
					var e *diag.Error
					if key == "" || bytes.HasPrefix(front, d.Src) { // the document indexes the file itself
						e = src.Errorf(call.Pos, hint, "variable %s is empty in this region", call.Name)
					} else {
						e = src.At(frontMatterLine(front, key), 1, hint, "variable %s is empty in this region", call.Name)
					}
					c.report(EmptyVariables, code, e)
				}
			default:
				walk(d, key, call.Children)
			}
		}
	}
	for _, f := range []struct {
		d   *shortcode.Doc
		key string
	}{{cp.TitleIn(code), titleKey(cp, code)}, {cp.Desc, "description"}} {
		if f.d != nil {
			walk(f.d, f.key, f.d.Nodes)
		}
	}
	if !usesEmpty(r, cp) {
		return // most pages: the body's tree is not needed
	}
	body, err := cp.Tree()
	if err != nil {
		if sev, on := c.severity(EmptyVariables); on {
			c.unchecked(EmptyVariables, code, cp.File, sev)
		}
		return
	}
	walk(body, "", body.Nodes)
}

// usesEmpty reports whether the body of cp uses a variable that is empty in
// region r, in any region's text.
func usesEmpty(r *model.Region, cp *content.Page) bool {
	return slices.ContainsFunc(cp.BodyVars, func(name string) bool {
		v, ok := r.Config.Params[name]
		return ok && strings.TrimSpace(v) == ""
	})
}

// hasEmptyParam reports whether any variable of region r is empty, once
// per region: most sites have none, and then no page needs walking.
func (c *checker) hasEmptyParam(r *model.Region) bool {
	if v, ok := c.emptyParams[r.Config.Code]; ok {
		return v
	}
	empty := false
	for _, v := range r.Config.Params {
		if strings.TrimSpace(v) == "" {
			empty = true
		}
	}
	c.emptyParams[r.Config.Code] = empty
	return empty
}

// titleKey is the front matter key of the page's title in region code.
func titleKey(cp *content.Page, code string) string {
	if cp.RegionTitles[code] != nil {
		return "title_" + strings.ToLower(code)
	}
	return "title"
}

// description reports a page without description that its section lists
// (every section page lists its pages and subsections with descriptions).
func (c *checker) description(r *model.Region, pg *model.Page, src *pageSource) {
	cp := pg.Src
	if cp.URL == "/" || strings.TrimSpace(pg.Description) != "" {
		return
	}
	parent := cp.Dir
	if cp.Section {
		parent = path.Dir(cp.Dir)
	}
	up := "/"
	if parent != "" && parent != "." {
		up = "/" + parent + "/"
	}
	sec := r.ByURL[up]
	if sec == nil {
		return
	}
	line := frontMatterLine(cp.FrontMatter(), "title")
	c.report(Descriptions, r.Config.Code, src.At(line, 1, "add description: with one sentence to the front matter",
		"page has no description, but its section %s lists it", sec.Src.File))
}

// frontMatterLine is the line of key in the front matter src, or 1.
func frontMatterLine(src []byte, key string) int {
	for n, rest := 1, src; len(rest) > 0; n++ {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if n > 1 && (bytes.Equal(l, []byte("---")) || bytes.Equal(l, []byte("+++"))) {
			break
		}
		t := bytes.TrimLeft(l, " \t\"")
		if bytes.HasPrefix(t, []byte(key)) {
			after := bytes.TrimLeft(t[len(key):], " \t\"")
			if len(after) > 0 && (after[0] == ':' || after[0] == '=') {
				return n
			}
		}
	}
	return 1
}

// duplicateTitles reports pages of one region that one section lists with
// the same title: the reader cannot tell them apart.
func (c *checker) duplicateTitles(r *model.Region) {
	bySection := map[string][]*model.Page{}
	var keys []string
	for _, pg := range r.Pages {
		cp := pg.Src
		if cp.URL == "/" {
			continue
		}
		parent := cp.Dir
		if cp.Section {
			parent = path.Dir(cp.Dir)
		}
		k := parent + "\x00" + pg.Title
		if _, ok := bySection[k]; !ok {
			keys = append(keys, k)
		}
		bySection[k] = append(bySection[k], pg)
	}
	for _, k := range keys {
		pages := bySection[k]
		if len(pages) < 2 {
			continue
		}
		for _, pg := range pages {
			var others []string
			for _, o := range pages {
				if o != pg {
					others = append(others, o.Src.File)
				}
			}
			src := c.source(pg.Src)
			c.report(DuplicateTitles, r.Config.Code, src.At(frontMatterLine(pg.Src.FrontMatter(), "title"), 1,
				"give each page of a section its own title",
				"title %q is also the title of %s in the same section", pg.Title, strings.Join(others, ", ")))
		}
	}
}
