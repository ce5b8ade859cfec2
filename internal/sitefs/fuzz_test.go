package sitefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzSiteFS builds a site of links chosen by the input (out of the site,
// absolute, inside, into loops, dangling, through folders) and reads and
// walks every path: no bytes from outside the site ever come back, every
// refusal names a link, and nothing panics or hangs.
func FuzzSiteFS(f *testing.F) {
	for _, s := range []string{"\x00\x00", "\x01\x02\x03\x04", "\x05\x06\x07\x08\x09\x0a", "\x10\x21\x32\x43\x54\x65\x76"} {
		f.Add([]byte(s))
	}
	names := []string{"content/a.md", "content/b.md", "content/d", "content/d/x.md", "static", "layouts", "src/y.md", "i18n/en.toml"}
	targets := []string{"../outside/secret.md", "$OUT/secret.md", "$SITE/src/real.md", "../src/real.md", "a.md", "b.md",
		"d", "../../outside", ".", "..", "x.md", "/proc/self/environ", "$OUT", "../content", "nowhere", "$SITE"}
	f.Fuzz(func(t *testing.T, data []byte) {
		base := t.TempDir()
		dir, outside := filepath.Join(base, "site"), filepath.Join(base, "outside")
		for _, p := range []string{"site/src/real.md", "outside/secret.md"} {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(base, p)), 0o755); err != nil {
				t.Fatal(err)
			}
			text := "inside"
			if strings.HasPrefix(p, "outside") {
				text = secret
			}
			if err := os.WriteFile(filepath.Join(base, p), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i+1 < len(data) && i < 16; i += 2 {
			link := filepath.Join(dir, names[int(data[i])%len(names)])
			target := targets[int(data[i+1])%len(targets)]
			target = strings.ReplaceAll(strings.ReplaceAll(target, "$OUT", outside), "$SITE", dir)
			_ = os.MkdirAll(filepath.Dir(link), 0o755)
			_ = os.Symlink(target, link) // a name taken already stays as it is
		}
		fsys := New(dir)
		check := func(p string, b []byte, err error) {
			if strings.Contains(string(b), secret) {
				t.Fatalf("%s: read the file outside the site", p)
			}
			var le *LinkError
			if errors.As(err, &le) && (le.Link == "" || strings.Contains(le.Error(), secret)) {
				t.Fatalf("%s: %v", p, err)
			}
		}
		for _, p := range append(names, "content/d/x.md/y", "src", "content") {
			b, err := fsys.ReadFile(p)
			check(p, b, err)
			_, err = fsys.Stat(p)
			check(p, nil, err)
		}
		_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, err := fsys.ReadFile(p)
				check(p, b, err)
			}
			return nil
		})
	})
}
