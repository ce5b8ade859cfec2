package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestBuildBundledSite(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	code, out, stderr := runCLI("build", "-s", "../..", "-d", dest)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want one summary line per region, got %q", out)
	}
	re := regexp.MustCompile(`^(CN|JP|US)\s+\d+ pages\s+\d+ static files\s+\d+ ms`)
	for i, want := range []string{"CN", "JP", "US"} {
		if m := re.FindStringSubmatch(lines[i]); m == nil || m[1] != want {
			t.Errorf("line %d %q", i, lines[i])
		}
	}
	for _, p := range []string{"cn/general/ja/login/admin_account.html", "jp/general/ja/login/troubleshoot_first.html", "us/index.html"} {
		if _, err := os.Stat(filepath.Join(dest, p)); err != nil {
			t.Error(err)
		}
	}
	code, out, _ = runCLI("build", "-s", "../..", "-d", dest, "-r", "jp", "--quiet")
	if code != 0 || out != "" {
		t.Errorf("quiet build: exit %d, output %q", code, out)
	}
}

func TestExitCodes(t *testing.T) {
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "helpgen.toml"), []byte("[regions.JP.params]\nservice = \"x\"\n"), 0o644)
	os.MkdirAll(filepath.Join(site, "content"), 0o755)
	os.WriteFile(filepath.Join(site, "content", "p.md"), []byte("---\ntitle: p\n---\n{{% enabled XX %}}a{{% /enabled %}}\n"), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no command", nil, 2, ""},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unknown flag", []string{"build", "--nope"}, 2, "unknown flag"},
		{"help", []string{"build", "-h"}, 0, "Usage: helpgen build"},
		{"missing site", []string{"build", "-s", filepath.Join(site, "nope")}, 2, "does not exist"},
		{"unknown region flag", []string{"build", "-s", site, "-r", "XX"}, 2, `unknown region "XX"`},
		{"content error", []string{"build", "-s", site, "-d", filepath.Join(site, "out")}, 1, `content/p.md:4:13: unknown region "XX" in enabled (known: JP)`},
		{"quiet and verbose", []string{"build", "-s", site, "-q", "-v"}, 2, "exclude each other"},
		{"empty destination", []string{"build", "-s", site, "-d", ""}, 2, "destination folder is empty"},
		{"version", []string{"version"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, stderr, tt.stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(site, "out")); !os.IsNotExist(err) {
		t.Error("failed build created its destination")
	}
}
