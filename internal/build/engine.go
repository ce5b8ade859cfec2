package build

import (
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// Engine is a site loaded once and kept up to date: Full renders every
// region, Update re-renders what a set of changed files touches (the rules
// are in deps.go) and removes what they no longer make. `helpgen build` is
// one Full into the atomic output; the preview server calls Update for each
// batch of file events. Only one call runs at a time.
type Engine struct {
	fsys     fs.FS
	defaults fs.FS
	load     LoadOptions

	proj    *Project // nil until a Full succeeded
	regions []*Region
	byFile  map[string]*content.Page
	// statics are the site's regular files under static/, from the root.
	statics map[string]bool
	// siteFiles are what writeSiteFiles wrote per region folder last time,
	// so that what it no longer writes is removed.
	siteFiles map[string]map[string]bool
	// stale is set when the last Full failed: every change rebuilds all.
	stale bool
	// fileErrs are the files that failed to load or render, by file.
	fileErrs map[string]diag.List
	// drafts are the content files last read as drafts and left out.
	drafts map[string]bool
	// gen counts the project's versions: it grows with every change of the
	// pages, so that work started on an older one is known to be stale.
	gen uint64
}

// NewEngine is an engine for the site fsys with the theme defaults; nothing
// is read before the first Full.
func NewEngine(fsys, defaults fs.FS, opt LoadOptions) *Engine {
	return &Engine{fsys: fsys, defaults: defaults, load: opt, fileErrs: map[string]diag.List{}, drafts: map[string]bool{}}
}

// Delta is what a Full or an Update did to the output, by region folder.
type Delta struct {
	// Full is set when every region was written whole: a file of the site
	// written before and not now is gone (it is not in Removed).
	Full bool
	// Report is what a Full did, region by region.
	Report *Report
	// Written are the slash paths written, by region folder; nil after a
	// Full, which writes every file of the site.
	Written map[string][]string
	Removed map[string][]string // region folder → slash paths no longer made
	Pages   int                 // pages rendered
	What    string              // what was rebuilt, for a log line
	// Rendered are the pages rendered, with their Facts.
	Rendered []*Page
	// Changes are the content files whose page changed, came or went.
	Changes []PageChange
	// Statics are the static files (from the site root) copied or removed.
	Statics []string
	// Reindex are the codes of the regions whose search index's input
	// (titles, headings, text, the set of pages) changed.
	Reindex []string
	// Waiting are content files that may be in the middle of a save: their
	// pages stay as they were; Update them again once they are quiet.
	Waiting []string
}

// PageChange is one content file's page before and after; either may be nil.
type PageChange struct {
	File     string
	Old, New *content.Page
	// Body is set when only what the page itself shows changed.
	Body bool
}

// FullOptions control a Full.
type FullOptions struct {
	Options
	// Loaded, when set, sees the project once it is read and before it is
	// rendered; an error from it ends the Full.
	Loaded func(p *Project) error
	// AllErrors completes a load that failed on some pages with the errors
	// of rendering the others (see RenderErrors).
	AllErrors bool
}

// Full reads the whole site and writes every region into out. On failure
// the engine keeps the site it had, and the caller discards out.
func (e *Engine) Full(out output.Output, opt FullOptions) (*Delta, error) {
	e.stale = true
	proj, err := Load(e.fsys, e.defaults, e.load)
	if err != nil {
		if proj != nil && opt.AllErrors {
			return nil, RenderErrors(proj, err)
		}
		return nil, err
	}
	if opt.Loaded != nil {
		if err := opt.Loaded(proj); err != nil {
			return nil, err
		}
	}
	// A Full writes every file: only an Update's writes are tracked.
	rep, err := proj.Build(out, opt.Options)
	if err != nil {
		return nil, err
	}
	e.proj, e.regions, e.stale = proj, rep.Sites, false
	e.siteFiles = map[string]map[string]bool{}
	d := &Delta{Full: true, Report: rep}
	for _, r := range rep.Regions {
		e.siteFiles[r.Dir] = setOf(r.SiteFiles)
		d.Pages += r.Pages
	}
	e.byFile = make(map[string]*content.Page, len(proj.Pages))
	for _, cp := range proj.Pages {
		e.byFile[cp.File] = cp
	}
	e.statics = map[string]bool{}
	statics, _ := StaticFiles(e.fsys) // their errors failed the build
	for _, q := range statics {
		if !sitefs.Skipped(q) {
			e.statics[q] = true
		}
	}
	e.fileErrs = map[string]diag.List{}
	e.drafts = nil // read when first needed (see draftSet): a build never needs them
	e.gen++
	for _, r := range rep.Sites {
		d.Rendered = append(d.Rendered, r.Pages...)
		d.Reindex = append(d.Reindex, r.Config.Code)
	}
	return d, nil
}

// Update brings the site up to date with the changed paths (slash paths
// from the site root, files or folders). settled tells whether a content
// file is known to be as its writer left it; one that is not and fails to
// load, or went away, may be in the middle of a save (see Delta.Waiting).
// A change to what every page uses (a template, i18n, data, helpgen.toml),
// or any change after a failed Full, is a Full.
func (e *Engine) Update(out output.Output, paths []string, settled func(string) bool, opt FullOptions) (*Delta, error) {
	if len(e.FullNeeded(paths)) > 0 || e.proj == nil || e.stale {
		return e.Full(out, opt)
	}
	var cont, stat []string
	for _, p := range paths {
		switch sitefs.Classify(p) {
		case sitefs.KindContent:
			cont = append(cont, p)
		case sitefs.KindStatic:
			stat = append(stat, p)
		}
	}
	// What partialCached kept may show what just changed.
	e.proj.Templates.ResetCache()
	t := newTracker(out)
	d := &Delta{}
	var what []string
	if len(cont) > 0 {
		what = append(what, e.content(cont, t, d, settled))
	}
	if len(stat) > 0 {
		what = append(what, e.static(stat, t, d))
	}
	d.What = strings.Join(what, "; ")
	t.into(d)
	if errs := e.Errors(); len(errs) > 0 {
		return d, errs
	}
	return d, nil
}

// replacesGenerated reports whether a static file replaces a file helpgen
// generates (a site's own 404 page, robots.txt…), which a Full sorts out.
func replacesGenerated(p string) bool {
	switch strings.TrimPrefix(p, StaticDir+"/") {
	case "index.html", "404.html", "sitemap.xml", "robots.txt", StaticDir:
		return true
	}
	return p == StaticDir
}

// Project is the site as last read; nil before a Full succeeded. Callers
// read it and do not change it.
func (e *Engine) Project() *Project { return e.proj }

// Regions are the selected regions as last rendered.
func (e *Engine) Regions() []*Region { return e.regions }

// Gen is the version of the pages: it changes whenever an Update or a Full
// changed a page, its title or the set of pages.
func (e *Engine) Gen() uint64 { return e.gen }

// Drafts are the content files last read as drafts and left out.
func (e *Engine) Drafts() map[string]bool { return maps.Clone(e.draftSet()) }

// FileErrors are the current errors of files that failed to load or
// render, by file; the pages of those files stay as they were.
func (e *Engine) FileErrors() map[string]diag.List { return maps.Clone(e.fileErrs) }

// Errors are FileErrors in one list, sorted by file.
func (e *Engine) Errors() diag.List {
	files := slices.Sorted(maps.Keys(e.fileErrs))
	var all diag.List
	for _, f := range files {
		all = append(all, e.fileErrs[f]...)
	}
	return all.Merge()
}

func setOf(l []string) map[string]bool {
	m := make(map[string]bool, len(l))
	for _, s := range l {
		m[s] = true
	}
	return m
}

// tracker passes writes on and remembers what was written and removed.
type tracker struct {
	out     output.Output
	mu      sync.Mutex
	written map[string]map[string]bool
	removed map[string]map[string]bool
}

func newTracker(out output.Output) *tracker {
	return &tracker{out: out, written: map[string]map[string]bool{}, removed: map[string]map[string]bool{}}
}

func (t *tracker) WriteFile(dir, rel string, data []byte) error {
	rel = strings.TrimPrefix(rel, "/")
	t.mu.Lock()
	add(t.written, dir, rel)
	t.mu.Unlock()
	return t.out.WriteFile(dir, rel, data)
}

// remove records that rel of region dir is no longer made.
func (t *tracker) remove(dir, rel string) {
	t.mu.Lock()
	add(t.removed, dir, strings.TrimPrefix(rel, "/"))
	t.mu.Unlock()
}

func add(m map[string]map[string]bool, dir, rel string) {
	if m[dir] == nil {
		m[dir] = map[string]bool{}
	}
	m[dir][rel] = true
}

// into fills d's Written and Removed: a file removed and written again is
// written.
func (t *tracker) into(d *Delta) {
	d.Written, d.Removed = map[string][]string{}, map[string][]string{}
	for dir, set := range t.written {
		d.Written[dir] = slices.Sorted(maps.Keys(set))
	}
	for dir, set := range t.removed {
		var l []string
		for rel := range set {
			if !t.written[dir][rel] {
				l = append(l, rel)
			}
		}
		if len(l) > 0 {
			sort.Strings(l)
			d.Removed[dir] = l
		}
	}
}

// FullNeeded returns the paths among paths that make an Update a Full:
// what every page uses, and static files replacing a file helpgen
// generates. After a failed Full, or before any, every change is a Full.
func (e *Engine) FullNeeded(paths []string) []string {
	var all []string
	for _, p := range paths {
		switch sitefs.Classify(p) {
		case sitefs.KindAll:
			all = append(all, p)
		case sitefs.KindStatic:
			if replacesGenerated(p) {
				all = append(all, p)
			}
		}
	}
	return all
}

// SetBaseURLs replaces the configured baseURLs of regions, by code, from
// the next Full on (see LoadOptions.BaseURLs).
func (e *Engine) SetBaseURLs(urls map[string]string) { e.load.BaseURLs = maps.Clone(urls) }
