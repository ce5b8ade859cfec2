package build

import (
	"bytes"
	"context"
	"testing"

	"github.com/helpgen/helpgen"
)

// TestFactPositions: a link or image written by a shortcode is placed where
// the writer wrote it: at the argument that gave it, at the link in the
// call's inner text (through indentation and conditionals), or in the page's
// own text; the position is that of the text after the marker ("at" in the
// source, or the argument as written for arguments).
func TestFactPositions(t *testing.T) {
	for _, tc := range []struct {
		name, body, dest, at string
		image                bool
	}{
		{"inner of {{< >}}", "{{< note >}}\nSee [one](/one.html).\n{{< /note >}}\n", "/one.html", "one](", false},
		{"inner in a list item", "* item\n\n    {{< note >}}\n    See [two](/two.html).\n    {{< /note >}}\n", "/two.html", "two](", false},
		{"inner of {{% %}}", "{{% note %}}\nSee [three](/three.html).\n{{% /note %}}\n", "/three.html", "three](", false},
		{"after a conditional", "{{< note >}}{{% enabled JP US CN %}}a [x](/x.html){{% /enabled %}} and [five](/five.html){{< /note >}}\n", "/five.html", "five](", false},
		{"argument of {{< >}}", "Text.\n\n{{< screen src=\"/s.png\" alt=\"S\" >}}\n", "/s.png", `src="/s.png"`, true},
		{"Markdown from {{% %}}", "Go {{% linkto \"/four.html\" %}}.\n", "/four.html", `"/four.html"`, false},
		{"raw HTML of the page", "Text <a href=\"/six.html\">six</a>.\n", "/six.html", `<a href="/six.html"`, false},
		{"inner image", "{{< note >}}\n![seven](/seven.png)\n{{< /note >}}\n", "/seven.png", "seven](", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := site(map[string]string{
				"content/a.md":           "---\ntitle: A\n---\n" + tc.body,
				"shortcodes/linkto.html": `[four]({{ .Get 0 }})`,
			})
			p, err := Load(fsys, helpgen.Defaults, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			r, errs := p.Prepare(p.Config.Regions[0])
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			pg := r.ByURL["/a.html"]
			for _, w := range []*pageWork{nil, {}} {
				if err := p.renderBody(context.Background(), pg, w); err != nil {
					t.Fatal(err)
				}
				refs := pg.Facts.Links
				if tc.image {
					refs = pg.Facts.Images
				}
				text, err := pg.Src.Text()
				if err != nil {
					t.Fatal(err)
				}
				want := bytes.Index(text, []byte(tc.at))
				found := false
				for _, ref := range refs {
					if ref.Dest == tc.dest {
						found = true
						if ref.Pos != want {
							t.Errorf("%s at %d (%q), want %d (%q)", tc.dest, ref.Pos, text[ref.Pos:], want, text[want:])
						}
					}
				}
				if !found {
					t.Errorf("%s not found in %+v", tc.dest, refs)
				}
			}
		})
	}
}
