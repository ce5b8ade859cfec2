package render

import (
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen"
)

func TestRegionFree(t *testing.T) {
	for _, tc := range []struct {
		src  string
		free bool
	}{
		{`<img src="{{ .Get "src" }}" alt="{{ .Get "alt" }}">`, true},
		{`<aside aria-label="{{ i18n "warning" .Page.Lang }}">{{ .InnerDeindent | markdownifyBlock }}</aside>`, true},
		{`{{ with .Get "title" }}<b>{{ . }}</b>{{ else }}{{ .Name }}{{ end }}`, true},
		{`{{ range .Params }}<i>{{ . | upper }}</i>{{ end }}`, true},
		{`{{ $s := .Get 0 }}{{ if eq $s "x" }}{{ printf "%s!" $s }}{{ end }}{{ $.Get 1 }}`, true},
		{`{{ .Page.Params.product }} {{ .Page.RelPermalink }} {{/* comment */}}`, true},
		{`{{ .Site.Params.service }}`, false},
		{`{{ .Site.Title }}`, false},
		{`{{ .Region }}`, false},
		{`{{ .Page.Title }}`, false},
		{`{{ .Ordinal }}`, false},
		{`{{ with .Page }}{{ .Title }}{{ end }}`, false},
		{`{{ with .Get 0 }}{{ $.Site.Title }}{{ end }}`, false},
		{`{{ with .Get 0 }}x{{ else }}{{ .Region }}{{ end }}`, false},
		{`{{ if .Get 0 }}{{ .Region }}{{ end }}`, false},
		{`{{ partial "p.html" . }}`, false},
		{`{{ $ }}`, false},
		{`{{ printf "%v" . }}`, false},
		{`{{ (.Site).Title }}`, false},
		{`{{ define "x" }}a{{ end }}{{ template "x" }}`, false},
		{`{{ $r := .Region }}{{ .Get 0 }}`, false},
	} {
		fsys := fstest.MapFS{"shortcodes/t.html": {Data: []byte(tc.src)}}
		tpl, err := Load(fsys, defaults)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if got := tpl.RegionFree("t"); got != tc.free {
			t.Errorf("%s: region-free %v, want %v", tc.src, got, tc.free)
		}
	}
}

// The bundled shortcodes must all be region-free, or the build repeats them
// in every region.
func TestBundledShortcodesRegionFree(t *testing.T) {
	tpl, err := Load(nil, helpgen.Defaults)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range tpl.ShortcodeNames() {
		if !tpl.RegionFree(name) {
			t.Errorf("bundled shortcode %s is not region-free", name)
		}
	}
}
