package sitefs

import (
	"fmt"
	"os"
	"path"
	"strings"
)

// The layout of a site: every folder name helpgen reads, which file names
// in them are not part of the site, and what a change to each means. Build,
// serve, check and migrate take this knowledge from here.
const (
	ConfigFile    = "helpgen.toml" // at the site root
	ContentDir    = "content"      // the pages
	LayoutsDir    = "layouts"      // page templates, overriding the theme's
	ShortcodesDir = "shortcodes"   // shortcode templates
	StaticDir     = "static"       // copied into every region as is
	I18nDir       = "i18n"         // translations of the theme's words
	DataDir       = "data"         // .Site.Data
	ThemesDir     = "themes"       // Hugo themes
)

// Folders are the folders of a site that helpgen reads. The site root
// itself holds ConfigFile.
var Folders = []string{ContentDir, LayoutsDir, ShortcodesDir, StaticDir, I18nDir, DataDir, ThemesDir}

// Ignored reports whether a file or folder name under content/ (or
// layouts/, shortcodes/, i18n/) is not part of the site: hidden, or an
// editor's swap, lock, backup or temporary file. Saving a page makes several
// of these appear and vanish (an Emacs lock .#page.md is a dangling link), so
// the build and serve's watcher skip the same names.
func Ignored(name string) bool {
	switch {
	case name == "":
		return false
	case EditorTemp(name), strings.HasPrefix(name, "."): // .page.md.swp, .DS_Store
		return true
	}
	switch path.Ext(name) {
	case ".tmp", ".bak":
		return true
	}
	return false
}

// EditorTemp reports whether a file name is one an editor makes while
// saving: swap, lock, backup, write-test or temporary file. Under static/
// only these are skipped, since a hidden name such as .well-known, or
// data.bak, is a real file of the site there.
func EditorTemp(name string) bool {
	switch {
	case name == "":
		return false
	case strings.HasPrefix(name, ".#"), // Emacs lock, a dangling link
		strings.HasSuffix(name, "~"),                                 // page.md~
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"), // #page.md#
		name == "4913", // vim's write test
		strings.HasPrefix(name, ".goutputstream-"),
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	switch path.Ext(name) {
	case ".swp", ".swo", ".swx", ".swpx", ".crswap", ".kate-swp":
		return true
	}
	return false
}

// Skipped reports whether a slash path from the site root is not part of
// the site: under static/ only editors' temporary files are skipped (a
// .well-known/ folder is published), elsewhere hidden names too.
func Skipped(p string) bool {
	parts := strings.Split(p, "/")
	skip := Ignored
	if parts[0] == StaticDir {
		skip = EditorTemp
	}
	for _, part := range parts {
		if skip(part) {
			return true
		}
	}
	return false
}

// Kind is what a changed path means for the site.
type Kind int

const (
	KindIgnore  Kind = iota // not read by helpgen
	KindContent             // a page (or a folder of pages)
	KindStatic              // a static file (or a folder of them)
	KindAll                 // what every page uses: config, templates, i18n, data, themes
)

// Classify says what a changed slash path from the site root touches.
func Classify(p string) Kind {
	top, _, _ := strings.Cut(p, "/")
	switch top {
	case ConfigFile:
		if p == ConfigFile {
			return KindAll
		}
	case LayoutsDir, ShortcodesDir, I18nDir, DataDir, ThemesDir:
		return KindAll
	case ContentDir:
		return KindContent
	case StaticDir:
		return KindStatic
	}
	return KindIgnore
}

// CheckRoot reports a site folder (as given with -s) that is not there, or
// not a folder.
func CheckRoot(dir string) error {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("site folder %q does not exist (pass -s SITE)", dir)
	}
	return nil
}
