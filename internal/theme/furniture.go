// Package theme is what a page's layout is given and what the theme writes
// in Go: PageData, the dot of a page layout, with the page's navigation and
// furniture; a region's navigation (NewNav); the Go versions of the built-in
// layouts (SetNative); the theme's style sheets and scripts minified
// (ReadTheme); and the other regions' URL lists a 404 page reads. It reads
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

// PageData is the dot of a page layout.
type PageData struct {
	Title        string
	Description  string
	Content      template.HTML
	Params       map[string]any
	Region       string
	Lang         string
	Kind         string // "page", "section" or "home"
	Site         *render.Site
	RelPermalink string
	Permalink    string
	Page         *model.Page
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
