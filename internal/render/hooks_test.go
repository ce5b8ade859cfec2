package render

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/markdown"
)

// TestHooks: each render hook gets Hugo's context and replaces what
// goldmark writes for its elements; hooks are found in _default/_markup/,
// _markup/ and the theme's, the site's file first.
func TestHooks(t *testing.T) {
	page := &PageRef{Title: "Page T", RelPermalink: "/ja/p.html", Lang: "ja", Params: map[string]any{"kind": "faq"},
		Site: &Site{Region: "JP", BaseURL: "https://jp.example.com/", Params: map[string]any{"product": "Office"}}}
	tests := []struct {
		name  string
		files map[string]string
		theme string
		src   string
		want  string
	}{
		{"link", map[string]string{"layouts/_default/_markup/render-link.html": `<a href="{{ .Destination | safeURL }}"` +
			`{{ with .Title }} title="{{ . }}"{{ end }} data-n="{{ .Ordinal }}" data-p="{{ .PlainText }}">{{ .Text }}</a>`},
			"", "[*a* & b](/x.html \"T\") [c](/y)\n",
			"<p><a href=\"/x.html\" title=\"T\" data-n=\"0\" data-p=\"a &amp; b\"><em>a</em> &amp; b</a> <a href=\"/y\" data-n=\"1\" data-p=\"c\">c</a></p>\n"},
		{"link sees the page and site", map[string]string{"layouts/_markup/render-link.html": `{{ .Page.Title }}|{{ .Page.RelPermalink }}|{{ .Page.Lang }}|{{ .Page.Params.kind }}|{{ .Page.Site.Params.product }}|{{ .Page.Site.Region }}`},
			"", "[a](/a)\n", "<p>Page T|/ja/p.html|ja|faq|Office|JP</p>\n"},
		{"image", map[string]string{"layouts/_default/_markup/render-image.html": `{{ if in .Destination "/icon/" }}<img src="{{ .Destination }}" alt="{{ .PlainText }}">` +
			`{{ else }}<img class="screenshot" src="{{ .Destination }}" alt="{{ .Text }}"{{ with .Title }} title="{{ . }}"{{ end }} data-action="zoom">{{ end }}`},
			"", "![i](/icon/i.png) ![shot](/s.png \"S\")\n",
			"<p><img src=\"/icon/i.png\" alt=\"i\"> <img class=\"screenshot\" src=\"/s.png\" alt=\"shot\" title=\"S\" data-action=\"zoom\"></p>\n"},
		{"heading", map[string]string{"layouts/_default/_markup/render-heading.html": `<h{{ .Level }} id="{{ .Anchor }}"{{ with .Attributes.class }} class="{{ . }}"{{ end }}>` +
			`{{ .Text }}<a href="#{{ .Anchor }}" aria-label="{{ .PlainText }}">#</a></h{{ .Level }}>` + "\n"},
			"", "## Set *up* {.big}\n\n### 手順\n",
			"<h2 id=\"set-up\" class=\"big\">Set <em>up</em><a href=\"#set-up\" aria-label=\"Set up\">#</a></h2>\n" +
				"<h3 id=\"手順\">手順<a href=\"#%e6%89%8b%e9%a0%86\" aria-label=\"手順\">#</a></h3>\n"},
		{"codeblock", map[string]string{"layouts/_default/_markup/render-codeblock.html": `<div class="code"{{ with .Attributes.class }} data-c="{{ . }}"{{ end }}>` +
			`<pre data-lang="{{ .Type }}" data-n="{{ .Ordinal }}"{{ with .Options.lineNos }} data-lines{{ end }}>{{ .Inner }}</pre></div>` + "\n"},
			"", "```sh {class=\"x\" lineNos=true}\necho <a>\n```\n",
			"<div class=\"code\" data-c=\"x\"><pre data-lang=\"sh\" data-n=\"0\" data-lines>echo &lt;a&gt;\n</pre></div>\n"},
		{"codeblock for one language", map[string]string{"layouts/_default/_markup/render-codeblock-mermaid.html": `<div class="mermaid">{{ .Inner }}</div>` + "\n"},
			"", "```mermaid\ngraph TD\n```\n\n```\nplain\n```\n",
			"<div class=\"mermaid\">graph TD\n</div>\n<pre><code>plain\n</code></pre>\n"},
		{"the site's hook over the theme's", map[string]string{
			"themes/help/layouts/_default/_markup/render-link.html":  `theme-link`,
			"themes/help/layouts/_default/_markup/render-image.html": `theme-image`,
			"layouts/_default/_markup/render-link.html":              `site-link`},
			"help", "[a](/a) ![i](/i.png)\n", "<p>site-link theme-image</p>\n"},
		{"no theme, no theme hooks", map[string]string{
			"themes/help/layouts/_default/_markup/render-link.html": `theme-link`},
			"", "[a](/a)\n", "<p><a href=\"/a\">a</a></p>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := fstest.MapFS{}
			for k, v := range tt.files {
				site[k] = &fstest.MapFile{Data: []byte(v)}
			}
			tpl, err := LoadTheme(site, fstest.MapFS{}, tt.theme)
			if err != nil {
				t.Fatal(err)
			}
			d, err := markdown.ConvertHooks([]byte(tt.src), nil, tpl.PageHooks(context.Background(), page))
			if err != nil {
				t.Fatal(err)
			}
			if string(d.HTML) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", d.HTML, tt.want)
			}
		})
	}
}

// TestHookError: a hook that fails is an error at its template's line and
// column.
func TestHookError(t *testing.T) {
	site := fstest.MapFS{"layouts/_default/_markup/render-link.html": {Data: []byte("<a>\n{{ index .Page.Params 5 }}</a>")}}
	tpl, err := Load(site, fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = markdown.ConvertHooks([]byte("[a](/a)\n"), nil, tpl.PageHooks(context.Background(), &PageRef{Params: map[string]any{}}))
	d, ok := err.(*diag.Error)
	if !ok || d.File != "layouts/_default/_markup/render-link.html" || d.Line != 2 || d.Col != 4 || !strings.Contains(d.Msg, "index") {
		t.Errorf("got %#v", err)
	}
}

// TestNoHooks: a site without hook templates gets no hooks, so its
// Markdown is converted as before.
func TestNoHooks(t *testing.T) {
	tpl, err := Load(fstest.MapFS{"layouts/partials/x.html": {Data: []byte("x")}}, fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	if tpl.HasHooks() || tpl.PageHooks(context.Background(), &PageRef{}) != nil {
		t.Error("hooks without hook templates")
	}
}
