package sitefs

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReadFile compares reading a page four folders deep through the
// site file system with os.DirFS, which follows any link: the cost of
// resolving every path inside an os.Root.
func BenchmarkReadFile(b *testing.B) {
	dir := b.TempDir()
	const name = "content/general/ja/login/unlock.md"
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), make([]byte, 4096), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		fsys fs.FS
	}{{"DirFS", os.DirFS(dir)}, {"sitefs", New(dir)}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := fs.ReadFile(c.fsys, name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
