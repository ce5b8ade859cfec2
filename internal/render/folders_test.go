package render

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen/internal/shortcode"
)

// TestTemplateFolders: shortcodes are found in shortcodes/, in Hugo's
// layouts/shortcodes/ (sub-folders too) and in the theme's; the site's file
// wins over the theme's, the theme's over helpgen's own. Of the theme's
// layouts only partials helpgen lacks are taken.
func TestTemplateFolders(t *testing.T) {
	f := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	defaults := fstest.MapFS{
		"shortcodes/note.html":       f("builtin-note"),
		"shortcodes/hint.html":       f("builtin-hint"),
		"layouts/partials/head.html": f("builtin-head"),
	}
	site := fstest.MapFS{
		"themes/help/layouts/shortcodes/note.html":   f("theme-note"),
		"themes/help/layouts/shortcodes/tile.html":   f("theme-tile"),
		"themes/help/layouts/shortcodes/sc/sub.html": f("theme-sub"),
		"themes/help/layouts/partials/head.html":     f("theme-head"),
		"themes/help/layouts/partials/banner.html":   f("theme-banner"),
		"themes/help/layouts/_default/single.html":   f("theme-single"),
		"themes/help/i18n/ja.toml":                   f("x = \"theme\"\ny = \"theme\"\n"),
		"layouts/shortcodes/tile.html":               f("site-tile"),
		"shortcodes/hint.html":                       f("site-hint"),
		"i18n/ja.toml":                               f("y = \"site\"\n"),
	}
	tpl, err := LoadTheme(site, defaults, "help")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"note": "theme-note", "hint": "site-hint", "tile": "site-tile", "sc/sub": "theme-sub"} {
		got, err := tpl.Shortcode(context.Background(), name, NewShortcodeContext(&shortcode.Call{Name: name}, nil, &Site{}, &PageRef{Lang: "ja"}, 0))
		if err != nil || got != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	if !tpl.HasLayout("partials/banner.html") || tpl.HasLayout("_default/single.html") {
		t.Error("the theme's partial helpgen lacks is a layout; its page layouts are not")
	}
	if !tpl.IsBuiltIn("partials/head.html") {
		t.Error("the theme's head.html replaced helpgen's")
	}
	if tpl.T("x", "ja") != "theme" || tpl.T("y", "ja") != "site" {
		t.Errorf("i18n x=%q y=%q", tpl.T("x", "ja"), tpl.T("y", "ja"))
	}
	if _, err := LoadTheme(site, defaults, ""); err != nil {
		t.Fatal(err)
	}
	plain, _ := LoadTheme(site, defaults, "")
	if _, ok := plain.Kind("sc/sub"); ok {
		t.Error("without theme = \"help\", the theme's shortcodes are not read")
	}
}
