package build

import (
	"strings"
	"testing"

	"github.com/helpgen/helpgen/internal/diag"
)

// TestHooksPerRegion: a render hook runs in each region with that region's
// page, site and variable values, also where the regions' Markdown is the
// same and would otherwise be converted once.
func TestHooksPerRegion(t *testing.T) {
	fsys := site(map[string]string{
		"layouts/_default/_markup/render-link.html":    `<a href="{{ .Destination }}" data-r="{{ .Page.Site.Region }}">{{ .Text }}|{{ .PlainText }}</a>`,
		"layouts/_default/_markup/render-heading.html": `<h{{ .Level }} id="{{ .Anchor }}">{{ .Text }} ({{ .Page.Site.Params.service }})</h{{ .Level }}>`,
		"content/a.md": "---\ntitle: A\n---\n## About\n\nSee [the page](/b.html).\n",
		"content/b.md": "---\ntitle: B\n---\nUse [{{%service%}}](/a.html).\n",
	})
	out := buildMem(t, fsys)
	for _, tt := range []struct{ region, service string }{{"jp", "cybozu.com"}, {"us", "Kintone"}, {"cn", "cybozu.cn"}} {
		code := strings.ToUpper(tt.region)
		a, b := get(t, out, tt.region, "a.html"), get(t, out, tt.region, "b.html")
		for _, want := range []string{
			`<h2 id="about">About (` + tt.service + `)</h2>`,
			`<a href="/b.html" data-r="` + code + `">the page|the page</a>`,
		} {
			if !strings.Contains(a, want) {
				t.Errorf("%s a.html lacks %s", tt.region, want)
			}
		}
		if want := `<a href="/a.html" data-r="` + code + `">` + tt.service + `|` + tt.service + `</a>`; !strings.Contains(b, want) {
			t.Errorf("%s b.html lacks %s", tt.region, want)
		}
	}
}

// TestHookErrorPositioned: an error in a hook template is reported at the
// template's line and column, with the Markdown element it was writing and
// the pages that met it.
func TestHookErrorPositioned(t *testing.T) {
	fsys := site(map[string]string{
		"layouts/_default/_markup/render-image.html": "<img src=\"{{ .Destination }}\">\n{{ index .Page.Params 5 }}",
		"content/a.md": "---\ntitle: A\n---\nText.\n\nA shot: ![s](/s.png)\n",
	})
	_, err := buildErr(fsys)
	l := diag.Flatten(err)
	if len(l) != 1 {
		t.Fatalf("got %v", err)
	}
	e := l[0]
	got := e.Error() + " (" + e.Trace + ") in " + strings.Join(e.Pages, " ")
	want := `layouts/_default/_markup/render-image.html:2:4: executing "_default/_markup/render-image.html" at <index .Page.Params 5>: ` +
		`error calling index: index of type map[string]interface {} with args [5] failed: value has type int; should be string [CN, JP, US] ` +
		`(layouts/_default/_markup/render-image.html called from content/a.md:6:11) in content/a.md`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestHookShortcodeOutput: shortcode output in what a render hook wraps
// (a code block's text, a link's text) reaches the page as the output, not
// as the placeholder the hook was given.
func TestHookShortcodeOutput(t *testing.T) {
	fsys := site(map[string]string{
		"layouts/_default/_markup/render-codeblock.html": `<pre class="hooked">{{ .Inner }}</pre>`,
		"layouts/_default/_markup/render-link.html":      `<a href="{{ .Destination }}" class="hooked">{{ .Text }}</a>`,
		"shortcodes/ver.html":                            `<b>v{{ .Get 0 }}</b>`,
		"content/a.md":                                   "---\ntitle: A\n---\n```sh\nrun {{< ver 2 >}}\n```\n\nSee [release {{< ver 3 >}}](/a.html).\n",
	})
	out := buildMem(t, fsys)
	for _, region := range []string{"jp", "us", "cn"} {
		a := get(t, out, region, "a.html")
		if strings.ContainsRune(a, '\ue000') {
			t.Errorf("%s a.html holds a placeholder", region)
		}
		for _, want := range []string{"run <b>v2</b>", "release <b>v3</b>"} {
			if !strings.Contains(a, want) {
				t.Errorf("%s a.html lacks %q", region, want)
			}
		}
	}
}
