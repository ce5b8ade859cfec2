package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// siteFiles is every file under dir with its text.
func siteFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMigrateChangesNothingElse runs helpgen migrate hugo on the Hugo test
// site: it writes helpgen.toml and nothing else, refuses to replace it
// without --force, and prints it with -o -; the site then builds.
func TestMigrateChangesNothingElse(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../internal/hugocompat/testdata/site")); err != nil {
		t.Fatal(err)
	}
	before := siteFiles(t, dir)
	args := []string{"migrate", "hugo", "-s", dir, "--config", "config.toml,config_us.toml,config_cn.toml", "--region-param", "TargetRegion"}
	code, out, stderr := runCLI(args...)
	if code != 0 || !strings.Contains(out, "for 3 regions") {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
	// The site's enabled/disabled templates are named as replaced.
	if !strings.Contains(stderr, "layouts/shortcodes/enabled2.html: warning: enabled2 is replaced by helpgen's built-in region conditional") {
		t.Errorf("no note on enabled2.html:\n%s", stderr)
	}
	after := siteFiles(t, dir)
	written := after["helpgen.toml"]
	delete(after, "helpgen.toml")
	if len(after) != len(before) {
		t.Errorf("files before %d, after %d", len(before), len(after))
	}
	for name, text := range before {
		if after[name] != text {
			t.Errorf("%s changed", name)
		}
	}
	if !strings.Contains(written, "[regions.US]") || !strings.Contains(written, `baseURL = "https://cn.help.example.com/"`) {
		t.Errorf("helpgen.toml:\n%s", written)
	}
	if code, _, stderr := runCLI(args...); code == 0 || !strings.Contains(stderr, "pass --force") {
		t.Errorf("second run: exit %d: %s", code, stderr)
	}
	if code, out, _ := runCLI(append(args, "-o", "-")...); code != 0 || out != written {
		t.Errorf("-o -: exit %d, printed %d bytes, wrote %d", code, len(out), len(written))
	}
	if code, _, stderr := runCLI(append(args, "--force")...); code != 0 {
		t.Errorf("--force: exit %d: %s", code, stderr)
	}
	code, out, stderr = runCLI("build", "-s", dir, "-d", filepath.Join(t.TempDir(), "public"), "-v")
	if code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	// -v says the site's enabled2/disabled2 templates are not used.
	if !strings.Contains(out+stderr, "layouts/shortcodes/enabled2.html: not used; {{< enabled2 >}} is helpgen's built-in region conditional") {
		t.Errorf("build -v does not name enabled2.html:\n%s%s", out, stderr)
	}
}
