package render

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/shortcode"
)

var defaults = fstest.MapFS{
	"layouts/_default/single.html": {Data: []byte(`<h1>{{ .Title }}</h1>{{ partial "p.html" . }}`)},
	"layouts/partials/p.html":      {Data: []byte(`<p>{{ .Title | upper }}</p>`)},
	"shortcodes/box.html":          {Data: []byte(`<div>{{ .InnerDeindent | markdownifyBlock }}</div>` + "\n")},
	"shortcodes/get.html":          {Data: []byte(`{{ .Get 0 }}|{{ .Get "1" }}|{{ .Site.Params.service }}|{{ .Region }}|{{ .Page.Title }}|{{ in .Params "b" }}|{{ i18n "warning" .Page.Lang }}`)},
	"i18n/ja.toml":                 {Data: []byte(`warning = "注意"`)},
	"i18n/en.toml":                 {Data: []byte(`warning = "Warning"`)},
}

func TestOverrideAndExecute(t *testing.T) {
	site := fstest.MapFS{"layouts/partials/p.html": {Data: []byte(`<p>site {{ .Title | lower }}</p>`)}}
	tpl, err := Load(site, defaults)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tpl.Layout(context.Background(), &b, "_default/single.html", map[string]string{"Title": "Hi"}); err != nil {
		t.Fatal(err)
	}
	if b.String() != "<h1>Hi</h1><p>site hi</p>" {
		t.Errorf("got %q", b.String())
	}
	if k, ok := tpl.Kind("box"); !ok || k != shortcode.BlockTemplate {
		t.Errorf("box kind %v %v", k, ok)
	}
	if k, _ := tpl.Kind("get"); k != shortcode.Template {
		t.Errorf("get kind %v", k)
	}
	call := &shortcode.Call{Name: "get", Args: []shortcode.Arg{{Value: "a"}, {Value: "b"}}}
	site2 := &Site{Params: map[string]any{"service": "Kintone"}, Region: "US"}
	out, err := tpl.Shortcode(context.Background(), "get", NewShortcodeContext(call, nil, site2, &PageRef{Title: "T", Lang: "ja"}, 0))
	if err != nil || out != "a|b|Kintone|US|T|true|注意" {
		t.Errorf("got %q, %v", out, err)
	}
	out, err = tpl.Shortcode(context.Background(), "box", NewShortcodeContext(&shortcode.Call{Name: "box"}, []byte("\n  * one\n\n    two\n"), site2, &PageRef{}, 0))
	if err != nil || !strings.HasPrefix(out, "<div><ul>") || !strings.Contains(out, "<p>two</p>") || strings.HasSuffix(out, "\n") {
		t.Errorf("got %q, %v", out, err)
	}
	if tpl.T("warning", "zh") != "Warning" || tpl.T("nokey", "ja") != "nokey" {
		t.Error("i18n fallback")
	}
}

func TestMarkdownify(t *testing.T) {
	got, _ := Markdownify("**b** [l](/x)")
	if got != `<strong>b</strong> <a href="/x">l</a>` {
		t.Errorf("inline: %q", got)
	}
	got, _ = Markdownify("```\na\n\nb\n```")
	if strings.Contains(string(got), "\n\n") || !strings.Contains(string(got), "a&#10;\nb") {
		t.Errorf("blank line not protected: %q", got)
	}
}

func TestTemplateErrors(t *testing.T) {
	bad := fstest.MapFS{"shortcodes/bad.html": {Data: []byte("ok\n{{ .Get 0 \n")}}
	_, err := Load(bad, defaults)
	l := diag.Flatten(err)
	if len(l) != 1 || l[0].File != "shortcodes/bad.html" || l[0].Line < 2 || !strings.Contains(l[0].Msg, "unclosed action") {
		t.Fatalf("got %v", err)
	}
	tpl, err := Load(fstest.MapFS{"layouts/_default/single.html": {Data: []byte("x\n{{ .Nope.Deeper }}")}}, defaults)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	err = tpl.Layout(context.Background(), &b, "_default/single.html", struct{ Title string }{})
	if e := diag.Flatten(err); len(e) != 1 || e[0].File != "layouts/_default/single.html" || e[0].Line != 2 || e[0].Col != 9 || e[0].Source != "{{ .Nope.Deeper }}" {
		t.Errorf("got %v", err)
	}
	// html/template's own errors, with and without a line.
	for src, want := range map[string]string{
		"<p>\n<a {{ if .T }}href=\"{{ end }}x\">": "layouts/partials/e.html:2:10: {{if}} branches end in different contexts",
		"<a href=\"{{ .T }}":                      "layouts/partials/e.html: ends in a non-text context",
	} {
		tpl, err := Load(fstest.MapFS{"layouts/partials/e.html": {Data: []byte(src)}}, defaults)
		if err != nil {
			t.Fatal(err)
		}
		err = tpl.Layout(context.Background(), &b, "partials/e.html", map[string]string{"T": "x"})
		if e := diag.Flatten(err); len(e) != 1 || !strings.HasPrefix(e[0].Error(), want) {
			t.Errorf("got %v, want %s…", err, want)
		}
	}
}
