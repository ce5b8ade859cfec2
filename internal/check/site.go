package check

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/diag"
)

// site runs the checks that look at the whole site rather than one page.
func (c *checker) site() {
	for _, r := range c.regions {
		c.duplicateTitles(r)
	}
	c.unusedStatic()
}

// templateDirs hold the files whose text may name a static file: the
// layouts and shortcode templates of the site and of the built-in theme.
var templateDirs = []string{"layouts", "shortcodes"}

// unusedStatic lists, in one warning, the files under the site's static/
// that no page of any region links to or shows, and that no template,
// style sheet or script names. It runs only when every region is
// checked: a file may serve one region alone.
func (c *checker) unusedStatic() {
	if c.p.FS == nil || len(c.regions) < len(c.p.Config.Regions) || len(c.regions) < len(c.p.AllRegions) {
		return
	}
	var files []string
	_ = fs.WalkDir(c.p.FS, build.StaticDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		return
	}
	used := c.usedPaths()
	texts := c.templateTexts(files)
	var unused []string
	for _, f := range files {
		rel := strings.TrimPrefix(f, build.StaticDir+"/")
		if used["/"+rel] || slices.ContainsFunc(texts, func(t string) bool { return strings.Contains(t, rel) }) {
			continue
		}
		unused = append(unused, f)
	}
	if len(unused) == 0 {
		return
	}
	c.report(UnusedStatic, "", &diag.Error{File: build.StaticDir,
		Msg:  fmt.Sprintf("%d file%s under static/ used by no page of any region: %s", len(unused), plural(len(unused)), strings.Join(unused, ", ")),
		Hint: "delete them, or link to them from a page"})
}

// usedPaths are the root-relative paths every page of every checked
// region links to or shows.
func (c *checker) usedPaths() map[string]bool {
	used := map[string]bool{}
	for _, r := range c.regions {
		for _, pg := range r.Pages {
			if pg.Facts == nil {
				continue
			}
			for _, l := range slices.Concat(pg.Facts.Links, pg.Facts.Images) {
				if p, _, skip, err := c.parse(pg, l.Dest); err == nil && !skip {
					used[path.Clean(p)] = true
				}
			}
		}
	}
	return used
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
