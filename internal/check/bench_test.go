package check

import (
	"os"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/output"
)

// BenchmarkSites is the checks of a built 1,000-page site of real-sized
// pages, as `helpgen build` runs them: on pages released once rendered,
// and on pages kept whole.
func BenchmarkSites(b *testing.B) {
	dir := b.TempDir()
	if _, err := corpus.Write(dir, corpus.Options{Pages: 1000, Seed: 1, Size: corpus.Real}); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name    string
		release bool
	}{{"released", true}, {"kept", false}} {
		b.Run(bc.name, func(b *testing.B) {
			p, err := build.Load(os.DirFS(dir), helpgen.Defaults, build.LoadOptions{})
			if err != nil {
				b.Fatal(err)
			}
			rep, err := p.Build(output.NewMemOutput(), build.Options{Release: bc.release})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				Sites(p, rep.Sites)
			}
		})
	}
}
