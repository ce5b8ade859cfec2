package tplrun

import (
	"bytes"
	"errors"
	"html/template"
	"maps"
	"slices"
	"strings"
	"testing"
)

// run compiles src and runs it both ways on data: html/template's output
// (or error), and the program's (or ErrFallback). compileErr is Compile's
// refusal, if any.
func run(t testing.TB, src string, data any, fm template.FuncMap) (want, got string, wantErr, gotErr, compileErr error) {
	t.Helper()
	parsed, err := template.New("t").Funcs(fm).Parse(src)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	escClone := template.Must(parsed.Clone())
	names := slices.Collect(maps.Keys(fm))
	tree, err := Escape(escClone, names)
	runClone := template.Must(parsed.Clone())
	var wb bytes.Buffer
	wantErr = runClone.Execute(&wb, data)
	if err != nil {
		return wb.String(), "", wantErr, nil, err
	}
	p, err := Compile(tree, func(n string) bool { _, ok := fm[n]; return ok })
	if err != nil {
		return wb.String(), "", wantErr, nil, err
	}
	var gb bytes.Buffer
	gb.WriteString("prefix")
	gotErr = p.Execute(&gb, data, &Env{Funcs: fm}, 1<<20)
	return wb.String(), strings.TrimPrefix(gb.String(), "prefix"), wantErr, gotErr, nil
}

type item struct {
	Title, URL string
	Level      int
	Children   []item
	Any        any
	HTML       template.HTML
	Ptr        *item
}

func (i item) Upper() string          { return strings.ToUpper(i.Title) }
func (i *item) Ref(s string) string   { return i.Title + "#" + s }
func (i item) Fails() (string, error) { return "", errors.New("boom") }

var testFuncs = template.FuncMap{
	"i18n": func(key any, args ...any) (string, error) { return "T:" + key.(string), nil },
	"partial": func(name string, data ...any) (any, error) {
		return template.HTML("<p>" + name + "</p>"), nil
	},
	"tick": func() (string, error) { return "", nil },
	"dict": func(kv ...any) (map[string]any, error) {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m, nil
	},
	"fail":  func() (string, error) { return "", errors.New("fails") },
	"plus":  func(a, b int) int { return a + b },
	"upper": strings.ToUpper,
}

var testData = map[string]any{
	"Title": `A & B <"q">`,
	"URL":   "/a b/c?d=e&f#g",
	"Bad":   "javascript:alert(1)",
	"Items": []item{{Title: "one", URL: "/1", Level: 2, Children: []item{{Title: "x+y", URL: "#x", Level: 3}}},
		{Title: "two", URL: "https://e.com/'2'", Level: 2, Any: "s", HTML: "<b>b</b>"}},
	"Empty": []item{},
	"Num":   42,
	"Flag":  true,
	"HTML":  template.HTML("<i>it</i>"),
	"Link":  template.URL("javascript:ok()"),
	"Nil":   nil,
	"Item":  &item{Title: "ptr", Level: 1},
	"Map":   map[string]any{"k": "v", "n": 1},
}

func TestMatchesHTMLTemplate(t *testing.T) {
	cases := []string{
		`<p>{{ .Title }}</p>`,
		`<a href="{{ .URL }}" title="{{ .Title }}">{{ .Title }}</a>`,
		`<a href="{{ .Bad }}">x</a><a href="{{ .Link }}">y</a>`,
		`<a href="#{{ .Title }}">x</a><a href="/s?q={{ .URL }}">q</a>`,
		`<title>{{ .Title }} {{ .HTML }}</title>`,
		`{{ .HTML }}<b title="{{ .Num }}">{{ .Num }} {{ .Flag }}</b>`,
		`{{ range .Items }}<li class="l{{ .Level }}"><a href="{{ .URL }}">{{ .Title }}</a>{{ with .Children }}<ul>{{ range . }}<li>{{ .Title }}</li>{{ end }}</ul>{{ end }}</li>{{ end }}`,
		`{{ range $i, $e := .Items }}{{ $i }}={{ $e.Title }};{{ end }}`,
		`{{ range $e := .Items }}{{ $e.Title }}{{ $.Num }};{{ else }}none{{ end }}`,
		`{{ range .Empty }}x{{ else }}empty{{ end }}`,
		`{{ range .Missing }}x{{ else }}missing{{ end }}`,
		`{{ range .Items }}{{ if eq .Title "two" }}{{ break }}{{ end }}{{ .Title }}{{ end }}`,
		`{{ range .Items }}{{ if eq .Title "one" }}{{ continue }}{{ end }}{{ .Title }}{{ end }}`,
		`{{ if and .Flag .Num }}yes{{ else }}no{{ end }}{{ if or .Missing .Empty }}a{{ else if .Num }}b{{ end }}`,
		`{{ if not .Flag }}no{{ else }}yes{{ end }}{{ if ne .Title "x" }}ne{{ end }}{{ len .Items }}`,
		`{{ with .Missing }}x{{ else with .Title }}{{ . }}{{ end }}`,
		`{{ $x := .Title }}{{ $x }}{{ $x = "changed" }}{{ $x }}`,
		`{{ i18n "toc" .Num }}{{ partial "p.html" . }}`,
		`{{ range .Items }}{{ $_ := tick }}{{ .Upper }}{{ .Ref "a" }}{{ end }}`,
		`{{ .Item.Title }}{{ .Item.Ref "z" }}{{ .Item.Upper }}`,
		`{{ .Map.k }}{{ .Map.n }}[{{ .Map.none }}][{{ .Missing }}][{{ .Nil }}]`,
		`{{ (index .Items 0).Title }}`,
		`{{ (dict "a" .Title).a }}{{ with dict "b" 1 }}{{ .b }}{{ end }}`,
		`{{ plus 1 2 }}{{ .Title | upper }}{{ "lit" }}{{ 1.5 }}{{ true }}`,
		`{{ fail }}`,
		`{{ range .Items }}{{ .Fails }}{{ end }}`,
		`{{ range .Items }}{{ .Any }}|{{ with .Any }}{{ . }}{{ end }}|{{ .HTML }}<a title="{{ .HTML }}">{{ end }}`,
		`{{ with .Items }}{{ with index . 1 }}{{ .Title }}{{ end }}{{ end }}`,
		`{{ template "x" . }}{{ define "x" }}X{{ end }}`,
		`<script>var x = {{ .Title }};</script>`,
		`{{ .Item }}`,
		`{{ range 3 }}{{ . }}{{ end }}`,
		`{{ range .Map }}{{ . }}{{ end }}`,
		`{{ if .Missing.Deeper }}x{{ else }}y{{ end }}`,
		`{{ .Nil.Field }}`,
	}
	for _, src := range cases {
		want, got, wantErr, gotErr, compileErr := run(t, src, testData, testFuncs)
		switch {
		case compileErr != nil:
			t.Logf("%s: not compiled: %v", src, compileErr)
		case gotErr != nil:
			if !errors.Is(gotErr, ErrFallback) {
				t.Errorf("%s: error %v is not ErrFallback", src, gotErr)
			}
			t.Logf("%s: falls back: %v (template: %v)", src, gotErr, wantErr)
		case wantErr != nil:
			t.Errorf("%s: template fails (%v), program wrote %q", src, wantErr, got)
		case got != want:
			t.Errorf("%s:\n got %q\nwant %q", src, got, want)
		}
	}
}
