package tplrun

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strings"
	"testing"
	ttemplate "text/template"
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
		checkCase(t, src, testData, testFuncs, false)
	}
}

// checkCase checks THE property on src; with mustRun, the program must
// also run to the end rather than fall back.
func checkCase(t *testing.T, src string, data any, fm template.FuncMap, mustRun bool) {
	t.Helper()
	want, got, wantErr, gotErr, compileErr := run(t, src, data, fm)
	switch {
	case compileErr != nil && mustRun:
		t.Errorf("%s: not compiled: %v", src, compileErr)
	case compileErr != nil:
		t.Logf("%s: not compiled: %v", src, compileErr)
	case gotErr != nil && !errors.Is(gotErr, ErrFallback):
		checkError(t, src, gotErr, wantErr)
	case gotErr != nil && mustRun:
		t.Errorf("%s: falls back: %v (template: %v)", src, gotErr, wantErr)
	case gotErr != nil:
		t.Logf("%s: falls back: %v (template: %v)", src, gotErr, wantErr)
	case wantErr != nil:
		t.Errorf("%s: template fails (%v), program wrote %q", src, wantErr, got)
	case got != want:
		t.Errorf("%s:\n got %q\nwant %q", src, got, want)
	}
}

// truthTemplate prints 1 or 0 for the truth of every field, as if and
// with see it.
func truthTemplate() string {
	var b strings.Builder
	for _, f := range []string{"S", "Empty", "I", "Zero", "I8", "U", "F", "B", "False", "HTML", "List", "Nil", "None",
		"Ptr", "NilPtr", "Node", "ZeroNode", "Map", "NilMap", "Any", "AnyNil", "AnyList", "Err", "ErrSet", "NilErr",
		"Stringer", "Map.z", "Map.nil", "Map.missing", "Nothing", "Node.Any"} {
		fmt.Fprintf(&b, "{{ if .%s }}1{{ else }}0{{ end }}{{ with .%[1]s }}w{{ else }}-{{ end }}", f)
	}
	return b.String()
}

// TestSemantics covers what a program is likeliest to get wrong: every
// kind's truth, eq between kinds, variable scopes and functions returning
// interfaces or errors. mustRun cases must not fall back.
func TestSemantics(t *testing.T) {
	cases := []struct {
		src     string
		mustRun bool
	}{
		{truthTemplate(), true},
		{`{{ not .Err }}{{ not .ZeroNode }}{{ not .Nil }}{{ not .None }}{{ not .NilMap }}{{ if and .Err 1 }}a{{ end }}{{ or .Err .I }}{{ or .NilErr 0 }}`, true},
		{`{{ range .List }}{{ if .Any }}1{{ else }}0{{ end }}{{ range .Kids }}{{ if .Any }}1{{ else }}0{{ end }}{{ end }}{{ end }}`, true},
		{`{{ eq .I 42 }}{{ eq .I8 -3 }}{{ eq .U .U }}{{ eq .I8 .I }}{{ eq .F 1.5 }}{{ eq .B true }}{{ eq .Map.n 1 }}{{ ne .I .Zero }}`, true},
		{`{{ eq .S .HTML }}{{ eq .HTML "<i>it</i>" }}{{ ne .Any "any<" }}{{ eq .Link "javascript:ok()" }}{{ eq .Map.k "v" }}`, true},
		{`{{ eq .U 7 }}{{ eq .I .U }}{{ eq .U .I }}{{ eq .I 1.5 }}{{ eq .S 1 }}{{ eq .Node .Node }}{{ eq .Nil .Nil }}`, false},
		{`{{ $x := 1 }}{{ if .B }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}`, true},
		{`{{ $x := "o" }}{{ with $x := .S }}{{ $x }}{{ end }}{{ $x }}{{ range $x := .Strs }}{{ $x }}{{ end }}{{ $x }}`, true},
		{`{{ $n := 0 }}{{ range .List }}{{ $n = .N }}{{ $m := .Name }}{{ $m }}{{ end }}{{ $n }}`, true},
		{`{{ range .List }}{{ $.I }}{{ $.Title }}{{ $.Node.Name }}{{ end }}`, true},
		{`{{ range $i, $e := .None }}{{ else }}{{ len $i }}{{ len $e }}{{ end }}{{ range $e := .Map.missing }}{{ else }}[{{ $e }}]{{ end }}`, true},
		{`{{ if $v := .Zero }}a{{ else }}{{ $v }}{{ end }}{{ with $v := .Empty }}{{ else with $w := .I }}{{ $v }}{{ $w }}{{ . }}{{ end }}`, true},
		{`{{ $x := .S }}{{ range ($x := .Strs) }}{{ len $x }};{{ end }}{{ $x }}`, true},
		{`{{ range .List }}A{{ range $.None }}{{ else }}E{{ break }}X{{ end }}B{{ end }}`, true},
		{`{{ range .List }}A{{ range $.None }}{{ else }}E{{ continue }}X{{ end }}B{{ end }}`, true},
		{`{{ echo .S }}{{ echo .HTML }}{{ echo .I }}[{{ nilf }}][{{ if nilf }}t{{ end }}]{{ with nilf }}x{{ else }}n{{ end }}{{ .Nothing }}`, true},
		{`{{ range .List }}{{ .Get }}|{{ end }}{{ pair "a" 1 }}{{ i18n "k" 1 2 }}{{ partial "p" }}{{ kv "a" 1 | len }}`, true},
		{`{{ nilf | echo }}{{ nilf | not }}{{ not nilf }}{{ .AnyNil | not }}{{ .Node.Get | not }}`, false},
		{`{{ pair "err" 1 }}`, false},
		{`{{ .Node.Check false }}`, false}, {`{{ .Node.Check true }}`, true},
	}
	for _, c := range cases {
		checkCase(t, c.src, newPage(), fuzzFuncs, c.mustRun)
		checkCase(t, c.src, *newPage(), fuzzFuncs, false)
	}
}

// TestFallsBack checks that a program gives up, rather than write or
// panic, past its limit and when a function or method panics.
func TestFallsBack(t *testing.T) {
	cases := []struct {
		src   string
		data  any
		limit int
	}{
		{`<p>{{ .S }}</p>`, newPage(), 5},
		{`{{ range .List }}{{ .Name }}{{ end }}`, newPage(), 2},
		{`xyz{{ .Zero }}`, newPage(), 3},
		{`{{ boom }}`, newPage(), 1 << 20},
		{`{{ .Pick 1 }}`, &page{}, 1 << 20}, // divides by len(List)
		{`{{ with .Pick 1 }}{{ .Name }}{{ end }}`, page{}, 1 << 20},
		// Errors of reflect and of literals met while running are
		// ErrFallback too.
		{`{{ .Title }}`, struct{ *item }{}, 1 << 20},
		{`{{ echo 1i }}`, nil, 1 << 20},
	}
	for _, c := range cases {
		_, _, wantErr, gotErr, compileErr := run(t, c.src, c.data, fuzzFuncs)
		if compileErr != nil {
			t.Fatalf("%s: %v", c.src, compileErr)
		}
		p := compile(t, c.src, fuzzFuncs)
		var b bytes.Buffer
		err := p.Execute(&b, c.data, &Env{Funcs: fuzzFuncs}, c.limit)
		if !errors.Is(err, ErrFallback) {
			t.Errorf("%s (limit %d): Execute = %v, want ErrFallback (template: %v, %v)", c.src, c.limit, err, wantErr, gotErr)
		}
	}
	// A limit of exactly the output's length is enough.
	p := compile(t, `<p>{{ .S }}</p>`, nil)
	var b bytes.Buffer
	if err := p.Execute(&b, newPage(), nil, 0); err == nil {
		t.Fatal("limit 0 did not fall back")
	}
	n := len(`<p>A &amp; B &lt;&#34;q&#34;&gt; &#39;x&#39; &#43;</p>`)
	b.Reset()
	if err := p.Execute(&b, newPage(), nil, n); err != nil || b.Len() != n {
		t.Errorf("limit %d: %v, wrote %q", n, err, b.String())
	}
}

// compile is src's program, escaped as html/template escapes it.
func compile(t *testing.T, src string, fm template.FuncMap) *Program {
	t.Helper()
	tpl := template.Must(template.New("t").Funcs(fm).Parse(src))
	tree, err := Escape(tpl, slices.Collect(maps.Keys(fm)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(tree, func(n string) bool { _, ok := fm[n]; return ok })
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// checkError checks an error that is not ErrFallback: it must be the
// text/template.ExecError html/template returned, the same text around
// the same cause.
func checkError(t *testing.T, src string, got, want error) {
	t.Helper()
	var ee ttemplate.ExecError
	switch {
	case !errors.As(got, &ee):
		t.Errorf("%s: error %v is neither ErrFallback nor an ExecError", src, got)
	case want == nil:
		t.Errorf("%s: the program fails (%v), the template does not", src, got)
	case got.Error() != want.Error():
		t.Errorf("%s: error\n got %v\nwant %v", src, got, want)
	case errors.Unwrap(errors.Unwrap(ee)) == nil:
		t.Errorf("%s: %v does not wrap its cause", src, got)
	}
}
