package content

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/shortcode"
)

type names struct{}

func (names) Lookup(n string) (shortcode.Kind, bool) {
	switch n {
	case "enabled", "disabled":
		return shortcode.Conditional, true
	case "service":
		return shortcode.Variable, true
	}
	return 0, false
}
func (names) Known() []string { return []string{"disabled", "enabled", "service"} }

func testSite(t testing.TB) *config.Site {
	s, err := config.Parse([]byte("languages = [\"ja\", \"en\"]\n[regions.JP.params]\nservice = \"a\"\n[regions.US.params]\nservice = \"b\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func load(t *testing.T, files map[string]string, drafts bool) ([]*Page, error) {
	m := fstest.MapFS{}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return Load(m, testSite(t), Options{Names: names{}, Drafts: drafts})
}

func TestFrontMatterFormats(t *testing.T) {
	pages, err := load(t, map[string]string{
		"content/ja/yaml.md":  "---\ntitle: \"{{%service%}} Y\"\nweight: 3\ndescription: d\naliases: [\"/ja/id/1\"]\ndisabled: [US]\nextra: {a: 1}\n---\nbody",
		"content/toml.md":     "+++\ntitle = \"T\"\nweight = 2\nenabled = [\"JP\"]\n+++\nbody",
		"content/json.md":     ";;;\n{\"title\": \"J\", \"weight\": 1, \"draft\": false}\n;;;\nbody",
		"content/draft.md":    "---\ntitle: D\ndraft: true\n---\n",
		"content/a/_index.md": "---\ntitle: Section\n---\n",
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]*Page{}
	for _, p := range pages {
		byURL[p.URL] = p
	}
	y := byURL["/ja/yaml.html"]
	if y == nil || y.Weight != 3 || y.Aliases[0] != "/ja/id/1" || y.InRegion("US") || !y.InRegion("JP") || y.Lang != "ja" || y.Out != "ja/yaml.html" {
		t.Errorf("yaml page: %+v", y)
	}
	if m, ok := y.Params["extra"].(map[string]any); !ok || m["a"] != 1 {
		t.Errorf("params: %#v", y.Params)
	}
	if tp := byURL["/toml.html"]; tp == nil || tp.Weight != 2 || tp.InRegion("US") || tp.Lang != "ja" {
		t.Errorf("toml page: %+v", tp)
	}
	if jp := byURL["/json.html"]; jp == nil || jp.Weight != 1 {
		t.Errorf("json page: %+v", jp)
	}
	if s := byURL["/a/"]; s == nil || !s.Section || s.Out != "a/index.html" {
		t.Errorf("section: %+v", s)
	}
	if byURL["/draft.html"] != nil {
		t.Error("draft built without --drafts")
	}
	pages, _ = load(t, map[string]string{"content/draft.md": "---\ntitle: D\ndraft: true\n---\n"}, true)
	if len(pages) != 1 {
		t.Error("draft skipped with --drafts")
	}
}

// TestTitlePositions checks that an error in a title points into the file.
// TestTitlePositions: a shortcode error in a front matter string points into
// the file, wherever and however the value is written.
func TestTitlePositions(t *testing.T) {
	bad := `{{% enabled XX %}}x{{% /enabled %}}`
	tests := []struct {
		name, src string
		line, col int
	}{
		{"yaml", "---\nweight: 1\ntitle: \"Hello " + bad + "\"\n---\n", 3, 27},
		{"toml", "+++\nweight = 1\ntitle = \"Hello " + bad + "\"\n+++\n", 3, 28},
		{"json on its own lines", ";;;\n{\n\"title\": \"Hello " + bad + "\"\n}\n;;;\n", 3, 29},
		{"json on one line", ";;;\n{\"weight\": 1, \"title\": \"" + bad + "\"}\n;;;\n", 2, 37},
		{"yaml flow map", "---\n{weight: 1, title: \"" + bad + "\"}\n---\n", 2, 33},
		{"escaped: the key's line", "---\nweight: 1\ntitle: \"\\u0048i " + bad + "\"\n---\n", 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, map[string]string{"content/p.md": tt.src}, false)
			l := diag.Flatten(err)
			if len(l) != 1 || l[0].Line != tt.line || l[0].Col != tt.col || !strings.Contains(l[0].Msg, `unknown region "XX"`) {
				t.Fatalf("got %v, want line %d col %d", err, tt.line, tt.col)
			}
			if want := strings.Split(tt.src, "\n")[tt.line-1]; l[0].Source != want {
				t.Errorf("source line %q, want the whole line %q", l[0].Source, want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            string
	}{
		{"yaml", "content/p.md", "---\ntitle: x\nweight: [1\n---\n", "content/p.md:3:1: front matter:"},
		{"toml", "content/p.md", "+++\ntitle = \"x\"\nweight = \n+++\n", "content/p.md:3:"},
		{"json", "content/p.md", ";;;\n{\"title\": \"x\",}\n;;;\n", "content/p.md:2:"},
		{"invalid utf8", "content/p.md", "---\ntitle: x\n---\nab\xffcd", "content/p.md:4:3: invalid UTF-8 byte 0xff"},
		{"no title", "content/p.md", "---\nweight: 1\n---\nbody", "content/p.md:1:1: page has no title"},
		{"front matter never closed", "content/p.md", "---\ntitle: x\nbody\n", "content/p.md:1:1: front matter opened with --- is never closed"},
		{"toml front matter never closed", "content/p.md", "+++\ntitle = \"x\"\n", "content/p.md:1:1: front matter opened with +++ is never closed"},
		{"bad weight", "content/p.md", "---\ntitle: x\nweight: heavy\n---\n", "content/p.md:3:1: weight must be a whole number"},
		{"bad lastmod", "content/p.md", "---\ntitle: x\nlastmod: yesterday\n---\n", "content/p.md:3:1: lastmod must be a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, map[string]string{tt.file: tt.src}, false)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

// Unknown region codes in front matter are kept for the checker, which
// reports them with the severity the site configures.
func TestUnknownFrontMatterRegions(t *testing.T) {
	tests := []struct{ src, want string }{
		{"---\ntitle: x\ndisabled: [CN]\n---\n", `content/p.md:3:12: unknown region "CN" in front matter disabled (known: JP, US)`},
		{"---\ntitle: x\nweight: 2\nenabled: [jp]\n---\n", `content/p.md:4:11: unknown region "jp" in front matter enabled (known: JP, US)`},
		{"---\ntitle: x\nenabled:\n  - JP\n  - JPN\nweight: 2\n---\n", `content/p.md:5:5: unknown region "JPN" in front matter enabled (known: JP, US)`},
		{"+++\ntitle = \"x\"\ndisabled = [\"US\", \"CNN\"]\n+++\n", `content/p.md:3:20: unknown region "CNN" in front matter disabled (known: JP, US)`},
	}
	for _, tt := range tests {
		pages, err := load(t, map[string]string{"content/p.md": tt.src}, false)
		if err != nil {
			t.Fatal(err)
		}
		u := pages[0].UnknownRegions
		if len(u) != 1 || u[0].Error() != tt.want {
			t.Errorf("got %v, want %s", u, tt.want)
		}
		if !strings.Contains(u[0].Hint, "helpgen.toml") && !strings.Contains(u[0].Hint, "uppercase") {
			t.Errorf("hint %q says nothing to do", u[0].Hint)
		}
	}
}

func TestDuplicateURL(t *testing.T) {
	_, err := load(t, map[string]string{
		"content/a/_index.md": "---\ntitle: A\n---\n",
		"content/a/index.md":  "---\ntitle: B\n---\n",
	}, false)
	got := err.Error()
	for _, want := range []string{"content/a/index.md:1:1: output /a/index.html is also written by content/a/_index.md"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
}

func TestNormalize(t *testing.T) {
	if got := string(Normalize([]byte("\xef\xbb\xbfa\r\nb\r\n"))); got != "a\nb\n" {
		t.Errorf("got %q", got)
	}
}

// TestLastMod reads the lastmod date of each front matter format.
func TestLastMod(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"yaml date", "---\ntitle: x\nlastmod: 2024-05-31\n---\n", "2024-05-31T00:00:00Z"},
		{"yaml quoted time", "---\ntitle: x\nlastmod: \"2024-05-31T09:30:00+09:00\"\n---\n", "2024-05-31T09:30:00+09:00"},
		{"toml date", "+++\ntitle = \"x\"\nlastmod = 2024-05-31\n+++\n", "2024-05-31T00:00:00Z"},
		{"json text", ";;;\n{\"title\": \"x\", \"lastmod\": \"2024-05-31 10:00:00\"}\n;;;\n", "2024-05-31T10:00:00Z"},
		{"none", "---\ntitle: x\n---\n", "0001-01-01T00:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pages, err := load(t, map[string]string{"content/p.md": tc.src}, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := pages[0].LastMod.Format(time.RFC3339); got != tc.want {
				t.Errorf("lastmod %s, want %s", got, tc.want)
			}
		})
	}
}

// TestHugoURLs: URLs as Hugo gives the same files, so that no published
// link breaks on the switch: names lowercased (unless disablePathToLower),
// slug and url front matter, pages as .html files.
func TestHugoURLs(t *testing.T) {
	cases := []struct {
		file, fm, cfg, url, out string
	}{
		{"content/general/var_CorpName.md", "", "", "/general/var_corpname.html", "general/var_corpname.html"},
		{"content/General/_index.md", "", "", "/general/", "general/index.html"},
		{"content/general/var_CorpName.md", "", "disablePathToLower = true\n", "/general/var_CorpName.html", "general/var_CorpName.html"},
		{"content/a/page.md", "slug: other\n", "", "/a/other.html", "a/other.html"},
		{"content/a/page.md", "url: /ja/id/0042.html\n", "", "/ja/id/0042.html", "ja/id/0042.html"},
		{"content/a/page.md", "url: /ja/guide/\n", "", "/ja/guide/", "ja/guide/index.html"},
		{"content/a/page.md", "url: /ja/Plain\n", "", "/ja/Plain/", "ja/Plain/index.html"},
		{"content/a/page.md", "url: /ja/id/Doc0042.html\n", "", "/ja/id/Doc0042.html", "ja/id/Doc0042.html"},
		{"content/a/page.md", "slug: Other-Name\n", "", "/a/other-name.html", "a/other-name.html"},
		{"content/a/page.md", "slug: Other-Name\n", "disablePathToLower = true\n", "/a/Other-Name.html", "a/Other-Name.html"},
	}
	for _, c := range cases {
		site, err := config.Parse([]byte(c.cfg + "[regions.JP]\n"))
		if err != nil {
			t.Fatal(err)
		}
		fsys := fstest.MapFS{c.file: {Data: []byte("---\ntitle: T\n" + c.fm + "---\nx\n")}}
		p, err := LoadFile(fsys, c.file, site, Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if p.URL != c.url || p.Out != c.out {
			t.Errorf("%s %q: URL %q out %q, want %q %q", c.file, c.fm, p.URL, p.Out, c.url, c.out)
		}
	}
	site, _ := config.Parse([]byte("[regions.JP]\n"))
	for _, fm := range []string{"slug: a/b\n", "url: \"/x?y\"\n", "slug: [1]\n"} {
		fsys := fstest.MapFS{"content/p.md": {Data: []byte("---\ntitle: T\n" + fm + "---\n")}}
		if _, err := LoadFile(fsys, "content/p.md", site, Options{}); err == nil || !strings.Contains(err.Error(), "content/p.md:3:1:") {
			t.Errorf("%q: err = %v", fm, err)
		}
	}
}
