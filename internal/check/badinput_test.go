package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/diag"
)

// TestBadInput: each kind of bad input fails `helpgen build` (checks
// included) with a clear error at file:line:col, and nothing is written.
func TestBadInput(t *testing.T) {
	ok := "---\ntitle: OK\n---\nfine\n"
	tests := []struct {
		name  string
		files map[string]string
		want  string // the start of the first error
		hint  string // part of what the writer is told to do
	}{
		{"unknown region code", map[string]string{"content/a.md": "---\ntitle: A\n---\n{{% enabled JPN %}}x{{% /enabled %}}\n"},
			`content/a.md:4:13: unknown region "JPN" in enabled (known: JP, US)`, "helpgen.toml"},
		{"unknown region in front matter", map[string]string{"content/a.md": "---\ntitle: A\ndisabled: [jp]\n---\nx\n"},
			`content/a.md:3:12: unknown region "jp" in front matter disabled (known: JP, US)`, "write JP"},
		{"unclosed tag", map[string]string{"content/a.md": "---\ntitle: A\n---\nx\n{{% enabled JP %}}\nnever closed\n"},
			`content/a.md:5:1: {{% enabled %}} is never closed`, "{{% /enabled %}}"},
		{"mismatched tags", map[string]string{"content/a.md": "---\ntitle: A\n---\n{{% enabled JP %}}{{% disabled US %}}x{{% /enabled %}}{{% /disabled %}}\n"},
			`content/a.md:4:39: closing tag {{% /enabled %}} does not match the open {{% disabled %}}`, "first with {{% /disabled %}}"},
		{"stray closing tag", map[string]string{"content/a.md": "---\ntitle: A\n---\ntext {{< /enabled >}}\n"},
			`content/a.md:4:6: stray closing tag {{< /enabled >}} has no opening tag`, "remove it"},
		{"unknown shortcode", map[string]string{"content/a.md": "---\ntitle: A\n---\n\n{{< Screen src=\"a.png\" >}}\n"},
			`content/a.md:5:1: unknown shortcode "Screen"`, `did you mean "screen"`},
		{"template error in shortcodes/", map[string]string{"content/a.md": ok, "shortcodes/box.html": "<div>\n{{ if }}\n</div>\n"},
			`shortcodes/box.html:2: missing value for if`, "fix the template"},
		{"template error in layouts/", map[string]string{"content/a.md": ok, "layouts/_default/single.html": "<html>\n<body>\n{{ .Title | nosuchfunc }}\n</body>\n"},
			`layouts/_default/single.html:3:13: function "nosuchfunc" is not provided by helpgen`, "rewrite the template without it"},
		{"template execution error in layouts/", map[string]string{"content/a.md": ok, "layouts/_default/single.html": "<html>\n{{ .Title }}\n{{ .NoSuchField }}\n</html>\n"},
			`layouts/_default/single.html:3:4: executing "_default/single.html" at <.NoSuchField>`, "fix the template"}, // 1-based column
		{"malformed YAML front matter", map[string]string{"content/a.md": "---\ntitle: A\nweight: [1\naliases: x\n---\nx\n"},
			`content/a.md:3:1: front matter: did not find expected ',' or ']'`, "front matter syntax"},
		{"malformed TOML front matter", map[string]string{"content/a.md": "+++\ntitle = \"A\"\nweight = \n+++\nx\n"},
			`content/a.md:3:10: front matter: expected value`, "front matter syntax"},
		{"invalid UTF-8", map[string]string{"content/a.md": "---\ntitle: A\n---\nab\xffcd\n"},
			`content/a.md:4:3: invalid UTF-8 byte 0xff`, "UTF-8"},
		{"two files map to one URL", map[string]string{"content/a/_index.md": ok, "content/a/index.md": ok},
			`content/a/index.md:1:1: output /a/index.html is also written by content/a/_index.md`, "rename"},
		{"page without a title", map[string]string{"content/a.md": "---\nweight: 1\n---\nx\n"},
			`content/a.md:1:1: page has no title`, "title:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			src := filepath.Join(root, "site")
			files := map[string]string{"helpgen.toml": config}
			for k, v := range tt.files {
				files[k] = v
			}
			for k, v := range files {
				p := filepath.Join(src, k)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			dest := filepath.Join(root, "public")
			_, err := build.Run(build.RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults,
				Check: func(p *build.Project, rs []*build.Region) diag.List { return List(Sites(p, rs)) }})
			if err == nil {
				t.Fatal("the build succeeded")
			}
			l := diag.Flatten(err)
			first := l[0]
			if !strings.HasPrefix(first.Error(), tt.want) {
				t.Errorf("got  %s\nwant %s…", first.Error(), tt.want)
			}
			if first.Line < 1 {
				t.Errorf("no line in %s", first.Error())
			}
			if !strings.Contains(first.Detail(), tt.hint) {
				t.Errorf("the error says nothing about %q:\n%s", tt.hint, first.Detail())
			}
			if entries, _ := os.ReadDir(root); len(entries) != 1 {
				t.Errorf("something was written beside the site: %v", entries)
			}
		})
	}
}
