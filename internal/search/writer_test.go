package search

import (
	"sync"
	"testing"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/corpus"
)

// files records what a writer writes, from several goroutines.
type files struct {
	mu sync.Mutex
	m  map[string]string
}

func (f *files) WriteFile(dir, rel string, data []byte) error {
	f.mu.Lock()
	f.m[dir+"/"+rel] = string(data)
	f.mu.Unlock()
	return nil
}

// A Writer that keeps its dictionaries and buffers from region to region
// writes exactly what a fresh index of each region holds, in every build.
func TestWriterKeepsNothingBetweenRegions(t *testing.T) {
	sites := builtCorpus(t, corpus.Options{Pages: 300, Seed: 3})
	want := map[string]string{}
	for _, r := range sites {
		docs, err := docsOf(r.Pages)
		if err != nil {
			t.Fatal(err)
		}
		ix, err := NewIndex(docs, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ix.Files() {
			want[r.Config.Dir()+"/"+f.Path] = string(f.Data)
		}
	}
	w := Writer(DefaultOptions)
	// The second build starts again from the first region; the third
	// leaves the last one out, so the next build finds a region done.
	for _, sites := range [][]*build.Region{sites, sites, sites[:len(sites)-1], sites} {
		got := &files{m: map[string]string{}}
		for _, r := range sites {
			if err := w.WriteRegion(r, got); err != nil {
				t.Fatal(err)
			}
		}
		n := 0
		for path, data := range got.m {
			if want[path] != data {
				t.Fatalf("%s differs from a fresh index's", path)
			}
			n++
		}
		if n < 100 {
			t.Fatalf("only %d files", n)
		}
	}
}
