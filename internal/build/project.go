// Package build turns a site into one complete static site per region:
// every file is read and parsed once, then pages × regions are rendered in
// parallel and written atomically.
package build

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/helpgen/helpgen/internal/cli"
	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/gitinfo"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/render"
	"github.com/helpgen/helpgen/internal/shortcode"
)

// Project is a site read and parsed once; regions are rendered from it.
// Its data is the site model's (model.Project); the pipeline adds what
// rendering needs.
type Project struct {
	*model.Project
	Names *Names
	// title is the site title parsed for shortcodes, nil when it has none.
	title *shortcode.Doc
	// ctx ends every rendering of the project (see LoadOptions.Context).
	ctx context.Context
}

// LoadOptions control how a project is read.
type LoadOptions struct {
	Regions []string // empty: all regions
	Drafts  bool
	// Dir is the site's folder on disk, whose git history gives each page
	// its "last updated" date; empty for a site that is not on disk.
	Dir string
	// Context, when done, stops every rendering of the project where it is
	// (serve shutting down); nil means never. Each page also has its own
	// deadline, timeout in helpgen.toml.
	Context context.Context
	// BaseURLs replace the configured baseURLs of regions, by code, so
	// that the region switcher and alternates lead to a local preview.
	BaseURLs map[string]string
	// Release lets go of each page's text and body tree once parsed, and
	// again once rendered in every region: for a build that renders every
	// page once (see content.Options.Release and Options.Release).
	Release bool
}

// Load reads config, templates and every page. All errors in all files are
// returned together; when only pages failed, the project of the pages that
// loaded comes back beside them (see RenderErrors).
func Load(site, defaults fs.FS, opt LoadOptions) (*Project, error) {
	cfg, err := config.Load(site)
	if err != nil {
		return nil, err
	}
	for _, rc := range cfg.Regions {
		if u, ok := opt.BaseURLs[rc.Code]; ok {
			rc.BaseURL = u
		}
	}
	// A wrong -r is a usage error, reported before any content is read.
	if sel := *cfg; len(opt.Regions) > 0 {
		if err := sel.Select(opt.Regions); err != nil {
			return nil, &cli.UsageError{Err: err}
		}
	}
	tpl, err := render.LoadTheme(site, defaults, cfg.Theme)
	if err != nil {
		return nil, err
	}
	tpl.SetTimeout(cfg.Timeout)
	cfg.UseThemeLanguages(tpl.Languages())
	names, err := NewNames(cfg, tpl)
	if err != nil {
		return nil, err
	}
	dates := make(chan gitinfo.Dates, 1)
	go func() { dates <- gitinfo.Load(context.Background(), opt.Dir) }()
	pages, contentErr := content.Load(site, cfg, content.Options{Drafts: opt.Drafts, Names: names, Release: opt.Release})
	title, titleErr := parseTitle(site, cfg, names)
	data, dataErr := loadData(site)
	if len(dataErr) > 0 {
		titleErr = append(diag.Flatten(titleErr), dataErr...)
	}
	if titleErr != nil {
		l := append(diag.Flatten(contentErr), diag.Flatten(titleErr)...)
		l.Sort()
		contentErr = l
	}
	all := cfg.Regions
	// Regions are narrowed after parsing so content is validated against all
	// region codes even when only some are built.
	if err := cfg.Select(opt.Regions); err != nil {
		return nil, &cli.UsageError{Err: err}
	}
	m := &model.Project{FS: site, Defaults: defaults, Config: cfg, Templates: tpl, Pages: pages, AllRegions: all, Data: data, Dates: <-dates}
	p := &Project{Project: m, Names: names, title: title, ctx: opt.Context}
	if p.ctx == nil {
		p.ctx = context.Background()
	}
	if contentErr != nil {
		// Partial: the pages without errors, for RenderErrors.
		return p, contentErr
	}
	return p, nil
}

// RenderErrors completes the errors of a Load that failed on some pages
// with those of rendering every page that did load (shortcode templates,
// layouts, the title in helpgen.toml), so a writer sees every problem of the
// site in one run. Checks across pages (links, anchors) wait for a site
// that loads whole: they would report links to the broken pages.
func RenderErrors(p *Project, loadErr error) diag.List {
	errs := diag.Flatten(loadErr)
	if p != nil {
		if _, err := p.renderAll(0, true); err != nil {
			errs = append(errs, diag.Flatten(err)...)
		}
	}
	errs = errs.Merge()
	errs.Sort()
	return errs
}

// parseTitle parses the site title of helpgen.toml for region shortcodes,
// with positions in the file; nil when it holds none.
func parseTitle(site fs.FS, cfg *config.Site, names *Names) (*shortcode.Doc, error) {
	if !strings.Contains(cfg.Title, "{{") {
		return nil, nil
	}
	data, _ := fs.ReadFile(site, config.File)
	src := diag.NewSource(config.File, data)
	return content.ParseField(src, data, "title", cfg.Title, shortcode.Options{Names: names, Regions: cfg.Codes()})
}

// Notices say what of the site helpgen uses differently than Hugo would:
// a template of the site named like a region conditional is not run, the
// built-in conditional is.
func (p *Project) Notices() []string {
	var out []string
	for _, name := range Conditionals {
		if _, ok := p.Templates.Kind(name); ok && !p.Templates.IsBuiltInShortcode(name) {
			out = append(out, fmt.Sprintf("%s: not used; {{< %s >}} is helpgen's built-in region conditional, evaluated in the source for each region",
				p.Templates.ShortcodeFile(name), name))
		}
	}
	return out
}

// Names resolves shortcode names: conditionals, region variables, templates.
type Names struct {
	vars map[string]bool
	tpl  *render.Templates
	all  []string
}

// Conditionals are the built-in region shortcodes.
var Conditionals = []string{"enabled", "disabled", "enabled2", "disabled2"}

// NewNames builds the name table and rejects a variable named like a
// region conditional. A template named like a variable is that shortcode,
// as Hugo themes have one per param (service.html prints
// .Site.Params.service); where templates cannot run (titles) the call
// writes the variable's value instead.
func NewNames(cfg *config.Site, tpl *render.Templates) (*Names, error) {
	n := &Names{vars: map[string]bool{}, tpl: tpl}
	var errs diag.List
	for _, v := range cfg.VarNames() {
		n.vars[v] = true
		if contains(Conditionals, v) {
			errs = append(errs, &diag.Error{File: config.File, Msg: "region parameter " + v + " has the name of a region conditional",
				Hint: "rename the parameter in every [regions.CODE.params] table"})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	n.all = append(append(append([]string{}, Conditionals...), cfg.VarNames()...), tpl.ShortcodeNames()...)
	sort.Strings(n.all)
	n.all = slices.Compact(n.all)
	return n, nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// Lookup implements shortcode.Names.
func (n *Names) Lookup(name string) (shortcode.Kind, bool) {
	if contains(Conditionals, name) {
		return shortcode.Conditional, true
	}
	if k, ok := n.tpl.Kind(name); ok {
		return k, true
	}
	if n.vars[name] {
		return shortcode.Variable, true
	}
	return 0, false
}

// Known implements shortcode.Names.
func (n *Names) Known() []string { return n.all }
