package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeLinkOutOfSite: a page that is a link to a file outside the site,
// there from the start or made while serving, is an error naming the link
// in the log and the browser's overlay, and no byte of the target shows.
func TestServeLinkOutOfSite(t *testing.T) {
	t.Setenv("HELPGEN_TEST_SECRET", "ENV-SECRET-5e1b")
	dir := copySite(t)
	outside := t.TempDir()
	writeFile(t, outside, "page.md", "---\ntitle: FILE-SECRET-5e1b\n---\nFILE-SECRET-5e1b\n")
	if err := os.Symlink("/proc/self/environ", filepath.Join(dir, "content", "environ.md")); err != nil {
		t.Fatal(err)
	}
	srv := start(t, dir)
	base := srv.addrs[0].URL
	leaks := func(s string) bool { return strings.Contains(s, "SECRET-5e1b") }
	if out := srv.out.String(); !strings.Contains(out, "content/environ.md: symbolic link to /proc/self/environ") || leaks(out) {
		t.Fatalf("first build:\n%s", out)
	}
	if st, b := get(t, base+unlockURL); st != 404 || !strings.Contains(b, "/proc/self/environ") || leaks(b) {
		t.Errorf("overlay: %d, names the link %v, leaks %v", st, strings.Contains(b, "/proc/self/environ"), leaks(b))
	}
	if err := os.Remove(filepath.Join(dir, "content", "environ.md")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the site without the link", func() bool { st, _ := get(t, base+unlockURL); return st == 200 })
	if err := os.Symlink(filepath.Join(outside, "page.md"), filepath.Join(dir, "content", "page.md")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the error of a link made while serving", func() bool {
		return strings.Contains(srv.out.String(), "content/page.md: symbolic link to "+outside)
	})
	st, b := get(t, base+unlockURL)
	if st != 200 || !strings.Contains(b, "page.md: symbolic link to") || leaks(b) || leaks(srv.out.String()) {
		t.Errorf("served %d; overlay names the link %v; leaks %v", st, strings.Contains(b, "page.md: symbolic link to"), leaks(b+srv.out.String()))
	}
	if st, b := get(t, base+"page.html"); st != 404 || leaks(b) {
		t.Errorf("the linked page is served: %d", st)
	}
}
