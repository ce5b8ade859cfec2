package build

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io/fs"
	"path"
	"strconv"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/render"
	"github.com/helpgen/helpgen/internal/theme"
)

// Layouts of the files every region gets besides its pages.
const (
	AliasLayout    = "_default/alias.html"
	NotFoundLayout = "_default/404.html"
)

// AliasData is the dot of the alias layout: a redirect page at an old or
// stable URL of a page.
type AliasData struct {
	Title        string
	Lang         string
	Region       string
	Site         *render.Site
	Alias        string // the URL the redirect page answers
	RelPermalink string // where it sends the reader
	Permalink    string
}

// generatedFile is a file helpgen writes for a region without a source of
// the site's own.
type generatedFile struct {
	out  string // output path in the region
	name string // what it is, for messages
	kind genKind
	node *nav.Node // genTreeLevel: its section
	n    int       // genWhere: the bucket
}

type genKind int

// The files helpgen writes in every region besides pages, aliases and
// static files.
const (
	genHome      genKind = iota // index.html, when the site has no content/_index.md
	genNotFound                 // 404.html
	genTreeLevel                // a section's level of the tree
	genWhere                    // a bucket of the other regions' pages, for 404.html
	genSitemap                  // sitemap.xml
	genRobots                   // robots.txt
)

// generatedFiles are the files writeSiteFiles writes for r: a home page and
// a 404 page unless the site has its own (a page or a static file), each
// section's level of the tree, the buckets of the list of other regions'
// pages for 404.html, and sitemap.xml and robots.txt unless static/ has
// them.
func (p *Project) generatedFiles(r *Region) []generatedFile {
	var gen []generatedFile
	if r.ByURL["/"] == nil && !p.inStatic("index.html") {
		gen = append(gen, generatedFile{out: "index.html", name: "home page (written when the site has no content/_index.md)", kind: genHome})
	}
	if r.ByURL["/404.html"] == nil && !p.inStatic("404.html") {
		gen = append(gen, generatedFile{out: "404.html", name: "404 page", kind: genNotFound})
	}
	r.Nav.Tree.Sections(func(n *nav.Node) {
		gen = append(gen, generatedFile{out: theme.SectionTreeFile(n.URL), name: "navigation tree of " + n.URL, kind: genTreeLevel, node: n})
	})
	for i := range theme.WhereBuckets(len(r.Nav.Where)) {
		gen = append(gen, generatedFile{out: theme.WhereDir + "/" + strconv.Itoa(i) + ".json", name: "list of other regions' pages", kind: genWhere, n: i})
	}
	if !p.inStatic("sitemap.xml") {
		gen = append(gen, generatedFile{out: "sitemap.xml", name: "sitemap.xml", kind: genSitemap})
	}
	if !p.inStatic("robots.txt") {
		gen = append(gen, generatedFile{out: "robots.txt", name: "robots.txt", kind: genRobots})
	}
	return gen
}

// writeSiteFiles writes a region's site-wide files (see generatedFiles) and
// a redirect page per alias.
func (p *Project) writeSiteFiles(out output.Output, r *Region) error {
	dir := r.Config.Dir()
	var buf bytes.Buffer
	var where [][]byte
	for _, g := range p.generatedFiles(r) {
		if err := p.writeGenerated(out, r, g, &buf, &where); err != nil {
			return err
		}
	}
	for _, pg := range r.Pages {
		for _, a := range pg.Src.Aliases {
			buf.Reset()
			data := &AliasData{Title: pg.Title, Lang: pg.Src.Lang, Region: r.Config.Code, Site: r.Site, Alias: a,
				RelPermalink: pg.Src.URL, Permalink: theme.Permalink(r.Config, pg.Src.URL)}
			if err := p.layout(&buf, AliasLayout, data); err != nil {
				return err
			}
			if err := out.WriteFile(dir, content.AliasOut(a), buf.Bytes()); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeGenerated renders and writes one of the files of generatedFiles;
// where holds the buckets of the other regions' pages, made on first use.
func (p *Project) writeGenerated(out output.Output, r *Region, g generatedFile, buf *bytes.Buffer, where *[][]byte) error {
	lang := p.Config.DefaultLanguage
	buf.Reset()
	var err error
	switch g.kind {
	case genHome:
		home := p.generatedPage(r, "/", g.out, r.Site.Title, true)
		err = p.renderGenerated(buf, home, "home", "_default/list.html")
	case genNotFound:
		nf := p.generatedPage(r, "/404.html", g.out, p.Templates.T("notFound", lang), false)
		err = p.renderGenerated(buf, nf, "404", NotFoundLayout)
	case genTreeLevel:
		if pg := r.ByURL[g.node.URL]; pg != nil {
			lang = pg.Src.Lang
		}
		err = p.layout(buf, theme.TreeLayout, map[string]any{"Item": r.Nav.Tree.Level(g.node), "Lang": lang, "Root": g.node.Parent == nil})
	case genWhere:
		if *where == nil {
			if *where, err = theme.BucketFiles(r); err != nil {
				return err
			}
		}
		buf.Write((*where)[g.n])
	case genSitemap:
		var data []byte
		data, err = sitemap(r)
		buf.Write(data)
	case genRobots:
		buf.WriteString("User-agent: *\nAllow: /\n\nSitemap: " + theme.Permalink(r.Config, "/sitemap.xml") + "\n")
	}
	if err != nil {
		return err
	}
	return out.WriteFile(r.Config.Dir(), g.out, buf.Bytes())
}

// inStatic reports whether the site's static/ folder has rel.
func (p *Project) inStatic(rel string) bool {
	if p.FS == nil {
		return false
	}
	_, err := fs.Stat(p.FS, path.Join(StaticDir, rel))
	return !errors.Is(err, fs.ErrNotExist)
}

// generatedPage is a page helpgen writes without a content file.
func (p *Project) generatedPage(r *Region, url, out, title string, section bool) *Page {
	src := &content.Page{File: "(generated) " + out, Rel: out, URL: url, Out: out, Section: section,
		Lang: p.Config.DefaultLanguage, Params: map[string]any{}}
	return &Page{Src: src, Region: r, Title: title, Facts: &Facts{}}
}

func (p *Project) renderGenerated(buf *bytes.Buffer, pg *Page, kind, layout string) error {
	buf.Reset()
	return p.layout(buf, layout, theme.NewPageData(pg, kind))
}

// layout runs a layout for a file that is not a page, under the limits of
// one.
func (p *Project) layout(buf *bytes.Buffer, name string, data any) error {
	return p.underLimits(p.ctx, func(ctx context.Context) error { return p.Templates.Layout(ctx, buf, name, data) })
}

type sitemapURLSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc string `xml:"loc"`
}

// sitemap lists every page of the region, home first, with absolute URLs.
func sitemap(r *Region) ([]byte, error) {
	set := sitemapURLSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	if r.ByURL["/"] == nil {
		set.URLs = append(set.URLs, sitemapURL{Loc: theme.Permalink(r.Config, "/")})
	}
	for _, pg := range r.Pages {
		set.URLs = append(set.URLs, sitemapURL{Loc: theme.Permalink(r.Config, pg.Src.URL)})
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(set); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// TemplateRegion is the redirect page's region.
func (d *AliasData) TemplateRegion() string { return d.Region }

// TemplateLang is the redirect page's language.
func (d *AliasData) TemplateLang() string { return d.Lang }

// TemplateBaseURL is the region's baseURL.
func (d *AliasData) TemplateBaseURL() string {
	if d.Site == nil {
		return ""
	}
	return d.Site.BaseURL
}
