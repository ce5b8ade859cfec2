package build

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/output"
)

// mount mounts a tmpfs of size (or, when size is "", a bind mount of a new
// folder of the same file system) at a new folder, or skips t when it may not.
func mount(t *testing.T, size string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mnt")
	mountAt(t, dir, size)
	return dir
}

// mountAt is mount at folder dir, made when missing.
func mountAt(t *testing.T, dir, size string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipped: mounting a file system needs root; run the tests as root to test DEST as a mount point and a full disk")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var err error
	if size == "" {
		from := filepath.Join(t.TempDir(), "bound")
		if err := os.Mkdir(from, 0o755); err != nil {
			t.Fatal(err)
		}
		err = unix.Mount(from, dir, "", unix.MS_BIND, "")
	} else {
		err = unix.Mount("tmpfs", dir, "tmpfs", 0, "size="+size)
	}
	if err != nil {
		t.Skipf("skipped: cannot mount a file system here: %v", err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
}

// TestDestIsMountPoint: DEST may be a mount point (a CI volume, a
// container's bind mount), where a rename from beside it fails with
// "invalid cross-device link"; a first build and one over it succeed, and
// the second swaps the regions in.
func TestDestIsMountPoint(t *testing.T) {
	for _, kind := range []struct{ name, size string }{{"tmpfs", "16m"}, {"bind mount", ""}} {
		t.Run(kind.name, func(t *testing.T) {
			dest := mount(t, kind.size)
			src := filepath.Join(t.TempDir(), "site")
			writeSite(t, src, scenarioSite)
			for i, body := range []string{"x", "x, edited"} {
				writeSite(t, src, map[string]string{"content/x.md": "---\ntitle: X\n---\n" + body + "\n"})
				if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
					t.Fatalf("build %d: %v", i+1, err)
				}
				b, err := os.ReadFile(filepath.Join(dest, "jp", "x.html"))
				if err != nil || !strings.Contains(string(b), body) {
					t.Fatalf("build %d: x.html lacks %q (%v)", i+1, body, err)
				}
			}
			entries, _ := os.ReadDir(dest)
			var names []string
			for _, e := range entries {
				if e.Name() != CacheDirName { // the warm builds' cache, never published
					names = append(names, e.Name())
				}
			}
			if strings.Join(names, " ") != "cn jp us" {
				t.Errorf("DEST holds %v", names)
			}
		})
	}
}

// TestFullDisk: a build that fills the file system stops with one error
// naming the file and saying what to do, and leaves DEST as it was.
func TestFullDisk(t *testing.T) {
	mnt := mount(t, "2m")
	dest := filepath.Join(mnt, "public")
	src := filepath.Join(t.TempDir(), "site")
	writeSite(t, src, scenarioSite)
	if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
	// Leave less room than a build whose every page changed needs.
	fill(t, filepath.Join(mnt, "filler"), 16<<10)
	before := hashTree(t, dest)
	writeSite(t, src, map[string]string{"helpgen.toml": strings.Replace(testConfig, "ヘルプ", "Help", 1)})
	_, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults})
	if !errors.Is(err, unix.ENOSPC) {
		t.Fatalf("got %v, want no space left", err)
	}
	l := diag.Flatten(err)
	if len(l) != 1 || !strings.HasPrefix(l[0].File, dest+string(filepath.Separator)) ||
		!strings.Contains(l[0].Detail(), "no space left on device") || !strings.Contains(l[0].Hint, "is full: free some space") ||
		!strings.Contains(l[0].Hint, dest+" is unchanged") {
		t.Errorf("the error should name the file and say what to do:\n%s", l)
	}
	t.Log(l[0].Detail())
	sameTree(t, "DEST", before, hashTree(t, dest))
	// Once there is room again, the build succeeds.
	if err := os.Remove(filepath.Join(mnt, "filler")); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
}

// fill writes a file that takes all the free space of its file system but
// leave bytes.
func fill(t *testing.T, path string, leave int64) {
	t.Helper()
	var st unix.Statfs_t
	if err := unix.Statfs(filepath.Dir(path), &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail)*int64(st.Bsize) - leave
	if free <= 0 {
		return
	}
	if err := os.WriteFile(path, make([]byte, free), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadOnlyDest: DEST on a file system mounted read-only is an error
// saying so, and nothing changes.
func TestReadOnlyDest(t *testing.T) {
	mnt := mount(t, "4m")
	dest := filepath.Join(mnt, "public")
	src := filepath.Join(t.TempDir(), "site")
	writeSite(t, src, scenarioSite)
	if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount("", mnt, "", unix.MS_REMOUNT|unix.MS_RDONLY, ""); err != nil {
		t.Skipf("skipped: cannot remount read-only: %v", err)
	}
	before := hashTree(t, dest)
	_, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults})
	l := diag.Flatten(err)
	if len(l) != 1 || l[0].File != dest || !strings.Contains(l[0].Error(), "read-only file system") || !strings.Contains(l[0].Hint, "pass another -d") {
		t.Errorf("got %v", err)
	}
	sameTree(t, "DEST", before, hashTree(t, dest))
}

// TestRegionFolderIsMountPoint: a region folder that cannot be swapped (a
// mount point) is an error naming it, found before any region is swapped.
func TestRegionFolderIsMountPoint(t *testing.T) {
	root := t.TempDir()
	src, dest := filepath.Join(root, "site"), filepath.Join(root, "public")
	writeSite(t, src, scenarioSite)
	if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
	mountAt(t, filepath.Join(dest, "jp"), "1m")
	writeSite(t, src, map[string]string{"content/x.md": "---\ntitle: X\n---\nchanged\n"})
	before := hashTree(t, dest)
	_, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults})
	var ce *output.CommitError
	if !errors.As(err, &ce) || len(ce.Replaced) != 0 || ce.Diag.File != filepath.Join(dest, "jp") ||
		!strings.Contains(ce.Diag.Hint, "mount point") || !strings.Contains(ce.Diag.Hint, dest+" is unchanged") {
		t.Fatalf("got %v", err)
	}
	sameTree(t, "DEST", before, hashTree(t, dest))
	t.Log(ce.Diag.Detail())
}
