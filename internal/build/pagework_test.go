package build

import (
	"bytes"
	"io/fs"
	"os"
	"reflect"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/corpus"
)

// sharedCases are pages where regions could be tempted to share work they
// must not: variables next to links, e-mail addresses and headings without
// ids, conditionals that make two regions' Markdown equal, region-dependent
// shortcodes beside region-free ones.
var sharedCases = map[string]string{
	"content/a/same.md":    "---\ntitle: same\n---\n\nNo variables here. ![shot](/s.png) <br> <a href=\"/x.html\" id=\"x\">x</a>\n\n{{< screen src=\"/a.png\" alt=\"A\" >}}\n",
	"content/a/vars.md":    "---\ntitle: \"{{%service%}} vars\"\n---\n\n## {{%service%}} heading\n\nUse **{{%service%}}** at https://{{%service%}}/x or mail@{{%service%}} and {{%service%}}@example.com.\n\n[{{%service%}} link](/{{%service%}}/a.html) `{{%service%}}`\n\n{{% warning %}}\n{{%service%}} warning\n{{% /warning %}}\n",
	"content/a/cond.md":    "---\ntitle: cond\n---\n\n{{% disabled CN %}}\n## JP and US {#jpus}\n\nsame text in JP and US\n{{% /disabled %}}\n{{% enabled CN %}}\nonly CN\n{{% /enabled %}}\n\n{{< region >}} and {{< screen src=\"/b.png\" alt=\"B\" >}}\n",
	"content/a/_index.md":  "---\ntitle: section\n---\n\n* [same](same.html)\n* [vars](vars.html)\n",
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
			out := NewMemOutput()
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
