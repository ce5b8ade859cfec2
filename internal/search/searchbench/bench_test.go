package searchbench

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/search"
)

// discard is an Output that keeps nothing, so the benchmark measures the
// index rather than copying its files.
type discard struct{}

func (discard) WriteFile(dir, rel string, data []byte) error { return nil }

// BenchmarkIndexWriter indexes every region of a rendered 1,000-page corpus.
// cpu-ms/op is the process's CPU time, which other work on a shared machine
// disturbs less than wall time.
func BenchmarkIndexWriter(b *testing.B) {
	site := filepath.Join(b.TempDir(), "site")
	if _, err := corpus.Write(site, corpus.Options{Pages: 1000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	proj, err := build.Load(os.DirFS(site), helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	rep, err := proj.Build(output.NewMemOutput(), build.Options{})
	if err != nil {
		b.Fatal(err)
	}
	w := search.Writer(search.DefaultOptions)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		for _, r := range rep.Sites {
			if err := w.WriteRegion(r, discard{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
