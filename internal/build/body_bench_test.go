package build

import (
	"context"
	"testing"

	"github.com/helpgen/helpgen/internal/corpus"
)

// BenchmarkRenderBodies renders the body of every page of a generated
// 500-page site of real-sized pages in every region, sharing work between a
// page's regions as Build does: the body pipeline alone, without layout,
// search or output.
func BenchmarkRenderBodies(b *testing.B) {
	dir := b.TempDir()
	if _, err := corpus.Write(dir, corpus.Options{Pages: 500, Seed: 1, Size: corpus.Real}); err != nil {
		b.Fatal(err)
	}
	p, regions := loadBench(b, dir)
	b.ReportAllocs()
	var w pageWork
	for b.Loop() {
		for _, cp := range p.Pages {
			w.reset()
			for _, r := range regions {
				if pg := r.ByURL[cp.URL]; pg != nil {
					if err := p.renderBody(context.Background(), pg, &w); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	}
}
