package check

import (
	"bytes"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/output"
)

// readsFS counts the reads of the files under content/.
type readsFS struct {
	fstest.MapFS
	mu    sync.Mutex
	reads map[string]int
}

func (f *readsFS) count(name string) {
	if strings.HasPrefix(name, "content/") {
		f.mu.Lock()
		f.reads[name]++
		f.mu.Unlock()
	}
}

func (f *readsFS) Open(name string) (fs.File, error) {
	f.count(name)
	return f.MapFS.Open(name)
}

func (f *readsFS) ReadFile(name string) ([]byte, error) {
	f.count(name)
	return f.MapFS.ReadFile(name)
}

// taken returns the reads counted since the last call.
func (f *readsFS) taken() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.reads
	f.reads = map[string]int{}
	return r
}

// builtChecked builds the site of fsys as `helpgen build` does, releasing
// each page once rendered or not, runs change on the files between the
// build and its checks, and returns the findings and the content files the
// checks read.
func builtChecked(t *testing.T, fsys fstest.MapFS, release bool, change func(fstest.MapFS)) ([]Finding, map[string]int) {
	t.Helper()
	files := &readsFS{MapFS: maps.Clone(fsys), reads: map[string]int{}}
	for k, v := range files.MapFS {
		c := *v
		c.Data = bytes.Clone(v.Data)
		files.MapFS[k] = &c
	}
	p, err := build.Load(files, helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	rep, err := p.Build(output.NewMemOutput(), build.Options{Release: release, Workers: 4})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if change != nil {
		change(files.MapFS)
	}
	files.taken()
	found := Sites(p, rep.Sites)
	return found, files.taken()
}

// text is the findings as helpgen prints them, with their checks.
func text(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Check + " " + f.Detail() + " " + strings.Join(f.Regions, ",")
	}
	return out
}

// frontLines is how many lines the front matter of a page takes.
func frontLines(data []byte) int {
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if i > 0 && (l == "---" || l == "+++") {
			return i + 1
		}
	}
	return 0
}

// TestReleasedPagesFindings: checks after a build that released every
// page find what they find on pages kept whole, each finding byte for
// byte with its source line, and read again only the files whose findings
// are placed in the body, once each.
func TestReleasedPagesFindings(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fsys   fstest.MapFS
		checks []string // what the site must trip, so that there is something to compare
	}{
		{"defects", dirFS(t, "testdata/defects"), []string{Links, Anchors, Images, DuplicateIDs, EmptyBlocks, EmptyPages,
			Lists, Alt, Headings, DuplicateTitles, AbsoluteLinks, EmptyVariables, UnusedStatic, Descriptions, UnsafeLinks, Regions}},
		{"front matter", withConfig(releaseConfig, map[string]string{
			"content/_index.md": "---\ntitle: Home\n---\n",
			"content/a.md":      "---\ntitle: \"{{%store%}} A\"\ndescription: \"Buy at {{%store%}}\"\n---\nA [gone](/gone.html) link.\n",
			"content/b.md":      "+++\ntitle = \"B\"\n+++\n{{% enabled JP %}}JP only.{{% /enabled %}}\n",
			"content/c.md":      "---\ntitle: B\n---\n{{% disabled CN %}}\nHas the {{%store%}}.\n{{% /disabled %}}\n## Twice {#t}\n## Twice {#t}\n",
		}), []string{Links, EmptyVariables, Descriptions, DuplicateTitles, EmptyPages, DuplicateIDs}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kept, keptReads := builtChecked(t, tc.fsys, false, nil)
			released, reads := builtChecked(t, tc.fsys, true, nil)
			if len(keptReads) > 0 {
				t.Errorf("checks of pages kept whole read %v", keptReads)
			}
			for _, c := range tc.checks {
				if !slices.ContainsFunc(kept, func(f Finding) bool { return f.Check == c }) {
					t.Errorf("no %s finding: the site does not test it", c)
				}
			}
			a, b := text(kept), text(released)
			for _, f := range a {
				if !slices.Contains(b, f) {
					t.Errorf("kept whole, not released:\n%s", f)
				}
			}
			for _, f := range b {
				if !slices.Contains(a, f) {
					t.Errorf("released, not kept whole:\n%s", f)
				}
			}
			if !slices.Equal(a, b) {
				t.Errorf("the findings are in another order")
			}
			want := map[string]int{}
			for _, f := range kept {
				if strings.HasPrefix(f.File, "content/") && f.Line > frontLines(tc.fsys[f.File].Data) {
					want[f.File] = 1
				}
			}
			if !maps.Equal(reads, want) {
				t.Errorf("checks read %v, want %v (the files with findings in their body, once)", reads, want)
			}
		})
	}
}

// releaseConfig has a variable empty in one region.
const releaseConfig = `title = "T"
[regions.JP.params]
store = "a"
[regions.US.params]
store = ""
[regions.CN.params]
store = "c"
`

func withConfig(config string, files map[string]string) fstest.MapFS {
	m := site("", files)
	m["helpgen.toml"] = &fstest.MapFile{Data: []byte(config)}
	return m
}

// TestReleasedPageChanged: a file that changed or went away between its
// rendering and the checks has its findings in the body replaced by one,
// as severe as the most severe of them, that says so; findings in its front
// matter (kept by the page) and every other file's are as before.
func TestReleasedPageChanged(t *testing.T) {
	fsys := dirFS(t, "testdata/defects")
	kept, _ := builtChecked(t, fsys, false, nil)
	found, _ := builtChecked(t, fsys, true, func(m fstest.MapFS) {
		// A line added at the top of the body moves every position below.
		for _, f := range []string{"content/links.md", "content/blocks.md", "content/nodesc.md", "content/writer.md"} {
			d := m[f].Data
			n := frontLines(d)
			at := len(strings.Join(strings.Split(string(d), "\n")[:n], "\n")) + 1
			m[f].Data = append(d[:at:at], append([]byte("A new first line.\n"), d[at:]...)...)
		}
		delete(m, "content/images.md")
	})
	changed := map[string]string{ // file → the finding that stands for its findings in the body
		"content/links.md":  "content/links.md: file changed while the site was built: the output is of the version read before, and what anchors, links found in its text cannot be shown on the file's lines now [CN, JP, US]",
		"content/blocks.md": "content/blocks.md: warning: file changed while the site was built: the output is of the version read before, and what emptyBlocks found in its text cannot be shown on the file's lines now [CN, US]",
		"content/writer.md": "content/writer.md: file changed while the site was built: the output is of the version read before, and what absoluteLinks, alt, emptyVariables, headings, unsafeLinks found in its text cannot be shown on the file's lines now [CN, JP, US]",
		"content/images.md": "content/images.md: file changed while the site was built: the output is of the version read before, and what alt, images found in its text cannot be shown on the file's lines now [CN, JP, US]",
	}
	var want []string
	for _, f := range kept {
		if _, ok := changed[f.File]; !ok || f.Line <= frontLines(fsys[f.File].Data) {
			want = append(want, f.Check+" "+f.Detail())
		}
	}
	for _, msg := range changed {
		want = append(want, "build "+msg+"\n    build again to check the file as saved")
	}
	var got []string
	for _, f := range found {
		got = append(got, f.Check+" "+f.Detail())
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !List(found).HasErrors() {
		t.Error("the changed files' errors no longer fail the build")
	}
	for _, f := range found {
		if f.Check == "build" && f.File == "content/blocks.md" && f.Severity != diag.SevWarning {
			t.Error("a file with warnings alone got an error")
		}
	}
}
