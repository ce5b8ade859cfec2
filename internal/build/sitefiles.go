package build

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io/fs"
	"path"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/render"
)

// Layouts of the files every region gets besides its pages.
const (
	AliasLayout    = "_default/alias.html"
	NotFoundLayout = "_default/404.html"
	TreeLayout     = "partials/tree-items.html"
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

// writeSiteFiles writes a region's site-wide files: a home page when the
// content has none, 404.html, a redirect page per alias, each section's
// level of the tree, the list of other regions' pages for 404.html,
// sitemap.xml and robots.txt. A file the site provides itself in static/ or
// content/ is left alone.
func (p *Project) writeSiteFiles(out Output, r *Region) error {
	dir := r.Config.Dir()
	var buf bytes.Buffer
	lang := p.Config.DefaultLanguage
	if r.ByURL["/"] == nil && !p.inStatic("index.html") {
		home := p.generatedPage(r, "/", "index.html", r.Site.Title, true)
		if err := p.renderGenerated(&buf, home, "home", "_default/list.html"); err != nil {
			return err
		}
		if err := out.WriteFile(dir, home.Src.Out, buf.Bytes()); err != nil {
			return err
		}
	}
	if r.ByURL["/404.html"] == nil && !p.inStatic("404.html") {
		nf := p.generatedPage(r, "/404.html", "404.html", p.Templates.T("notFound", lang), false)
		if err := p.renderGenerated(&buf, nf, "404", NotFoundLayout); err != nil {
			return err
		}
		if err := out.WriteFile(dir, nf.Src.Out, buf.Bytes()); err != nil {
			return err
		}
	}
	for _, pg := range r.Pages {
		for _, a := range pg.Src.Aliases {
			buf.Reset()
			data := &AliasData{Title: pg.Title, Lang: pg.Src.Lang, Region: r.Config.Code, Site: r.Site, Alias: a,
				RelPermalink: pg.Src.URL, Permalink: Permalink(r.Config, pg.Src.URL)}
			if err := p.Templates.Layout(&buf, AliasLayout, data); err != nil {
				return err
			}
			if err := out.WriteFile(dir, content.AliasOut(a), buf.Bytes()); err != nil {
				return err
			}
		}
	}
	if err := p.writeTreeLevels(out, r, &buf); err != nil {
		return err
	}
	if err := p.writeWhere(out, r); err != nil {
		return err
	}
	if !p.inStatic("sitemap.xml") {
		data, err := sitemap(r)
		if err != nil {
			return err
		}
		if err := out.WriteFile(dir, "sitemap.xml", data); err != nil {
			return err
		}
	}
	if !p.inStatic("robots.txt") {
		robots := "User-agent: *\nAllow: /\n\nSitemap: " + Permalink(r.Config, "/sitemap.xml") + "\n"
		if err := out.WriteFile(dir, "robots.txt", []byte(robots)); err != nil {
			return err
		}
	}
	return nil
}

// writeTreeLevels writes every section's level of the tree, for pages to
// fetch when the reader opens a section they do not carry.
func (p *Project) writeTreeLevels(out Output, r *Region, buf *bytes.Buffer) error {
	var err error
	r.Nav.Tree.Sections(func(n *nav.Node) {
		if err != nil {
			return
		}
		lang := p.Config.DefaultLanguage
		if pg := r.ByURL[n.URL]; pg != nil {
			lang = pg.Src.Lang
		}
		buf.Reset()
		if err = p.Templates.Layout(buf, TreeLayout, map[string]any{"Item": r.Nav.Tree.Level(n), "Lang": lang, "Root": n.Parent == nil}); err == nil {
			err = out.WriteFile(r.Config.Dir(), SectionTreeFile(n.URL), buf.Bytes())
		}
	})
	return err
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
	data := &PageData{
		Title: pg.Title, Params: pg.Src.Params, Region: pg.Region.Config.Code, Lang: pg.Src.Lang, Kind: kind,
		Site: pg.Region.Site, RelPermalink: pg.Src.URL, Permalink: Permalink(pg.Region.Config, pg.Src.URL), Page: pg,
	}
	return p.Templates.Layout(buf, layout, data)
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
		set.URLs = append(set.URLs, sitemapURL{Loc: Permalink(r.Config, "/")})
	}
	for _, pg := range r.Pages {
		set.URLs = append(set.URLs, sitemapURL{Loc: Permalink(r.Config, pg.Src.URL)})
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
