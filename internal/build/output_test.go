package build

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/output"
)

// hashTree maps every entry under dir to its type and, for a file, the
// SHA-256 of its bytes and its modification time: two equal maps mean a
// byte-identical tree.
func hashTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			m[rel] = "dir"
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			m[rel] = "link " + target
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			m[rel] = hex.EncodeToString(sum[:]) + " " + info.ModTime().String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// sameTree fails t with the differences between two hashTree maps.
func sameTree(t testing.TB, what string, before, after map[string]string) {
	t.Helper()
	var diffs []string
	for _, k := range slices.Sorted(maps.Keys(before)) {
		if a, ok := after[k]; !ok {
			diffs = append(diffs, "removed "+k)
		} else if a != before[k] {
			diffs = append(diffs, "changed "+k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if _, ok := before[k]; !ok {
			diffs = append(diffs, "added "+k)
		}
	}
	if len(diffs) > 0 {
		if len(diffs) > 10 {
			diffs = append(diffs[:10], fmt.Sprintf("… %d more", len(diffs)-10))
		}
		t.Fatalf("%s changed:\n%s", what, strings.Join(diffs, "\n"))
	}
}

// TestSecondWriteNeverReachesDest: a file staged as a hard link to DEST's
// unchanged copy and then written again in the same build must not change
// DEST, whether the build is then aborted or committed.
func TestSecondWriteNeverReachesDest(t *testing.T) {
	for _, commit := range []bool{false, true} {
		t.Run(fmt.Sprintf("commit=%v", commit), func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			writeSite(t, dest, map[string]string{"jp/404.html": "not found", "jp/a.html": "a"})
			keep, err := os.Open(filepath.Join(dest, "jp", "404.html")) // the published file, as a server holds it
			if err != nil {
				t.Fatal(err)
			}
			defer keep.Close()
			before := hashTree(t, dest)
			out, err := output.NewDirOutput(dest)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []struct{ rel, data string }{{"404.html", "not found"}, {"a.html", "a"}, {"404.html", "a redirect"}} {
				if err := out.WriteFile("jp", w.rel, []byte(w.data)); err != nil {
					t.Fatal(err)
				}
			}
			if st := out.Stats("jp"); st.Unchanged != 2 {
				t.Fatalf("the unchanged files were not linked: %+v", st)
			}
			if b, _ := os.ReadFile(filepath.Join(out.Staging(), "jp", "404.html")); string(b) != "a redirect" {
				t.Fatalf("staged 404.html holds %q", b)
			}
			if !commit {
				if err := out.Abort(); err != nil {
					t.Fatal(err)
				}
				sameTree(t, "DEST", before, hashTree(t, dest))
				return
			}
			if err := out.Commit([]string{"jp"}); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(filepath.Join(dest, "jp", "404.html")); string(b) != "a redirect" {
				t.Errorf("committed 404.html holds %q", b)
			}
			// The file a reader had open keeps the old bytes.
			b := make([]byte, 64)
			n, _ := keep.ReadAt(b, 0)
			if string(b[:n]) != "not found" {
				t.Errorf("the replaced file now holds %q", b[:n])
			}
		})
	}
}

// scenarioSite is a small site whose first build is published before each
// scenario of TestCollisionsLeaveDestUnchanged changes it. A scenario edits
// content/x.md's front matter, so that every other file of the site keeps
// its bytes and is staged as a link to the published copy.
var scenarioSite = map[string]string{
	"helpgen.toml":             testConfig,
	"content/a.md":             "---\ntitle: A\naliases: [/id/1]\n---\nfirst [b](/b.html)\n",
	"content/b.md":             "---\ntitle: B\n---\nsecond\n",
	"content/x.md":             "---\ntitle: X\n---\nx\n",
	"content/sec/_index.md":    "---\ntitle: Section\n---\n",
	"content/sec/c.md":         "---\ntitle: C\nenabled: [JP]\n---\nthird\n",
	"static/img/logo.png":      "png",
	"static/downloads/a.txt":   "text",
	"static/.well-known/x.txt": "x",
}

// TestCollisionsLeaveDestUnchanged: two sources of one output path are an
// error naming both with their positions, reported before anything is
// written; the published site keeps every byte. The first three are the
// issue's reproductions: an alias over the 404 page (with a broken link
// failing the checks), an alias / on a site without a home page, and a
// static file at a page's URL.
func TestCollisionsLeaveDestUnchanged(t *testing.T) {
	brokenLink := func(*Project, []*Region) diag.List {
		return diag.List{{File: "content/x.md", Line: 4, Col: 1, Msg: "link to /nope.html: no such page"}}
	}
	tests := []struct {
		name  string
		add   map[string]string
		check func(*Project, []*Region) diag.List
		want  []string
	}{
		{"alias over the 404 page", map[string]string{"content/x.md": "---\ntitle: X\naliases: [\"/404.html\"]\n---\n[gone](/nope.html)\n"}, brokenLink,
			[]string{"content/x.md:3:12: alias /404.html writes /404.html, as does helpgen's 404 page [CN, JP, US]", `aliases: ["/404.html"]`}},
		{"alias / without a home page", map[string]string{"content/x.md": "---\ntitle: X\naliases:\n  - /\n---\nx\n"}, nil,
			[]string{"content/x.md:4:5: alias / writes /index.html, as does helpgen's home page"}},
		{"static file at a page's URL", map[string]string{"static/b.html": "<p>static</p>"}, nil,
			[]string{"content/b.md: page writes /b.html, as does static file static/b.html [CN, JP, US]"}},
		{"alias at another page's URL", map[string]string{"content/x.md": "---\ntitle: X\naliases: [/b.html]\n---\nx\n"}, nil,
			[]string{"content/x.md:3:11: alias /b.html writes /b.html, as does page content/b.md"}},
		{"alias at a section", map[string]string{"content/x.md": "---\ntitle: X\naliases: [/sec/]\n---\nx\n"}, nil,
			[]string{"content/x.md:3:11: alias /sec/ writes /sec/index.html, as does page content/sec/_index.md"}},
		{"two pages' aliases", map[string]string{"content/x.md": "---\ntitle: X\naliases: [/id/1/]\n---\nx\n"}, nil,
			[]string{"content/x.md:3:11: alias /id/1/ writes /id/1/index.html, as does alias /id/1 at content/a.md:3:11"}},
		{"an alias in one region only", map[string]string{"content/x.md": "---\ntitle: X\nenabled: [US]\naliases: [/b.html]\n---\nx\n"}, nil,
			[]string{"alias /b.html writes /b.html, as does page content/b.md [US]"}},
		{"static file at an alias", map[string]string{"static/id/1/index.html": "x"}, nil,
			[]string{"content/a.md:3:11: alias /id/1 writes /id/1/index.html, as does static file static/id/1/index.html"}},
		{"page at the navigation tree", map[string]string{"content/_nav/t.md": "---\ntitle: T\n---\nx\n"}, nil,
			[]string{"content/_nav/t.md: page writes /_nav/t.html, as does helpgen's navigation tree of /"}},
		{"static file at the navigation tree", map[string]string{"static/_nav/t.html": "x"}, nil,
			[]string{"static/_nav/t.html: static file writes /_nav/t.html, as does helpgen's navigation tree of /"}},
		{"a page where a static file needs a folder", map[string]string{"static/b.html/x.png": "x"}, nil,
			[]string{"content/b.md: page writes /b.html as a file, but static file static/b.html/x.png writes /b.html/x.png inside it"}},
		{"a static file where an alias needs a folder", map[string]string{"static/id": "x"}, nil,
			[]string{"content/a.md:3:11: alias /id/1 writes /id/1/index.html inside /id, which static file static/id writes as a file"}},
		{"an alias over a theme file", map[string]string{"content/x.md": "---\ntitle: X\naliases: [/_theme/search.js]\n---\nx\n"}, nil,
			[]string{"content/x.md:3:11: alias /_theme/search.js writes /_theme/search.js/index.html inside /_theme/search.js, which the theme's static/_theme/search.js writes as a file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			src, dest := filepath.Join(root, "site"), filepath.Join(root, "public")
			writeSite(t, src, scenarioSite)
			if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
				t.Fatal(err)
			}
			before := hashTree(t, dest)
			writeSite(t, src, tt.add)
			_, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults, Check: tt.check})
			if err == nil {
				t.Fatal("the build succeeded")
			}
			var got strings.Builder
			for _, e := range diag.Flatten(err) {
				got.WriteString(e.Detail() + "\n")
			}
			for _, w := range tt.want {
				if !strings.Contains(got.String(), w) {
					t.Errorf("missing %q in\n%s", w, got.String())
				}
			}
			sameTree(t, "DEST", before, hashTree(t, dest))
		})
	}
}

// TestChosenReplacementsAreNoCollision: a site's own home page, 404 page,
// sitemap.xml and robots.txt in static/ replace helpgen's, and a site's
// static file replaces the theme's of the same name, without an error; two
// pages with one alias in different regions do not meet.
func TestChosenReplacementsAreNoCollision(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"content/a.md":            "---\ntitle: A\nenabled: [JP]\naliases: [/id/1]\n---\nx\n",
		"content/b.md":            "---\ntitle: B\ndisabled: [JP]\naliases: [/id/1]\n---\nx\n",
		"static/index.html":       "my home",
		"static/404.html":         "my 404",
		"static/sitemap.xml":      "my sitemap",
		"static/robots.txt":       "my robots",
		"static/_theme/search.js": "my search",
	}))
	for rel, want := range map[string]string{"index.html": "my home", "404.html": "my 404", "sitemap.xml": "my sitemap",
		"robots.txt": "my robots", "_theme/search.js": "my search"} {
		if got := get(t, out, "us", rel); got != want {
			t.Errorf("%s: got %.40q, want %q", rel, got, want)
		}
	}
	if !strings.Contains(get(t, out, "jp", "id/1/index.html"), "/a.html") || !strings.Contains(get(t, out, "us", "id/1/index.html"), "/b.html") {
		t.Error("each region's alias should lead to its own page")
	}
}

// TestWriterCollision: a file a site-wide writer (the search index) writes
// where a static file is fails the build, naming the static file.
func TestWriterCollision(t *testing.T) {
	proj, err := Load(site(map[string]string{"content/a.md": "---\ntitle: A\n---\nx\n", "static/_search/manifest.json": "{}"}), helpgen.Defaults, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w := RegionWriterFunc(func(r *Region, out model.FileWriter) error {
		return out.WriteFile(r.Config.Dir(), "_search/manifest.json", []byte("[]"))
	})
	_, err = proj.Build(output.NewMemOutput(), Options{Writers: []RegionWriter{w}})
	want := "static/_search/manifest.json: static file writes /_search/manifest.json, as does helpgen's own file /_search/manifest.json"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
}

// failingOutput fails its nth write with err.
type failingOutput struct {
	output.Output
	n     int64
	count atomic.Int64
	err   error
}

func (f *failingOutput) WriteFile(dir, rel string, data []byte) error {
	if f.count.Add(1) == f.n {
		return f.err
	}
	return f.Output.WriteFile(dir, rel, data)
}

// TestFailAtEveryWrite: a build whose output fails at its nth write, for
// every n, leaves DEST byte-identical and no staging folder behind. The
// published site is a previous build of a slightly different site, so some
// files are linked as unchanged and others written.
func TestFailAtEveryWrite(t *testing.T) {
	root := t.TempDir()
	src, dest := filepath.Join(root, "site"), filepath.Join(root, "public")
	writeSite(t, src, scenarioSite)
	if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
	writeSite(t, src, map[string]string{"content/b.md": "---\ntitle: B2\n---\nsecond, edited\n", "static/img/logo.png": "png2"})
	before := hashTree(t, dest)
	probe := &failingOutput{n: -1}
	opt := RunOptions{Site: src, Dest: filepath.Join(root, "probe"), Defaults: helpgen.Defaults,
		wrap: func(o output.Output) output.Output { probe.Output = o; return probe }}
	if _, err := Run(opt); err != nil {
		t.Fatal(err)
	}
	total := probe.count.Load()
	t.Logf("a build makes %d writes", total)
	if total < 30 {
		t.Fatalf("only %d writes", total)
	}
	for n := int64(1); n <= total; n++ {
		// A failure of the output itself stops the build at once; any
		// other error is collected with the page's.
		var injected error = &output.WriteError{Diag: &diag.Error{File: "x", Msg: "injected"}, Err: errors.New("injected")}
		if n%2 == 1 {
			injected = errors.New("injected")
		}
		f := &failingOutput{n: n, err: injected}
		_, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults,
			wrap: func(o output.Output) output.Output { f.Output = o; return f }})
		if err == nil || !strings.Contains(err.Error(), "injected") {
			t.Fatalf("write %d of %d failed, but the build says %v", n, total, err)
		}
		sameTree(t, "DEST", before, hashTree(t, dest))
		if entries, _ := os.ReadDir(root); len(entries) != 3 {
			t.Fatalf("after write %d: %d entries beside DEST", n, len(entries))
		}
	}
}

// TestInterruptedSwapRestored: on a file system without RENAME_EXCHANGE a
// swap is two renames; a build killed between them leaves the region moved
// aside in its staging folder, and the next build puts it back before it
// compares anything with it.
func TestInterruptedSwapRestored(t *testing.T) {
	root := t.TempDir()
	src, dest := filepath.Join(root, "site"), filepath.Join(root, "public")
	writeSite(t, src, scenarioSite)
	if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
	before := hashTree(t, dest)
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skipf("cannot start a process to stand for a killed build: %v", err)
	}
	staging := filepath.Join(dest, fmt.Sprintf("%s%d-1", output.StagingPrefix, gone.Process.Pid))
	if err := os.MkdirAll(filepath.Join(staging, "jp"), 0o755); err != nil { // the new region, not yet moved in
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dest, "jp"), filepath.Join(staging, "jp"+output.OldSuffix)); err != nil {
		t.Fatal(err)
	}
	out, err := output.NewDirOutput(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Abort()
	after := hashTree(t, dest)
	for k := range after {
		if strings.HasPrefix(k, filepath.Base(out.Staging())) {
			delete(after, k)
		}
	}
	sameTree(t, "DEST", before, after)
}
