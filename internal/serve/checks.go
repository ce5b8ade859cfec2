package serve

import (
	"cmp"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/check"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
)

// The checks of `helpgen build`, run on what a rebuild changed once it is
// served.

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
	proj := e.site.Project().Model()
	proj = proj.WithFS(readSite{proj.FS, e.site.Drafts()})
	var only func(string) bool // every page
	if all {
		e.findings = map[string]diag.List{}
		e.checkMemo = check.Memo{}
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
	for _, f := range check.Pages(proj, e.site.Regions(), only, &e.checkMemo) {
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
