package sitefs_test

import (
	"io/fs"
	"os"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// BenchmarkLoadSite reads and parses a generated 1,000-page site through
// each file system: the share of the site file system in loading a site.
func BenchmarkLoadSite(b *testing.B) {
	dir := b.TempDir()
	if _, err := corpus.Write(dir, corpus.Options{Pages: 1000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		fsys fs.FS
	}{{"DirFS", os.DirFS(dir)}, {"sitefs", sitefs.New(dir)}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := build.Load(c.fsys, helpgen.Defaults, build.LoadOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
