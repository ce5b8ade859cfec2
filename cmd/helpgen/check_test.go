package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCheckCommand(t *testing.T) {
	defects := filepath.Join("..", "..", "internal", "check", "testdata", "defects")
	code, out, stderr := runCLI("check", "-s", "../..")
	if code != 0 || !regexp.MustCompile(`checked \d+ pages in 3 regions: no problems`).MatchString(out) {
		t.Errorf("bundled site: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = runCLI("check", "-s", defects)
	if code != 1 || !strings.Contains(out, "content/links.md:9:28: link to /gone.html: no such page [CN, JP, US]") ||
		!strings.HasSuffix(out, "checked 14 pages in 3 regions: 15 errors, 17 warnings\n") {
		t.Errorf("defects: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI("check", "-s", defects, "-r", "cn", "--format", "json")
	var rep struct {
		Findings []struct {
			File, Check, Severity string
			Line, Col             int
			Regions               []string
		}
		Summary struct{ Errors, Warnings, Regions int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if code != 1 || rep.Summary.Regions != 1 || rep.Summary.Errors == 0 || rep.Findings[0].File == "" {
		t.Errorf("json: exit %d %+v", code, rep)
	}
	for _, f := range rep.Findings {
		if len(f.Regions) > 0 && strings.Join(f.Regions, ",") != "CN" {
			t.Errorf("finding for regions not checked: %+v", f)
		}
	}
	if code, _, _ := runCLI("check", "--format", "xml"); code != 2 {
		t.Errorf("bad format: exit %d", code)
	}
}

// TestCheckCIFormats: --format github prints one workflow command per
// finding with the path from the working directory, and --format sarif a
// SARIF log; both exit as text does.
func TestCheckCIFormats(t *testing.T) {
	defects := filepath.Join("..", "..", "internal", "check", "testdata", "defects")
	code, out, _ := runCLI("check", "-s", defects, "--format", "github")
	want := "::error file=" + filepath.ToSlash(defects) + "/content/links.md,line=9,col=28,title=helpgen check%3A links::link to /gone.html: no such page [CN, JP, US]%0Afix the path, or add the page\n"
	if code != 1 || !strings.Contains(out, want) || !strings.HasSuffix(out, "::notice title=helpgen check::checked 14 pages in 3 regions: 15 errors, 17 warnings\n") {
		t.Errorf("github: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI("check", "-s", defects, "--format", "sarif")
	var log struct {
		Version string
		Runs    []struct{ Results []json.RawMessage }
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || code != 1 || log.Version != "2.1.0" || len(log.Runs[0].Results) != 32 ||
		!strings.Contains(out, `"uri": "`+filepath.ToSlash(defects)+`/content/links.md"`) {
		t.Errorf("sarif: exit %d, %v\n%.400s", code, err, out)
	}
}

// TestCheckFix: --diff prints the fix of a copy of the original seed page
// and writes nothing; --fix writes it, after which the site checks clean
// and a second --fix finds nothing.
func TestCheckFix(t *testing.T) {
	site := t.TempDir()
	cfg, _ := os.ReadFile("../../helpgen.toml")
	seed, _ := os.ReadFile("../../internal/check/testdata/lists/troubleshoot_first.md")
	page := filepath.Join(site, "content", "general", "ja", "login", "troubleshoot_first.md")
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{filepath.Join(site, "helpgen.toml"): cfg, page: seed} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, stderr := runCLI("check", "-s", site, "--diff")
	if b, _ := os.ReadFile(page); code != 0 || !bytes.Equal(b, seed) ||
		!strings.HasPrefix(out, "--- a/content/general/ja/login/troubleshoot_first.md\n+++ b/content/general/ja/login/troubleshoot_first.md\n@@ -9,17 +9,17 @@") ||
		!strings.Contains(out, "\n-      * 「Shift」キーを押しながら「CapsLock」キーを押す\n") || !strings.Contains(out, "\n+       * 「Shift」キーを押しながら「CapsLock」キーを押す\n") {
		t.Errorf("--diff: exit %d, file changed %v\n%s%s", code, !bytes.Equal(b, seed), out, stderr)
	}
	code, out, stderr = runCLI("check", "-s", site, "--fix")
	if code != 1 || !strings.Contains(stderr, "fixed content/general/ja/login/troubleshoot_first.md: 7 lines re-indented") || strings.Contains(out, "[check lists]") ||
		strings.Contains(out, "Markdown ends") {
		t.Errorf("--fix: exit %d (links to pages this copy lacks remain)\n%s%s", code, out, stderr)
	}
	if _, _, stderr = runCLI("check", "-s", site, "--diff"); !strings.Contains(stderr, "nothing to fix") {
		t.Errorf("second --diff: %s", stderr)
	}
}

// TestCheckExternal: --external reports a link whose server answers 404,
// keeps the answers in the cache file, and a usage error names a bad limit.
func TestCheckExternal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" {
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	site := t.TempDir()
	files := map[string]string{
		"helpgen.toml": "title = \"T\"\n[regions.JP]\nbaseURL = \"https://jp.example.com/\"\n[check]\nexternal = \"error\"\n",
		"content/a.md": "---\ntitle: A\n---\n[ok](" + srv.URL + "/ok) [gone](" + srv.URL + "/gone)\n",
	}
	for name, text := range files {
		p := filepath.Join(site, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, stderr := runCLI("check", "-s", site)
	if code != 0 {
		t.Errorf("without --external: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI("check", "-s", site, "--external", "--external-timeout", "5s")
	if code != 1 || !strings.Contains(out, "content/a.md:4:") || !strings.Contains(out, "/gone: the server answers 404 Not Found [JP]") ||
		strings.Contains(out, "/ok:") {
		t.Errorf("--external: exit %d\n%s%s", code, out, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(site, ".helpgen-links.json")); err != nil || !strings.Contains(string(b), srv.URL+"/gone") {
		t.Errorf("cache file: %v\n%s", err, b)
	}
	if code, _, _ := runCLI("check", "-s", site, "--external", "--external-per-host", "0"); code != 2 {
		t.Errorf("--external-per-host 0: exit %d", code)
	}
}

func TestRegionsCommand(t *testing.T) {
	code, out, stderr := runCLI("regions", "-s", "../..", "content/general/ja/login/saml.md")
	if code != 0 || !strings.Contains(out, "==== CN  /general/ja/login/saml.html ====\n(not published in CN") || !strings.Contains(out, "==== US ") {
		t.Errorf("exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = runCLI("regions", "-s", "../..", "/general/ja/login/unlock.html", "--diff", "JP,US")
	if code != 0 || !strings.HasPrefix(out, "--- JP /general/ja/login/unlock.html\n+++ US /general/ja/login/unlock.html\n@@") ||
		!strings.Contains(out, "\n+すぐにログインする必要がある場合は、Kintone共通管理者") {
		t.Errorf("diff: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI("regions", "-s", "../..", "content/nope.md"); code != 2 {
		t.Errorf("missing page: exit %d", code)
	}
}
