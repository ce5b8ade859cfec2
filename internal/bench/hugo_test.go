package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helpgen/helpgen/internal/corpus"
)

// TestWriteHugoLayout writes the Hugo configs and templates beside a small
// corpus; when a Hugo binary is at hand ($HUGO, or where make hugo installs
// it), it builds two regions and checks their conditionals and variables.
func TestWriteHugoLayout(t *testing.T) {
	site := t.TempDir()
	if _, err := corpus.Write(site, corpus.Options{Pages: 20, Seed: 1, Size: corpus.Real}); err != nil {
		t.Fatal(err)
	}
	configs, err := WriteHugoLayout(site)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(configs, ","); got != "config_cn.toml,config_jp.toml,config_us.toml" {
		t.Fatalf("configs %s", got)
	}
	for _, tc := range []struct{ file, want string }{
		{"config_jp.toml", `TargetRegion = "JP"`},
		{"config_us.toml", `service = "Kintone"`},
		{"layouts/shortcodes/CorpName.html", "{{ $.Site.Params.CorpName }}"},
		{"layouts/shortcodes/enabled.html", "TargetRegion"},
		{"layouts/_default/single.html", "{{ .Content }}"},
	} {
		b, err := os.ReadFile(filepath.Join(site, tc.file))
		if err != nil || !strings.Contains(string(b), tc.want) {
			t.Errorf("%s: %v, want it to hold %q:\n%s", tc.file, err, tc.want, b)
		}
	}
	hugo := os.Getenv("HUGO")
	if hugo == "" {
		home, _ := os.UserHomeDir()
		hugo = filepath.Join(home, ".cache", "helpgen", "hugo-v0.160.0", "hugo")
	}
	if _, err := exec.LookPath(hugo); err != nil {
		t.Logf("no Hugo at %s (make hugo installs it): Hugo's build of the layout not checked", hugo)
		return
	}
	out := t.TempDir()
	p, err := hugoProc(hugo, site, []string{"config_cn.toml", "config_jp.toml"}, out)
	if err != nil {
		t.Fatal(err)
	}
	if p.Wall <= 0 || p.CPU <= 0 || p.RSS <= 0 || p.Wall > time.Hour {
		t.Errorf("measured %+v", p)
	}
	for _, tc := range []struct {
		region, want, not string
	}{
		{"jp", "サイボウズのサポート", "cybozu.cn"},
		{"cn", "cybozu.cn", "サイボウズのサポート"},
	} {
		b, err := os.ReadFile(filepath.Join(out, tc.region, "general/ja/s0000/p000000.html"))
		if err != nil {
			t.Fatal(err)
		}
		// Hugo leaves shortcodes in titles as they are; the article has none.
		_, s, _ := strings.Cut(string(b), "<article")
		if !strings.Contains(s, tc.want) || strings.Contains(s, tc.not) || strings.Contains(s, "{{%") {
			t.Errorf("%s page: want %q, not %q, no shortcode in the article:\n%s", tc.region, tc.want, tc.not, s)
		}
	}
}
