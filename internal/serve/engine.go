package serve

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/check"
	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/parallel"
	"github.com/helpgen/helpgen/internal/render"
	"github.com/helpgen/helpgen/internal/search"
	"github.com/helpgen/helpgen/internal/shortcode"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// engine owns the parsed site and rebuilds the parts of the served site a
// change of files touches. Only the serve loop calls it, one batch at a
// time; readers see its work only through the store.
type engine struct {
	root     string // the site folder
	fsys     fs.FS
	defaults fs.FS
	load     build.LoadOptions
	store    *store
	search   search.Options

	proj    *build.Project // nil until a full build succeeded
	regions []*build.Region
	byFile  map[string]*content.Page
	statics map[string]bool // the site's regular files under static/, from the site root
	// siteFiles and indexFiles are what the site-wide steps wrote per region
	// folder last time, so that what they no longer write is removed.
	siteFiles  map[string]map[string]bool
	indexFiles map[string]map[string]bool

	// pendingIndex are the regions whose search index is behind their pages;
	// indexGen counts the changes to it, so that an index refresh started
	// before the latest change is known to be stale.
	pendingIndex map[string]bool
	indexGen     uint64

	fullErr  diag.List            // the last full build failed: every change rebuilds all
	fileErrs map[string]diag.List // pages that failed to load or render, by file
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
	// drafts are the content files last read as drafts and left out (none
	// with --drafts): the checks call a link to one a link to a draft.
	drafts map[string]bool
	// waiting are the content files a rebuild could not read whole (see
	// reload), to be read again once quiet.
	waiting []string
}

func newEngine(root string, defaults fs.FS, load build.LoadOptions, st *store) *engine {
	return &engine{root: root, fsys: sitefs.New(root), defaults: defaults, load: load, store: st,
		search: search.DefaultOptions, fileErrs: map[string]diag.List{}, pendingIndex: map[string]bool{},
		findings: map[string]diag.List{}, checkFiles: map[string]bool{}, checkNames: map[string]bool{},
		drafts: map[string]bool{}}
}

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
	files := make([]string, 0, len(e.fileErrs))
	for f := range e.fileErrs {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		all = append(all, e.fileErrs[f]...)
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
	proj, err := build.Load(e.fsys, e.defaults, e.load)
	if err != nil {
		e.fullErr = diag.Flatten(err)
		return nil, err
	}
	for _, rc := range proj.AllRegions {
		if u, ok := e.baseURLs[rc.Code]; ok {
			rc.BaseURL = u
		}
	}
	c := newChanges()
	c.replace = true
	index := newRecorder(c)
	w := search.Writer(e.search)
	rep, err := proj.Build(c, build.Options{Writers: []build.RegionWriter{func(p *build.Project, r *build.Region, out build.Output) error {
		return w(p, r, index)
	}}})
	if err != nil {
		e.fullErr = diag.Flatten(err)
		return nil, err
	}
	// The site files are written a second time, with the same bytes, to
	// learn which keys they are.
	site := newRecorder(c)
	for _, r := range rep.Sites {
		if err := proj.WriteSiteFiles(site, r); err != nil {
			e.fullErr = diag.Flatten(err)
			return nil, err
		}
	}
	e.proj, e.regions, e.siteFiles, e.indexFiles = proj, rep.Sites, site.seen, index.seen
	e.byFile = make(map[string]*content.Page, len(proj.Pages))
	for _, cp := range proj.Pages {
		e.byFile[cp.File] = cp
	}
	e.statics = map[string]bool{}
	statics, _ := build.StaticFiles(e.fsys) // their errors failed the build
	for _, q := range statics {
		if !skipped(q) {
			e.statics[q] = true
		}
	}
	e.fullErr, e.fileErrs = nil, map[string]diag.List{}
	e.findDrafts()
	clear(e.pendingIndex)
	e.indexGen++
	pages := 0
	for _, r := range rep.Regions {
		pages += r.Pages
	}
	out := &report{what: why, pages: pages, changed: e.store.apply(c), ready: time.Now()}
	e.linkers = map[string]map[string]bool{}
	for _, r := range rep.Sites {
		for _, pg := range r.Pages {
			e.addLinks(pg)
		}
	}
	// The whole site is checked by check, after the reload is published.
	e.checkAll = true
	clear(e.checkFiles)
	clear(e.checkNames)
	return out, nil
}

// kind is what a changed path means for the site.
type kind int

const (
	kindIgnore kind = iota
	kindContent
	kindStatic
	kindAll
)

// classify says what a changed path (slash-separated, from the site root)
// touches.
func classify(p string) kind {
	top, _, _ := strings.Cut(p, "/")
	switch {
	case p == config.File:
		return kindAll
	case top == render.LayoutsDir || top == render.ShortcodesDir || top == render.I18nDir || top == build.DataDir || top == render.ThemesDir:
		return kindAll
	case top == content.Dir:
		return kindContent
	case top == build.StaticDir:
		return kindStatic
	}
	return kindIgnore
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
		if classify(f) != kindContent || !changed || sure(f) {
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
	var cont, stat, all []string
	for _, p := range paths {
		switch classify(p) {
		case kindAll:
			all = append(all, p)
		case kindContent:
			cont = append(cont, p)
		case kindStatic:
			stat = append(stat, p)
			if specialStatic(p) {
				all = append(all, p)
			}
		}
	}
	if len(all) > 0 || e.proj == nil || e.fullErr != nil {
		why := "everything (" + e.names(paths, all) + " changed)"
		if e.proj == nil || e.fullErr != nil {
			why = "everything (" + e.names(paths, nil) + " changed; the last full build had failed)"
		}
		// An error already shown stays shown; a site that was fine waits
		// for the pages being saved.
		hidden := e.proj != nil && (e.fullErr == nil || e.fullWait)
		rep, err := e.full(why)
		e.fullWait = err != nil && hidden && e.midSave(paths, sure)
		if e.fullWait {
			return &report{what: why + "; read again when quiet: " + short(e.waiting)}, nil
		}
		return rep, err
	}
	// What partialCached kept may show what just changed.
	e.proj.Templates.ResetCache()
	rep := &report{}
	c := newChanges()
	var what []string
	var list []*pageChange
	if len(cont) > 0 {
		w, n, l := e.content(cont, c, sure)
		what = append(what, w)
		rep.pages += n
		list = l
	}
	if len(stat) > 0 {
		w, files := e.static(stat, c)
		what = append(what, w)
		e.queueStatic(files)
	}
	rep.what = strings.Join(what, "; ")
	rep.changed = e.store.apply(c)
	rep.ready = time.Now()
	// The checks look at what is already served: check runs them after the
	// browser is told to reload, so that they do not delay it.
	e.queueContent(list)
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

// specialStatic reports whether a static file replaces a file helpgen
// generates (a site's own 404 page, robots.txt…), which a full build sorts out.
func specialStatic(p string) bool {
	switch strings.TrimPrefix(p, build.StaticDir+"/") {
	case "index.html", "404.html", "sitemap.xml", "robots.txt", build.StaticDir:
		return true
	}
	return p == build.StaticDir
}

// exists reports whether site path p is there and what it is.
func (e *engine) lstat(p string) (fs.FileInfo, bool) {
	fi, err := os.Lstat(filepath.Join(e.root, filepath.FromSlash(p)))
	return fi, err == nil
}

// expand turns changed paths into the files they may stand for: known files
// at or below each path, and what is there now when it is a folder (a folder
// moved in brings its files without an event for each).
func (e *engine) expand(paths []string, known func(yield func(string) bool), want func(string) bool) []string {
	set := map[string]bool{}
	for _, p := range paths {
		for f := range known {
			if f == p || strings.HasPrefix(f, p+"/") {
				set[f] = true
			}
		}
		fi, ok := e.lstat(p)
		switch {
		case !ok:
		case fi.IsDir():
			_ = fs.WalkDir(e.fsys, p, func(q string, d fs.DirEntry, err error) error {
				if err == nil && q != p && skipped(q) {
					if d.IsDir() {
						return fs.SkipDir
					}
					return nil
				}
				if err == nil && !d.IsDir() && want(q) {
					set[q] = true
				}
				return nil
			})
		case want(p):
			set[p] = true
		}
	}
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// pageChange is one content file's old and new page; either may be nil.
type pageChange struct {
	file     string
	old, new *content.Page
	body     bool // only the body changed: nothing else on the site shows it
}

// content re-reads changed content files and re-renders what shows them.
// sure tells whether a file is known to be as the writer left it (see
// reload). It returns the log line, the number of pages rendered and the
// changes made.
func (e *engine) content(paths []string, c *changes, sure func(string) bool) (string, int, []*pageChange) {
	files := e.expand(paths, func(yield func(string) bool) {
		for f := range e.byFile {
			if !yield(f) {
				return
			}
		}
	}, func(q string) bool { return strings.HasSuffix(q, ".md") })
	// Pages that failed before are read again: a change elsewhere (a
	// conflicting page removed) may have fixed them, or they are gone.
	for f := range e.fileErrs {
		if strings.HasPrefix(f, content.Dir+"/") && !slices.Contains(files, f) {
			files = append(files, f)
		}
	}
	var list []*pageChange
	var waited []string
	structural := false
	moved := e.appeared(files)
	for _, f := range files {
		old := e.byFile[f]
		if _, err := fs.Stat(e.fsys, f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			e.fileErrs[f] = diag.List{diag.FileError(f, err)} // a link out of the site
			continue
		}
		np, wait, ok := e.reload(f, sure(f), moved)
		if wait {
			waited = append(waited, f)
		}
		if !ok || old == nil && np == nil {
			continue
		}
		ch := &pageChange{file: f, old: old, new: np, body: old != nil && np != nil && sameMeta(old, np)}
		structural = structural || !ch.body
		list = append(list, ch)
	}
	if structural {
		list = e.checkOutputs(list)
	}
	e.waiting = append(e.waiting, waited...)
	again := ""
	if len(waited) > 0 {
		again = "; read again when quiet: " + short(waited)
	}
	if len(list) == 0 {
		return short(files) + ": no page changed" + again, 0, nil
	}
	// The project's page list, sorted by URL as Load leaves it.
	for _, ch := range list {
		if ch.old != nil {
			delete(e.byFile, ch.file)
		}
		if ch.new != nil {
			e.byFile[ch.file] = ch.new
		}
	}
	pages := make([]*content.Page, 0, len(e.byFile))
	for _, cp := range e.byFile {
		pages = append(pages, cp)
	}
	slices.SortFunc(pages, func(a, b *content.Page) int { return strings.Compare(a.URL, b.URL) })
	e.proj.Pages = pages

	var render []*build.Page
	// A body edit changes the search index only when the page's title,
	// headings or text changed; those are compared after rendering.
	type edit struct {
		ri       int
		prev, pg *build.Page
	}
	var edits []edit
	reindex := make([]bool, len(e.regions))
	for ri, r := range e.regions {
		code, dir := r.Config.Code, r.Config.Dir()
		oldTree := r.Nav.Tree
		var around []*nav.Node // sections whose subtrees show a changed entry
		for _, ch := range list {
			var prev *build.Page
			if ch.old != nil {
				prev = r.ByURL[ch.old.URL]
				if prev != nil && prev.Src != ch.old {
					prev = nil
				}
			}
			if prev != nil {
				delete(r.ByURL, ch.old.URL)
				if !ch.body {
					around = append(around, parent(oldTree.Node(ch.old.URL)))
				}
				if ch.new == nil || !ch.new.InRegion(code) || ch.new.Out != ch.old.Out {
					c.drop(key{dir, ch.old.Out})
				}
			}
			if ch.new == nil || !ch.new.InRegion(code) {
				if prev != nil {
					reindex[ri] = true
				}
				continue
			}
			pg, err := r.NewPage(ch.new)
			if err != nil {
				e.fileErrs[ch.file] = append(e.fileErrs[ch.file], diag.Flatten(err)...)
				if prev != nil {
					r.ByURL[ch.old.URL] = prev
				}
				continue
			}
			r.ByURL[ch.new.URL] = pg
			render = append(render, pg)
			if ch.body && prev != nil {
				edits = append(edits, edit{ri, prev, pg})
			} else {
				reindex[ri] = true
			}
		}
		r.Pages = r.Pages[:0]
		for _, cp := range e.proj.Pages {
			if pg := r.ByURL[cp.URL]; pg != nil {
				r.Pages = append(r.Pages, pg)
			}
		}
		if !structural {
			continue
		}
		e.proj.Renav(r)
		for _, ch := range list {
			if !ch.body && ch.new != nil {
				around = append(around, parent(r.Nav.Tree.Node(ch.new.URL)))
			}
		}
		seen := map[*build.Page]bool{}
		for _, pg := range render {
			seen[pg] = true
		}
		add := func(url string) {
			if pg := r.ByURL[url]; pg != nil && !seen[pg] {
				seen[pg] = true
				render = append(render, pg)
			}
		}
		for _, n := range around {
			subtree(n, add)
		}
		// The home page shows the top of the tree (its sections, or the
		// sections below a lone one), which any change of structure may
		// change.
		add("/")
	}
	e.renderPages(render, c)
	for _, ed := range edits {
		if ed.pg.Facts == nil { // failed to render: the index keeps what it had
			ed.pg.Facts = ed.prev.Facts
		}
		if !sameIndexed(ed.prev, ed.pg) || !sameText(ed.prev.Facts, ed.pg.Facts) {
			reindex[ed.ri] = true
		}
	}
	for _, pg := range render {
		if pg.Facts == nil {
			pg.Facts = &build.Facts{}
		}
		e.addLinks(pg)
	}
	var done []string
	if structural {
		delete(e.fileErrs, config.File)
		for _, r := range e.regions {
			if err := e.siteWide(r, c, &e.siteFiles, e.proj.WriteSiteFiles); err != nil {
				e.fileErrs[config.File] = diag.Flatten(err)
			}
		}
		done = append(done, "nav, lists, sitemap, aliases")
	}
	// The search index is refreshed after the pages are served, off the
	// serve loop (see startIndex): a region's index takes far longer than
	// the page.
	for ri, r := range e.regions {
		if reindex[ri] {
			e.pendingIndex[r.Config.Code] = true
			e.indexGen++
		}
	}
	names := make([]string, len(list))
	for i, ch := range list {
		names[i] = ch.file
		if ch.new == nil {
			names[i] += " (removed)"
		}
	}
	if len(names) > 3 {
		names = append(names[:3], fmt.Sprintf("and %d more", len(list)-3))
	}
	what := strings.Join(names, ", ") + fmt.Sprintf(": %d page%s", len(render), diag.Plural(len(render)))
	if len(done) > 0 {
		what += " + " + strings.Join(done, ", ")
	}
	return what + again, len(render), list
}

// reload reads content file f again and returns the page it now makes:
// nil when it went away or is a draft left out. An editor that does not save
// atomically empties the file and then writes it, and some rename the page
// away before writing it anew, so a file that fails to load, or that went
// away while its page is served, may be in the middle of a save: unless sure,
// its page and errors stay as they are and wait is set, to read it again once
// quiet. A page gone while another appeared (moved) goes at once. A failure
// otherwise becomes f's error (ok is false).
func (e *engine) reload(f string, sure, moved bool) (np *content.Page, wait, ok bool) {
	cp, gone, err := e.loadFile(f)
	if !sure && (err != nil || gone && !moved && (e.byFile[f] != nil || e.drafts[f])) {
		return nil, true, false
	}
	delete(e.drafts, f)
	if err != nil {
		e.fileErrs[f] = diag.Flatten(err)
		return nil, false, false
	}
	delete(e.fileErrs, f)
	if !gone && cp.Draft && !e.load.Drafts {
		e.drafts[f] = true
		return nil, false, true
	}
	return cp, false, true
}

// appeared reports whether one of files is new: then the pages among them
// that went away were moved (mv, a folder renamed), not deleted to be
// written again, and the old and new places are never served side by side.
func (e *engine) appeared(files []string) bool {
	for _, f := range files {
		if _, ok := e.lstat(f); ok && e.byFile[f] == nil && !e.drafts[f] && e.fileErrs[f] == nil {
			return true
		}
	}
	return false
}

// loadFile loads a content file; gone is set when it is not there, or not a
// regular file. The bytes parsed are the bytes read once, so that an error
// always belongs to bytes that were in the file.
func (e *engine) loadFile(f string) (cp *content.Page, gone bool, err error) {
	if fi, err := fs.Stat(e.fsys, f); err != nil || !fi.Mode().IsRegular() {
		return nil, true, nil
	}
	data, err := fs.ReadFile(e.fsys, f)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, diag.FileError(f, err)
	}
	cp, err = content.LoadFile(oneFile{f, data}, f, e.proj.Config, content.Options{Drafts: e.load.Drafts, Names: e.proj.Names})
	return cp, false, err
}

// findDrafts records the content files a full build left out as drafts.
func (e *engine) findDrafts() {
	e.drafts = map[string]bool{}
	if e.load.Drafts {
		return
	}
	_ = fs.WalkDir(e.fsys, content.Dir, func(q string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
		case q != content.Dir && content.Ignored(d.Name()) && d.IsDir():
			return fs.SkipDir
		case d.IsDir() || content.Ignored(d.Name()) || !strings.HasSuffix(q, ".md") || e.byFile[q] != nil:
		default:
			if cp, _, err := e.loadFile(q); err == nil && cp != nil && cp.Draft {
				e.drafts[q] = true
			}
		}
		return nil
	})
}

// oneFile is a file system holding the bytes of one file as they were read.
type oneFile struct {
	name string
	data []byte
}

func (o oneFile) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (o oneFile) ReadFile(name string) ([]byte, error) {
	if name != o.name {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return o.data, nil
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
	if len(e.pendingIndex) == 0 || e.proj == nil {
		return nil
	}
	job := &indexJob{gen: e.indexGen, done: make(chan *indexResult, 1)}
	var snaps []*build.Region
	for _, r := range e.regions {
		if !e.pendingIndex[r.Config.Code] {
			continue
		}
		job.codes = append(job.codes, r.Config.Code)
		snap := &build.Region{Config: r.Config, Pages: make([]*build.Page, len(r.Pages))}
		for i, pg := range r.Pages {
			snap.Pages[i] = &build.Page{Src: pg.Src, Region: snap, Title: pg.Title, Description: pg.Description, Facts: pg.Facts}
		}
		snaps = append(snaps, snap)
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
func (e *engine) stale(job *indexJob) bool { return job.gen != e.indexGen }

// finishIndex serves a finished index refresh if it is still current, all
// regions at once, and returns what it did (nil when it was stale).
func (e *engine) finishIndex(res *indexResult) (*report, error) {
	if res.stopped || e.stale(res.job) || e.proj == nil {
		return nil, nil
	}
	delete(e.fileErrs, search.Dir)
	if res.err != nil {
		e.fileErrs[search.Dir] = diag.Flatten(res.err)
	} else {
		if e.indexFiles == nil {
			e.indexFiles = map[string]map[string]bool{}
		}
		for _, r := range e.regions {
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
func (e *engine) queueContent(list []*pageChange) {
	sections := false
	for _, ch := range list {
		e.checkFiles[ch.file] = true
		for _, cp := range []*content.Page{ch.old, ch.new} {
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
	if e.proj == nil || !all && len(files) == 0 && len(names) == 0 {
		return false
	}
	// The checks see the content files as last read, so that a page that
	// went away and came back since is not taken for a draft.
	proj := *e.proj
	proj.FS = readSite{e.proj.FS, e.drafts}
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
	for _, f := range check.Pages(&proj, e.regions, only) {
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

// siteWide runs a step that writes a region's site-wide files and removes
// what it wrote last time and not now.
func (e *engine) siteWide(r *build.Region, c *changes, last *map[string]map[string]bool, step func(build.Output, *build.Region) error) error {
	rec := newRecorder(c)
	if err := step(rec, r); err != nil {
		return err
	}
	dir := r.Config.Dir()
	for rel := range (*last)[dir] {
		if !rec.seen[dir][rel] {
			c.drop(key{dir, rel})
		}
	}
	if *last == nil {
		*last = map[string]map[string]bool{}
	}
	(*last)[dir] = rec.seen[dir]
	return nil
}

// renderPages renders pages on every core and writes them into c. A page
// that fails keeps its last good output; its error is kept by file.
func (e *engine) renderPages(pages []*build.Page, c *changes) {
	var mu sync.Mutex
	parallel.For(len(pages), 0, func(buf *bytes.Buffer, i int) {
		pg := pages[i]
		err := build.SafeRender(e.proj, buf, pg)
		if err == nil {
			err = c.WriteFile(pg.Region.Config.Dir(), pg.Src.Out, buf.Bytes())
		}
		pg.Content = ""
		if err != nil {
			mu.Lock()
			e.fileErrs[pg.Src.File] = append(e.fileErrs[pg.Src.File], diag.Flatten(err)...)
			mu.Unlock()
		}
	})
}

// checkOutputs drops a change whose page would write a file another page
// (or alias) already writes, and keeps the error for its file.
func (e *engine) checkOutputs(list []*pageChange) []*pageChange {
	owner := map[string]string{}
	changed := map[string]bool{}
	for _, ch := range list {
		changed[ch.file] = true
	}
	claim := func(cp *content.Page) {
		owner[cp.Out] = cp.File
		for _, a := range cp.Aliases {
			owner[content.AliasOut(a)] = cp.File
		}
	}
	for f, cp := range e.byFile {
		if !changed[f] {
			claim(cp)
		}
	}
	var keep []*pageChange
	for _, ch := range list {
		if ch.new == nil {
			keep = append(keep, ch)
			continue
		}
		var errs diag.List
		outs := append([]string{ch.new.Out}, mapAlias(ch.new.Aliases)...)
		for i, out := range outs {
			if f, ok := owner[out]; ok && f != ch.file {
				what := "output"
				if i > 0 {
					what = "alias"
				}
				errs = append(errs, &diag.Error{File: ch.file, Line: 1, Col: 1,
					Msg:  fmt.Sprintf("%s /%s is also written by %s", what, out, f),
					Hint: "rename one of the files or remove the alias"})
			}
		}
		if len(errs) > 0 {
			e.fileErrs[ch.file] = errs
			continue
		}
		claim(ch.new)
		keep = append(keep, ch)
	}
	return keep
}

func mapAlias(aliases []string) []string {
	out := make([]string, len(aliases))
	for i, a := range aliases {
		out[i] = content.AliasOut(a)
	}
	return out
}

// sameMeta reports whether two versions of a page differ only in their
// body and params, which show on that page alone.
func sameMeta(a, b *content.Page) bool {
	return a.URL == b.URL && a.TitleSrc == b.TitleSrc && docSrc(a.Desc) == docSrc(b.Desc) && sameRegionTitles(a, b) &&
		a.Weight == b.Weight && a.Draft == b.Draft && slices.Equal(a.Aliases, b.Aliases) &&
		slices.Equal(a.Enabled, b.Enabled) && slices.Equal(a.Disabled, b.Disabled) && a.Lang == b.Lang
}

func sameRegionTitles(a, b *content.Page) bool {
	if len(a.RegionTitles) != len(b.RegionTitles) {
		return false
	}
	for code, t := range a.RegionTitles {
		if docSrc(t) != docSrc(b.RegionTitles[code]) {
			return false
		}
	}
	return true
}

func docSrc(d *shortcode.Doc) string {
	if d == nil {
		return ""
	}
	return string(d.Src)
}

// sameIndexed is true when a page's region-evaluated title and description
// did not change (its body is compared after rendering).
func sameIndexed(a, b *build.Page) bool { return a.Title == b.Title && a.Description == b.Description }

// sameText reports whether two renderings of a page give the search index
// the same input.
func sameText(a, b *build.Facts) bool {
	if a == nil || b == nil {
		return a == b
	}
	return reflect.DeepEqual(a.Sections, b.Sections) && reflect.DeepEqual(a.Headings, b.Headings)
}

// parent is the section whose subtree shows n's entry.
func parent(n *nav.Node) *nav.Node {
	if n == nil || n.Parent == nil {
		return n
	}
	return n.Parent
}

// subtree calls f with the URL of n and every node below it.
func subtree(n *nav.Node, f func(url string)) {
	if n == nil {
		return
	}
	f(n.URL)
	for _, c := range n.Children {
		subtree(c, f)
	}
}

// static copies changed static files into every region, or removes them
// (bringing back the theme's file of the same name, if any). It returns
// the log line and the files.
func (e *engine) static(paths []string, c *changes) (string, []string) {
	files := e.expand(paths, func(yield func(string) bool) {
		for f := range e.statics {
			if !yield(f) {
				return
			}
		}
	}, func(string) bool { return true })
	for _, f := range files {
		rel := strings.TrimPrefix(f, build.StaticDir+"/")
		data, err := build.ReadStatic(e.fsys, f)
		delete(e.fileErrs, f)
		if err != nil {
			if le := (*sitefs.LinkError)(nil); errors.As(err, &le) {
				e.fileErrs[f] = diag.List{le.Diag()} // a link out of the site: said, never read
			}
			delete(e.statics, f)
			data, err = build.ReadTheme(e.defaults, f)
		} else {
			e.statics[f] = true
		}
		for _, r := range e.regions {
			if err != nil {
				c.drop(key{r.Config.Dir(), rel})
			} else {
				_ = c.WriteFile(r.Config.Dir(), rel, data)
			}
		}
	}
	if len(files) == 0 {
		return "no static file", nil
	}
	return short(files), files
}
