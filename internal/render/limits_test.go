package render

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/shortcode"
)

// TestLimits: templates that would run forever or recurse without end stop
// with an error at the template's line and column, naming the calls that
// led there.
func TestLimits(t *testing.T) {
	lowOutputLimit(t)
	tests := []struct {
		name      string
		files     map[string]string
		shortcode string // run this shortcode, else the layout _default/single.html
		cancel    bool   // the page's context is cancelled rather than timed out
		file      string
		line, col int
		msg       string
		trace     string
	}{
		{name: "range over a huge number in a shortcode",
			files:     map[string]string{"shortcodes/spin.html": "a\n  {{ range 1000000000000 }}{{ end }}"},
			shortcode: "spin", file: "shortcodes/spin.html", line: 2, col: 12,
			msg: `ran longer than timeout = "250ms"`},
		{name: "nested ranges in a partial",
			files: map[string]string{"layouts/_default/single.html": `{{ partial "spin.html" . }}`,
				"layouts/partials/spin.html": `{{ range 100000 }}{{ range 100000 }}{{ end }}{{ end }}`},
			file: "layouts/partials/spin.html", line: 1, col: 28,
			msg: "ran longer than timeout", trace: "layouts/partials/spin.html called from layouts/_default/single.html"},
		{name: "a partial that calls itself",
			files: map[string]string{"layouts/_default/single.html": "<p>\n{{ partial \"loop.html\" . }}",
				"layouts/partials/loop.html": `x{{ partial "loop.html" . }}`},
			file: "layouts/partials/loop.html", line: 1, col: 5,
			msg:   "layouts/partials/loop.html is called more than 100 deep",
			trace: "layouts/partials/loop.html called from layouts/partials/loop.html called from layouts/partials/loop.html called from layouts/partials/loop.html called from … (93 more calls) called from layouts/partials/loop.html called from layouts/partials/loop.html called from layouts/_default/single.html"},
		{name: "a template that calls itself",
			files: map[string]string{"layouts/_default/single.html": `{{ define "r" }}<b>{{ template "r" . }}</b>{{ end }}{{ template "r" . }}`},
			file:  "layouts/_default/single.html", line: 1, col: 32,
			msg: `template "r" is called more than 100 deep`},
		{name: "templates that call two others each",
			files: map[string]string{"layouts/_default/single.html": `{{ define "r" }}{{ if lt (len .) 60 }}{{ template "r" (print . "x") }}{{ template "r" (print . "y") }}{{ end }}{{ end }}{{ template "r" "" }}`},
			file:  "layouts/_default/single.html", line: 1, col: -1, // either call
			msg: "ran longer than timeout"},
		{name: "a loop that writes without end",
			files: map[string]string{"layouts/_default/single.html": `{{ partial "big.html" (dict "S" (printf "%1000000d" 1)) }}`,
				"layouts/partials/big.html": `{{ range 1000000000000 }}{{ $.S }}{{ end }}`},
			file: "layouts/partials/big.html", msg: "the template wrote more than 1 MB"},
		{name: "a string that doubles in a loop",
			files: map[string]string{"layouts/_default/single.html": "{{ $s := \"ab\" }}\n{{ range 100 }}{{ $s = printf \"%s%s\" $s $s }}{{ end }}{{ len $s }}"},
			file:  "layouts/_default/single.html", line: 2, col: 24, msg: "a string of more than 1 MB would be made; refused"},
		{name: "backslashes that double in a loop",
			files: map[string]string{"layouts/_default/single.html": "{{ $s := \"\\\\\" }}{{ range 100 }}{{ $s = js $s }}{{ end }}"},
			file:  "layouts/_default/single.html", line: 1, col: 40, msg: "a string of more than 1 MB"},
		{name: "a huge width",
			files: map[string]string{"layouts/_default/single.html": `{{ printf "%0999999999d" 1 }}`},
			file:  "layouts/_default/single.html", line: 1, col: 4, msg: "printf width or precision over 1 MB refused"},
		{name: "a huge width as an argument",
			files: map[string]string{"layouts/_default/single.html": `{{ printf "%*d" 999999999 1 }}`},
			file:  "layouts/_default/single.html", line: 1, col: 4, msg: "printf width or precision over 1 MB refused"},
		{name: "a stopped build",
			files:     map[string]string{"shortcodes/spin.html": "{{ range 1000000000000 }}{{ end }}"},
			shortcode: "spin", cancel: true, file: "shortcodes/spin.html", line: 1, col: 10,
			msg: "rendering was stopped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := fstest.MapFS{}
			for k, v := range tt.files {
				site[k] = &fstest.MapFile{Data: []byte(v)}
			}
			tpl, err := Load(site, defaults)
			if err != nil {
				t.Fatal(err)
			}
			// Only the cases about the deadline get a short one: on a
			// loaded machine 50 ms can pass before a deep recursion
			// reaches its limit, or before a loop starts.
			tpl.SetTimeout(time.Hour)
			if strings.Contains(tt.msg, "timeout") {
				tpl.SetTimeout(250 * time.Millisecond)
			}
			parent, stop := context.WithCancel(context.Background())
			defer stop()
			if tt.cancel {
				tpl.SetTimeout(time.Hour)
				time.AfterFunc(250*time.Millisecond, stop)
			}
			ctx, cancel := tpl.PageContext(parent)
			defer cancel()
			if tt.shortcode != "" {
				call := &shortcode.Call{Name: tt.shortcode}
				_, err = tpl.Shortcode(ctx, tt.shortcode, NewShortcodeContext(call, nil, &Site{}, &PageRef{}, 0))
			} else {
				err = tpl.Layout(ctx, &bytes.Buffer{}, "_default/single.html", map[string]string{"Title": "T"})
			}
			l := diag.Flatten(err)
			if len(l) != 1 {
				t.Fatalf("want one error, got %v", err)
			}
			if stopped := strings.Contains(tt.msg, "timeout") || tt.cancel; Stopped(ctx) != stopped {
				t.Errorf("Stopped: %v, want %v", Stopped(ctx), stopped)
			}
			e := l[0]
			if tt.line == 0 && e.Line != 0 || tt.line == 0 && e.Source != "" {
				t.Errorf("got a line for an error Go gives none: %s", e.Detail())
			}
			if e.File != tt.file || e.Line != tt.line || (tt.col > 0 && e.Col != tt.col) || !strings.Contains(e.Msg, tt.msg) ||
				(tt.trace != "" && e.Trace != tt.trace) || e.Hint == "" || tt.line > 0 && !strings.Contains(e.Detail(), "^") {
				t.Errorf("got\n%s\nwant %s:%d:%d: …%s…\n    %s", e.Detail(), tt.file, tt.line, tt.col, tt.msg, tt.trace)
			}
		})
	}
}

// lowOutputLimit makes the size limit 1 MB for the test, so that reaching
// it is quick.
func lowOutputLimit(t *testing.T) {
	old := outputLimit
	outputLimit = 1 << 20
	t.Cleanup(func() { outputLimit = old })
}

// TestLimitsKeepOutput: the checks write nothing, in every escaping
// context, and a set is reused after an execution that failed.
func TestLimitsKeepOutput(t *testing.T) {
	const src = `{{ define "i" }}<i>{{ . }}</i>{{ end }}<a href="/x?{{ range .L }}{{ . }}{{ end }}" title="{{ range .L }}{{ template "i" . }}{{ end }}">` +
		`{{ range $i, $v := .L }}{{ if $i }},{{ end }}{{ template "i" $v }}{{ else }}none{{ end }}</a>` +
		`<script>var l = [{{ range .L }}{{ . }},{{ end }}];</script><style>p { color: {{ range .L }}{{ . }}{{ end }} }</style>`
	site := fstest.MapFS{
		"layouts/_default/single.html": {Data: []byte(src)},
		"layouts/partials/bad.html":    {Data: []byte(`{{ .Nope }}`)},
	}
	tpl, err := Load(site, defaults)
	if err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	data := map[string][]string{"L": {"a<b", "c"}}
	if err := template.Must(template.New("").Parse(src)).Execute(&w, data); err != nil {
		t.Fatal(err)
	}
	want := w.String()
	for range 3 {
		var b bytes.Buffer
		if err := tpl.Layout(context.Background(), &b, "_default/single.html", data); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Fatalf("got  %s\nwant %s", b.String(), want)
		}
		if err := tpl.Layout(context.Background(), &b, "partials/bad.html", 1); err == nil {
			t.Fatal("no error from a bad partial")
		}
	}
}

// TestBoundedFuncs: print, printf, println and js write what
// text/template's do, and refuse only what would pass MaxOutput.
func TestBoundedFuncs(t *testing.T) {
	lowOutputLimit(t)
	big := strings.Repeat("x", outputLimit/2+1)
	fm := boundedFuncs()
	call := func(name string, args ...any) (string, error) {
		switch f := fm[name].(type) {
		case func(...any) (string, error):
			return f(args...)
		case func(string, ...any) (string, error):
			return f(args[0].(string), args[1:]...)
		}
		t.Fatalf("%s has no known type", name)
		return "", nil
	}
	for _, tt := range []struct {
		name string
		args []any
		want string // "" for an error
	}{
		{"printf", []any{"ID %05d of 12345678901 items, %s %%d %[1]d", 42, "ok"}, "ID 00042 of 12345678901 items, ok %d 42"},
		{"printf", []any{"%*d|%.3s", 4, 7, "abcdef"}, "   7|abc"},
		{"printf", []any{"%0999999999d", 1}, ""},
		{"printf", []any{"%.999999999f", 1.5}, ""},
		{"printf", []any{"%*d", 999999999, 1}, ""},
		{"printf", []any{"%s%s", big, big}, ""},
		{"print", []any{"a", 1, "b"}, "a1b"},
		{"print", []any{big, big}, ""},
		{"println", []any{"a", "b"}, "a b\n"},
		{"js", []any{`a'b\c`}, `a\'b\\c`},
		{"js", []any{big[:outputLimit/6+1]}, ""},
	} {
		got, err := call(tt.name, tt.args...)
		if tt.want == "" && err == nil || tt.want != "" && (err != nil || got != tt.want) {
			t.Errorf("%s %.40q: got %.40q, %v; want %q", tt.name, tt.args, got, err, tt.want)
		}
	}
}

// TestLimitFunctionsArePrivate: a template cannot call the checks itself
// (and so cannot undo the depth count).
func TestLimitFunctionsArePrivate(t *testing.T) {
	for _, fn := range []string{fnTick, fnEnter, fnLeave} {
		_, err := Load(fstest.MapFS{"layouts/partials/x.html": {Data: []byte("{{ " + fn + " }}")}}, defaults)
		if l := diag.Flatten(err); len(l) != 1 || !strings.Contains(l[0].Msg, "is not provided by helpgen") {
			t.Errorf("%s: got %v", fn, err)
		}
	}
}

func TestLimitErrorCause(t *testing.T) {
	tpl, err := Load(fstest.MapFS{"shortcodes/spin.html": {Data: []byte("{{ range 1000000000000 }}{{ end }}")}}, defaults)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = tpl.Shortcode(ctx, "spin", NewShortcodeContext(&shortcode.Call{Name: "spin"}, nil, &Site{}, &PageRef{}, 0))
	if err == nil || errors.Is(err, context.Canceled) {
		// The error is a positioned diag.Error; callers look at their
		// context to tell a stop from a failure.
		t.Fatalf("got %v", err)
	}
}

// BenchmarkLimits is a layout of a 200-item loop, each item through a
// {{ template }} and a partial, run as helpgen runs it (instrumented, on a
// set taken for the execution) and as plain html/template runs it.
func BenchmarkLimits(b *testing.B) {
	const src = `{{ define "i" }}<li>{{ . }}</li>{{ end }}<ul>{{ range .L }}{{ template "i" . }}{{ partial "p.html" . }}{{ end }}</ul>`
	const part = `<b>{{ . }}</b>`
	data := map[string][]string{"L": strings.Split(strings.Repeat("item,", 200), ",")}
	b.Run("helpgen", func(b *testing.B) {
		tpl, err := Load(fstest.MapFS{"layouts/x.html": {Data: []byte(src)}, "layouts/partials/p.html": {Data: []byte(part)}}, defaults)
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := tpl.PageContext(context.Background())
		defer cancel()
		var w bytes.Buffer
		for b.Loop() {
			w.Reset()
			if err := tpl.Layout(ctx, &w, "x.html", data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("html-template", func(b *testing.B) {
		var set *template.Template
		set = template.Must(template.New("x").Funcs(template.FuncMap{"partial": func(name string, d any) (template.HTML, error) {
			var w bytes.Buffer
			err := set.ExecuteTemplate(&w, name, d)
			return template.HTML(w.String()), err
		}}).Parse(src))
		template.Must(set.New("p.html").Parse(part))
		var w bytes.Buffer
		for b.Loop() {
			w.Reset()
			if err := set.ExecuteTemplate(&w, "x", data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
