package build

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/render"
)

// awkwardSite has every character the layouts escape differently in text,
// attributes and URLs, in titles, descriptions, headings, ids and paths,
// a region code that is not a country, a page with no section above it and
// no home page; an edit URL and a lastmod date.
func awkwardSite() fstest.MapFS {
	cfg := strings.Replace(testConfig, "[regions.CN]", `[regions.EU_WEST]
baseURL = "https://eu.example.com/a b/"
[regions.EU_WEST.params]
service = "A&B <\"quoted\"> 'x'+y"
[regions.CN]`, 1)
	cfg = "editURL = \"https://example.com/edit/a b/?x=\\\"1\\\"&y<z>\"\n" + cfg
	m := fstest.MapFS{"helpgen.toml": {Data: []byte(cfg)}}
	for name, text := range map[string]string{
		"content/docs/_index.md": "---\ntitle: \"Docs & <more>\"\ndescription: \"It's \\\"quoted\\\" + {{%service%}}\"\n---\nIntro.\n",
		"content/docs/a.md": "---\ntitle: \"{{%service%}} を使う\"\nweight: 1\naliases: [\"/ja/id/040150\"]\n---\n" +
			"## 見出し & <b>\n\ntext\n\n### Sub 'one' {#sub+1}\n\n## Plain {#p%20x}\n\n### Orphan?\n",
		"content/docs/b.md":         "---\ntitle: \"B\"\nweight: 2\ndisabled: [US]\nlastmod: 2024-05-31\n---\n## Only\n",
		"content/docs/c.md":         "---\ntitle: \"C\"\nweight: 3\nenabled: [EU_WEST]\n---\nbody\n",
		"content/ヘルプ/_index.md":     "---\ntitle: ヘルプ\n---\n",
		"content/ヘルプ/ページ 1.md":      "---\ntitle: \"ページ\"\ndescription: \"説明\"\n---\n### Deep first\n\n## Then\n",
		"content/docs/deep/x/y.md":  "---\ntitle: Lone\n---\nNo section of its own.\n",
		"content/docs/deep/x/z.md":  "---\ntitle: \"  &amp; \"\n---\n",
		"content/general/ja/e.md":   "---\ntitle: javascript:alert(1)\n---\n",
		"content/general/ja/f.md":   "---\ntitle: \"\\u00a0nbsp\\u2028ls\"\n---\n",
		"content/docs/weight/w1.md": "---\ntitle: W\nweight: 5\n---\n",
	} {
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

// TestCompiledLayoutsMatchTemplates builds sites with the built-in layouts
// compiled (internal/tplrun) and with every layout run by html/template,
// and compares every file. No compiled layout may give up on these sites:
// if one did, the comparison would not have compared it.
func TestCompiledLayoutsMatchTemplates(t *testing.T) {
	corpusDir := t.TempDir()
	if _, err := corpus.Write(corpusDir, corpus.Options{Pages: 240, PerSection: 30, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	override := awkwardSite()
	override["layouts/partials/toc.html"] = &fstest.MapFile{Data: []byte(`{{ with .TOC }}<ol class="mine">{{ range . }}<li>{{ .Text }}</li>{{ end }}</ol>{{ end }}`)}
	override["layouts/partials/tree-items.html"] = &fstest.MapFile{Data: []byte(`<p>{{ .Item.Title }} {{ len .Item.Children }}</p>`)}
	for _, tc := range []struct {
		name string
		fsys fs.FS
		dir  string // for dates from git history
		want string // in some page when the site overrides a partial
	}{
		{"bundled", os.DirFS("../.."), "../..", ""},
		{"corpus", os.DirFS(corpusDir), "", ""},
		{"awkward", awkwardSite(), "", `<time datetime="2024-05-31">`},
		{"override", override, "", `<ol class="mine">`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Load(tc.fsys, helpgen.Defaults, LoadOptions{Dir: tc.dir})
			if err != nil {
				t.Fatal(err)
			}
			// The bundled site's layouts are copies of the defaults: they
			// are compiled; an overridden file runs as written.
			if !p.Templates.IsBuiltIn("_default/single.html") || p.Templates.IsBuiltIn("partials/toc.html") != (tc.name != "override") {
				t.Errorf("built-in: single %v, toc %v", p.Templates.IsBuiltIn("_default/single.html"), p.Templates.IsBuiltIn("partials/toc.html"))
			}
			for _, name := range []string{"_default/single.html", "_default/list.html", "partials/head.html", "partials/tree.html"} {
				if why, ok := p.Templates.NotCompiled()[name]; ok {
					t.Errorf("%s is not compiled: %s", name, why)
				}
			}
			compiled := output.NewMemOutput()
			if _, err := p.Build(compiled, Options{}); err != nil {
				t.Fatal(err)
			}
			if n := p.Templates.Fallbacks(); n > 0 {
				t.Errorf("compiled layouts gave up %d times", n)
			}
			plain := *p
			if plain.Templates, err = render.Load(tc.fsys, helpgen.Defaults); err != nil {
				t.Fatal(err)
			}
			plain.Templates.RunAsTemplates()
			want := output.NewMemOutput()
			if _, err := plain.Build(want, Options{}); err != nil {
				t.Fatal(err)
			}
			names := slices.Sorted(func(yield func(string) bool) {
				for k := range want.Files {
					if !yield(k) {
						return
					}
				}
			})
			if len(compiled.Files) != len(names) {
				t.Errorf("%d files with the compiled layouts, %d with the templates", len(compiled.Files), len(names))
			}
			found := tc.want == ""
			for _, name := range names {
				got, ok := compiled.Files[name]
				if !ok {
					t.Errorf("%s: not written with the compiled layouts", name)
					continue
				}
				if string(got) != string(want.Files[name]) {
					t.Errorf("%s differs:\n%s", name, firstDiff(string(got), string(want.Files[name])))
				}
				found = found || strings.Contains(string(got), tc.want)
			}
			if !found {
				t.Errorf("no page shows the site's own partial %q", tc.want)
			}
		})
	}
}

// firstDiff shows both texts around their first difference.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-120)
	return "got:  …" + got[from:min(len(got), i+120)] + "…\nwant: …" + want[from:min(len(want), i+120)] + "…"
}

// uncachedBreadcrumbs is breadcrumbs.html as one template, without the
// trail it keeps per section (breadcrumbs-trail.html through partialCached).
const uncachedBreadcrumbs = `{{ with .Breadcrumbs }}<nav class="breadcrumbs" aria-label="{{ i18n "breadcrumbs" $.Lang }}">
  <ol>
  {{- range . }}
    <li><a href="{{ .URL }}">{{ if .Home }}{{ i18n "home" $.Lang }}{{ else }}{{ .Title }}{{ end }}</a></li>
  {{- end }}
    <li aria-current="page">{{ $.Title }}</li>
  </ol>
</nav>{{ end }}
`

// TestCachedPartsMatchUncached builds sites with the built-in layouts and
// with a site's own breadcrumbs.html that runs whole on every page, and
// compares every file: the part breadcrumbs.html keeps once per section
// and language is the same on every page that shows it.
func TestCachedPartsMatchUncached(t *testing.T) {
	corpusDir := t.TempDir()
	if _, err := corpus.Write(corpusDir, corpus.Options{Pages: 240, PerSection: 30, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	twoLangs := awkwardSite()
	twoLangs["content/general/en/_index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: General\n---\n")}
	twoLangs["content/general/en/g.md"] = &fstest.MapFile{Data: []byte("---\ntitle: G\n---\n## One\n")}
	for _, tc := range []struct {
		name string
		fsys fs.FS
	}{
		{"bundled", os.DirFS("../..")},
		{"corpus", os.DirFS(corpusDir)},
		{"awkward", twoLangs},
	} {
		t.Run(tc.name, func(t *testing.T) {
			builtIn, err := Load(tc.fsys, helpgen.Defaults, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := output.NewMemOutput()
			if _, err := builtIn.Build(want, Options{}); err != nil {
				t.Fatal(err)
			}
			site := fstest.MapFS{"layouts/partials/breadcrumbs.html": {Data: []byte(uncachedBreadcrumbs)}}
			uncached, err := Load(overlayFS{site, tc.fsys}, helpgen.Defaults, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := output.NewMemOutput()
			if _, err := uncached.Build(got, Options{}); err != nil {
				t.Fatal(err)
			}
			if len(got.Files) != len(want.Files) {
				t.Errorf("%d files uncached, %d built in", len(got.Files), len(want.Files))
			}
			crumbs := 0
			for name, w := range want.Files {
				if g := got.Files[name]; string(g) != string(w) {
					t.Errorf("%s differs:\n%s", name, firstDiff(string(g), string(w)))
				}
				crumbs += strings.Count(string(w), `<nav class="breadcrumbs"`)
			}
			if crumbs == 0 {
				t.Error("no page shows breadcrumbs")
			}
		})
	}
}

// overlayFS is a site's file system with some files replaced or added.
type overlayFS struct {
	top  fstest.MapFS
	base fs.FS
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if _, ok := o.top[name]; ok {
		return o.top.Open(name)
	}
	f, err := o.base.Open(name)
	if err != nil && name == "layouts/partials" || err != nil && name == "layouts" {
		return o.top.Open(name)
	}
	return f, err
}
