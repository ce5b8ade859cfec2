// Package theme is what a page's layout is given and what the theme writes
// in Go: PageData, the dot of a page layout, with the page's navigation and
// furniture; a region's navigation (NewNav); the theme's style sheets and
// scripts minified (ReadTheme); and the other regions' URL lists a 404 page reads. It reads
// the site model (internal/model, internal/nav, internal/render); the
// pipeline, internal/build, calls it.
package theme

import (
	"html/template"
	"strings"
	"time"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/render"
)

// PageData is the dot of a page layout. Its furniture (navigation, dates,
// links to the other regions) is computed once by NewPageData and given as
// fields, not methods: html/template looks a method up by name and builds
// its function type on every call, which costs more than the rest of the
// action on every page of every region. Tree, which only a site's own
// tree.html reads, and Elsewhere, a 404 page's, stay methods.
type PageData struct {
	Title        string
	Description  string
	Content      template.HTML
	Params       map[string]any
	Region       string
	Lang         string
	Kind         string // "page", "section", "home" or "404"
	Site         *render.Site
	RelPermalink string
	Permalink    string
	Page         *model.Page

	// Breadcrumbs are the sections above this page, from the home page down.
	Breadcrumbs []nav.Link
	// ParentURL is the URL of the section above this page (the last of its
	// Breadcrumbs), or "": what breadcrumbs.html keys the part of the
	// breadcrumbs every page of a section shares by.
	ParentURL string
	// Prev and Next are the pages before and after this one in its
	// section, or nil.
	Prev, Next *nav.Link
	// Children are a section's pages and subsections with their
	// descriptions; TopSections the topics the home page shows as cards.
	Children, TopSections []nav.Link
	// TOC is "In this article": the page's h2 and h3 headings with ids.
	TOC []*TOCEntry
	// Canonical is the page's absolute URL in its own region; a 404 page
	// has none.
	Canonical string
	// RegionLinks are every configured region with this page's URL there
	// (RegionLink); Alternates the regions where the page exists, itself
	// included, for <link rel="alternate" hreflang>.
	RegionLinks, Alternates []RegionLink
	// LastMod is when the page last changed, or nil (lastMod).
	LastMod *LastMod
	// EditURL is where the page's source can be edited, or "" (editURL).
	EditURL string
	// TreeURL is where the sections' tree files start: the section /a/b/
	// has TreeURL + "/a/b.html", the home page TreeURL + ".html".
	TreeURL string
}

// NewPageData is the dot of the layout of page pg of kind "page",
// "section", "home" or "404", with its furniture.
func NewPageData(pg *model.Page, kind string) *PageData {
	d := &PageData{
		Title: pg.Title, Description: pg.Description, Content: pg.Content, Params: pg.Src.Params,
		Region: pg.Region.Config.Code, Lang: pg.Src.Lang, Kind: kind, Site: pg.Region.Site,
		RelPermalink: pg.Src.URL, Permalink: Permalink(pg.Region.Config, pg.Src.URL), Page: pg,
		TreeURL: "/" + TreeDir,
	}
	n := d.node()
	d.Breadcrumbs, d.ParentURL = n.Breadcrumbs(), d.parentURL()
	d.Prev, d.Next = n.Prev(), n.Next()
	d.Children, d.TopSections = d.children(), d.topSections()
	d.TOC, d.Canonical = d.toc(), d.canonical()
	d.RegionLinks = d.regionLinks()
	d.Alternates = d.alternates()
	d.LastMod, d.EditURL = d.lastMod(), d.editURL()
	return d
}

// Permalink is the absolute URL of a root-relative path in a region.
func Permalink(rc *config.Region, rel string) string {
	return strings.TrimSuffix(rc.BaseURL, "/") + rel
}

// LastMod is when a page last changed, as its layout shows it.
type LastMod struct {
	ISO  string // 2024-05-31, for <time datetime>
	Text string // in the page's language (i18n key dateFormat, a Go time layout)
}

// lastMod is the date of the last commit that changed the page's file when
// the site is in a git work tree, else its front matter lastmod; nil when it
// has neither.
func (d *PageData) lastMod() *LastMod {
	p := d.project()
	if p == nil || d.Page.Src == nil {
		return nil
	}
	t := p.LastMod(d.Page.Src)
	if t.IsZero() {
		return nil
	}
	layout := p.Templates.T("dateFormat", d.Lang)
	if layout == "" || layout == "dateFormat" {
		layout = time.DateOnly
	}
	return &LastMod{ISO: t.Format(time.DateOnly), Text: t.Format(layout)}
}

// editURL is where the page's source can be edited: helpgen.toml's editURL
// followed by the page's file path from the site root; empty when the site
// sets none.
func (d *PageData) editURL() string {
	p := d.project()
	if p == nil || p.Config.EditURL == "" || d.Page.Src == nil || d.Kind == "404" {
		return ""
	}
	base := p.Config.EditURL
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base + d.Page.Src.File
}

// topSections are the topics the home page shows as cards (nav.TopSections).
func (d *PageData) topSections() []nav.Link {
	if d.Kind != "home" {
		return nil
	}
	return d.node().TopSections()
}

func (d *PageData) project() *model.Project {
	if d.Page == nil || d.Page.Region == nil {
		return nil
	}
	return d.Page.Region.Project
}
