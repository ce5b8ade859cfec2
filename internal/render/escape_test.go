package render

import (
	"bytes"
	"html/template"
	"testing"
)

// escapeCases hold every byte class the escapers treat apart.
var escapeCases = []string{
	"", "plain", "パスワード", "a&b", `"q" 'q'`, "<b>x</b>", "1+1", "\x00nul", "\xff\xfe bad utf8",
	"/ja/id/040150", "/a b/c.html", "https://jp.example.com/a?b=c&d=e#f", "javascript:alert(1)", "JavaScript:x",
	"mailto:a@b", "HTTP://x", "//host/p", "a:b/c", "/p/a:b", "%41%zz%4", "100%", "!#$&'()*+,/:;=?@[]", "-._~",
	"\ufdd0\ufffe", "tab\there\nnewline", "#frag", "p00001_10", "見出し-1",
}

func TestEscapersMatchHTMLTemplate(t *testing.T) {
	tpl := template.Must(template.New("").Parse(`<p title="{{ .S }}">{{ .S }}</p><title>{{ .S }}</title><a href="{{ .S }}"></a><a href="#{{ .S }}"></a>`))
	for _, s := range escapeCases {
		var want, got bytes.Buffer
		if err := tpl.Execute(&want, struct{ S string }{s}); err != nil {
			t.Fatal(err)
		}
		got.WriteString(`<p title="`)
		EscapeHTML(&got, s)
		got.WriteString(`">`)
		EscapeHTML(&got, s)
		got.WriteString(`</p><title>`)
		EscapeHTML(&got, s)
		got.WriteString(`</title><a href="`)
		EscapeURL(&got, s)
		got.WriteString(`"></a><a href="#`)
		EscapeURLPart(&got, s)
		got.WriteString(`"></a>`)
		if got.String() != want.String() {
			t.Errorf("%q:\n got %s\nwant %s", s, got.String(), want.String())
		}
	}
}

func FuzzEscapers(f *testing.F) {
	for _, s := range escapeCases {
		f.Add(s)
	}
	tpl := template.Must(template.New("").Parse(`{{ .S }}|<a title="{{ .S }}" href="{{ .S }}" data-src="#{{ .S }}"></a>|<a href="?q={{ .S }}">`))
	f.Fuzz(func(t *testing.T, s string) {
		var want, got bytes.Buffer
		if err := tpl.Execute(&want, struct{ S string }{s}); err != nil {
			t.Skip() // html/template refuses this input; nothing to compare
		}
		EscapeHTML(&got, s)
		got.WriteString(`|<a title="`)
		EscapeHTML(&got, s)
		got.WriteString(`" href="`)
		EscapeURL(&got, s)
		got.WriteString(`" data-src="#`)
		EscapeURLPart(&got, s)
		got.WriteString(`"></a>|<a href="?q=`)
		EscapeURLPart(&got, s)
		got.WriteString(`">`)
		if got.String() != want.String() {
			t.Errorf("%q:\n got %s\nwant %s", s, got.String(), want.String())
		}
	})
}
