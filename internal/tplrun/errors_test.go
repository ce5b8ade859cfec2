package tplrun

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"testing"
)

// caller has methods that fail, take arguments, or cannot be called.
type caller struct {
	A *caller
}

func (caller) M(x string) (string, error)         { return "", errors.New("m:" + x) }
func (caller) Ok(x string) string                 { return x }
func (caller) Three(x string) (string, int, int)  { return x, 0, 0 }
func (caller) Two(x string) (string, int)         { return x, 0 }
func (caller) Callers() (caller, error)           { return caller{}, nil }
func (caller) Broken() (caller, error)            { return caller{}, errors.New("broken") }
func (caller) Echo(s string, n ...any) string     { return s }
func (caller) Fmt(f string, a ...any) string      { return fmt.Sprintf(f, a...) }
func (caller) Pair(a, b string) (string, error)   { return "", fmt.Errorf("pair %s %s", a, b) }
func (caller) Joined(a ...string) (string, error) { return "", fmt.Errorf("joined %v", a) }

// TestErrorsMatchHTMLTemplate: when a function or method a template calls
// fails, the program stops with html/template's error (same text, same
// place), or gives up; it never fails where html/template does not, nor
// reports an argument's error where html/template first refuses the call
// (a wrong count of arguments, a method returning three values).
func TestErrorsMatchHTMLTemplate(t *testing.T) {
	fm := template.FuncMap{
		"fail":    func() (string, error) { return "", errors.New("fails") },
		"failx":   func(x any) (string, error) { return "", fmt.Errorf("failx %v", x) },
		"f2":      func(a, b string) (string, error) { return "", fmt.Errorf("f2 %s %s", a, b) },
		"id":      func(x string) string { return x },
		"obj":     func() (caller, error) { return caller{}, nil },
		"objf":    func() (caller, error) { return caller{}, errors.New("objf") },
		"partial": func(name string, data ...any) (any, error) { return nil, errors.New("partial " + name) },
		"i18n":    func(key any, args ...any) (string, error) { return "", errors.New("i18n") },
	}
	data := map[string]any{"R": caller{A: &caller{}}, "S": "s", "N": 1}
	for _, src := range []string{
		`{{ failx "a" }}`, `{{ "x" | failx }}`, `{{ id (fail) }}`, `{{ failx fail }}`,
		`{{ .R.M "x" }}`, `{{ .R.A.M "x" }}`, `{{ "y" | .R.M }}`, `{{ $x := .R }}{{ $x.M "v" }}`,
		`{{ $x := .R }}{{ $x.A.M "v" }}`, `{{ $.R.M "d" }}`, `{{ (obj).M "c" }}`, `{{ (objf).M "c" }}`,
		`<p>{{ partial "x" . }}</p>`, `<p>{{ partial "x" (fail) }}</p>`, `<p>{{ partial (fail) . }}</p>`,
		`<p>{{ partial "x" . | id }}</p>`, `{{ not (fail) 1 }}`, `{{ 1 | not (fail) }}`, `{{ len (fail) 1 }}`,
		`{{ eq (fail) 1 2 }}`, `{{ eq 1 }}`, `{{ ne (fail) 1 2 }}`, `{{ ne (fail) }}`,
		`{{ .R.Three (fail) }}`, `{{ .R.Two (fail) }}`, `{{ f2 (fail) (failx 1) }}`, `{{ f2 "a" (failx 1) }}`,
		`{{ id (failx (fail)) }}`, `{{ i18n (fail) }}`, `{{ and 1 (fail) }}`, `{{ or 1 (fail) }}`,
		`{{ and 0 (fail) }}`, `{{ if fail }}{{ end }}`, `{{ with $x := fail }}{{ end }}`, `{{ range fail }}{{ end }}`,
		`{{ range $i, $e := fail }}{{ end }}`, `{{ $y := 1 }}{{ $y = fail }}`, `{{ .R.M (fail) }}`,
		`{{ .R.Ok (fail) }}`, `{{ .R.Ok (failx 1) 2 }}`, `{{ (fail).X }}`, `{{ (.R.M "z").X }}`,
		`{{ .R.Broken.M "b" }}`, `{{ .R.Callers.M "c" }}`, `{{ .R.Pair "a" (fail) }}`, `{{ .R.Joined "a" "b" }}`,
		`{{ .R.Fmt "%d" }}`, `{{ .N.M }}`, `{{ failx .Missing.M }}`, "{{ failx \"%d\" }}",
		"a\n\n  {{ id \"x\" | failx }}", "<p>éé {{ failx \"é\" }}</p>",
		`<a href="{{ failx "u" }}" title="{{ .R.M "t" }}">`,
	} {
		checkCase(t, src, data, fm, false)
	}
}

// TestWriterDeclines: a writer that declines (a partial that returns a
// value) leaves the function to be called with the arguments already
// evaluated, once, as html/template evaluates them.
func TestWriterDeclines(t *testing.T) {
	n := 0
	fm := template.FuncMap{
		"count":   func() (string, error) { n++; return "c", nil },
		"partial": func(name string, data ...any) (any, error) { return fmt.Sprint(name, data), nil },
	}
	src := `<p>{{ partial "x" (count) }}</p>`
	tree, err := Escape(template.Must(template.New("t").Funcs(fm).Parse(src)), slices.Collect(maps.Keys(fm)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(tree, func(s string) bool { _, ok := fm[s]; return ok })
	if err != nil {
		t.Fatal(err)
	}
	var got, want bytes.Buffer
	env := &Env{Funcs: fm, Writers: map[string]func(*bytes.Buffer, []any) (bool, error){
		"partial": func(*bytes.Buffer, []any) (bool, error) { return false, nil }}}
	if err := p.Execute(&got, nil, env, 1<<20); err != nil {
		t.Fatal(err)
	}
	calls := n
	n = 0
	if err := template.Must(template.New("t").Funcs(fm).Parse(src)).Execute(&want, nil); err != nil {
		t.Fatal(err)
	}
	if calls != n || got.String() != want.String() {
		t.Errorf("program: %q, count called %d times; html/template: %q, %d times", got.String(), calls, want.String(), n)
	}
}
