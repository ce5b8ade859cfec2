package content

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/helpgen/helpgen/internal/diag"
)

// FuzzLoadPage: front matter and page loading never panic, and every error
// names the file and a line and column inside it (after BOM and CRLF
// normalisation, which is what positions count in).
func FuzzLoadPage(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: x\n---\nbody", "+++\ntitle = \"x\"\n+++\n", ";;;\n{\"title\": \"x\"}\n;;;\n", "---\ntitle: x\nweight: [1\n---\n",
		"---\ntitle: \"{{% enabled JP %}}a{{% /enabled %}}\"\ndisabled: [US]\n---\n{{%service%}}", "\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nb\r\n",
		"---\ntitle: x\n---\nab\xffcd", "---\nweight: 1\n---\n", "---\ntitle: [a, b]\naliases: 3\n---\n", "---\n", "---\ntitle: x\n",
		"+++\ntitle = 1\nenabled = [\"jp\"]\n+++\n{{% enabled", "---\n: :\n---\n",
		";;;\n{\"title\": \"{{% enabled CNX %}}z{{% /enabled %}}\"}\n;;;\n",
		"---\ntitle: \"a\\0b\"\nx: {y: [\"\\e\"]}\n---\n", "+++\ntitle = \"\\u0007\"\n+++\n", "---\ntitle: |\n  a\n  b\ndraft: no\n---\n",
	} {
		f.Add([]byte(s))
	}
	site := testSite(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, errs := loadPage("content/p.md", data, site, Options{Names: names{}})
		if p == nil && len(errs) == 0 {
			t.Fatal("no page and no error")
		}
		src := Normalize(data)
		s := diag.NewSource("content/p.md", src)
		lines := bytes.Count(src, []byte("\n")) + 1
		all := append(diag.List{}, errs...)
		if p != nil {
			all = append(all, p.UnknownRegions...)
		}
		if p != nil {
			for _, text := range []string{p.TitleSrc, p.DescSrc, fmt.Sprint(p.Params), strings.Join(p.Aliases, ""), strings.Join(p.Enabled, ""), strings.Join(p.Disabled, "")} {
				if r, bad := firstControl(text); bad {
					t.Fatalf("a control character (U+%04X) reached the page", r)
				}
			}
		}
		for _, e := range all {
			if d := e.Detail(); strings.ContainsFunc(d, func(r rune) bool { return r != '\n' && (r < 0x20 || r == 0x7f) }) {
				t.Fatalf("an error prints a control character: %q", d)
			}
			if e.File != "content/p.md" || e.Line < 1 || e.Line > lines || e.Col < 1 || e.Col > utf8.RuneCountInString(s.Line(e.Line))+1 {
				t.Fatalf("error outside the input (%d lines): %q", lines, e.Error())
			}
			if strings.TrimSpace(e.Msg) == "" {
				t.Fatal("error without a message")
			}
			if strings.Contains(e.Msg, "\n") || e.Source != s.Line(e.Line) {
				t.Fatalf("an error quotes more than its line: %q", e.Detail())
			}
		}
	})
}
