package render

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/helpgen/helpgen/internal/content"
)

// FuzzURLPath: the one encoding of page URLs (content.URLPath) can be undone
// (content.PathOf), and html/template's URL normalizer, which the layouts
// run every href through, keeps it byte for byte: so a URL is written the
// same by the layouts, the tree, the sitemap and the search index.
func FuzzURLPath(f *testing.F) {
	for _, s := range []string{"/a/b.html", "/sp ace/with space.html", "/日本語/ページ 1.html", "/a'b (c)&d+e=f.html", "/x%41", "/#?", "\x00\x7f\xff"} {
		f.Add(s)
	}
	href := template.Must(template.New("").Parse(`<a href="{{ . }}">`))
	f.Fuzz(func(t *testing.T, p string) {
		u := content.URLPath(p)
		if back := content.PathOf(u); back != p {
			t.Fatalf("PathOf(URLPath(%q)) = %q", p, back)
		}
		for i := 0; i < len(u); i++ {
			c := u[i]
			escape := c == '%' && i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2])
			if !escape && (c <= ' ' || c >= 0x7f || strings.IndexByte("%#?\"'<>\\()[]{}|^`", c) >= 0) {
				t.Fatalf("URLPath(%q) = %q keeps %q, which a link cannot hold", p, u, c)
			}
		}
		var b bytes.Buffer
		if err := href.Execute(&b, u); err != nil {
			t.Fatal(err)
		}
		want := `<a href="` + strings.NewReplacer("&", "&amp;", "+", "&#43;").Replace(u) + `">`
		if !strings.Contains(u, ":") && b.String() != want {
			t.Fatalf("the normalizer changes %q to %q", u, b.String())
		}
	})
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
