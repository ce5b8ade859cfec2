package content

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/helpgen/helpgen/internal/diag"
)

// TestErrorsQuoteOneLine: whatever the decoder or the parser met, an error
// quotes at most the offending line (and of a long line a window), its
// message is one line, and a decoder's quoted token is cut short.
func TestErrorsQuoteOneLine(t *testing.T) {
	body := strings.Repeat("SECRETLINE with words\n", 5)
	for _, src := range []string{
		"---\ntitle: \"abc\n" + body + "---\n",
		"---\ntitle: abc\n" + body + "---\n",
		"---\ntitle: 'abc\n" + body + "---\n",
		"---\ntitle: [abc\n" + body + "---\n",
		"---\ntitle: abc\n\t" + body + "---\n",
		"+++\ntitle = \"\"\"abc\n" + body + "+++\n",
		"+++\ntitle = abc " + strings.Repeat("x", 300) + "\n" + body + "+++\n",
		"+++\ntitle = " + strings.Repeat("y", 300) + "\n" + body + "+++\n",
		";;;\n[\"" + body + "\"]\n;;;\n",
		"+++\n" + body + "+++\n",
		";;;\n{\"title\": \"abc\n" + body + ";;;\n",
		";;;\n{\"title\": abc " + body + ";;;\n",
		"---\n" + body + "---\n",
		"---\nx: &a [*a]\n---\n",
		"---\n? [a, b]\n: c\n---\n",
		"---\ntitle: " + strings.Repeat("{{% x ", 50) + "\n---\n",
		"---\ntitle: t\n---\n{{< " + strings.Repeat("n", 300) + " >}}\n" + body,
		"---\ntitle: t\n---\n{{< enabled `" + body + "\n",
		"---\ntitle: t\n---\n{{< enabled \"" + body + "\n",
		"---\ntitle: t\n---\n{{% enabled JP" + body + "\n",
		"---\ntitle: t\n---\n{{% enabled " + strings.Repeat("JPX ", 100) + "%}}\n" + body,
		"---\ntitle: t\n---\n{{% /" + strings.Repeat("n", 300) + " %}}\n" + body,
	} {
		_, errs := loadPage("content/p.md", []byte(src), testSite(t), Options{Names: names{}})
		if len(errs) == 0 {
			t.Errorf("%q: no error", src)
		}
		for _, e := range errs {
			d := e.Detail()
			if strings.Count(d, "SECRETLINE") > 1 || strings.Contains(e.Msg, "\n") || strings.Contains(e.Msg, "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy") {
				t.Errorf("%q: the error quotes more than its line:\n%s", src, d)
			}
			if e.Source != "" && e.Col > 0 {
				if shown := strings.Split(d, "\n")[1]; utf8.RuneCountInString(shown) > diag.MaxLine+6 {
					t.Errorf("%q: %d characters of the line shown", src, utf8.RuneCountInString(shown))
				}
			}
		}
	}
}
