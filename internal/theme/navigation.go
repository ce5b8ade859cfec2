package theme

import (
	"strings"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/nav"
)

// NewNav arranges a region's prepared pages into its tree, once.
func NewNav(p *model.Project, r *model.Region) *model.Nav {
	entries := make([]nav.Entry, len(r.Pages))
	for i, pg := range r.Pages {
		entries[i] = nav.Entry{URL: pg.Src.URL, Dir: pg.Src.Dir, Section: pg.Src.Section, Weight: pg.Src.Weight,
			Title: pg.Title, Description: pg.Description}
	}
	regions := p.AllRegions
	if len(regions) == 0 {
		regions = p.Config.Regions
	}
	n := &model.Nav{Tree: nav.Build(entries, r.Site.Title), Regions: regions, Sections: map[string]*content.Page{}}
	for _, cp := range p.Pages {
		if cp.Section {
			n.Sections[cp.Dir] = cp
		}
	}
	n.Where = whereMissing(p, r, n)
	return n
}

// NavDir holds each region's navigation files: the sections' tree levels
// (TreeDir) and the other regions' pages (WhereDir).
const NavDir = model.NavDir

// TreeDir and TreeFile: each section's level of the tree is a file of its
// own, which a page's script fetches when the reader opens that section.
// The section /a/b/ has _nav/t/a/b.html, the home page _nav/t.html (TreeFile).
const (
	TreeDir  = NavDir + "/t"
	TreeFile = TreeDir + ".html"
)

// TreeLayout writes the entries of one level of the tree (a tree file).
const TreeLayout = "partials/tree-items.html"

// SectionTreeFile is the file holding the level of the section at url.
// Like a page's, its name is the decoded path: the script fetches it by
// the section's URL as linked (/_nav/t/sp%20ace.html), which a server
// reads as the file _nav/t/sp ace.html.
func SectionTreeFile(url string) string {
	return TreeDir + strings.TrimSuffix(content.PathOf(url), "/") + ".html"
}

func (d *PageData) nav() *model.Nav {
	if d.Page == nil || d.Page.Region == nil {
		return nil
	}
	return d.Page.Region.Nav
}

func (d *PageData) node() *nav.Node {
	if n := d.nav(); n != nil && d.Kind != "404" {
		return n.Tree.Node(d.RelPermalink)
	}
	return nil
}

// Tree is the section tree as this page shows it: top-level sections and the
// open branch down to this page, a bounded window of entries per level.
func (d *PageData) Tree() *nav.Item {
	n := d.nav()
	if n == nil {
		return nil
	}
	return n.Tree.Branch(d.node(), nav.Window)
}

// parentURL is the URL of the section above this page, or "".
func (d *PageData) parentURL() string {
	if n := d.node(); n != nil && n.Parent != nil {
		return n.Parent.URL
	}
	return ""
}

// children are a section's pages and subsections with their descriptions.
func (d *PageData) children() []nav.Link {
	if d.Kind != "section" && d.Kind != "home" {
		return nil
	}
	return d.node().Listing()
}

// TOCEntry is one h2 (with its h3s) or orphan h3 of the page.
type TOCEntry struct {
	ID       string
	Text     string
	Level    int
	Children []*TOCEntry
}

// tOC is "In this article": the page's h2 and h3 headings that have ids.
func (d *PageData) toc() []*TOCEntry {
	if d.Page == nil || d.Page.Facts == nil {
		return nil
	}
	var out []*TOCEntry
	var last *TOCEntry
	for _, h := range d.Page.Facts.Headings {
		if h.ID == "" || (h.Level != 2 && h.Level != 3) {
			continue
		}
		e := &TOCEntry{ID: h.ID, Text: h.Text, Level: h.Level}
		if h.Level == 3 && last != nil {
			last.Children = append(last.Children, e)
			continue
		}
		out = append(out, e)
		if h.Level == 2 {
			last = e
		}
	}
	return out
}

// canonical is the page's absolute URL in its own region; a 404 page has none.
func (d *PageData) canonical() string {
	if d.Kind == "404" {
		return ""
	}
	return d.Permalink
}

// RegionLink is one region of the region switcher.
type RegionLink struct {
	Code     string
	URL      string // absolute
	HrefLang string
	Current  bool
	// Up: the page does not exist in this region, and URL is the nearest
	// section above it that does, titled UpTitle (in the page's region,
	// empty when that region does not have the section).
	Up      bool
	UpTitle string
}

// regionLinks are every configured region with this page's URL there; where
// the page is not published, the nearest section above it that is (Up). A
// 404 page links each region's home.
func (d *PageData) regionLinks() []RegionLink {
	n := d.nav()
	if n == nil {
		return nil
	}
	out := make([]RegionLink, 0, len(n.Regions))
	for _, rc := range n.Regions {
		l := RegionLink{Code: rc.Code, HrefLang: HrefLang(d.Lang, rc.Code), Current: rc.Code == d.Region}
		switch {
		case d.Kind == "404":
			l.URL = Permalink(rc, "/")
		case d.Kind == "home" || d.Page.Src.InRegion(rc.Code):
			l.URL = Permalink(rc, d.RelPermalink)
		default:
			l.Up, l.URL = true, Permalink(rc, "/")
			if s := n.UpSection(d.Page.Src, rc.Code); s != nil {
				l.URL = Permalink(rc, s.URL)
				// Its title as this region has it: another region's text
				// never shows here.
				if sn := n.Tree.Node(s.URL); sn != nil {
					l.UpTitle = sn.Title
				}
			}
		}
		out = append(out, l)
	}
	return out
}

// alternates are this page in every region where it exists, itself included,
// for <link rel="alternate" hreflang>.
func (d *PageData) alternates() []RegionLink {
	if d.Kind == "404" {
		return nil
	}
	var out []RegionLink
	for _, l := range d.RegionLinks {
		if l.URL != "" && !l.Up {
			out = append(out, l)
		}
	}
	return out
}

// HrefLang names a page's language as read in a region: ja-JP, ja-US. A
// region code that is not a two-letter country becomes a private-use subtag.
func HrefLang(lang, code string) string {
	if len(code) == 2 && 'A' <= code[0] && code[0] <= 'Z' && 'A' <= code[1] && code[1] <= 'Z' {
		return lang + "-" + code
	}
	sub := strings.ToLower(strings.ReplaceAll(code, "_", ""))
	return lang + "-x-" + sub[:min(len(sub), 8)]
}

// TemplateLang and TemplateBaseURL tell templates the page's language and
// its region's baseURL (see render.PageInfo).
func (d *PageData) TemplateLang() string { return d.Lang }

// TemplateBaseURL is the region's baseURL.
func (d *PageData) TemplateBaseURL() string {
	if d.Site == nil {
		return ""
	}
	return d.Site.BaseURL
}

// TemplateRegion is the page's region, which partialCached keeps its results by.
func (d *PageData) TemplateRegion() string { return d.Region }
