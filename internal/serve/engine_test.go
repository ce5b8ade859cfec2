package serve

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
)

// copySite copies the bundled help site at the repository root into a
// temporary folder the test may change.
func copySite(t testing.TB) string {
	t.Helper()
	dst := t.TempDir()
	for _, top := range []string{"helpgen.toml", "content", "static", "layouts", "shortcodes", "i18n"} {
		src := filepath.Join("..", "..", top)
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func writeFile(t testing.TB, dir, rel, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// replaceIn rewrites a site file with old replaced by new, failing when old
// is not there (the edit would test nothing). The new file is written
// outside the site and renamed over the old one, so that a watcher sees one
// event however loaded the machine is, never a half-written file.
func replaceIn(t testing.TB, dir, rel, old, new string) {
	t.Helper()
	s := readFile(t, dir, rel)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", rel, old)
	}
	tmp := filepath.Join(t.TempDir(), "edit")
	if err := os.WriteFile(tmp, []byte(strings.Replace(s, old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
		t.Fatal(err)
	}
}

func snapshot(s *store) map[key]string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[key]string, len(s.files))
	for k, f := range s.files {
		out[k] = string(f.data)
	}
	return out
}

// fullBuild is the site at dir as a fresh full build makes it, with the
// regions' baseURLs replaced by addrs' as serve does.
func fullBuild(t testing.TB, dir string, addrs ...Addr) map[key]string {
	t.Helper()
	e := newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
	e.baseURLs = map[string]string{}
	for _, a := range addrs {
		e.baseURLs[a.Code] = a.URL
	}
	if _, err := e.full("reference"); err != nil {
		t.Fatal(err)
	}
	return snapshot(e.store)
}

// sameSite reports the first differences between two sites.
func sameSite(t *testing.T, step string, got, want map[key]string) {
	t.Helper()
	var diffs []string
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			diffs = append(diffs, "missing "+k.dir+"/"+k.rel)
		case g != w:
			diffs = append(diffs, "stale "+k.dir+"/"+k.rel)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, "left over "+k.dir+"/"+k.rel)
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("%s: incremental rebuild differs from a full build in %d files, first: %s", step, len(diffs), strings.Join(diffs[:min(8, len(diffs))], ", "))
	}
}

const (
	unlock  = "content/general/ja/login/unlock.md"
	login   = "content/general/ja/login/login.md"
	loginIx = "content/general/ja/login/_index.md"
)

// TestIncrementalMatchesFull makes each kind of change a writer makes and
// checks that the partly rebuilt site is byte for byte what a full build of
// the changed files gives: nothing stale, nothing left over, nothing missing.
func TestIncrementalMatchesFull(t *testing.T) {
	dir := copySite(t)
	e := newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
	if _, err := e.full("first"); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		change func()
		paths  []string
		errors bool // the change is an error: the site must stay as it was
	}{
		{"body edit", func() { replaceIn(t, dir, unlock, "\n\n", "\n\nBODY-EDIT-MARKER\n\n") }, []string{unlock}, false},
		{"body edit, same text", func() { replaceIn(t, dir, unlock, "BODY-EDIT-MARKER", "BODY-EDIT-MARKER ") }, []string{unlock}, false},
		{"title", func() { replaceIn(t, dir, login, "title: ", "title: Renamed ") }, []string{login}, false},
		{"weight", func() { replaceIn(t, dir, unlock, "---\n", "---\nweight: 1\n") }, []string{unlock}, false},
		{"alias added", func() { replaceIn(t, dir, login, "---\n", "---\naliases: [/ja/id/999001]\n") }, []string{login}, false},
		{"alias removed", func() { replaceIn(t, dir, login, "aliases: [/ja/id/999001]\n", "") }, []string{login}, false},
		{"disabled in a region", func() { replaceIn(t, dir, login, "---\n", "---\ndisabled: [US]\n") }, []string{login}, false},
		{"enabled again", func() { replaceIn(t, dir, login, "disabled: [US]\n", "") }, []string{login}, false},
		{"page added in a new folder", func() {
			writeFile(t, dir, "content/general/ja/newdir/deep/fresh.md", "---\ntitle: Fresh {{%service%}}\n---\n\nFresh page.\n")
		}, []string{"content/general/ja/newdir"}, false},
		{"section added over it", func() {
			writeFile(t, dir, "content/general/ja/newdir/_index.md", "---\ntitle: New section\nweight: 2\n---\n")
		}, []string{"content/general/ja/newdir/_index.md"}, false},
		{"folder renamed", func() {
			if err := os.Rename(filepath.Join(dir, "content/general/ja/newdir"), filepath.Join(dir, "content/general/ja/moved")); err != nil {
				t.Fatal(err)
			}
		}, []string{"content/general/ja/newdir", "content/general/ja/moved"}, false},
		{"section disabled in a region", func() { replaceIn(t, dir, loginIx, "---\n", "---\ndisabled: [CN]\n") }, []string{loginIx}, false},
		{"section enabled again", func() { replaceIn(t, dir, loginIx, "disabled: [CN]\n", "") }, []string{loginIx}, false},
		{"section page deleted", func() {
			if err := os.Remove(filepath.Join(dir, loginIx)); err != nil {
				t.Fatal(err)
			}
		}, []string{loginIx}, false},
		{"page deleted", func() {
			if err := os.Remove(filepath.Join(dir, unlock)); err != nil {
				t.Fatal(err)
			}
		}, []string{unlock}, false},
		{"page turned draft", func() { replaceIn(t, dir, login, "---\n", "---\ndraft: true\n") }, []string{login}, false},
		{"invalid page", func() {
			writeFile(t, dir, "content/general/ja/moved/deep/fresh.md", "---\ntitle: Fresh\n---\n\n{{% enabled JPN %}}x{{% /enabled %}}\n")
		}, []string{"content/general/ja/moved/deep/fresh.md"}, true},
		{"valid again", func() {
			writeFile(t, dir, "content/general/ja/moved/deep/fresh.md", "---\ntitle: Fresh again\n---\n\nBack.\n")
		}, []string{"content/general/ja/moved/deep/fresh.md"}, false},
		{"output conflict", func() {
			writeFile(t, dir, "content/general/ja/moved/dup.md", "---\ntitle: Dup\naliases: [/general/ja/moved/deep/fresh.html]\n---\n")
		}, []string{"content/general/ja/moved/dup.md"}, true},
		{"conflict removed", func() {
			if err := os.Remove(filepath.Join(dir, "content/general/ja/moved/dup.md")); err != nil {
				t.Fatal(err)
			}
		}, []string{"content/general/ja/moved/dup.md"}, false},
		{"static added", func() { writeFile(t, dir, "static/img/new.txt", "new static") }, []string{"static/img/new.txt"}, false},
		{"static overriding the theme removed", func() {
			writeFile(t, dir, "static/_theme/search.js", "// site's own")
		}, []string{"static/_theme/search.js"}, false},
		{"theme file back", func() {
			if err := os.Remove(filepath.Join(dir, "static/_theme/search.js")); err != nil {
				t.Fatal(err)
			}
		}, []string{"static/_theme/search.js"}, false},
		{"static folder removed", func() {
			if err := os.RemoveAll(filepath.Join(dir, "static/img")); err != nil {
				t.Fatal(err)
			}
		}, []string{"static/img"}, false},
		{"layout", func() { replaceIn(t, dir, "layouts/_default/single.html", "<article", "<!-- layout edit --><article") }, []string{"layouts/_default/single.html"}, false},
	}
	for _, st := range steps {
		before := snapshot(e.store)
		st.change()
		rep, err := e.rebuild(st.paths)
		if _, ierr := e.reindex(); ierr != nil && !st.errors {
			t.Fatalf("%s: search index: %v", st.name, ierr)
		}
		if st.errors {
			if err == nil {
				t.Errorf("%s: no error", st.name)
			}
			if got := snapshot(e.store); len(got) != len(before) {
				t.Errorf("%s: an error changed the site (%d → %d files)", st.name, len(before), len(got))
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		sameSite(t, st.name, snapshot(e.store), fullBuild(t, dir))
		if strings.HasPrefix(st.name, "body edit") && rep.pages != 3 {
			t.Errorf("%s: rendered %d pages, want the page in its 3 regions", st.name, rep.pages)
		}
	}
}

// findingTexts are e's check findings as printed, sorted.
func findingTexts(e *engine) []string {
	var out []string
	for _, f := range e.findingList() {
		out = append(out, f.Detail())
	}
	sort.Strings(out)
	return out
}

// checkedEngine is a full build of the site at dir with its checks run.
func checkedEngine(t *testing.T, dir string) *engine {
	t.Helper()
	e := newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
	if _, err := e.full("first"); err != nil {
		t.Fatal(err)
	}
	e.check()
	return e
}

// sameFindings fails when e's findings after a rebuild differ from those
// of a fresh full build, as `helpgen build` would report them.
func sameFindings(t *testing.T, step string, e *engine, dir string) {
	t.Helper()
	got, want := findingTexts(e), findingTexts(checkedEngine(t, dir))
	if !slices.Equal(got, want) {
		t.Errorf("%s: findings\n%s\nwant\n%s", step, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestStaticChangeRechecks: adding the static file a page's image or link
// names clears its finding, and removing it brings the finding back,
// though the page itself did not change.
func TestStaticChangeRechecks(t *testing.T) {
	dir := copySite(t)
	replaceIn(t, dir, unlock, "\n\n", "\n\n![later](/general/img-ja/later%20one.png) ![rel](../../img-ja/rel.png) [pdf](/files/later.pdf)\n\n")
	e := checkedEngine(t, dir)
	if n := len(e.findingList()); n != 3 {
		t.Fatalf("%d findings before the files exist, want 3:\n%s", n, strings.Join(findingTexts(e), "\n"))
	}
	added := []string{"static/general/img-ja/later one.png", "static/general/img-ja/rel.png", "static/files/later.pdf"}
	for _, f := range added {
		writeFile(t, dir, f, "x")
	}
	if _, err := e.rebuild(added); err != nil {
		t.Fatal(err)
	}
	e.check()
	if fs := findingTexts(e); len(fs) != 0 {
		t.Errorf("the files were added, findings stay:\n%s", strings.Join(fs, "\n"))
	}
	if err := os.RemoveAll(filepath.Join(dir, "static/files")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rebuild([]string{"static/files"}); err != nil {
		t.Fatal(err)
	}
	e.check()
	sameFindings(t, "the folder of the linked file removed", e, dir)
	if n := len(e.findingList()); n != 1 {
		t.Errorf("%d findings after removing the linked file, want 1", n)
	}
}

// TestSectionIndexLink: a page linking to its section as "index.html" is
// checked again when the section's page goes away.
func TestSectionIndexLink(t *testing.T) {
	dir := copySite(t)
	replaceIn(t, dir, unlock, "\n\n", "\n\n[up](index.html)\n\n")
	e := checkedEngine(t, dir)
	sameFindings(t, "first", e, dir)
	if err := os.Remove(filepath.Join(dir, loginIx)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rebuild([]string{loginIx}); err != nil {
		t.Fatal(err)
	}
	e.check()
	sameFindings(t, "the section's page removed", e, dir)
	if !strings.Contains(strings.Join(findingTexts(e), "\n"), "unlock.md") {
		t.Error("no finding on the page linking to index.html")
	}
}
