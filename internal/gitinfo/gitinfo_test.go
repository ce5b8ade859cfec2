package gitinfo

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	out := "\x001717000000\n\ncontent/a.md\ncontent/ja/ログイン.md\n\x001700000000\n\ncontent/a.md\ncontent/b.md\n"
	d := parse([]byte(out))
	for file, want := range map[string]int64{"content/a.md": 1717000000, "content/ja/ログイン.md": 1717000000, "content/b.md": 1700000000} {
		if got := d[file]; !got.Equal(time.Unix(want, 0)) {
			t.Errorf("%s: %v, want %v", file, got, time.Unix(want, 0).UTC())
		}
	}
	if len(d) != 3 {
		t.Errorf("%d dates, want 3: %v", len(d), d)
	}
}

// TestLoad commits two files at known times in a new repository, the site
// in a folder below its top, and reads them back.
func TestLoad(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	site := filepath.Join(repo, "site")
	git := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_NAME=a",
			"GIT_COMMITTER_EMAIL=a@example.com", "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(rel, text string) {
		p := filepath.Join(site, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("", "init", "-q")
	write("content/ja/ログイン.md", "one")
	write("content/b.md", "one")
	git("2024-01-02T03:04:05Z", "add", ".")
	git("2024-01-02T03:04:05Z", "commit", "-q", "-m", "first")
	write("content/b.md", "two")
	git("2024-05-31T00:00:00Z", "commit", "-q", "-am", "second")
	write("content/new.md", "not committed")

	d := Load(context.Background(), site)
	want := map[string]string{"content/ja/ログイン.md": "2024-01-02T03:04:05Z", "content/b.md": "2024-05-31T00:00:00Z"}
	for file, w := range want {
		if got := d[file].Format(time.RFC3339); got != w {
			t.Errorf("%s: %s, want %s", file, got, w)
		}
	}
	if _, ok := d["content/new.md"]; ok || len(d) != 2 {
		t.Errorf("dates %v, want only the two committed files", d)
	}
	if d := Load(context.Background(), t.TempDir()); len(d) != 0 {
		t.Errorf("a folder outside git has dates: %v", d)
	}
}
