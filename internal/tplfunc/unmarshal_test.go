package tplfunc

import (
	"strings"
	"testing"
	"text/template"
)

// file is a resource as resources.Get returns one.
type file struct{ name, text string }

func (f file) Content() (any, error) { return f.text, nil }
func (f file) Name() string          { return f.name }

// TestUnmarshal runs the examples of Hugo's transform.Unmarshal
// documentation (functions/transform/Unmarshal.md) and Hugo's rules for
// telling a format and for its options.
func TestUnmarshal(t *testing.T) {
	pets := "\"name\",\"type\",\"breed\",\"age\"\n\"Spot\",\"dog\",\"Collie\",3\n\"Rover\",\"dog\",\"Boxer\",5\n\"Felix\",\"cat\",\"Calico\",7\n"
	data := map[string]any{
		"Book":  "\ntitle: Les Misérables\nauthor: Victor Hugo\n",
		"Pets":  file{"/pets.csv", pets},
		"Semi":  file{"/menu.csv", "1;Menu;https://example.com/a\n2;Other;/b\n"},
		"Books": file{"/data/books.json", `[{"title": "Les Misérables", "author": "Victor Hugo"}, {"title": "Other", "author": "X"}]`},
		"Empty": file{"/empty.csv", ""},
		"Text":  file{"/a.txt", "a,b"},
	}
	tests := []struct{ src, want, err string }{
		{src: `{{ $b := unmarshal .Book }}{{ $b.title }} {{ $b.author }}`, want: "Les Misérables Victor Hugo"},
		{src: `{{ range where (transform.Unmarshal .Books) "author" "Victor Hugo" }}{{ .title }}{{ end }}`, want: "Les Misérables"},
		{src: `{{ range $i, $r := transform.Unmarshal .Pets }}{{ if $i }}{{ index $r 0 }}:{{ index $r 3 }} {{ end }}{{ end }}`, want: "Spot:3 Rover:5 Felix:7 "},
		{src: `{{ range transform.Unmarshal (dict "targetType" "map") .Pets }}{{ .name }}={{ .breed }} {{ end }}`, want: "Spot=Collie Rover=Boxer Felix=Calico "},
		// the theme's CSV menus: a delimiter, and a URL with a colon in the first row
		{src: `{{ range .Semi | transform.Unmarshal (dict "delimiter" ";") | first 1 }}{{ index . 2 }}{{ end }}`, want: "https://example.com/a"},
		{src: `{{ range transform.Unmarshal "1,Menu,https://example.com/a" }}{{ index . 2 }}{{ end }}`, want: "https://example.com/a"},
		{src: `{{ $d := transform.Unmarshal "a = 1\nb = \"x:y\"" }}{{ $d.a }} {{ $d.b }}`, want: "1 x:y"},
		{src: `{{ $d := transform.Unmarshal "a: {b: 1}" }}{{ $d.a.b }}`, want: "1"},
		{src: `{{ $d := transform.Unmarshal "{\"a\": \"b,c\"}" }}{{ $d.a }}`, want: "b,c"},
		{src: `{{ $d := transform.Unmarshal (dict "format" "yaml") "a, b" }}{{ $d }}`, want: "a, b"},
		{src: `{{ printf "%v" (transform.Unmarshal "  ") }}`, want: "<nil>"},
		{src: `{{ len (transform.Unmarshal .Empty) }}`, want: "0"},
		{src: `{{ transform.Unmarshal .Text }}`, err: "format of a .txt file"},
		{src: `{{ transform.Unmarshal "just words" }}`, err: "unknown format"},
		{src: `{{ transform.Unmarshal (dict "delimiter" "ab") "a" }}`, err: "not one character"},
		{src: `{{ transform.Unmarshal (dict "targetType" "map") "a,b" }}`, err: "at least a header row"},
		{src: `{{ transform.Unmarshal "<a>1</a>" }}`, err: `format "xml" not supported by helpgen`},
		{src: `{{ transform.Unmarshal 1 2 3 }}`, err: "takes 1 or 2 arguments"},
	}
	for _, tt := range tests {
		tpl, err := template.New("t").Funcs(template.FuncMap(Map(Env{}))).Parse(tt.src)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		err = tpl.Execute(&b, data)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: err %v, want %q", tt.src, err, tt.err)
			}
			continue
		}
		if err != nil || b.String() != tt.want {
			t.Errorf("%s = %q, %v; want %q", tt.src, b.String(), err, tt.want)
		}
	}
}
