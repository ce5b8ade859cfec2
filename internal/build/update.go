package build

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/parallel"
	"github.com/helpgen/helpgen/internal/sitefs"
	"github.com/helpgen/helpgen/internal/theme"
)

// content re-reads changed content files and re-renders what shows them
// (see deps.go), recording what it did in d. It returns the log line.
func (e *Engine) content(paths []string, t *tracker, d *Delta, settled func(string) bool) string {
	files := expandPaths(e.fsys, paths, e.byFile, func(q string) bool { return strings.HasSuffix(q, ".md") })
	// Pages that failed before are read again: a change elsewhere (a
	// conflicting page removed) may have fixed them, or they are gone.
	for f := range e.fileErrs {
		if strings.HasPrefix(f, content.Dir+"/") && !slices.Contains(files, f) {
			files = append(files, f)
		}
	}
	list, structural := e.reloadAll(files, settled, d)
	if structural {
		list = e.checkOutputs(list)
	}
	again := ""
	if len(d.Waiting) > 0 {
		again = "; read again when quiet: " + short(d.Waiting)
	}
	if len(list) == 0 {
		return short(files) + ": no page changed" + again
	}
	e.setPages(list)
	var render []*Page
	var edits [][2]*Page // previous and new page of a body edit
	reindex := make([]bool, len(e.regions))
	for ri, r := range e.regions {
		rs := e.updateRegion(r, list, structural, t)
		render = append(render, rs.render...)
		edits = append(edits, rs.edits...)
		reindex[ri] = rs.reindex
	}
	e.renderPages(render, t)
	e.afterRender(render, edits, reindex, d)
	d.Changes, d.Rendered, d.Pages = list, render, len(render)
	done := ""
	if structural {
		e.rewriteSiteFiles(t)
		done = " + nav, lists, sitemap, aliases"
	}
	return changeNames(list) + fmt.Sprintf(": %d page%s", len(render), diag.Plural(len(render))) + done + again
}

// reloadAll reads files again and returns the changes of their pages, and
// whether any changed more than its body.
func (e *Engine) reloadAll(files []string, settled func(string) bool, d *Delta) ([]PageChange, bool) {
	var list []PageChange
	structural := false
	moved := e.appeared(files)
	for _, f := range files {
		old := e.byFile[f]
		if _, err := fs.Stat(e.fsys, f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			e.fileErrs[f] = diag.List{diag.FileError(f, err)} // a link out of the site
			continue
		}
		np, wait, ok := e.reload(f, settled == nil || settled(f), moved)
		if wait {
			d.Waiting = append(d.Waiting, f)
		}
		if !ok || old == nil && np == nil {
			continue
		}
		ch := PageChange{File: f, Old: old, New: np, Body: old != nil && np != nil && bodyOnly(old, np)}
		structural = structural || !ch.Body
		list = append(list, ch)
	}
	return list, structural
}

// setPages puts the changed pages into the project's page list, sorted by
// URL as Load leaves it.
func (e *Engine) setPages(list []PageChange) {
	for _, ch := range list {
		if ch.Old != nil {
			delete(e.byFile, ch.File)
		}
		if ch.New != nil {
			e.byFile[ch.File] = ch.New
		}
	}
	pages := make([]*content.Page, 0, len(e.byFile))
	for _, cp := range e.byFile {
		pages = append(pages, cp)
	}
	slices.SortFunc(pages, func(a, b *content.Page) int { return strings.Compare(a.URL, b.URL) })
	e.proj.Pages = pages
}

// regionUpdate is what changing pages did in one region.
type regionUpdate struct {
	render  []*Page
	edits   [][2]*Page // body edits: the page before and the page now
	reindex bool       // the region's search input changed
}

// updateRegion replaces the changed pages in r, removes the outputs of
// those it no longer publishes, and rebuilds its navigation after a change
// of structure. It returns the pages to render.
func (e *Engine) updateRegion(r *Region, list []PageChange, structural bool, t *tracker) regionUpdate {
	var u regionUpdate
	code, dir := r.Config.Code, r.Config.Dir()
	oldTree := r.Nav.Tree
	var sections []*nav.Node // sections whose subtrees showed a changed entry
	for _, ch := range list {
		var prev *Page
		if ch.Old != nil {
			if prev = r.ByURL[ch.Old.URL]; prev != nil && prev.Src != ch.Old {
				prev = nil
			}
		}
		if prev != nil {
			delete(r.ByURL, ch.Old.URL)
			if !ch.Body {
				sections = append(sections, around(oldTree.Node(ch.Old.URL)))
			}
			if ch.New == nil || !ch.New.InRegion(code) || ch.New.Out != ch.Old.Out {
				t.remove(dir, ch.Old.Out)
			}
		}
		if ch.New == nil || !ch.New.InRegion(code) {
			u.reindex = u.reindex || prev != nil
			continue
		}
		pg, err := newPage(r, ch.New)
		if err != nil {
			e.fileErrs[ch.File] = append(e.fileErrs[ch.File], diag.Flatten(err)...)
			if prev != nil {
				r.ByURL[ch.Old.URL] = prev
			}
			continue
		}
		r.ByURL[ch.New.URL] = pg
		u.render = append(u.render, pg)
		if ch.Body && prev != nil {
			u.edits = append(u.edits, [2]*Page{prev, pg})
		} else {
			u.reindex = true
		}
	}
	r.Pages = r.Pages[:0]
	for _, cp := range e.proj.Pages {
		if pg := r.ByURL[cp.URL]; pg != nil {
			r.Pages = append(r.Pages, pg)
		}
	}
	// A template that read the region's pages (.Site.RegularPages, a
	// page's .Parent…) makes every page depend on every page.
	wide := r.Site.PagesRead()
	if structural || wide {
		e.proj.indexPages(r)
	}
	if structural {
		r.Nav = theme.NewNav(e.proj.Project, r)
		u.render = structureDependents(r, list, sections, u.render)
	}
	if wide {
		u.render = allPages(r, u.render)
		u.reindex = true // other pages' text may show the change
	}
	return u
}

// afterRender keeps the facts of pages that failed to render as they were,
// records the regions whose search input changed, and counts a new version
// of the pages when any did.
func (e *Engine) afterRender(render []*Page, edits [][2]*Page, reindex []bool, d *Delta) {
	for _, ed := range edits {
		prev, pg := ed[0], ed[1]
		if pg.Facts == nil { // failed to render: the index keeps what it had
			pg.Facts = prev.Facts
		}
		if !sameIndexed(prev, pg) {
			reindex[slices.Index(e.regions, pg.Region)] = true
		}
	}
	for _, pg := range render {
		if pg.Facts == nil {
			pg.Facts = &Facts{}
		}
	}
	for ri, r := range e.regions {
		if reindex[ri] {
			d.Reindex = append(d.Reindex, r.Config.Code)
		}
	}
	if len(d.Reindex) > 0 {
		e.gen++
	}
}

// rewriteSiteFiles writes every region's site-wide files again and removes
// those it no longer writes; an error is kept for helpgen.toml.
func (e *Engine) rewriteSiteFiles(t *tracker) {
	delete(e.fileErrs, config.File)
	for _, r := range e.regions {
		dir := r.Config.Dir()
		site := &namesOutput{Output: t}
		if err := e.proj.writeSiteFiles(site, r); err != nil {
			e.fileErrs[config.File] = diag.Flatten(err)
			continue
		}
		now := setOf(site.names)
		for rel := range e.siteFiles[dir] {
			if !now[rel] {
				t.remove(dir, rel)
			}
		}
		e.siteFiles[dir] = now
	}
}

// renderPages renders pages on every core and writes them, the regions of
// one source page together (see renderJob). A page that fails keeps its
// last good output; its error is kept by file.
func (e *Engine) renderPages(pages []*Page, out output.Output) {
	var jobs [][]*Page
	job := map[*content.Page]int{}
	for _, pg := range pages {
		i, ok := job[pg.Src]
		if !ok {
			i = len(jobs)
			job[pg.Src] = i
			jobs = append(jobs, nil)
		}
		jobs[i] = append(jobs[i], pg)
	}
	under := func(_ *Page, fn func(context.Context) error) error { return e.proj.underLimits(e.proj.ctx, fn) }
	var mu sync.Mutex
	parallel.For(len(jobs), 0, func(s *pageScratch, i int) {
		e.proj.renderJob(s, jobs[i], out, under, func(_ int, pg *Page, err error) {
			if err != nil {
				mu.Lock()
				e.fileErrs[pg.Src.File] = append(e.fileErrs[pg.Src.File], pageErrors(pg, err)...)
				mu.Unlock()
			}
		})
	})
}

// checkOutputs drops a change whose page would write a file another page
// (or alias) already writes, and keeps the error for its file.
func (e *Engine) checkOutputs(list []PageChange) []PageChange {
	owner := map[string]string{}
	changed := map[string]bool{}
	for _, ch := range list {
		changed[ch.File] = true
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
	var keep []PageChange
	for _, ch := range list {
		if ch.New == nil {
			keep = append(keep, ch)
			continue
		}
		if errs := outputClashes(ch, owner); len(errs) > 0 {
			e.fileErrs[ch.File] = errs
			continue
		}
		claim(ch.New)
		keep = append(keep, ch)
	}
	return keep
}

// outputClashes are the errors of a changed page whose output or aliases
// another file's page already writes (owner).
func outputClashes(ch PageChange, owner map[string]string) diag.List {
	var errs diag.List
	outs := []string{ch.New.Out}
	for _, a := range ch.New.Aliases {
		outs = append(outs, content.AliasOut(a))
	}
	for i, out := range outs {
		if f, ok := owner[out]; ok && f != ch.File {
			what := "output"
			if i > 0 {
				what = "alias"
			}
			errs = append(errs, &diag.Error{File: ch.File, Line: 1, Col: 1,
				Msg:  fmt.Sprintf("%s /%s is also written by %s", what, out, f),
				Hint: "rename one of the files or remove the alias"})
		}
	}
	return errs
}

// reload reads content file f again and returns the page it now makes:
// nil when it went away or is a draft left out. An editor that does not save
// atomically empties the file and then writes it, and some rename the page
// away before writing it anew, so a file that fails to load, or that went
// away while its page is served, may be in the middle of a save: unless
// settled, its page and errors stay as they are and wait is set, to read it
// again once quiet. A page gone while another appeared (moved) goes at once.
// A failure otherwise becomes f's error (ok is false).
func (e *Engine) reload(f string, settled, moved bool) (np *content.Page, wait, ok bool) {
	cp, gone, err := e.loadFile(f)
	if !settled && (err != nil || gone && !moved && (e.byFile[f] != nil || e.draftSet()[f])) {
		return nil, true, false
	}
	delete(e.draftSet(), f)
	if err != nil {
		e.fileErrs[f] = diag.Flatten(err)
		return nil, false, false
	}
	delete(e.fileErrs, f)
	if !gone && cp.Draft && !e.load.Drafts {
		e.draftSet()[f] = true
		return nil, false, true
	}
	return cp, false, true
}

// appeared reports whether one of files is new: then the pages among them
// that went away were moved (mv, a folder renamed), not deleted to be
// written again, and the old and new places are never served side by side.
func (e *Engine) appeared(files []string) bool {
	for _, f := range files {
		if _, err := fs.Lstat(e.fsys, f); err == nil && e.byFile[f] == nil && !e.draftSet()[f] && e.fileErrs[f] == nil {
			return true
		}
	}
	return false
}

// loadFile loads a content file; gone is set when it is not there, or not a
// regular file. The bytes parsed are the bytes read once, so that an error
// always belongs to bytes that were in the file.
func (e *Engine) loadFile(f string) (cp *content.Page, gone bool, err error) {
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

// draftSet is the content files last read as drafts and left out; after a
// Full, those it left out, read on first use.
func (e *Engine) draftSet() map[string]bool {
	if e.drafts == nil {
		e.findDrafts()
	}
	return e.drafts
}

// findDrafts records the content files a Full left out as drafts.
func (e *Engine) findDrafts() {
	e.drafts = map[string]bool{}
	if e.load.Drafts || e.proj == nil {
		return
	}
	_ = fs.WalkDir(e.fsys, content.Dir, func(q string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
		case q != content.Dir && sitefs.Ignored(d.Name()) && d.IsDir():
			return fs.SkipDir
		case d.IsDir() || sitefs.Ignored(d.Name()) || !strings.HasSuffix(q, ".md") || e.byFile[q] != nil:
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

// expandPaths turns changed paths into the files they may stand for: known files
// at or below each path, and what is there now when it is a folder (a folder
// moved in brings its files without an event for each).
func expandPaths[V any](fsys fs.FS, paths []string, known map[string]V, want func(string) bool) []string {
	set := map[string]bool{}
	for _, p := range paths {
		for f := range known {
			if f == p || strings.HasPrefix(f, p+"/") {
				set[f] = true
			}
		}
		fi, err := fs.Lstat(fsys, p)
		switch {
		case err != nil:
		case fi.IsDir():
			_ = fs.WalkDir(fsys, p, func(q string, d fs.DirEntry, err error) error {
				if err == nil && q != p && sitefs.Skipped(q) {
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
	return slices.Sorted(maps.Keys(set))
}

// changeNames names the changed files for a log line, at most three.
func changeNames(list []PageChange) string {
	names := make([]string, len(list))
	for i, ch := range list {
		names[i] = ch.File
		if ch.New == nil {
			names[i] += " (removed)"
		}
	}
	if len(names) > 3 {
		names = append(names[:3], fmt.Sprintf("and %d more", len(list)-3))
	}
	return strings.Join(names, ", ")
}

// short joins names, cutting the list after three.
func short(names []string) string {
	if len(names) > 3 {
		return strings.Join(names[:3], ", ") + fmt.Sprintf(" and %d more", len(names)-3)
	}
	return strings.Join(names, ", ")
}
