package build

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"pgregory.net/rapid"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/buildcache"
)

// writeSiteDir replaces the files of folder dir with those of m.
func writeSiteDir(t testing.TB, dir string, m fstest.MapFS) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	for name, f := range m {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readOutput is every file of the region folders in dest (the cache left
// out), by slash path.
func readOutput(t testing.TB, dest string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if !d.IsDir() {
			data, err := os.ReadFile(p)
			files[filepath.ToSlash(rel)] = string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func runSite(t testing.TB, site, dest string, opt RunOptions) *RunResult {
	t.Helper()
	opt.Site, opt.Dest, opt.Defaults = site, dest, helpgen.Defaults
	res, err := Run(opt)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res
}

// TestWarmMatchesCold is the cache's property: after every edit of a random
// sequence (those of TestUpdateMatchesFull), a build over the previous
// output and its cache writes byte for byte what a build without them
// writes, in every region.
func TestWarmMatchesCold(t *testing.T) {
	reused := 0
	rapid.Check(t, func(rt *rapid.T) {
		s := newPropSite(rt)
		if rapid.Bool().Draw(rt, "pages shortcode reads the site") {
			// Pages showing every page keep no cache; without them,
			// every edit exercises reuse.
			s.set("shortcodes/pages.html", `{{ .Page.Title }} in {{ .Site.Title }}`)
		}
		tmp := t.TempDir()
		site, warm, cold := filepath.Join(tmp, "site"), filepath.Join(tmp, "warm"), filepath.Join(tmp, "cold")
		writeSiteDir(t, site, s.fs)
		runSite(t, site, warm, RunOptions{Cache: true})
		for i := range rapid.IntRange(1, 6).Draw(rt, "edits") {
			paths := s.edit(rt)
			writeSiteDir(t, site, s.fs)
			res := runSite(t, site, warm, RunOptions{Cache: true})
			reused += res.Reused
			_ = os.RemoveAll(cold)
			runSite(t, site, cold, RunOptions{})
			if d := diff(readOutput(t, warm), readOutput(t, cold)); d != "" {
				rt.Fatalf("edit %d (%v): the warm build differs from a cold one: %s", i, paths, d)
			}
		}
	})
	if reused == 0 {
		t.Fatal("no build reused a page: the property tested nothing")
	}
}

// warmSite is a small site built once, its cache written.
func warmSite(t *testing.T) (root, dest string) {
	t.Helper()
	tmp := t.TempDir()
	root, dest = filepath.Join(tmp, "site"), filepath.Join(tmp, "public")
	writeSiteDir(t, root, site(map[string]string{
		"content/_index.md":   page("Home", 0, "", "Welcome.\n"),
		"content/s/_index.md": page("Section", 0, "", "Text.\n"),
		"content/s/a.md":      page("A", 1, "", "## A\n\nSee [B](/s/b.html).\n"),
		"content/s/b.md":      page("B {{%service%}}", 2, "", "{{% enabled US %}}US only.{{% /enabled %}}\n"),
	}))
	if res := runSite(t, root, dest, RunOptions{Cache: true}); res.Reused != 0 {
		t.Fatalf("first build reused %d pages", res.Reused)
	}
	return root, dest
}

// TestWarmReuse: an unchanged site is reused whole, one edited page is
// rendered again, and a hand-edited output file is not reused.
func TestWarmReuse(t *testing.T) {
	site, dest := warmSite(t)
	want := readOutput(t, dest)
	res := runSite(t, site, dest, RunOptions{Cache: true})
	total := 0
	for _, r := range res.Regions {
		total += r.Pages
	}
	if res.Reused != total {
		t.Errorf("unchanged site: reused %d of %d pages", res.Reused, total)
	}
	if d := diff(readOutput(t, dest), want); d != "" {
		t.Errorf("unchanged site: %s", d)
	}
	if err := os.WriteFile(filepath.Join(site, "content/s/a.md"), []byte(page("A", 1, "", "## A\n\nChanged.\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := runSite(t, site, dest, RunOptions{Cache: true}); res.Reused != total-len(res.Regions) {
		t.Errorf("one page edited: reused %d of %d pages, want all but its %d", res.Reused, total, len(res.Regions))
	}
	edited := filepath.Join(dest, "jp", "s", "b.html")
	if err := os.WriteFile(edited, []byte("edited by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := runSite(t, site, dest, RunOptions{Cache: true}); res.Reused != total-1 {
		t.Errorf("output edited by hand: reused %d of %d pages, want all but it", res.Reused, total)
	}
	if data, _ := os.ReadFile(edited); bytes.Contains(data, []byte("edited by hand")) {
		t.Error("the hand-edited page was kept")
	}
}

// TestWarmBadCache: a cache that cannot be used is a cold build with the
// output a build without a cache writes.
func TestWarmBadCache(t *testing.T) {
	cases := []struct {
		name  string
		spoil func(t *testing.T, file string)
	}{
		{"missing", func(t *testing.T, file string) { os.Remove(file) }},
		{"truncated", func(t *testing.T, file string) {
			data, _ := os.ReadFile(file)
			os.WriteFile(file, data[:len(data)/2], 0o644)
		}},
		{"corrupt", func(t *testing.T, file string) {
			data, _ := os.ReadFile(file)
			data[len(data)-10] ^= 0xff
			os.WriteFile(file, data, 0o644)
		}},
		{"not a cache", func(t *testing.T, file string) { os.WriteFile(file, []byte("<html></html>"), 0o644) }},
		{"other version", func(t *testing.T, file string) {
			data, _ := os.ReadFile(file)
			data[len("helpgen-cache\n")+3]++
			os.WriteFile(file, data, 0o644)
		}},
		{"foreign", func(t *testing.T, file string) {
			if err := buildcache.Save(filepath.Dir(file), "another site", nil); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			site, dest := warmSite(t)
			want := readOutput(t, dest)
			c.spoil(t, filepath.Join(dest, CacheDirName, buildcache.FileName))
			if res := runSite(t, site, dest, RunOptions{Cache: true}); res.Reused != 0 {
				t.Errorf("reused %d pages from a %s cache", res.Reused, c.name)
			}
			if d := diff(readOutput(t, dest), want); d != "" {
				t.Errorf("%s cache: %s", c.name, d)
			}
			if res := runSite(t, site, dest, RunOptions{Cache: true}); res.Reused == 0 {
				t.Errorf("the build after a %s cache did not write a new one", c.name)
			}
		})
	}
}

// TestWarmReadOnlyCache: a cache folder that cannot be written (here, a
// folder under a file, which even root cannot make) is a warning; the build
// succeeds, and the next one is cold.
func TestWarmReadOnlyCache(t *testing.T) {
	site, dest := warmSite(t)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(file, "cache")
	res := runSite(t, site, dest, RunOptions{CacheDir: dir})
	if len(res.Warnings) == 0 || !strings.Contains(res.Warnings.Error(), "could not keep") {
		t.Errorf("warnings = %v, want one about the cache", res.Warnings)
	}
	if res := runSite(t, site, dest, RunOptions{CacheDir: dir}); res.Reused != 0 {
		t.Errorf("reused %d pages from an unwritable cache", res.Reused)
	}
}

// TestWarmCacheDir: --cache-dir keeps the cache outside DEST.
func TestWarmCacheDir(t *testing.T) {
	site, dest := warmSite(t)
	dir := filepath.Join(t.TempDir(), "ci-cache")
	runSite(t, site, dest, RunOptions{CacheDir: dir})
	if _, err := os.Stat(filepath.Join(dir, buildcache.FileName)); err != nil {
		t.Fatalf("no cache in --cache-dir: %v", err)
	}
	if res := runSite(t, site, dest, RunOptions{CacheDir: dir}); res.Reused == 0 {
		t.Error("nothing reused from --cache-dir")
	}
}

// TestWarmCacheDirThroughLink: a first build whose --cache-dir is inside
// DEST, spelled through a symbolic link, commits (DEST must not exist
// before the commit), and the next build reuses its pages.
func TestWarmCacheDirThroughLink(t *testing.T) {
	site, _ := warmSite(t)
	root := t.TempDir()
	real, link := filepath.Join(root, "real"), filepath.Join(root, "link")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	dest, dir := filepath.Join(link, "public"), filepath.Join(real, "public", "ci-cache")
	runSite(t, site, dest, RunOptions{CacheDir: dir})
	if _, err := os.Stat(filepath.Join(dir, buildcache.FileName)); err != nil {
		t.Fatalf("no cache kept: %v", err)
	}
	if res := runSite(t, site, dest, RunOptions{CacheDir: dir}); res.Reused == 0 {
		t.Error("nothing reused")
	}
}

// published are the entries of DEST but the cache of warm builds.
func published(dest string) []os.DirEntry {
	entries, _ := os.ReadDir(dest)
	return slices.DeleteFunc(entries, func(e os.DirEntry) bool { return e.Name() == CacheDirName })
}

// TestWarmFileState: a page file found as the cache recorded it is reused
// without being read; one rewritten by hand with bytes of the same length
// is read, found changed and rendered again.
func TestWarmFileState(t *testing.T) {
	site, dest := warmSite(t)
	var log []string
	opt := RunOptions{Cache: true, Log: func(f string, a ...any) { log = append(log, fmt.Sprintf(f, a...)) }}
	runSite(t, site, dest, opt)
	log = nil
	res := runSite(t, site, dest, opt)
	if !slices.ContainsFunc(log, func(l string) bool { return strings.Contains(l, "(0 read to verify") }) {
		t.Errorf("an unchanged output was read to verify it: %q", log)
	}
	edited := filepath.Join(dest, "us", "s", "a.html")
	data, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x20
	if err := os.WriteFile(edited, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if again := runSite(t, site, dest, opt); again.Reused != res.Reused-1 {
		t.Errorf("after a same-length edit by hand: reused %d, want %d", again.Reused, res.Reused-1)
	}
	if got, _ := os.ReadFile(edited); bytes.Equal(got, data) {
		t.Error("the hand-edited page was kept")
	}
}
