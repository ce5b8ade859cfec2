package build

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/output"
)

// TestReleaseMatchesKept: a build that releases each page once rendered
// writes the bytes and collects the facts of one that keeps them, on many
// workers (run with -race), and every page it rendered is released after.
func TestReleaseMatchesKept(t *testing.T) {
	dir := t.TempDir()
	if _, err := corpus.Write(dir, corpus.Options{Pages: 120, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	build := func(release bool) (*output.MemOutput, *Report, *Project) {
		p, err := Load(os.DirFS(dir), helpgen.Defaults, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out := output.NewMemOutput()
		rep, err := p.Build(out, Options{Release: release, Workers: 4})
		if err != nil {
			t.Fatal(err)
		}
		return out, rep, p
	}
	keptOut, kept, _ := build(false)
	relOut, released, p := build(true)
	if !maps.EqualFunc(keptOut.Files, relOut.Files, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Error("the output differs when pages are released")
	}
	for i, r := range released.Sites {
		for j, pg := range r.Pages {
			if !reflect.DeepEqual(pg.Facts, kept.Sites[i].Pages[j].Facts) {
				t.Errorf("%s %s: facts differ when pages are released", r.Config.Code, pg.Src.File)
			}
		}
	}
	// Released: the text comes from the file again, so a file changed now
	// says so, where a page kept whole would give the text it had.
	for _, cp := range p.Pages {
		if err := os.WriteFile(filepath.Join(dir, cp.File), []byte("---\ntitle: changed\n---\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		var ce *content.ChangedError
		if _, err := cp.Tree(); !errors.As(err, &ce) {
			t.Errorf("%s was not released: Tree() = _, %v", cp.File, err)
		}
	}
}

// TestRunReleases: `helpgen build` releases every page, those published in
// no region too, before the checks; a page the checks read again is the
// one rendered, and one changed since says so.
func TestRunReleases(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "site")
	pages := map[string]string{
		"content/a.md":    "---\ntitle: A\n---\nfirst\n",
		"content/b.md":    "---\ntitle: B\n---\nsecond\n",
		"content/none.md": "---\ntitle: None\ndisabled: [JP, US, CN]\n---\nin no region\n",
	}
	writeSite(t, src, map[string]string{"helpgen.toml": testConfig})
	writeSite(t, src, pages)
	check := func(p *Project, _ []*Region) diag.List {
		for file := range pages {
			if file != "content/a.md" {
				writeSite(t, src, map[string]string{file: pages[file] + "changed\n"})
			}
		}
		for _, cp := range p.Pages {
			text, err := cp.Text()
			var ce *content.ChangedError
			switch {
			case cp.File == "content/a.md" && (err != nil || string(text) != pages[cp.File]):
				t.Errorf("%s read again: %q, %v", cp.File, text, err)
			case cp.File != "content/a.md" && !errors.As(err, &ce):
				t.Errorf("%s changed after it was released: Text() = %q, %v", cp.File, text, err)
			}
		}
		return nil
	}
	if _, err := Run(RunOptions{Site: src, Dest: filepath.Join(root, "public"), Defaults: helpgen.Defaults, Check: check}); err != nil {
		t.Fatal(err)
	}
}

// TestRunFileChangedAfterLoad: `helpgen build` lets go of each page's text
// once it is parsed and reads it again to render it; a file changed in
// between fails the build naming it, and nothing is published.
func TestRunFileChangedAfterLoad(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "site")
	writeSite(t, src, map[string]string{"helpgen.toml": testConfig,
		"content/a.md": "---\ntitle: A\n---\nfirst\n", "content/b.md": "---\ntitle: B\n---\nsecond\n"})
	logf := func(format string, a ...any) {
		if strings.HasPrefix(format, "loaded ") {
			writeSite(t, src, map[string]string{"content/b.md": "---\ntitle: B\n---\nsecond, saved again\n"})
		}
	}
	dest := filepath.Join(root, "public")
	_, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults, Log: logf})
	if err == nil || !strings.Contains(err.Error(), "content/b.md") || !strings.Contains(err.Error(), "changed") {
		t.Fatalf("Run with a file changed after it was loaded: %v; want an error naming content/b.md", err)
	}
	t.Log(err)
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("a failed build left %s: %v", dest, err)
	}
}
