package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/search"
)

// spySpiller is a writer that spills: it records what its spills are
// handed and what the pages hold when their regions are written.
type spySpiller struct {
	failAt   int   // the page whose Take fails, from 1; 0 never
	failWith error // its error; nil: a full disk's

	mu       sync.Mutex
	spills   int
	closed   int
	taken    map[*Page]int
	withText int // pages taken with their sections
	written  int // regions written
	problems []string
}

func (s *spySpiller) problem(format string, a ...any) {
	s.problems = append(s.problems, fmt.Sprintf(format, a...))
}

// WriteRegion is the writer of a build that does not spill.
func (s *spySpiller) WriteRegion(r *Region, _ model.FileWriter) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.written++
	return nil
}

func (s *spySpiller) Spill(dir string) model.SpillWriter {
	s.mu.Lock()
	defer s.mu.Unlock()
	if dir == "" {
		s.problem("spill without a folder")
	}
	s.spills++
	s.taken = map[*Page]int{}
	return (*spyTake)(s)
}

type spyTake spySpiller

func (t *spyTake) Take(pg *Page) error {
	s := (*spySpiller)(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.written > 0 {
		s.problem("%s taken after a region was written", pg.Src.URL)
	}
	s.taken[pg]++
	if len(pg.Facts.Sections) > 0 {
		s.withText++
	}
	if n := len(s.taken); n == s.failAt {
		if s.failWith != nil {
			return s.failWith
		}
		return &fs.PathError{Op: "write", Path: "/tmp/helpgen-spill", Err: syscall.ENOSPC}
	}
	return nil
}

func (t *spyTake) WriteRegion(r *Region, _ model.FileWriter) error {
	s := (*spySpiller)(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.written++
	for _, pg := range r.Pages {
		if s.taken[pg] != 1 {
			s.problem("%s %s taken %d times", r.Config.Code, pg.Src.URL, s.taken[pg])
		}
		if pg.Facts.Sections != nil {
			s.problem("%s %s kept its sections", r.Config.Code, pg.Src.URL)
		}
	}
	return nil
}

func (t *spyTake) Close() error {
	s := (*spySpiller)(t)
	s.mu.Lock()
	s.closed++
	s.mu.Unlock()
	return nil
}

var spillSite = map[string]string{
	"helpgen.toml":        testConfig,
	"content/_index.md":   "---\ntitle: Home\n---\nwelcome\n",
	"content/a.md":        "---\ntitle: A\n---\nfirst\n\n## Part {#part}\n\ntext of {{%service%}}\n",
	"content/b.md":        "---\ntitle: B\n---\n{{% enabled JP %}}only JP{{% /enabled %}}\n",
	"content/c/_index.md": "---\ntitle: C\n---\nsection\n",
	"content/c/d.md":      "---\ntitle: D\n---\n### deep\n\nbody\n",
}

// `helpgen build` hands every page of every region, rendered or reused
// from the cache, to the writer's spill once, before any region is
// written, which then finds no page holding its sections; the cache keeps
// them, so a warm build hands over the same text.
func TestRunSpills(t *testing.T) {
	root := t.TempDir()
	src, dest, tmp := filepath.Join(root, "site"), filepath.Join(root, "public"), filepath.Join(root, "tmp")
	writeSite(t, src, spillSite)
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	var first int
	for i, cache := range []bool{false, true, true} {
		spy := &spySpiller{}
		res, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults, Writers: []RegionWriter{spy}, Cache: cache, spillDir: tmp})
		if err != nil {
			t.Fatal(err)
		}
		pages := 0
		for _, r := range res.Regions {
			pages += r.Pages
		}
		if spy.spills != 1 || spy.closed != 1 || spy.written != 3 || len(spy.taken) != pages || len(spy.problems) > 0 {
			t.Fatalf("build %d: %d spills, %d closed, %d regions written, %d of %d pages taken; %v",
				i, spy.spills, spy.closed, spy.written, len(spy.taken), pages, spy.problems)
		}
		if i == 0 {
			first = spy.withText
		}
		if spy.withText != first || first < pages/2 {
			t.Fatalf("build %d: %d pages taken with text, the first build %d of %d", i, spy.withText, first, pages)
		}
		if i == 2 && res.Reused != pages {
			t.Fatalf("the warm build reused %d of %d pages", res.Reused, pages)
		}
	}
}

// Only a one-shot build spills, and only when every writer can: a writer
// that reads the sections at the end gets them.
func TestNoSpill(t *testing.T) {
	tests := []struct {
		name     string
		spillDir string
		writers  func(spy *spySpiller) []RegionWriter
	}{
		{"no folder (an engine that is updated)", "", func(spy *spySpiller) []RegionWriter { return []RegionWriter{spy} }},
		{"a writer that cannot spill", "/tmp", func(spy *spySpiller) []RegionWriter {
			return []RegionWriter{spy, RegionWriterFunc(func(r *Region, _ model.FileWriter) error {
				if r.Pages[0].Facts.Sections == nil {
					return errors.New("no sections")
				}
				return nil
			})}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Load(site(spillSite), helpgen.Defaults, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			spy := &spySpiller{}
			if _, err := p.Build(output.NewMemOutput(), Options{Writers: tt.writers(spy), SpillDir: tt.spillDir}); err != nil {
				t.Fatal(err)
			}
			if spy.spills != 0 || spy.written != 3 {
				t.Fatalf("%d spills, %d regions written", spy.spills, spy.written)
			}
		})
	}
}

// A spill that fails (a full temporary folder) fails the build with what
// failed, leaves DEST as it was and closes the spill.
func TestSpillFailure(t *testing.T) {
	root := t.TempDir()
	src, dest := filepath.Join(root, "site"), filepath.Join(root, "public")
	writeSite(t, src, spillSite)
	if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dest)
	spy := &spySpiller{failAt: 4}
	_, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults, Writers: []RegionWriter{spy}, spillDir: root})
	if err == nil {
		t.Fatal("the build succeeded")
	}
	for _, want := range []string{root, "cannot keep the search text", "no space left on device"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, err)
		}
	}
	if we := (*output.WriteError)(nil); !errors.As(err, &we) || !strings.Contains(we.Diag.Hint, "TMPDIR") {
		t.Errorf("the error is not a write error with a hint naming TMPDIR: %#v", err)
	}
	if spy.closed != 1 || spy.written != 0 {
		t.Errorf("%d closed, %d regions written", spy.closed, spy.written)
	}
	assertUnchanged(t, root, dest, before)
}

// A spill's error that is not the file system's (a page too large for the
// index) fails the build as it is, without a hint about TMPDIR.
func TestSpillOtherFailure(t *testing.T) {
	root := t.TempDir()
	src, dest := filepath.Join(root, "site"), filepath.Join(root, "public")
	writeSite(t, src, spillSite)
	spy := &spySpiller{failAt: 2, failWith: errors.New("search: page /a.html holds more text than the index takes")}
	_, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults, Writers: []RegionWriter{spy}, spillDir: root})
	if err == nil || !strings.Contains(err.Error(), "more text than the index takes") || strings.Contains(err.Error(), "cannot keep the search text") {
		t.Fatalf("the build's error = %v; want the spill's own", err)
	}
	if we := (*output.WriteError)(nil); errors.As(err, &we) {
		t.Errorf("a spill's own error became a write error: %v", err)
	}
}

// A temporary folder where no file can be made does not fail the build:
// it keeps the search text in memory, says so with -v, and writes what a
// spilling build writes.
func TestSpillUnusableFolder(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "site")
	writeSite(t, src, spillSite)
	spilled, kept := filepath.Join(root, "spilled"), filepath.Join(root, "kept")
	if _, err := Run(RunOptions{Site: src, Dest: spilled, Defaults: helpgen.Defaults, Writers: []RegionWriter{search.Writer(search.DefaultOptions)}, spillDir: root}); err != nil {
		t.Fatal(err)
	}
	var said []string
	logf := func(format string, a ...any) { said = append(said, fmt.Sprintf(format, a...)) }
	missing := filepath.Join(root, "no such folder")
	if _, err := Run(RunOptions{Site: src, Dest: kept, Defaults: helpgen.Defaults, Writers: []RegionWriter{search.Writer(search.DefaultOptions)}, spillDir: missing, Log: logf}); err != nil {
		t.Fatalf("a missing temporary folder failed the build: %v", err)
	}
	if !slices.ContainsFunc(said, func(s string) bool { return strings.Contains(s, "keeping the search text in memory") }) {
		t.Errorf("-v did not say the text is kept in memory: %q", said)
	}
	a, b := contents(t, spilled), contents(t, kept)
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d files spilled, %d kept", len(a), len(b))
	}
	for k, v := range a {
		if b[k] != v {
			t.Errorf("%s differs", k)
		}
	}
}

// contents is every file under dir by path, with its bytes.
func contents(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		m[strings.TrimPrefix(p, dir)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
