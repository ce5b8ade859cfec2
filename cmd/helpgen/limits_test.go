package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// writeFiles writes a site: name → content, under root.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const limitsConfig = "timeout = \"300ms\"\n[regions.JP.params]\nservice = \"x\"\n[regions.US.params]\nservice = \"y\"\n"

// TestBuildTemplateLimits: a template that would never finish, or that
// calls itself without end, fails build and check with exit 1 and a
// positioned error naming the page and the calls that led there; nothing is
// written.
func TestBuildTemplateLimits(t *testing.T) {
	page := "---\ntitle: p\n---\nText.\n\n{{< spin >}}\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string // in stderr
		// layout: the error is in a layout, which check does not run
		layout bool
	}{
		{"a shortcode that loops forever", map[string]string{"content/p.md": page, "shortcodes/spin.html": "<b>\n{{ range 1000000000000 }}{{ end }}</b>\n"},
			[]string{`shortcodes/spin.html:2:10: the page's templates ran longer than timeout = "300ms" and were stopped here [`, // one region: the build stops there
				"{{ range 1000000000000 }}", "         ^", "raise timeout", "shortcodes/spin.html called from content/p.md:6:1"}, false},
		{"many pages that loop forever stop at the first", manyPages(40),
			[]string{`shortcodes/spin.html:1:10: the page's templates ran longer than timeout`}, false},
		{"a partial that calls itself", map[string]string{"content/p.md": "---\ntitle: p\n---\n",
			"layouts/_default/single.html": "{{ partial \"loop.html\" . }}", "layouts/partials/loop.html": "{{ partial \"loop.html\" . }}"},
			[]string{"layouts/partials/loop.html:1:4: layouts/partials/loop.html is called more than 100 deep [JP, US]",
				"needs a condition that ends the recursion", "called from layouts/_default/single.html", "while rendering content/p.md"}, true},
		{"a partial called from a shortcode calls itself", map[string]string{"content/p.md": page,
			"shortcodes/spin.html": "{{ partial \"loop.html\" . }}", "layouts/partials/loop.html": "{{ partial \"loop.html\" . }}"},
			[]string{"layouts/partials/loop.html:1:4: layouts/partials/loop.html is called more than 100 deep",
				"called from shortcodes/spin.html called from content/p.md:6:1"}, false},
		{"a template that calls itself", map[string]string{"content/p.md": page,
			"shortcodes/spin.html": "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}\n{{ template \"r\" . }}"},
			[]string{`shortcodes/spin.html:1:29: template "r" is called more than 100 deep`}, false},
		{"arguments to a region variable", map[string]string{"content/p.md": "---\ntitle: p\n---\nUse {{% service extra %}}.\n"},
			[]string{`content/p.md:4:17: region variable "service" takes no arguments`, "write {{% service %}}"}, false},
		{"a closing tag in the other delimiters", map[string]string{"content/p.md": "---\ntitle: p\n---\n{{< enabled JP >}}\nx\n{{% /enabled %}}\n"},
			[]string{`content/p.md:6:1: closing tag {{% /enabled %}} does not match the delimiters of its opening tag {{< enabled >}}`, "write {{< /enabled >}}"}, false},
		{"block shortcodes nested too deep", map[string]string{"content/p.md": "---\ntitle: p\n---\n" + strings.Repeat("{{% note %}}\n", 2000) + "x\n" + strings.Repeat("{{% /note %}}\n", 2000)},
			[]string{`content/p.md:20:1: {{% note %}} is nested 17 deep in block shortcodes`}, false},
		{"a bad timeout", map[string]string{"content/p.md": "---\ntitle: p\n---\n",
			"helpgen.toml": strings.Replace(limitsConfig, `"300ms"`, `"forever"`, 1)},
			[]string{`helpgen.toml:1:11: timeout must be a positive duration, not "forever"`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			files := map[string]string{"helpgen.toml": limitsConfig}
			for k, v := range tt.files {
				files[k] = v
			}
			writeFiles(t, root, files)
			dest := filepath.Join(root, "public")
			for _, args := range [][]string{{"build", "-s", root, "-d", dest}, {"check", "-s", root}} {
				if tt.layout && args[0] == "check" {
					continue
				}
				code, out, stderr := runCLI(args...)
				if args[0] == "check" {
					stderr += out
				}
				if code != exitContent {
					t.Errorf("%s: exit %d, want %d", args[0], code, exitContent)
				}
				for _, w := range tt.want {
					if !strings.Contains(stderr, w) {
						t.Errorf("%s: output lacks %q:\n%s", args[0], w, stderr)
					}
				}
				// Pages rendering side by side may each run out of time
				// before the first stops the others: a few, not all 40.
				if strings.Contains(stderr, "goroutine ") || strings.Count(stderr, "ran longer than") > runtime.GOMAXPROCS(0) {
					t.Errorf("%s: output:\n%s", args[0], stderr)
				}
			}
			if _, err := os.Stat(dest); !os.IsNotExist(err) {
				t.Error("the failed build created its destination")
			}
		})
	}
}

// manyPages is a site whose every page loops forever: the build stops at
// the first page out of time instead of waiting out every page's timeout.
func manyPages(n int) map[string]string {
	files := map[string]string{"shortcodes/spin.html": "{{ range 1000000000000 }}{{ end }}"}
	for i := range n {
		files[filepath.Join("content", strings.Repeat("p", i+1)+".md")] = "---\ntitle: p\n---\n{{< spin >}}\n"
	}
	return files
}
