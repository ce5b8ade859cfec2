package build

import (
	"strings"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/render"
	"github.com/helpgen/helpgen/internal/shortcode"
	"github.com/helpgen/helpgen/internal/theme"
)

// The site model's types (see internal/model).
type (
	Region = model.Region
	Page   = model.Page
	Nav    = model.Nav
	Facts  = model.Facts
	Ref    = model.Ref
	Block  = model.Block
)

// Prepare evaluates every page's title and description for region code.
func (p *Project) Prepare(rc *config.Region) (*Region, diag.List) {
	r := &Region{Config: rc, ByURL: map[string]*Page{}, Project: p.Project}
	var errs diag.List
	env := &shortcode.Env{Region: rc.Code, Vars: rc.Params}
	title := p.Config.Title
	if p.title != nil {
		res, err := p.title.Eval(config.File, env)
		if err != nil {
			errs = append(errs, diag.Flatten(err)...)
		} else {
			title = strings.TrimSpace(string(res.Markdown))
		}
	}
	r.Site = &render.Site{Title: title, Params: rc.Values, BaseURL: rc.BaseURL, Region: rc.Code, Regions: p.Config.Codes(), Language: p.Config.DefaultLanguage, Data: p.Data}
	for _, cp := range p.Pages {
		if !cp.InRegion(rc.Code) {
			continue
		}
		pg, err := newPage(r, cp)
		if err != nil {
			errs = append(errs, diag.Flatten(err)...)
			continue
		}
		r.Pages = append(r.Pages, pg)
		r.ByURL[cp.URL] = pg
	}
	r.Nav = theme.NewNav(p.Project, r)
	p.indexPages(r)
	return r, errs
}

// newPage is cp as published in r, with title and description evaluated for
// the region; it is not added to r.Pages.
func newPage(r *Region, cp *content.Page) (*Page, error) {
	env := &shortcode.Env{Region: r.Config.Code, Vars: r.Config.Params}
	pg := &Page{Src: cp, Region: r}
	t, err := cp.TitleIn(r.Config.Code).Eval(cp.File, env)
	if err != nil {
		return nil, err
	}
	pg.Title = strings.TrimSpace(string(t.Markdown))
	if cp.Desc != nil {
		d, err := cp.Desc.Eval(cp.File, env)
		if err != nil {
			return nil, err
		}
		pg.Description = strings.TrimSpace(string(d.Markdown))
	}
	return pg, nil
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
