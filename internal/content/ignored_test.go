package content

import (
	"os"
	"path/filepath"
	"testing"
)

func TestIgnoredNames(t *testing.T) {
	for _, c := range []struct {
		name          string
		ignored, temp bool
	}{
		{"page.md", false, false},
		{".#page.md", true, true},
		{"#page.md#", true, true},
		{"page.md~", true, true},
		{".page.md.swp", true, true},
		{"page.md.swo", true, true},
		{"4913", true, true},
		{"page.md___jb_tmp___", true, true},
		{".goutputstream-X1Y2", true, true},
		{".DS_Store", true, false},
		{".well-known", true, false},
		{"data.bak", true, false},
		{"page.md.tmp", true, false},
		{"#hash", false, false},
		{"", false, false},
	} {
		if got := Ignored(c.name); got != c.ignored {
			t.Errorf("Ignored(%q) = %v, want %v", c.name, got, c.ignored)
		}
		if got := EditorTemp(c.name); got != c.temp {
			t.Errorf("EditorTemp(%q) = %v, want %v", c.name, got, c.temp)
		}
	}
}

// TestLoadSkipsEditorFiles loads a folder holding what editors leave beside
// a page while it is open: an Emacs lock (a dangling link), swap and backup
// files, a hidden folder.
func TestLoadSkipsEditorFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/a/unlock.md", "---\ntitle: Unlock\n---\nbody\n")
	write("content/a/unlock.md~", "broken")
	write("content/a/#unlock.md#", "broken")
	write("content/a/.unlock.md.swp", "broken")
	write("content/a/.hidden/x.md", "broken")
	if err := os.Symlink("user@host.1234:1700000000", filepath.Join(dir, "content/a/.#unlock.md")); err != nil {
		t.Fatal(err)
	}
	pages, err := Load(os.DirFS(dir), testSite(t), Options{Names: names{}})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(pages) != 1 || pages[0].File != "content/a/unlock.md" {
		t.Fatalf("loaded %d pages, want only content/a/unlock.md", len(pages))
	}
}
