package render

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

// TestPartialReturn runs the examples of Hugo's documentation of return
// (functions/go-template/return.md) and the theme's uses of it: a partial
// returning a value of any type, partial yielding it.
func TestPartialReturn(t *testing.T) {
	partials := fstest.MapFS{
		"layouts/partials/odd-or-even.html": {Data: []byte(`{{ if modBool . 2 }}<p>{{ . }} is even</p>{{ else }}<p>{{ . }} is odd</p>{{ end }}`)},
		"layouts/partials/is-even.html":     {Data: []byte(`{{ return modBool . 2 }}`)},
		"layouts/partials/result.html": {Data: []byte("{{ $result := false }}\n{{ if modBool . 2 }}\n  {{ $result = \"even\" }}\n" +
			"{{ else }}\n  {{ $result = \"odd\" }}\n{{ end }}\n{{ return $result }}\n")},
		// Hugo runs the first return wherever it stands, at the end.
		"layouts/partials/do-not-do-this.html": {Data: []byte(`{{ if modBool . 2 }}{{ return "even" }}{{ else }}{{ return "odd" }}{{ end }}`)},
		"layouts/partials/pdf_url.html": {Data: []byte("{{- $u := \"https://example.com/en.pdf\" }}\n" +
			"{{- if eq .languageCode \"zh-cn\" }}\n    {{- $u = \"https://example.com/zh.pdf\" }}\n{{- end }}\n{{- return $u -}}\n")},
		"layouts/partials/list.html":   {Data: []byte(`<b>dropped</b>{{ return (slice 1 2 3) }}`)},
		"layouts/partials/dict.html":   {Data: []byte(`{{ return (dict "a" . "b" 2) }}`)},
		"layouts/partials/html.html":   {Data: []byte(`{{ return ("<i>x</i>" | safeHTML) }}`)},
		"layouts/partials/nested.html": {Data: []byte(`{{ $u := partial "pdf_url" (dict "languageCode" .) }}{{ return (printf "<%s>" $u) }}`)},
		"layouts/partials/bare.html":   {Data: []byte(`<i>{{ . }}</i>{{ return }}`)},
		"layouts/_partials/new.html":   {Data: []byte(`{{ return (add . 1) }}`)},
	}
	tests := []struct{ call, want string }{
		{`{{ partial "odd-or-even.html" 42 }}`, `<p>42 is even</p>`},
		{`{{ $n := 42 }}{{ if partial "is-even.html" $n }}<p>{{ $n }} is even</p>{{ else }}<p>{{ $n }} is odd</p>{{ end }}`, `<p>42 is even</p>`},
		{`{{ if partial "is-even.html" 41 }}even{{ else }}odd{{ end }}`, `odd`},
		{`{{ partial "result.html" 7 }}`, `odd`},
		{`{{ partial "do-not-do-this.html" 2 }}|{{ partial "do-not-do-this.html" 3 }}`, `even|even`},
		{`{{ partial "pdf_url" (dict "languageCode" "zh-cn") }}|{{ partial "pdf_url" (dict "languageCode" "en") }}`, `https://example.com/zh.pdf|https://example.com/en.pdf`},
		{`{{ $l := partial "list.html" . }}{{ len $l }} {{ index $l 2 }} {{ printf "%T" $l }}`, `3 3 []int`},
		{`{{ (partial "dict.html" "x").a }}{{ (partial "dict" 1).b }}`, `x2`},
		{`{{ partial "html.html" }}`, `<i>x</i>`},
		{`{{ partial "nested" "zh-cn" }}`, `&lt;https://example.com/zh.pdf&gt;`},
		{`{{ partial "partials/bare.html" "b" }}`, `<i>b</i>`},
		{`{{ partial "new" 41 }}`, `42`},
	}
	for _, tt := range tests {
		site := fstest.MapFS{"layouts/t.html": {Data: []byte(tt.call)}}
		for k, v := range partials {
			site[k] = v
		}
		tpl, err := Load(site, nil)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := tpl.Layout(context.Background(), &b, "t.html", nil); err != nil {
			t.Errorf("%s: %v", tt.call, err)
			continue
		}
		if b.String() != tt.want {
			t.Errorf("%s = %q, want %q", tt.call, b.String(), tt.want)
		}
	}
}

func TestPartialReturnErrors(t *testing.T) {
	tests := []struct {
		name string
		site fstest.MapFS
		want string // in the error
	}{
		{"outside a partial", fstest.MapFS{"layouts/t.html": {Data: []byte("a\n{{ return 1 }}")}},
			"layouts/t.html:2:4: executing \"t.html\" at <return 1>: error calling return: return with a value is only supported in partials"},
		{"in a pipeline", fstest.MapFS{"layouts/t.html": {Data: []byte(`{{ partial "p" }}`)},
			"layouts/partials/p": {Data: []byte("x\n{{ $a := return 1 }}")}},
			"layouts/partials/p:2:4: return must stand alone, as {{ return VALUE }}"},
		{"missing partial", fstest.MapFS{"layouts/t.html": {Data: []byte(`{{ partial "nope" . }}`)}},
			`partial "nope" not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Load(tt.site, nil)
			if err == nil {
				var b bytes.Buffer
				err = tpl.Layout(context.Background(), &b, "t.html", nil)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}
