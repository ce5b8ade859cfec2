package check

import (
	"html"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/search"
	"github.com/helpgen/helpgen/internal/theme"
)

var (
	urlAttrRE = regexp.MustCompile(`(?:href|src)="([^"]*)"|<loc>([^<]*)</loc>`)
	hostRE    = regexp.MustCompile(`^https?://[^/]*`)
)

// TestURLsEncodedOneWay: pages whose names need percent-encoding (a space,
// Japanese, punctuation) are linked by one spelling of their URL in every
// place a URL is written, and writers' links to them in any spelling
// resolve.
func TestURLsEncodedOneWay(t *testing.T) {
	pages := map[string]string{ // raw path → its one URL
		"/sp ace/":                   "/sp%20ace/",
		"/sp ace/with space.html":    "/sp%20ace/with%20space.html",
		"/sp ace/日本語.html":           "/sp%20ace/%E6%97%A5%E6%9C%AC%E8%AA%9E.html",
		"/sp ace/a'b (c)&d+e=f.html": "/sp%20ace/a%27b%20%28c%29&d+e=f.html",
		"/old page/":                 "/old%20page/",
	}
	fsys := site("", map[string]string{
		"content/sp ace/_index.md":        "---\ntitle: Section\ndescription: the section\n---\n",
		"content/sp ace/with space.md":    "---\ntitle: Spaced\nweight: 1\naliases: [\"/old page/\"]\n---\n## Head\n",
		"content/sp ace/日本語.md":           "---\ntitle: Japanese\nweight: 2\n---\n",
		"content/sp ace/a'b (c)&d+e=f.md": "---\ntitle: Punct\nweight: 3\n---\n",
		"content/links.md": "---\ntitle: Links\n---\n" +
			"[a](/sp%20ace/with%20space.html) [b](sp%20ace/%E6%97%A5%E6%9C%AC%E8%AA%9E.html) [c](</sp ace/with space.html#head>)\n" +
			"[d](/old%20page/) [e](/sp%20ace/) [f](/sp%20ace/a'b%20(c)&d+e=f.html) [g](sp%20ace/日本語.html)\n\n## x\n",
	})
	p := load(t, fsys)
	out := output.NewMemOutput()
	if _, err := p.Build(out, build.Options{Writers: []build.RegionWriter{search.Writer(search.DefaultOptions)}}); err != nil {
		t.Fatal(err)
	}
	if f := run(t, p); len(f) > 0 {
		t.Errorf("links in any spelling must resolve: %v", f)
	}
	seen := map[string]int{} // encoded URL → how many times written
	for _, name := range slices.Sorted(maps.Keys(out.Files)) {
		text := string(out.Files[name])
		for raw, enc := range pages {
			if strings.Contains(text, `"`+raw) || strings.Contains(text, `.com`+raw) {
				t.Errorf("%s writes the unencoded URL %q", name, raw)
			}
			if strings.Contains(text, enc) {
				seen[enc]++
			}
		}
		for _, m := range urlAttrRE.FindAllStringSubmatch(text, -1) {
			u := hostRE.ReplaceAllString(html.UnescapeString(m[1]+m[2]), "")
			u, _, _ = strings.Cut(u, "#")
			if enc, ok := pages[content.PathOf(u)]; ok && u != enc && !strings.HasPrefix(name, "jp/links") && !strings.HasPrefix(name, "us/links") {
				t.Errorf("%s: %q is written %q", name, enc, u)
			}
		}
	}
	for _, enc := range pages {
		if seen[enc] == 0 {
			t.Errorf("%s written nowhere", enc)
		}
	}
	// The section's level of the tree is fetched by the section's URL as
	// linked, /_nav/t/sp%20ace.html: its file is named by the decoded path.
	if b, _ := out.Get("jp", theme.TreeFile); !strings.Contains(string(b), `href="/sp%20ace/"`) {
		t.Errorf("jp/%s does not link /sp%%20ace/", theme.TreeFile)
	}
	for _, f := range []string{"jp/" + theme.TreeDir + "/sp ace.html", "jp/sitemap.xml", "jp/sp ace/index.html", "jp/sp ace/with space.html", "jp/old page/index.html"} {
		if b, _ := out.Get(strings.Split(f, "/")[0], strings.SplitN(f, "/", 2)[1]); !strings.Contains(string(b), "/sp%20ace/with%20space.html") {
			t.Errorf("%s does not link /sp%%20ace/with%%20space.html", f)
		}
	}
	if !inSearch(out, "jp/", "/sp%20ace/with%20space.html") {
		t.Error("the search index does not hold the encoded URL")
	}
}

// TestURLNamesRefused: names that cannot be part of a link's path, and
// names that differ only in Unicode normalization, are errors that say how
// to rename them.
func TestURLNamesRefused(t *testing.T) {
	fsys := site("", map[string]string{
		"content/hash#tag.md":   "---\ntitle: a\n---\n",
		"content/q?mark.md":     "---\ntitle: b\n---\n",
		"content/pct%41.md":     "---\ntitle: c\n---\n",
		"content/d#ir/page.md":  "---\ntitle: d\n---\n",
		"content/caf\u00e9.md":  "---\ntitle: e\n---\n",
		"content/cafe\u0301.md": "---\ntitle: f\n---\n",
		"content/sp ace.md":     "---\ntitle: g\naliases: [\"/x?y\"]\n---\n",
	})
	_, err := build.Load(fsys, helpgen.Defaults, build.LoadOptions{})
	var got []string
	for _, e := range diag.Flatten(err) {
		got = append(got, e.Error()+" | "+e.Hint)
	}
	want := []string{
		"content/cafe\u0301.md: NFD and content/caf\u00e9.md (NFC) are one name in two Unicode forms: two pages would look the same | rename or remove one of them; save file names in NFC",
		`content/d#ir/page.md: the path holds '#', which cannot be part of a page's URL | rename it without # ? % or \ (e.g. content/d-ir/page.md)`,
		`content/hash#tag.md: the path holds '#', which cannot be part of a page's URL | rename it without # ? % or \ (e.g. content/hash-tag.md)`,
		`content/pct%41.md: the path holds '%', which cannot be part of a page's URL | rename it without # ? % or \ (e.g. content/pct-41.md)`,
		`content/q?mark.md: the path holds '?', which cannot be part of a page's URL | rename it without # ? % or \ (e.g. content/q-mark.md)`,
		`content/sp ace.md:3:12: alias "/x?y" is not a URL path | an alias is a URL path such as /ja/id/040150, without ? or #`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
