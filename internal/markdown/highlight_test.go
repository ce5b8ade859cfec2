package markdown

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the highlighting block of the theme's stylesheet")

func TestHighlight(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string // substrings of the HTML
		not       []string
	}{
		{"known language", "```go\nfunc main() {} // done\n```\n",
			[]string{`<pre class="chroma"><code>`, `<span class="kd">func</span>`, `<span class="c1">// done</span>`}, []string{"style="}},
		{"escaped", "```html\n<a href=\"x\">&</a>\n```\n",
			[]string{`<span class="p">&lt;</span><span class="nt">a</span>`, "&amp;"}, []string{"<a href"}},
		{"no language", "```\nplain <x>\n```\n",
			[]string{"<pre><code>plain &lt;x&gt;\n</code></pre>"}, []string{"chroma"}},
		{"unknown language", "```nosuchlang\nplain\n```\n",
			[]string{`<pre><code class="language-nosuchlang">plain`}, []string{"chroma"}},
		{"indented", "    indented code\n",
			[]string{"<pre><code>indented code\n</code></pre>"}, []string{"chroma"}},
		{"variable token", "```sh\necho " + VarToken("service") + "\n```\n",
			[]string{`<pre><code class="language-sh">echo ` + VarToken("service")}, []string{"chroma"}},
		{"placeholder", "```sh\necho " + Placeholder(3) + "\n```\n",
			[]string{`<pre><code class="language-sh">echo ` + Placeholder(3)}, []string{"chroma"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Convert([]byte(tc.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			html := string(d.HTML)
			for _, w := range tc.want {
				if !strings.Contains(html, w) {
					t.Errorf("HTML lacks %q:\n%s", w, html)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(html, n) {
					t.Errorf("HTML holds %q:\n%s", n, html)
				}
			}
		})
	}
}

// TestHighlightCSS keeps the theme's colours for highlighted code equal to
// what HighlightCSS makes of the chroma styles (-update rewrites them).
func TestHighlightCSS(t *testing.T) {
	const file = "../../static/_theme/helpgen.css"
	const begin, end = "/* highlight: begin (go test ./internal/markdown -update) */\n", "/* highlight: end */"
	css, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(css, []byte(begin)), bytes.Index(css, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("%s has no block between %q and %q", file, begin, end)
	}
	got, want := string(css[i+len(begin):j]), HighlightCSS()
	if got == want {
		return
	}
	if !*update {
		t.Fatalf("%s: highlighting colours differ from HighlightCSS(); run go test ./internal/markdown -update\ngot:\n%s\nwant:\n%s", file, got, want)
	}
	out := append(append(append([]byte{}, css[:i+len(begin)]...), want...), css[j:]...)
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
