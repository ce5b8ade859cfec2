package searchbench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/search"
)

// BenchmarkIndexWriter indexes every region of a rendered 1,000-page corpus.
func BenchmarkIndexWriter(b *testing.B) {
	site := filepath.Join(b.TempDir(), "site")
	if _, err := corpus.Write(site, corpus.Options{Pages: 1000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	proj, err := build.Load(os.DirFS(site), helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var regions []*build.Region
	rep, err := proj.Build(build.NewMemOutput(), build.Options{})
	if err != nil {
		b.Fatal(err)
	}
	regions = rep.Sites
	w := search.Writer(search.DefaultOptions)
	b.ResetTimer()
	for b.Loop() {
		out := build.NewMemOutput()
		for _, r := range regions {
			if err := w(proj, r, out); err != nil {
				b.Fatal(err)
			}
		}
	}
}
