package render

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"testing/fstest"
)

// onePixel is a 1×1 PNG.
var onePixel, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

// TestResourcesGet runs the examples of Hugo's resources.Get and resource
// methods documentation (functions/resources/Get.md, methods/resource/) and
// the theme's pattern: a CSV menu of assets/ read with transform.Unmarshal.
func TestResourcesGet(t *testing.T) {
	site := fstest.MapFS{
		"assets/quotations/kipling.txt":    {Data: []byte("He travels the fastest who travels alone.\n")},
		"assets/images/a.png":              {Data: onePixel},
		"assets/ja/csv/menuitems_JP.csv":   {Data: []byte("1,Guide,https://example.com/ja/\n2,Admin,/ja/admin/\n")},
		"themes/t/assets/css/style.css":    {Data: []byte("p{color:red}")},
		"themes/t/assets/quotations/x.txt": {Data: []byte("theme")},
		"assets/quotations/x.txt":          {Data: []byte("site")},
	}
	tests := []struct{ src, want string }{
		{`{{ with resources.Get "quotations/kipling.txt" }}{{ .Content }}|{{ .Content | len }}{{ end }}`, "He travels the fastest who travels alone.\n|42"},
		{`{{ with resources.Get "images/a.png" }}<img src="{{ .RelPermalink }}" width="{{ .Width }}" height="{{ .Height }}" alt="">{{ end }}`,
			`<img src="/help/images/a.png" width="1" height="1" alt="">`},
		{`{{ with resources.Get "images/a.png" }}{{ .Permalink }} {{ .Name }} {{ .Title }}{{ end }}`, "https://example.org/help/images/a.png /images/a.png /images/a.png"},
		{`{{ with resources.Get "/images/a.png" }}{{ .MediaType.Type }} {{ .MediaType.MainType }} {{ .MediaType.SubType }} {{ .MediaType.FirstSuffix.Suffix }} {{ .ResourceType }}{{ end }}`,
			"image/png image png png image"},
		{`{{ with resources.Get "css/style.css" }}<style>{{ .Content | safeCSS }}</style>{{ end }}`, "<style>p{color:red}</style>"},
		{`{{ (resources.Get "quotations/x.txt").Content }}`, "site"},
		{`{{ with resources.Get "nope.txt" }}found{{ else }}nil{{ end }}`, "nil"},
		{`{{ with resources.Get "../helpgen.toml" }}found{{ else }}nil{{ end }}`, "nil"},
		{`{{ with resources.Get "ja/csv/menuitems_JP.csv" }}{{ range . | transform.Unmarshal (dict "delimiter" ",") }}<a href="{{ index . 2 }}">{{ index . 1 }}</a>{{ end }}{{ end }}`,
			`<a href="https://example.com/ja/">Guide</a><a href="/ja/admin/">Admin</a>`},
	}
	for _, tt := range tests {
		fs := fstest.MapFS{"layouts/t.html": {Data: []byte(tt.src)}, "helpgen.toml": {Data: []byte("x")}}
		for k, v := range site {
			fs[k] = v
		}
		tpl, err := LoadTheme(fs, nil, "t")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		page := &ShortcodeContext{Site: &Site{BaseURL: "https://example.org/help/"}, Page: &PageRef{}}
		if err := tpl.Layout(context.Background(), &b, "t.html", page); err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if b.String() != tt.want {
			t.Errorf("%s = %q, want %q", tt.src, b.String(), tt.want)
		}
		pub := tpl.Published()
		if strings.Contains(tt.src, "Permalink") != (len(pub) == 1) {
			t.Errorf("%s: published %v", tt.src, pub)
		}
		if len(pub) == 1 && (pub[0].Path != "images/a.png" || !bytes.Equal(pub[0].Data, onePixel)) {
			t.Errorf("%s: published %s", tt.src, pub[0].Path)
		}
	}
}
