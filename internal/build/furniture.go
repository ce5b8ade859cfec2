package build

import (
	"strings"
	"time"

	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/render"
)

// LastMod is when a page last changed, as its layout shows it.
type LastMod struct {
	ISO  string // 2024-05-31, for <time datetime>
	Text string // in the page's language (i18n key dateFormat, a Go time layout)
}

// LastMod is the date of the last commit that changed the page's file when
// the site is in a git work tree, else its front matter lastmod; nil when it
// has neither.
func (d *PageData) LastMod() *LastMod {
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

// EditURL is where the page's source can be edited: helpgen.toml's editURL
// followed by the page's file path from the site root; empty when the site
// sets none.
func (d *PageData) EditURL() string {
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

// TopSections are the topics the home page shows as cards (nav.TopSections).
func (d *PageData) TopSections() []nav.Link {
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

// pageRef is pg as shortcode templates and render hooks see it (.Page).
func (p *Project) pageRef(r *Region, pg *Page) *render.PageRef {
	cp := pg.Src
	return &render.PageRef{Title: pg.Title, Params: cp.Params, RelPermalink: cp.URL, Lang: cp.Lang, Site: r.Site,
		Path: cp.Rel, Lastmod: p.LastMod(cp), Weight: cp.Weight, Section: cp.Section || cp.URL == "/"}
}

// indexPages gives the region's site its pages, for .Site.Home,
// .Site.RegularPages and a page's .Parent, .Pages and .Sections.
func (p *Project) indexPages(r *Region) {
	pages := r.Pages
	r.Site.SetPages(func() []*render.PageRef {
		refs := make([]*render.PageRef, len(pages))
		for i, pg := range pages {
			refs[i] = p.pageRef(r, pg)
		}
		return refs
	})
}
