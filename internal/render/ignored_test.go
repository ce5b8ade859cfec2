package render

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/diag"
)

// TestEditorFilesSkipped: an editor's swap, backup or lock file beside a
// layout, a shortcode template or an i18n table is not read: saving a
// template in vim must not break the build (content/ skips the same names).
func TestEditorFilesSkipped(t *testing.T) {
	site := fstest.MapFS{
		"layouts/_default/.single.html.swp": {Data: []byte("\x00{{ end")},
		"layouts/partials/head.html~":       {Data: []byte("{{ if }}")},
		"shortcodes/.note.html.swp":         {Data: []byte("{{")},
		"shortcodes/box.html~":              {Data: []byte("{{ .Inner ")},
		"shortcodes/4913":                   {Data: []byte("{{")},
		"i18n/.#en.toml":                    {Data: []byte("= broken")},
		"i18n/en.toml.bak":                  {Data: []byte("= broken")},
	}
	tpl, err := Load(site, helpgen.Defaults)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range tpl.ShortcodeNames() {
		if n == "box" || slices.Contains([]string{".note", "box.html~", "4913"}, n) {
			t.Errorf("an editor's file became shortcode %q", n)
		}
	}
}

// TestSiteI18nErrorNamed: an error in a site's i18n table names the site's
// file, not the built-in one.
func TestSiteI18nErrorNamed(t *testing.T) {
	_, err := Load(fstest.MapFS{"i18n/en.toml": {Data: []byte("x = \"a\"\n= broken\n")}}, helpgen.Defaults)
	if err == nil || !strings.HasPrefix(err.Error(), "i18n/en.toml:2:") || !strings.Contains(diag.Flatten(err)[0].Detail(), "\n    = broken\n") {
		t.Errorf("got %v, want it at i18n/en.toml:2 with its line", err)
	}
}
