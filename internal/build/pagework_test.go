package build

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/output"
)

// sharedCases are pages where regions could be tempted to share work they
// must not: variables next to links, e-mail addresses and headings without
// ids, conditionals that make two regions' Markdown equal, region-dependent
// shortcodes beside region-free ones.
var sharedCases = map[string]string{
	"content/a/same.md":      "---\ntitle: same\n---\n\nNo variables here. ![shot](/s.png) <br> <a href=\"/x.html\" id=\"x\">x</a>\n\n{{< screen src=\"/a.png\" alt=\"A\" >}}\n",
	"content/a/vars.md":      "---\ntitle: \"{{%service%}} vars\"\n---\n\n## {{%service%}} heading\n\nUse **{{%service%}}** at https://{{%service%}}/x or mail@{{%service%}} and {{%service%}}@example.com.\n\n[{{%service%}} link](/{{%service%}}/a.html) `{{%service%}}`\n\n{{% warning %}}\n{{%service%}} warning\n{{% /warning %}}\n",
	"content/a/cond.md":      "---\ntitle: cond\n---\n\n{{% disabled CN %}}\n## JP and US {#jpus}\n\nsame text in JP and US\n{{% /disabled %}}\n{{% enabled CN %}}\nonly CN\n{{% /enabled %}}\n\n{{< region >}} and {{< screen src=\"/b.png\" alt=\"B\" >}}\n",
	"content/a/_index.md":    "---\ntitle: section\n---\n\n* [same](same.html)\n* [vars](vars.html)\n",
	"shortcodes/region.html": `<span id="r-{{ .Region }}">{{ .Site.Params.service }} {{ .Ordinal }}</span>`,
}

// TestSharedMatchesAlone builds sites with Build, which shares region-free
// work between a page's regions, and checks every page and its Facts against
// rendering each region on its own.
func TestSharedMatchesAlone(t *testing.T) {
	gen := t.TempDir()
	if _, err := corpus.Write(gen, corpus.Options{Pages: 300, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	sites := map[string]fs.FS{"cases": site(sharedCases), "bundled": os.DirFS("../.."), "corpus": os.DirFS(gen)}
	for name, fsys := range sites {
		t.Run(name, func(t *testing.T) {
			p, err := Load(fsys, helpgen.Defaults, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			out := output.NewMemOutput()
			rep, err := p.Build(out, Options{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, built := range rep.Sites {
				alone, errs := p.Prepare(built.Config)
				if len(errs) > 0 {
					t.Fatal(errs)
				}
				for _, pg := range alone.Pages {
					var buf bytes.Buffer
					if err := p.RenderPage(&buf, pg); err != nil {
						t.Fatal(err)
					}
					dir := built.Config.Dir()
					got, _ := out.Get(dir, pg.Src.Out)
					if !bytes.Equal(got, buf.Bytes()) {
						t.Errorf("%s/%s differs from rendering the region alone:\nbuilt: %s\nalone: %s", dir, pg.Src.Out, got, buf.Bytes())
					}
					if shared := built.ByURL[pg.Src.URL]; !reflect.DeepEqual(shared.Facts, pg.Facts) {
						t.Errorf("%s/%s facts differ:\nbuilt: %+v\nalone: %+v", dir, pg.Src.Out, shared.Facts, pg.Facts)
					}
					n++
				}
			}
			if n < 6 {
				t.Fatalf("only %d pages compared", n)
			}
		})
	}
}

// The test must be able to fail: a page with region-dependent output must
// not be shared.
func TestSharedCasesDifferByRegion(t *testing.T) {
	out := buildMem(t, site(sharedCases))
	jp, us := get(t, out, "jp", "a/cond.html"), get(t, out, "us", "a/cond.html")
	if !bytes.Contains([]byte(jp), []byte(`id="r-JP"`)) || !bytes.Contains([]byte(us), []byte(`id="r-US"`)) {
		t.Errorf("region shortcode not rendered per region:\n%s\n%s", jp, us)
	}
}

const fuzzConfig = `title = "t"
[regions.JP]
baseURL = "https://jp.example.com/"
[regions.JP.params]
a = "cybozu.com"
b = "サイボウズ 株式会社"
c = "www.cybozu.com"
[regions.US]
baseURL = "https://us.example.com/"
[regions.US.params]
a = "Kintone"
b = "Kintone Corporation"
c = "Kintone"
[regions.CN]
baseURL = "https://cn.example.com/"
[regions.CN.params]
a = "cybozu.cn"
b = "Cybozu"
c = "1. list"
`

// renderShared renders body in every region as Build does and each region
// alone, and returns the conversions Build made and any difference.
func renderShared(t testing.TB, body string) (conversions int, diff string) {
	fsys := fstest.MapFS{
		"helpgen.toml":      {Data: []byte(fuzzConfig)},
		"content/p.md":      {Data: []byte("---\ntitle: p\n---\n" + body)},
		"shortcodes/r.html": {Data: []byte(`<b id="{{ .Region }}">{{ .Site.Params.a }}</b>`)},
	}
	p, err := Load(fsys, helpgen.Defaults, LoadOptions{})
	if err != nil {
		return 0, "" // not a valid page: nothing to compare
	}
	var w pageWork
	var buf bytes.Buffer
	for _, rc := range p.Config.Regions {
		shared, _ := p.Prepare(rc)
		alone, _ := p.Prepare(rc)
		sp, ap := shared.Pages[0], alone.Pages[0]
		if err := p.renderBody(context.Background(), sp, &w); err != nil {
			return 0, ""
		}
		if err := p.RenderPage(&buf, ap); err != nil {
			t.Fatalf("alone failed where shared did not: %v", err)
		}
		if sp.Content != ap.Content {
			return 0, fmt.Sprintf("%s HTML:\nshared %q\nalone  %q", rc.Code, sp.Content, ap.Content)
		}
		if !reflect.DeepEqual(sp.Facts, ap.Facts) {
			return 0, fmt.Sprintf("%s facts:\nshared %+v\nalone  %+v", rc.Code, sp.Facts, ap.Facts)
		}
	}
	return len(w.docs), ""
}

func TestVariableTokens(t *testing.T) {
	for _, tc := range []struct {
		body        string
		conversions int // 1: shared by all three regions; 3: one per region
	}{
		{"Use {{%a%}} here. **{{%a%}}** 「{{%b%}}」\n\n## {{%a%}} heading {#h}\n\n[{{%a%}}](/x.html) `{{%b%}}` <b>{{%a%}}</b>, {{%a%}}'s\n", 1},
		{"{{%a%}}\n===\n", 4},                    // heading id made from the value: tried, then per region
		{"see https://example.com/{{%a%}}\n", 3}, // inside an autolink
		{"[x](/{{%a%}}/y.html)\n", 3},            // inside a URL
		{"mail {{%a%}}@example.com\n", 3},        // e-mail local part
		{"{{%c%}} at line start\n", 3},           // www. link in JP, a list in CN
		{"[{{%a%}}]\n\n[Kintone]: /k.html\n", 3}, // reference link label
		{"{{%a%}} {{< r >}}\n", 1},               // region shortcodes are protected HTML
		{"{{% enabled JP %}}\nonly JP {{%a%}}\n{{% /enabled %}}\n", 2},
	} {
		n, diff := renderShared(t, tc.body)
		if diff != "" {
			t.Errorf("%q: %s", tc.body, diff)
		}
		if n != tc.conversions {
			t.Errorf("%q: %d conversions, want %d", tc.body, n, tc.conversions)
		}
	}
}

// FuzzVariableTokens checks that sharing conversions never changes a page.
func FuzzVariableTokens(f *testing.F) {
	for _, s := range []string{
		"Use {{%a%}} here, **{{%b%}}**.\n", "# {{%a%}}\n", "* {{%a%}}\n  {{%b%}}\n", "<{{%a%}}>\n", "&{{%a%}};\n",
		"www.{{%a%}}\n", "_{{%a%}}_x@y.z\n", "{{%a%}}.com\n", "|{{%a%}}|b|\n|-|-|\n|x|y|\n", "![{{%b%}}](/i.png)\n",
		"http://{{%a%}}\n", "(www.x.com/{{%a%}})\n", "`{{< r >}}` {{%a%}}\n", "<div>\n{{< r >}}\n</div>\n\n{{%a%}}\n", "```\n{{< r >}}\n```\n", "{{< r >}}\n\n# {{< r >}} x\n", "{{%a%}}:\n", "> {{%b%}}\n", "    {{%a%}}\n", "{{%a%}}\\\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if _, diff := renderShared(t, body); diff != "" {
			t.Errorf("%q: %s", body, diff)
		}
	})
}

// TestVariableTokenNeighbours puts every printable ASCII character (and a
// few longer contexts) just before and just after each variable and checks
// that sharing the conversion never changes the page.
func TestVariableTokenNeighbours(t *testing.T) {
	fsys := fstest.MapFS{
		"helpgen.toml": {Data: []byte(fuzzConfig)},
		"content/p.md": {Data: []byte("---\ntitle: p\n---\n")},
	}
	p, err := Load(fsys, helpgen.Defaults, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var regions []*Region
	for _, rc := range p.Config.Regions {
		r, _ := p.Prepare(rc)
		regions = append(regions, r)
	}
	contexts := []string{"", " ", "\n", "あ", "https://", "www.", "x@", "@x.com", "://x", "** ", "[x]: /y\n", "\\", "&amp", "<b>", "</b>"}
	chars := slices.Clone(contexts)
	for c := byte('!'); c <= '~'; c++ {
		chars = append(chars, string(c))
	}
	chars = append(chars, ".x", ":x", ":/", "'x", "_x", "*x", "(x")
	var pairs [][2]string
	for _, a := range chars {
		for _, b := range contexts {
			pairs = append(pairs, [2]string{a, b}, [2]string{b, a})
		}
	}
	shared := 0
	var w pageWork
	// a is a domain in JP and CN, c a www. name and a list marker.
	for _, v := range []string{"a", "c"} {
		for _, pair := range pairs {
			before, after := pair[0], pair[1]
			body := "x " + before + "{{%" + v + "%}}" + after + " y\n\n" + before + "{{%" + v + "%}}" + after + "\n"
			fsys["content/p.md"] = &fstest.MapFile{Data: []byte("---\ntitle: p\n---\n" + body)}
			cp, err := content.LoadFile(fsys, "content/p.md", p.Config, content.Options{Names: p.Names})
			if err != nil {
				continue
			}
			w.reset()
			for _, r := range regions {
				sp, _ := newPage(r, cp)
				ap, _ := newPage(r, cp)
				if err := p.renderBody(context.Background(), sp, &w); err != nil {
					t.Fatal(err)
				}
				if err := p.RenderBody(ap); err != nil {
					t.Fatal(err)
				}
				if sp.Content != ap.Content || !reflect.DeepEqual(sp.Facts, ap.Facts) {
					t.Errorf("%s %q:\nshared %q %+v\nalone  %q %+v", r.Config.Code, body, sp.Content, sp.Facts, ap.Content, ap.Facts)
				}
			}
			if len(w.docs) == 1 {
				shared++
			}
		}
	}
	// The test means something only if many of the cases did share.
	if shared < 200 {
		t.Errorf("only %d cases shared one conversion", shared)
	}
	t.Logf("%d cases shared one conversion", shared)
}
