package content

import (
	"strings"
	"testing"

	"github.com/helpgen/helpgen/internal/diag"
)

// TestFrontMatterTypes: a known field of the wrong type is an error at its
// key that says what is expected, in every front matter format.
func TestFrontMatterTypes(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"---\ntitle: [a, b]\n---\n", `content/p.md:2:1: title must be text, not a list`},
		{"---\ntitle: {a: 1}\n---\n", `content/p.md:2:1: title must be text, not a table of keys and values`},
		{"---\ntitle: true\n---\n", `content/p.md:2:1: title must be text, not true`},
		{"---\ntitle:\n---\n", `content/p.md:1:1: page has no title`},
		{"---\ntitle: t\ndescription: [a]\n---\n", `content/p.md:3:1: description must be text, not a list`},
		{"---\ntitle: t\nweight: [1]\n---\n", `content/p.md:3:1: weight must be a whole number, not a list`},
		{"---\ntitle: t\nweight: 1.5\n---\n", `content/p.md:3:1: weight must be a whole number, not the number 1.5`},
		{"---\ntitle: t\nweight: heavy\n---\n", `content/p.md:3:1: weight must be a whole number, not the text "heavy"`},
		{"---\ntitle: t\ndraft: \"yes\"\n---\n", `content/p.md:3:1: draft must be true or false, not the text "yes"`},
		{"---\ntitle: t\ndraft: 1\n---\n", `content/p.md:3:1: draft must be true or false, not the number 1`},
		{"---\ntitle: t\naliases: 3\n---\n", `content/p.md:3:1: aliases must be a list of URL paths, not the number 3`},
		{"---\ntitle: t\naliases: [[a]]\n---\n", `content/p.md:3:1: aliases must be a list of URL paths, not a list`},
		{"---\ntitle: t\nenabled: {JP: 1}\n---\n", `content/p.md:3:1: enabled must be a list of region codes, not a table of keys and values`},
		{"+++\ntitle = [\"a\"]\n+++\n", `content/p.md:2:1: title must be text, not a list`},
		{"+++\ntitle = \"t\"\ndisabled = 2024-01-01\n+++\n", `content/p.md:3:1: disabled must be a list of region codes, not a date`},
		{";;;\n{\"title\": \"t\",\n \"draft\": \"no\"}\n;;;\n", `content/p.md:3:1: draft must be true or false, not the text "no"`},
		{"---\ntitle: t\nweight: \"" + strings.Repeat("x", 500) + "\"\n---\n", `content/p.md:3:1: weight must be a whole number, not the text "` + strings.Repeat("x", 30) + `…"`},
		// Numbers are text where text is asked for, and pages still load.
		{"---\ntitle: 2024\ndescription: 1.5\nweight: \"7\"\n---\n", ``},
	} {
		_, errs := loadPage("content/p.md", []byte(c.src), testSite(t), Options{Names: names{}})
		got := make([]string, len(errs))
		for i, e := range errs {
			got[i] = e.Error()
		}
		if strings.Join(got, "\n") != c.want {
			t.Errorf("%q:\ngot  %s\nwant %s", c.src, strings.Join(got, "\n"), c.want)
		}
	}
}

// TestFrontMatterControlCharacters: a control character written as an
// escape in any front matter string (a NUL in the title, an escape sequence
// in a parameter) is an error at its key, never a page.
func TestFrontMatterControlCharacters(t *testing.T) {
	for _, src := range []string{
		"---\ntitle: \"a\\0b\"\n---\n",
		"---\ntitle: t\ndescription: \"a\\x1b[31mb\"\n---\n",
		"---\ntitle: t\naliases: [\"/a\\0\"]\n---\n",
		"---\ntitle: t\nenabled: [\"JP\\a\"]\n---\n",
		"---\ntitle: t\nextra: {deep: [\"\\x7f\"]}\n---\n",
		"---\ntitle: t\n\"ke\\0y\": 1\n---\n",
		"+++\ntitle = \"a\\u0000b\"\n+++\n",
		";;;\n{\"title\": \"a\\u0085b\"}\n;;;\n",
	} {
		p, errs := loadPage("content/p.md", []byte(src), testSite(t), Options{Names: names{}})
		if p != nil || len(errs) != 1 || !strings.Contains(errs[0].Msg, "control character") {
			t.Errorf("%q: page %v, errors %v", src, p != nil, errs)
			continue
		}
		if d := errs[0].Detail(); strings.ContainsAny(d, "\x00\x1b\x07\x7f") {
			t.Errorf("%q: the error prints the control character: %q", src, d)
		}
	}
	// Tabs and line breaks are text.
	p, errs := loadPage("content/p.md", []byte("---\ntitle: \"a\\tb\"\ndescription: |\n  one\n  two\n---\n"), testSite(t), Options{Names: names{}})
	if p == nil || len(errs) > 0 {
		t.Errorf("tab and line breaks refused: %v", diag.List(errs))
	}
}
