package theme

import (
	"io/fs"
	"path"
	"testing"

	"github.com/helpgen/helpgen"
)

// TestThemeMinified: every style sheet and script of the theme minifies
// without error to fewer bytes; other files and a site's own are written as
// they are.
func TestThemeMinified(t *testing.T) {
	var files []string
	err := fs.WalkDir(helpgen.Defaults, "static", func(name string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			files = append(files, name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		data, err := fs.ReadFile(helpgen.Defaults, f)
		if err != nil {
			t.Fatal(err)
		}
		switch path.Ext(f) {
		case ".css", ".js":
			n++
			media := map[string]string{".css": "text/css", ".js": "text/javascript"}[path.Ext(f)]
			out, err := themeMinifier.Bytes(media, data)
			if err != nil || len(out) >= len(data) {
				t.Errorf("%s: %d bytes minified to %d: %v", f, len(data), len(out), err)
			}
			t.Logf("%s: %d → %d bytes", f, len(data), len(out))
		default:
			if got := minifyTheme(f, data); string(got) != string(data) {
				t.Errorf("%s changed", f)
			}
		}
	}
	if n < 4 {
		t.Errorf("%d style sheets and scripts in the theme, want at least 4", n)
	}
}
