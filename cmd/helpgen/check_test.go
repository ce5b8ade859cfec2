package main

import (
	"encoding/json"
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
	if code != 1 || !strings.Contains(out, "content/links.md:8:28: link to /gone.html: no such page [CN, JP, US]") ||
		!strings.HasSuffix(out, "checked 8 pages in 3 regions: 12 errors, 3 warnings\n") {
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
