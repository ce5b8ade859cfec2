package serve

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
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

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/search"
	"github.com/helpgen/helpgen/internal/shortcode"
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

	// pendingIndex are the regions whose search index is behind their pages.
	pendingIndex map[string]bool

	fullErr  diag.List            // the last full build failed: every change rebuilds all
	fileErrs map[string]diag.List // pages that failed to load or render, by file
}

func newEngine(root string, defaults fs.FS, load build.LoadOptions, st *store) *engine {
	return &engine{root: root, fsys: os.DirFS(root), defaults: defaults, load: load, store: st,
		search: search.DefaultOptions, fileErrs: map[string]diag.List{}, pendingIndex: map[string]bool{}}
}

// report says what one rebuild did, for the log line.
type report struct {
	what    string // what was rebuilt
	pages   int    // pages rendered
	changed []key  // files whose bytes changed
}

// errs returns every current error, sorted.
func (e *engine) errs() diag.List {
	var all diag.List
	all = append(all, e.fullErr...)
	files := make([]string, 0, len(e.fileErrs))
	for f := range e.fileErrs {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		all = append(all, e.fileErrs[f]...)
	}
	return all
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

// full loads and builds the whole site. On failure the served site stays
// as it was.
func (e *engine) full(why string) (*report, error) {
	proj, err := build.Load(e.fsys, e.defaults, e.load)
	if err != nil {
		e.fullErr = diag.Flatten(err)
		return nil, err
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
	_ = fs.WalkDir(e.fsys, build.StaticDir, func(q string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			e.statics[q] = true
		}
		return nil
	})
	e.fullErr, e.fileErrs = nil, map[string]diag.List{}
	clear(e.pendingIndex)
	pages := 0
	for _, r := range rep.Regions {
		pages += r.Pages
	}
	return &report{what: why, pages: pages, changed: e.store.apply(c)}, nil
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
	case top == "layouts" || top == "shortcodes" || top == "i18n":
		return kindAll
	case top == content.Dir:
		return kindContent
	case top == build.StaticDir:
		return kindStatic
	}
	return kindIgnore
}

// rebuild brings the served site up to date with the changed paths.
func (e *engine) rebuild(paths []string) (*report, error) {
	var cont, stat []string
	var all string
	for _, p := range paths {
		switch classify(p) {
		case kindAll:
			if all == "" {
				all = p
			}
		case kindContent:
			cont = append(cont, p)
		case kindStatic:
			stat = append(stat, p)
		}
	}
	if all == "" && e.proj == nil || e.fullErr != nil {
		all = "the site (after an error)"
	}
	if all == "" {
		for _, p := range stat {
			if specialStatic(p) {
				all = p
			}
		}
	}
	if all != "" {
		return e.full("everything (" + all + " changed)")
	}
	rep := &report{}
	c := newChanges()
	var what []string
	if len(cont) > 0 {
		w, n := e.content(cont, c)
		what = append(what, w)
		rep.pages += n
	}
	if len(stat) > 0 {
		what = append(what, e.static(stat, c))
	}
	rep.what = strings.Join(what, "; ")
	rep.changed = e.store.apply(c)
	if errs := e.errs(); len(errs) > 0 {
		return rep, errs
	}
	return rep, nil
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
				if err == nil && !d.IsDir() && want(q) && !ignored(path.Base(q)) {
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
func (e *engine) content(paths []string, c *changes) (string, int) {
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
	structural := false
	for _, f := range files {
		old := e.byFile[f]
		var np *content.Page
		if fi, err := fs.Stat(e.fsys, f); err == nil && fi.Mode().IsRegular() {
			cp, err := content.LoadFile(e.fsys, f, e.proj.Config, content.Options{Drafts: e.load.Drafts, Names: e.proj.Names})
			if err != nil {
				e.fileErrs[f] = diag.Flatten(err)
				continue
			}
			if !cp.Draft || e.load.Drafts {
				np = cp
			}
		}
		delete(e.fileErrs, f)
		if old == nil && np == nil {
			continue
		}
		ch := &pageChange{file: f, old: old, new: np, body: old != nil && np != nil && sameMeta(old, np)}
		structural = structural || !ch.body
		list = append(list, ch)
	}
	if structural {
		list = e.checkOutputs(list)
	}
	if len(list) == 0 {
		return strings.Join(files, ", ") + ": no page changed", 0
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
		for _, n := range around {
			subtree(n, func(url string) {
				if pg := r.ByURL[url]; pg != nil && !seen[pg] {
					seen[pg] = true
					render = append(render, pg)
				}
			})
		}
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
	// The search index is refreshed after the pages are served (see
	// reindex): a region's index takes far longer than the page.
	for ri, r := range e.regions {
		if reindex[ri] {
			e.pendingIndex[r.Config.Code] = true
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
	what := strings.Join(names, ", ") + fmt.Sprintf(": %d page%s", len(render), plural(len(render)))
	if len(done) > 0 {
		what += " + " + strings.Join(done, ", ")
	}
	return what, len(render)
}

// reindex refreshes the search index of the regions whose pages changed
// what it holds, and returns what it did (nil when nothing was due).
func (e *engine) reindex() (*report, error) {
	if len(e.pendingIndex) == 0 || e.proj == nil {
		return nil, nil
	}
	c := newChanges()
	w := search.Writer(e.search)
	delete(e.fileErrs, search.Dir)
	var codes []string
	for _, r := range e.regions {
		if !e.pendingIndex[r.Config.Code] {
			continue
		}
		codes = append(codes, r.Config.Code)
		if err := e.siteWide(r, c, &e.indexFiles, func(out build.Output, r *build.Region) error { return w(e.proj, r, out) }); err != nil {
			e.fileErrs[search.Dir] = diag.Flatten(err)
		}
	}
	clear(e.pendingIndex)
	rep := &report{what: "search index " + strings.Join(codes, " "), changed: e.store.apply(c)}
	if errs := e.errs(); len(errs) > 0 {
		return rep, errs
	}
	return rep, nil
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
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(pages)) {
		wg.Go(func() {
			var buf bytes.Buffer
			for {
				i := int(next.Add(1)) - 1
				if i >= len(pages) {
					return
				}
				pg := pages[i]
				err := safeRender(e.proj, &buf, pg)
				if err == nil {
					err = c.WriteFile(pg.Region.Config.Dir(), pg.Src.Out, buf.Bytes())
				}
				pg.Content = ""
				if err != nil {
					mu.Lock()
					e.fileErrs[pg.Src.File] = append(e.fileErrs[pg.Src.File], diag.Flatten(err)...)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
}

// safeRender is RenderPage with a panic turned into an error naming the page.
func safeRender(p *build.Project, buf *bytes.Buffer, pg *build.Page) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &diag.Error{File: pg.Src.File, Regions: []string{pg.Region.Config.Code},
				Msg:  fmt.Sprintf("internal error while rendering this page: %v", r),
				Hint: "this is a bug in helpgen; please report it with the file"}
		}
	}()
	return p.RenderPage(buf, pg)
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
	return a.URL == b.URL && a.TitleSrc == b.TitleSrc && docSrc(a.Desc) == docSrc(b.Desc) &&
		a.Weight == b.Weight && a.Draft == b.Draft && slices.Equal(a.Aliases, b.Aliases) &&
		slices.Equal(a.Enabled, b.Enabled) && slices.Equal(a.Disabled, b.Disabled) && a.Lang == b.Lang
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
// (bringing back the theme's file of the same name, if any).
func (e *engine) static(paths []string, c *changes) string {
	files := e.expand(paths, func(yield func(string) bool) {
		for f := range e.statics {
			if !yield(f) {
				return
			}
		}
	}, func(string) bool { return true })
	n := 0
	for _, f := range files {
		rel := strings.TrimPrefix(f, build.StaticDir+"/")
		data, err := e.readStatic(f)
		if err != nil {
			delete(e.statics, f)
			data, err = fs.ReadFile(e.defaults, f)
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
		n++
	}
	return fmt.Sprintf("%d static file%s", n, plural(n))
}

var errNotRegular = errors.New("not a regular file inside static/")

// readStatic reads a static file, refusing one that is, or lies under, a
// symbolic link: the site must not serve files from outside its folder.
// The full build's walk skips links the same way.
func (e *engine) readStatic(p string) ([]byte, error) {
	parts := strings.Split(p, "/")
	for i := range parts {
		fi, ok := e.lstat(strings.Join(parts[:i+1], "/"))
		if !ok {
			return nil, fs.ErrNotExist
		}
		last := i == len(parts)-1
		if fi.Mode()&fs.ModeSymlink != 0 || (!last && !fi.IsDir()) || (last && !fi.Mode().IsRegular()) {
			if i == 0 {
				continue // static/ itself may be a link; the build walks it too
			}
			return nil, errNotRegular
		}
	}
	return os.ReadFile(filepath.Join(e.root, filepath.FromSlash(p)))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
