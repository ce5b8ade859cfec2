package serve

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/check"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
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
	out  build.Output
	mu   sync.Mutex
	seen map[string]map[string]bool
}

func newRecorder(out build.Output) *recorder {
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

// findingList returns every current check finding, sorted by file.
func (e *engine) findingList() diag.List {
	files := make([]string, 0, len(e.findings)+len(e.siteFindings))
	for f := range e.findings {
		files = append(files, f)
	}
	for f := range e.siteFindings {
		if _, ok := e.findings[f]; !ok {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	var all diag.List
	for _, f := range files {
		l := append(slices.Clip(e.findings[f]), e.siteFindings[f]...)
		slices.SortStableFunc(l, func(a, b *diag.Error) int {
			return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col), strings.Compare(a.Msg, b.Msg))
		})
		all = append(all, l...)
	}
	return all
}

// full loads and builds the whole site. On failure the served site stays
// as it was.
func (e *engine) full(why string) (*report, error) {
	c := newChanges()
	c.replace = true
	index := newRecorder(c)
	w := search.Writer(e.search)
	e.site.SetBaseURLs(e.baseURLs)
	d, err := e.site.Full(c, build.FullOptions{Options: build.Options{Writers: []build.RegionWriter{func(p *build.Project, r *build.Region, out build.Output) error {
		return w(p, r, index)
	}}}})
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

// indexJob is a search index refresh running off the serve loop, on a
// snapshot of the regions' pages taken when it started.
type indexJob struct {
	gen   uint64 // the engine's indexGen when it started
	codes []string
	stop  atomic.Bool
	done  chan *indexResult // receives once
}

// indexResult is a finished (or stopped) index refresh: the files of every
// region it covered, not yet served.
type indexResult struct {
	job     *indexJob
	c       *changes
	seen    map[string]map[string]bool // by region folder: what the index wrote
	err     error
	stopped bool
}

// startIndex starts refreshing the search index of the regions whose pages
// changed what it holds, and returns nil when none is due. Only the serve
// loop calls it, between rebuilds: the snapshot copies what the index reads
// (titles, aliases, facts) so that later rebuilds do not touch what the
// refresh reads.
func (e *engine) startIndex() *indexJob {
	if len(e.pendingIndex) == 0 || e.site.Project() == nil {
		return nil
	}
	job := &indexJob{gen: e.site.Gen(), done: make(chan *indexResult, 1)}
	var snaps []*build.Region
	for _, r := range e.site.Regions() {
		if !e.pendingIndex[r.Config.Code] {
			continue
		}
		job.codes = append(job.codes, r.Config.Code)
		snaps = append(snaps, r.Snapshot())
	}
	opt := e.search
	// One core stays free for the page rebuilds of the next save; the
	// index's bytes do not depend on the number of workers.
	opt.Workers = max(1, runtime.GOMAXPROCS(0)-1)
	hook := indexHook
	go func() {
		end := func() {}
		if hook != nil {
			end = hook()
		}
		res := &indexResult{job: job, c: newChanges()}
		rec := newRecorder(res.c)
		out := stoppable{job, rec}
		w := search.Writer(opt)
		for _, r := range snaps {
			// A newer change makes this refresh useless: stop between
			// regions, or at the region's next file.
			if job.stop.Load() {
				break
			}
			if err := w(nil, r, out); err != nil {
				res.err = err
			}
		}
		res.stopped = job.stop.Load()
		res.seen = rec.seen
		end()
		job.done <- res
	}()
	return job
}

// indexHook, when a test sets it, is called as each index refresh starts,
// and what it returns as the refresh ends, so that tests can count them.
var indexHook func() (end func())

var errStopped = errors.New("index refresh stopped by a newer change")

// stoppable is an index refresh's output, refusing writes once the refresh
// is stopped so that the writer gives up early.
type stoppable struct {
	job *indexJob
	out build.Output
}

func (s stoppable) WriteFile(dir, rel string, data []byte) error {
	if s.job.stop.Load() {
		return errStopped
	}
	return s.out.WriteFile(dir, rel, data)
}

// stale reports whether job started before the latest change to what the
// index holds.
func (e *engine) stale(job *indexJob) bool { return job.gen != e.site.Gen() }

// finishIndex serves a finished index refresh if it is still current, all
// regions at once, and returns what it did (nil when it was stale).
func (e *engine) finishIndex(res *indexResult) (*report, error) {
	if res.stopped || e.stale(res.job) || e.site.Project() == nil {
		return nil, nil
	}
	e.indexErr = nil
	if res.err != nil {
		e.indexErr = diag.Flatten(res.err)
	} else {
		if e.indexFiles == nil {
			e.indexFiles = map[string]map[string]bool{}
		}
		for _, r := range e.site.Regions() {
			if !slices.Contains(res.job.codes, r.Config.Code) {
				continue
			}
			dir := r.Config.Dir()
			for rel := range e.indexFiles[dir] {
				if !res.seen[dir][rel] {
					res.c.drop(key{dir, rel})
				}
			}
			e.indexFiles[dir] = res.seen[dir]
		}
	}
	clear(e.pendingIndex)
	rep := &report{what: "search index " + strings.Join(res.job.codes, " "), changed: e.store.apply(res.c), ready: time.Now()}
	if errs := e.errs(); len(errs) > 0 {
		return rep, errs
	}
	return rep, nil
}

// reindex refreshes the search index and waits for it, for tests and
// benchmarks that drive the engine without the serve loop.
func (e *engine) reindex() (*report, error) {
	job := e.startIndex()
	if job == nil {
		return nil, nil
	}
	return e.finishIndex(<-job.done)
}

// queueContent asks check to run the checks of `helpgen build`
// (internal/check) on the pages a content change rendered or removed, and
// on the pages whose links may reach them.
func (e *engine) queueContent(list []build.PageChange) {
	sections := false
	for _, ch := range list {
		e.checkFiles[ch.File] = true
		for _, cp := range []*content.Page{ch.Old, ch.New} {
			if cp == nil {
				continue
			}
			e.checkNames[linkName(cp.URL)] = true
			sections = sections || cp.Section
			for _, a := range cp.Aliases {
				e.checkNames[linkName(a)] = true
			}
		}
	}
	// A page linking to a changed one may have lost its target or anchor:
	// links are matched by their last path element, then checked exactly.
	// A section is also reached as ".", ".." or "index.html" from within.
	if sections {
		e.checkNames["."], e.checkNames[".."], e.checkNames["index"] = true, true, true
	}
}

// queueStatic asks check to check again the pages linking to or showing
// changed static files (paths from the site root), which may have found or
// lost their target.
func (e *engine) queueStatic(files []string) {
	for _, f := range files {
		e.checkNames[linkName("/"+strings.TrimPrefix(f, build.StaticDir+"/"))] = true
	}
}

// check runs the checks that rebuilds left (see checkAll) and keeps their
// findings by file. It reports whether it ran any.
func (e *engine) check() bool {
	all, files, names := e.checkAll, e.checkFiles, e.checkNames
	e.checkAll, e.checkFiles, e.checkNames = false, map[string]bool{}, map[string]bool{}
	if e.site.Project() == nil || !all && len(files) == 0 && len(names) == 0 {
		return false
	}
	// The checks see the content files as last read, so that a page that
	// went away and came back since is not taken for a draft.
	proj := *e.site.Project()
	proj.FS = readSite{proj.FS, e.site.Drafts()}
	var only func(string) bool // every page
	if all {
		e.findings = map[string]diag.List{}
	} else {
		for n := range names {
			for f := range e.linkers[n] {
				files[f] = true
			}
		}
		for f := range files {
			delete(e.findings, f)
		}
		only = func(f string) bool { return files[f] }
	}
	e.siteFindings = map[string]diag.List{}
	for _, f := range check.Pages(&proj, e.site.Regions(), only) {
		switch {
		case check.SiteWide(f.Check):
			e.siteFindings[f.File] = append(e.siteFindings[f.File], f.Error)
		case only == nil || files[f.File]:
			e.findings[f.File] = append(e.findings[f.File], f.Error)
		}
	}
	return true
}

// readSite is the site with its pages as the engine last read them: of
// the content files, only the drafts left out are there. The checks name a
// link to a content file that is there but not loaded a link to a draft; on
// disk that file may be a page deleted a moment ago and written anew, or a
// page just created whose event is still to come.
type readSite struct {
	fs.FS
	drafts map[string]bool
}

func (r readSite) hidden(name string) bool {
	return strings.HasPrefix(name, content.Dir+"/") && strings.HasSuffix(name, ".md") && !r.drafts[name]
}

func (r readSite) Open(name string) (fs.File, error) {
	if r.hidden(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return r.FS.Open(name)
}

func (r readSite) Stat(name string) (fs.FileInfo, error) {
	if r.hidden(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return fs.Stat(r.FS, name)
}

// addLinks records the names pg links to and the images it shows, also
// unescaped, as a static file's name may be written with %XX in a link.
func (e *engine) addLinks(pg *build.Page) {
	if pg.Facts == nil {
		return
	}
	add := func(dest string) {
		names := []string{linkName(dest)}
		if u, err := url.PathUnescape(dest); err == nil && u != dest {
			names = append(names, linkName(u))
		}
		for _, n := range names {
			if e.linkers[n] == nil {
				e.linkers[n] = map[string]bool{}
			}
			e.linkers[n][pg.Src.File] = true
		}
	}
	for _, l := range pg.Facts.Links {
		add(l.Dest)
	}
	for _, im := range pg.Facts.Images {
		add(im.Dest)
	}
}

// linkName is the last path element of a link or URL, without query,
// fragment or .html: what a link to a page must end with.
func linkName(dest string) string {
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		dest = dest[:i]
	}
	if dest == "" {
		return ""
	}
	dest = strings.TrimSuffix(dest, "/")
	dest = strings.TrimSuffix(dest, "/index.html")
	return strings.TrimSuffix(path.Base(dest), ".html")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
