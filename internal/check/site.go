package check

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// site runs the checks that look at the whole site rather than one page.
func (c *checker) site() {
	for _, r := range c.regions {
		c.duplicateTitles(r)
	}
	c.unusedStatic()
}

// SiteWide reports whether check looks at the whole site rather than one
// page: its findings depend on pages other than the one they name.
func SiteWide(check string) bool {
	return check == DuplicateTitles || check == UnusedStatic
}

// uses records, for unusedStatic, the paths that pg links to or shows,
// without checking them.
func (c *checker) uses(pg *model.Page) {
	if pg.Facts == nil {
		return
	}
	skips := c.p.Config.Check.SkipPrefixes
	var paths []string
	if c.memo != nil {
		if u, ok := c.memo.uses[pg.Facts]; ok && u.url == pg.Src.URL && slices.Equal(u.skips, skips) {
			paths = u.paths
		}
	}
	if paths == nil {
		paths = c.pathsUsed(pg)
	}
	for _, p := range paths {
		c.used[p] = true
	}
	if c.nextUses != nil {
		c.nextUses[pg.Facts] = pageUses{url: pg.Src.URL, skips: skips, paths: paths}
	}
}

// pathsUsed are the paths pg links to or shows.
func (c *checker) pathsUsed(pg *model.Page) []string {
	paths := []string{}
	use := func(dest string) {
		if p, _, skip, err := c.parse(pg, dest); err == nil && !skip {
			paths = append(paths, path.Clean(p))
		}
	}
	for _, l := range pg.Facts.Links {
		if unsafeScheme(l.Dest) == "" {
			use(l.Dest)
		}
	}
	for _, im := range pg.Facts.Images {
		if !strings.HasPrefix(im.Dest, "data:") {
			use(im.Dest)
		}
	}
	return paths
}

// Memo keeps, from one call of Pages to the next, the paths each page not
// checked again links to or shows, which the check of unused static files
// needs from every page: a page whose Facts and URL are those the paths
// were worked out from is not parsed again. A preview keeps one for its
// site; the zero value is ready.
type Memo struct {
	uses map[*model.Facts]pageUses
}

// pageUses is what a page's Facts link to, and what that was worked out
// with.
type pageUses struct {
	url   string
	skips []string // the site's [check] skipPrefixes
	paths []string
}

// templateDirs hold the files whose text may name a static file: the
// layouts and shortcode templates of the site and of the built-in theme.
var templateDirs = []string{sitefs.LayoutsDir, sitefs.ShortcodesDir}

// unusedStatic lists, in one warning, the files under the site's static/
// that no page of any region links to or shows, and that no template,
// style sheet or script names. It runs only when every region is
// checked: a file may serve one region alone.
func (c *checker) unusedStatic() {
	if c.p.FS == nil || len(c.regions) < len(c.p.Config.Regions) || len(c.regions) < len(c.p.AllRegions) {
		return
	}
	var files []string
	_ = fs.WalkDir(c.p.FS, sitefs.StaticDir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil || p == sitefs.StaticDir:
		case sitefs.EditorTemp(d.Name()) || strings.HasPrefix(d.Name(), "."):
			// An editor's file is not published; a hidden one (.well-known/)
			// is there for programs, which no page links to.
			if d.IsDir() {
				return fs.SkipDir
			}
		case d.Type().IsRegular():
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		return
	}
	used := c.used // filled by the links and images checks of every page
	texts := c.templateTexts(files)
	var unused []string
	for _, f := range files {
		rel := strings.TrimPrefix(f, sitefs.StaticDir+"/")
		if used["/"+rel] || slices.ContainsFunc(texts, func(t string) bool { return strings.Contains(t, rel) }) {
			continue
		}
		unused = append(unused, f)
	}
	if len(unused) == 0 {
		return
	}
	c.report(UnusedStatic, "", &diag.Error{File: sitefs.StaticDir,
		Msg:  fmt.Sprintf("%d file%s under static/ used by no page of any region: %s", len(unused), diag.Plural(len(unused)), strings.Join(unused, ", ")),
		Hint: "delete them, or link to them from a page"})
}

// templateTexts are the texts of the templates of the site and the theme,
// and of the site's style sheets, scripts and HTML files under static/.
func (c *checker) templateTexts(static []string) []string {
	var out []string
	for _, fsys := range []fs.FS{c.p.FS, c.p.Defaults} {
		if fsys == nil {
			continue
		}
		for _, dir := range templateDirs {
			_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					if b, err := fs.ReadFile(fsys, p); err == nil {
						out = append(out, string(b))
					}
				}
				return nil
			})
		}
	}
	for _, f := range static {
		switch path.Ext(f) {
		case ".css", ".js", ".html", ".svg", ".json", ".xml":
			if b, err := fs.ReadFile(c.p.FS, f); err == nil {
				out = append(out, string(b))
			}
		}
	}
	return out
}
