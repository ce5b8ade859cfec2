package serve

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/corpus"
)

// corpusSite writes the 5,000-page generated site and picks a page with
// template shortcodes to edit.
func corpusSite(b *testing.B) (dir, file string, src []byte) {
	b.Helper()
	dir = b.TempDir()
	if _, err := corpus.Write(dir, corpus.Options{Pages: 5000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	e := newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
	p, err := build.Load(e.fsys, e.defaults, e.load)
	if err != nil {
		b.Fatal(err)
	}
	for _, cp := range p.Pages {
		if text, _ := cp.Text(); !cp.Section && bytes.Contains(text, []byte("{{<")) {
			return dir, cp.File, text
		}
	}
	b.Fatal("no page with shortcodes")
	return
}

// edit is the page with one paragraph's words changed, as a writer's save.
func edit(src []byte, i int) []byte {
	return bytes.Replace(src, []byte("\n\n"), []byte("\n\n編集 "+strconv.Itoa(i)+" 回目の文。\n\n"), 1)
}

// BenchmarkBodyEdit is edit-to-ready for a body edit of one page of the
// 5,000-page site in every region: "rebuild" is the rebuild itself (read
// and parse the file, render it in 3 regions, refresh the search index of
// each, swap into the served site); "watched" is the whole path a writer
// waits for, from writing the file through fsnotify and the debounce to
// the page being served.
func BenchmarkBodyEdit(b *testing.B) {
	dir, file, src := corpusSite(b)
	b.Run("rebuild", func(b *testing.B) {
		e := newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
		if _, err := e.full("first"); err != nil {
			b.Fatal(err)
		}
		i := 0
		for b.Loop() {
			i++
			if err := os.WriteFile(filepath.Join(dir, file), edit(src, i), 0o644); err != nil {
				b.Fatal(err)
			}
			rep, err := e.rebuild([]string{file})
			if err != nil || rep.pages != 3 {
				b.Fatalf("rebuilt %v pages: %v", rep, err)
			}
			b.StopTimer()
			if _, err := e.reindex(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	})
	b.Run("index", func(b *testing.B) {
		e := newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
		if _, err := e.full("first"); err != nil {
			b.Fatal(err)
		}
		i := 2000
		for b.Loop() {
			i++
			b.StopTimer()
			if err := os.WriteFile(filepath.Join(dir, file), edit(src, i), 0o644); err != nil {
				b.Fatal(err)
			}
			if _, err := e.rebuild([]string{file}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if rep, err := e.reindex(); err != nil || rep == nil {
				b.Fatalf("no index refresh: %v", err)
			}
		}
	})
	b.Run("watched", func(b *testing.B) {
		srv := start(b, dir)
		out := strings.TrimSuffix(strings.TrimPrefix(file, "content/"), ".md") + ".html"
		var total, checked time.Duration
		i := 1000
		for b.Loop() {
			i++
			t0 := time.Now()
			if err := os.WriteFile(filepath.Join(dir, file), edit(src, i), 0o644); err != nil {
				b.Fatal(err)
			}
			for {
				rb := <-srv.rebuilt
				if len(rb.Errors) > 0 {
					b.Fatal(rb.Errors)
				}
				if containsAll(rb.Changed, out) {
					total += rb.Served.Sub(t0)
					checked += time.Since(t0)
					break
				}
			}
			// The search index follows the page; the next edit waits for it.
			for rb := range srv.rebuilt {
				if strings.HasPrefix(rb.What, "search index") {
					break
				}
			}
		}
		b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/edit")
		b.ReportMetric(float64(checked.Microseconds())/1000/float64(b.N), "ms/checked")
	})
	// "backtoback" is a second save 100 ms after the first is served,
	// while the first one's search index is still being refreshed: the
	// second page must not wait for that index.
	b.Run("backtoback", func(b *testing.B) {
		srv := start(b, dir)
		out := strings.TrimSuffix(strings.TrimPrefix(file, "content/"), ".md") + ".html"
		served := func(i int) time.Duration {
			t0 := time.Now()
			if err := os.WriteFile(filepath.Join(dir, file), edit(src, i), 0o644); err != nil {
				b.Fatal(err)
			}
			for {
				rb := <-srv.rebuilt
				if len(rb.Errors.Errors()) > 0 {
					b.Fatal(rb.Errors)
				}
				if containsAll(rb.Changed, out) {
					return rb.Served.Sub(t0)
				}
			}
		}
		var first, second, worst time.Duration
		i := 3000
		for b.Loop() {
			i += 2
			first += served(i)
			time.Sleep(100 * time.Millisecond)
			d := served(i + 1)
			second += d
			worst = max(worst, d)
			for rb := range srv.rebuilt {
				if strings.HasPrefix(rb.What, "search index") {
					break
				}
			}
		}
		b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "ms/first")
		b.ReportMetric(float64(second.Microseconds())/1000/float64(b.N), "ms/second")
		b.ReportMetric(float64(worst.Microseconds())/1000, "ms/worst")
	})
}

// containsAll reports whether changed holds out in all three regions.
func containsAll(changed []string, out string) bool {
	n := 0
	for _, c := range changed {
		if strings.HasSuffix(c, "/"+out) {
			n++
		}
	}
	return n == 3
}
