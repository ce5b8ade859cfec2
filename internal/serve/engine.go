package serve

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/check"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/search"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// engine is serve's side of the site engine (build.Engine): it applies each
// rebuild to the store, keeps the errors shown, refreshes the search index
// off the serve loop and runs the checks of `helpgen build` on what changed.
// Only the serve loop calls it, one batch at a time; readers see its work
// only through the store.
type engine struct {
	root     string // the site folder
	fsys     fs.FS
	defaults fs.FS
	load     build.LoadOptions
	store    *store
	search   search.Options
	site     *build.Engine

	// indexFiles are what the search index wrote per region folder last
	// time, so that what it no longer writes is removed.
	indexFiles map[string]map[string]bool
	// pendingIndex are the regions whose search index is behind their pages.
	pendingIndex map[string]bool
	indexErr     diag.List // the last index refresh failed

	fullErr diag.List // the last full build failed: every change rebuilds all
	// fullWait is set while fullErr comes only from pages caught in the
	// middle of a save (see midSave): it is not shown until they are quiet.
	fullWait bool
	// findings are what internal/check reports about the served pages, by
	// file, as `helpgen build` would report them.
	findings map[string]diag.List
	// siteFindings are those of the checks of the whole site (duplicate
	// titles, unused static files), by file: every check recomputes them
	// from every page, as a change anywhere may make or clear one.
	siteFindings map[string]diag.List
	// checkMemo keeps what the pages not checked again link to, which
	// the check of unused static files reads from every page.
	checkMemo check.Memo
	// linkers are the files whose pages link to a name (see linkName) or
	// show an image of that name, in any region: a change to a page or a
	// static file is checked on the pages linking to it. Names are only
	// added between full builds, which is safe: a page checked for nothing
	// costs little.
	linkers map[string]map[string]bool
	// checkAll, checkFiles and checkNames are the checks a rebuild left for
	// check to run once its pages are served: the whole site, the changed
	// files, and the names whose linkers must be checked again.
	checkAll   bool
	checkFiles map[string]bool
	checkNames map[string]bool

	// baseURLs replace the regions' configured baseURLs, by code, so that
	// the region switcher and alternates lead to the local servers.
	baseURLs map[string]string
	// waiting are the content files a rebuild could not read whole, to be
	// read again once quiet.
	waiting []string
}

func newEngine(root string, defaults fs.FS, load build.LoadOptions, st *store) *engine {
	e := &engine{root: root, fsys: sitefs.New(root), defaults: defaults, load: load, store: st,
		search: search.DefaultOptions, pendingIndex: map[string]bool{},
		findings: map[string]diag.List{}, checkFiles: map[string]bool{}, checkNames: map[string]bool{}}
	e.site = build.NewEngine(liveFS{e}, defaults, load)
	return e
}

// liveFS is the engine's site file system as it is at each call, so that a
// test can stand between the engine and the site.
type liveFS struct{ e *engine }

func (l liveFS) Open(name string) (fs.File, error)          { return l.e.fsys.Open(name) }
func (l liveFS) ReadFile(name string) ([]byte, error)       { return fs.ReadFile(l.e.fsys, name) }
func (l liveFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(l.e.fsys, name) }
func (l liveFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(l.e.fsys, name) }
func (l liveFS) Lstat(name string) (fs.FileInfo, error)     { return fs.Lstat(l.e.fsys, name) }
func (l liveFS) ReadLink(name string) (string, error)       { return fs.ReadLink(l.e.fsys, name) }

// report says what one rebuild did, for the log line.
type report struct {
	what    string    // what was rebuilt
	pages   int       // pages rendered
	changed []key     // files whose bytes changed
	ready   time.Time // when the changes were served, before the checks ran
}

// errs returns every current error, sorted, the same error of a page in
// several regions (or a template's met by several pages) said once.
func (e *engine) errs() diag.List {
	var all diag.List
	if !e.fullWait {
		all = append(all, e.fullErr...)
	}
	byFile := e.site.FileErrors()
	if e.indexErr != nil {
		byFile[search.Dir] = e.indexErr
	}
	for _, f := range slices.Sorted(maps.Keys(byFile)) {
		all = append(all, byFile[f]...)
	}
	return all.Merge()
}

// recorder passes writes on and remembers their keys.
type recorder struct {
	out  output.Output
	mu   sync.Mutex
	seen map[string]map[string]bool
}

func newRecorder(out output.Output) *recorder {
	return &recorder{out: out, seen: map[string]map[string]bool{}}
}

func (r *recorder) WriteFile(dir, rel string, data []byte) error {
	r.mu.Lock()
	if r.seen[dir] == nil {
		r.seen[dir] = map[string]bool{}
	}
	r.seen[dir][strings.TrimPrefix(rel, "/")] = true
	r.mu.Unlock()
	return r.out.WriteFile(dir, rel, data)
}

// full loads and builds the whole site. On failure the served site stays
// as it was.
func (e *engine) full(why string) (*report, error) {
	c := newChanges()
	c.replace = true
	index := newRecorder(c)
	w := search.Writer(e.search)
	e.site.SetBaseURLs(e.baseURLs)
	d, err := e.site.Full(c, build.FullOptions{Options: build.Options{Writers: []model.RegionWriter{model.RegionWriterFunc(func(r *model.Region, _ model.FileWriter) error {
		return w.WriteRegion(r, index)
	})}}})
	if err != nil {
		e.fullErr = diag.Flatten(err)
		return nil, err
	}
	e.indexFiles, e.fullErr, e.indexErr = index.seen, nil, nil
	clear(e.pendingIndex)
	out := &report{what: why, pages: d.Pages, changed: e.store.apply(c), ready: time.Now()}
	e.linkers = map[string]map[string]bool{}
	for _, pg := range d.Rendered {
		e.addLinks(pg)
	}
	// The whole site is checked by check, after the reload is published.
	e.checkAll = true
	clear(e.checkFiles)
	clear(e.checkNames)
	return out, nil
}

// rebuild brings the served site up to date with the changed paths, whose
// files are as the writer left them: a page that fails to load shows its
// error at once.
func (e *engine) rebuild(paths []string) (*report, error) {
	return e.rebuildBatch(batch{paths: paths}, func(string) bool { return true })
}

// rebuildEvents is rebuild for a batch of the watcher. A content file it
// names may be in the middle of a save: when it fails to load or is gone,
// its page stays as it was until the file is read again after a quiet
// period (see waiting), unless the batch says it was quiet already.
func (e *engine) rebuildEvents(b batch) (*report, error) {
	return e.rebuildBatch(b, func(f string) bool { return b.quiet[f] })
}

// midSave reports whether every error of a failed full build is in a
// content file of the batch that may be in the middle of a save (not sure);
// those files are then read again once quiet, and the whole site with them.
func (e *engine) midSave(paths []string, sure func(string) bool) bool {
	var files []string
	for _, d := range e.fullErr {
		f := d.File
		changed := slices.ContainsFunc(paths, func(p string) bool { return f == p || strings.HasPrefix(f, p+"/") })
		if sitefs.Classify(f) != sitefs.KindContent || !changed || sure(f) {
			return false
		}
		if !slices.Contains(files, f) {
			files = append(files, f)
		}
	}
	e.waiting = append(e.waiting, files...)
	return len(files) > 0
}

// takeWaiting returns the content files to read again once quiet.
func (e *engine) takeWaiting() []string {
	w := e.waiting
	e.waiting = nil
	return w
}

func (e *engine) rebuildBatch(b batch, sure func(string) bool) (*report, error) {
	paths := b.paths
	if all := e.site.FullNeeded(paths); len(all) > 0 || e.site.Project() == nil || e.fullErr != nil {
		why := "everything (" + e.names(paths, all) + " changed)"
		if e.site.Project() == nil || e.fullErr != nil {
			why = "everything (" + e.names(paths, nil) + " changed; the last full build had failed)"
		}
		// An error already shown stays shown; a site that was fine waits
		// for the pages being saved.
		hidden := e.site.Project() != nil && (e.fullErr == nil || e.fullWait)
		rep, err := e.full(why)
		e.fullWait = err != nil && hidden && e.midSave(paths, sure)
		if e.fullWait {
			return &report{what: why + "; read again when quiet: " + short(e.waiting)}, nil
		}
		return rep, err
	}
	c := newChanges()
	d, _ := e.site.Update(c, paths, sure, build.FullOptions{})
	for dir, rels := range d.Removed {
		for _, rel := range rels {
			c.drop(key{dir, rel})
		}
	}
	rep := &report{what: d.What, pages: d.Pages, changed: e.store.apply(c), ready: time.Now()}
	e.waiting = append(e.waiting, d.Waiting...)
	for _, pg := range d.Rendered {
		e.addLinks(pg)
	}
	// The checks look at what is already served: check runs them after the
	// browser is told to reload, so that they do not delay it. The search
	// index is refreshed off the serve loop too (see startIndex).
	e.queueContent(d.Changes)
	e.queueStatic(d.Statics)
	for _, code := range d.Reindex {
		e.pendingIndex[code] = true
	}
	if errs := e.errs(); len(errs) > 0 {
		return rep, errs
	}
	return rep, nil
}

// names says which changed files a log line names: the files of prefer (or
// else of all) that exist now and are no editor's temporary file, rather
// than the temporary name an editor wrote first and renamed; at most three.
func (e *engine) names(all, prefer []string) string {
	if len(prefer) == 0 {
		prefer = all
	}
	var real []string
	for _, p := range prefer {
		if _, ok := e.lstat(p); ok && !skipped(p) && !slices.Contains(real, p) {
			real = append(real, p)
		}
	}
	if len(real) == 0 {
		real = slices.Clone(prefer)
	}
	sort.Strings(real)
	return short(real)
}

// short joins names, cutting the list after three.
func short(names []string) string {
	if len(names) > 3 {
		return strings.Join(names[:3], ", ") + fmt.Sprintf(" and %d more", len(names)-3)
	}
	return strings.Join(names, ", ")
}

// exists reports whether site path p is there and what it is.
func (e *engine) lstat(p string) (fs.FileInfo, bool) {
	fi, err := os.Lstat(filepath.Join(e.root, filepath.FromSlash(p)))
	return fi, err == nil
}
