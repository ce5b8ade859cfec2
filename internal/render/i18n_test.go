package render

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen/internal/shortcode"
)

// TestI18nForms reads Hugo's i18n file forms: flat keys, a table per key
// with plural forms, YAML and JSON files; a count chooses the form and is
// .Count in the text.
func TestI18nForms(t *testing.T) {
	site := fstest.MapFS{
		"i18n/en.toml": {Data: []byte("flat = \"Flat\"\n[Title_note]\nother = \"Note\"\n[articles]\none = \"{{ .Count }} article\"\nother = \"{{ .Count }} articles\"\n")},
		"i18n/ja.yaml": {Data: []byte("Title_note: メモ\narticles:\n  other: \"{{ .Count }}件の記事\"\n")},
		"i18n/zh.json": {Data: []byte(`{"Title_note": {"other": "备注"}}`)},
	}
	tpl, err := Load(site, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		key, lang string
		ctx       any
		want      string
	}{
		{"flat", "en", nil, "Flat"},
		{"Title_note", "en", nil, "Note"},
		{"Title_note", "ja", nil, "メモ"},
		{"Title_note", "zh", nil, "备注"},
		{"articles", "en", 1, "1 article"},
		{"articles", "en", 3, "3 articles"},
		{"articles", "ja", 1, "1件の記事"},
		{"flat", "ja", nil, "Flat"}, // falls back to English
		{"missing", "ja", nil, "missing"},
	}
	for _, c := range cases {
		if got := tpl.translate(c.key, c.lang, c.ctx); got != c.want {
			t.Errorf("%s in %s (%v) = %q, want %q", c.key, c.lang, c.ctx, got, c.want)
		}
	}
}

// TestI18nErrorsNameTheSiteFile: an error in the site's own i18n file is
// not labelled as the built-in one.
func TestI18nErrorsNameTheSiteFile(t *testing.T) {
	defaults := fstest.MapFS{"i18n/ja.toml": {Data: []byte("note = \"メモ\"\n")}}
	for _, c := range []struct{ data, want string }{
		{"note = \n", "i18n/ja.toml:1:"},
		{"note = 3\n", `i18n/ja.toml:1:1: i18n key "note" is a int64, not text`},
		{"[note]\none = \"\"\n", `i18n/ja.toml:1:1: i18n key "note" has no text`},
	} {
		_, err := Load(fstest.MapFS{"i18n/ja.toml": {Data: []byte(c.data)}}, defaults)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "built-in") {
			t.Errorf("%q: err = %v, want %s…", c.data, err, c.want)
		}
	}
}

// TestUnknownFunction: a function helpgen lacks is named, positioned, and
// said to be missing from helpgen, not Go's "not defined".
func TestUnknownFunction(t *testing.T) {
	site := fstest.MapFS{
		"shortcodes/topics.html":       {Data: []byte("<ol>\n  {{ range getCSV \",\" \"x.csv\" }}<li>{{ . }}</li>{{ end }}\n</ol>\n")},
		"layouts/partials/banner.html": {Data: []byte("{{ if os.FileExists \"x\" }}x{{ end }}{{ getCSV }}")},
		"layouts/partials/unused.html": {Data: []byte("{{ readFile \"x\" }}")},
		"layouts/partials/ok.html":     {Data: []byte("ok")},
		"layouts/_default/single.html": {Data: []byte(`{{ partial "ok.html" . }}`)},
		"layouts/_default/banner.html": {Data: []byte(`{{ partial "banner.html" . }}`)},
	}
	// A template calling a function helpgen lacks loads, with a warning at
	// the first call of each such function; it fails only where it runs.
	tpl, err := Load(site, nil)
	if err != nil {
		t.Fatal(err)
	}
	var warned []string
	for _, w := range tpl.Warnings() {
		warned = append(warned, w.File+":"+strconv.Itoa(w.Line)+":"+strconv.Itoa(w.Col)+": "+w.Msg)
	}
	slices.Sort(warned)
	want := []string{
		`layouts/partials/banner.html:1:40: function "getCSV" is not provided by helpgen; the template is an error where it runs`,
		`layouts/partials/banner.html:1:7: function "os" is not provided by helpgen; the template is an error where it runs`,
		`layouts/partials/unused.html:1:4: function "readFile" is not provided by helpgen; the template is an error where it runs`,
	}
	if !slices.Equal(warned, want) {
		t.Errorf("warnings\n%s\nwant\n%s", strings.Join(warned, "\n"), strings.Join(want, "\n"))
	}
	var b bytes.Buffer
	if err := tpl.Layout(context.Background(), &b, "_default/single.html", nil); err != nil || b.String() != "ok" {
		t.Errorf("single: %q, %v", b.String(), err)
	}
	_, err = tpl.Shortcode(context.Background(), "topics", NewShortcodeContext(&shortcode.Call{Name: "topics"}, nil, &Site{}, &PageRef{}, 0))
	if want := `shortcodes/topics.html:2:12: function "getCSV" is not provided by helpgen`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("topics: %v, want %s", err, want)
	}
	err = tpl.Layout(context.Background(), &b, "_default/banner.html", nil)
	if want := `layouts/partials/banner.html:1:7: function "os" is not provided by helpgen`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("banner: %v, want %s", err, want)
	}
}

// TestMarkdownifyRawText: blank lines inside a script, style, comment or
// CDATA stay blank lines (an entity there would be a syntax error), and
// elsewhere in block output become &#10; so Markdown keeps the block whole.
func TestMarkdownifyRawText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"<script>\nvar a = 1;\n\nvar b = 2;\n</script>", "<script>\nvar a = 1;\n\nvar b = 2;\n</script>"},
		{"<style>\na {}\n\nb {}\n</style>", "<style>\na {}\n\nb {}\n</style>"},
		{"<!-- one\n\ntwo -->", "<!-- one\n\ntwo -->"},
		{"<div>\n<![CDATA[\n\n]]>\n</div>", "<div>\n<![CDATA[\n\n]]>\n</div>"},
		{"<div>a\n\nb</div>", "<div>a&#10;\nb</div>"},
		{"<script>x</script>\n\n<p>y</p>", "<script>x</script>&#10;\n<p>y</p>"},
	}
	for _, c := range cases {
		if got := protectBlankLines([]byte(c.in)); got != c.want {
			t.Errorf("%q = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestHighlight: Hugo's highlight colours code in a language chroma knows,
// with the classes of the theme's code blocks, and leaves other code plain.
func TestHighlight(t *testing.T) {
	tpl, err := Load(fstest.MapFS{"shortcodes/code.html": {Data: []byte(`{{ highlight (.Get 0) (.Get 1) "" }}`)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ code, lang, want string }{
		{"func main() {}", "go", `<span class="kd">func</span>`},
		{"plain <text>", "nolang", "plain &lt;text&gt;"},
	} {
		call := &shortcode.Call{Name: "code", Args: []shortcode.Arg{{Value: c.code, Quoted: true}, {Value: c.lang, Quoted: true}}}
		got, err := tpl.Shortcode(context.Background(), "code", NewShortcodeContext(call, nil, &Site{}, &PageRef{}, 0))
		if err != nil || !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, %v; want %q", c.lang, got, err, c.want)
		}
	}
}
