package render

import (
	"io/fs"
	"path"
	"strings"

	"github.com/helpgen/helpgen/internal/sitefs"
)

// Where a site's templates are, as in Hugo: shortcodes in shortcodes/ or
// layouts/shortcodes/ (sub-folders too: {{< sc/sub >}}), partials and
// layouts in layouts/, and, when helpgen.toml names a theme, the theme's
// shortcodes, partials and i18n tables under themes/NAME/. A site's file
// wins over the theme's, the theme's over helpgen's own.
const (
	hugoShortcodes = "shortcodes/"       // under layouts/
	hugoMarkup     = "_default/_markup/" // render hooks, under layouts/
	ThemesDir      = sitefs.ThemesDir
)

// themeLayer is the layer of the theme's folder dir (layouts, i18n…), walked
// from themes/ so that a linked themes/ folder is followed.
func themeLayer(site fs.FS, theme, dir string) layer {
	return layer{fsys: site, dir: ThemesDir, sub: path.Join(theme, dir) + "/"}
}

// layoutLayers are the folders layouts and partials come from. Of a Hugo
// theme only its render hooks and the partials helpgen's theme does not
// have are taken: its page layouts and its head or footer would replace
// helpgen's.
func layoutLayers(site, defaults fs.FS, theme string) []layer {
	notShortcode := func(name string) bool {
		return !strings.HasPrefix(name, hugoShortcodes)
	}
	ls := []layer{{fsys: defaults, dir: LayoutsDir, builtIn: true}}
	if theme != "" {
		tl := themeLayer(site, theme, LayoutsDir)
		tl.keep = func(name string) bool {
			if strings.HasPrefix(name, hugoMarkup) || strings.HasPrefix(name, "_markup/") {
				return true // render hooks (hooks.go)
			}
			if !isPartial(name) || defaults == nil {
				return isPartial(name)
			}
			_, err := fs.Stat(defaults, LayoutsDir+"/"+name)
			return err != nil
		}
		ls = append(ls, tl)
	}
	return append(ls, layer{fsys: site, dir: LayoutsDir, keep: notShortcode})
}

// shortcodeLayers are the folders shortcode templates come from.
func shortcodeLayers(site, defaults fs.FS, theme string) []layer {
	ls := []layer{{fsys: defaults, dir: ShortcodesDir, builtIn: true}}
	if theme != "" {
		ls = append(ls, themeLayer(site, theme, LayoutsDir+"/"+strings.TrimSuffix(hugoShortcodes, "/")))
	}
	return append(ls,
		layer{fsys: site, dir: LayoutsDir, sub: hugoShortcodes},
		layer{fsys: site, dir: ShortcodesDir})
}
