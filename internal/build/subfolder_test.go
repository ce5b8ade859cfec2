package build

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/output"
)

// TestSubFolderShortcodes: layouts/shortcodes/sc/sub.html is the shortcode
// sc/sub, called as in Hugo with {{< sc/sub >}}, paired or not, with typed
// arguments; a self-closing call of a template without .Inner is refused as
// in Hugo, positioned.
func TestSubFolderShortcodes(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"layouts/shortcodes/sc/sub.html":      `<em class="sub">{{ .Get "n" }}:{{ printf "%T" (.Get "n") }}:{{ if eq (.Get "open") false }}closed{{ end }}</em>`,
		"layouts/shortcodes/docs/note/x.html": `<aside>{{ .Inner }}</aside>`,
		"content/a.md":                        "---\ntitle: A\n---\nSee {{< sc/sub n=2 open=false >}} and {{< docs/note/x >}}in{{< /docs/note/x >}}.\n",
	}))
	for _, region := range []string{"jp", "us", "cn"} {
		got := article(get(t, out, region, "a.html"))
		for _, want := range []string{`<em class="sub">2:int:closed</em>`, `<aside>in</aside>`} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: %q not in %q", region, want, got)
			}
		}
	}
}

func TestSubFolderShortcodeErrors(t *testing.T) {
	fsys := site(map[string]string{
		"layouts/shortcodes/sc/sub.html": `<em>{{ .Get 0 }}</em>`,
		"content/a.md":                   "---\ntitle: A\n---\nx {{< sc/sub />}}\n\n{{< sc/sub / x >}} {{< sc/subb >}}\n",
	})
	err := buildErrText(t, fsys)
	for _, want := range []string{
		`a.md:4:3: shortcode "sc/sub" takes no inner content, so it cannot be self-closing`,
		`a.md:6:12: unexpected "/" in shortcode`,
		`a.md:6:20: unknown shortcode "sc/subb"`,
	} {
		if !strings.Contains(err, want) {
			t.Errorf("%q not in\n%s", want, err)
		}
	}
}

// buildErrText builds fsys and returns its errors, one a line; the build must fail.
func buildErrText(t *testing.T, fsys fs.FS) string {
	t.Helper()
	proj, err := Load(fsys, helpgen.Defaults, LoadOptions{})
	if err == nil {
		_, err = proj.Build(output.NewMemOutput(), Options{})
	}
	if err == nil {
		t.Fatal("build succeeded")
	}
	var lines []string
	for _, e := range diag.Flatten(err) {
		lines = append(lines, e.Error()+" hint: "+e.Hint)
	}
	return strings.Join(lines, "\n")
}
