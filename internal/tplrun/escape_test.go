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

// escapeContexts are the contexts helpgen's layouts write in, each with
// the escapers html/template appends there.
var escapeContexts = []struct {
	name, src string
	escapers  []string
}{
	{"text", `<p>{{ . }}</p>`, []string{"_html_template_htmlescaper"}},
	{"attribute", `<p title="{{ . }}">`, []string{"_html_template_attrescaper"}},
	{"title", `<title>{{ . }}</title>`, []string{"_html_template_rcdataescaper"}},
	{"href", `<a href="{{ . }}">`, []string{"_html_template_urlfilter", "_html_template_urlnormalizer", "_html_template_attrescaper"}},
	{"fragment", `<a href="#{{ . }}">`, []string{"_html_template_urlescaper", "_html_template_attrescaper"}},
	{"query", `<a href="/s?q={{ . }}&amp;r=1">`, []string{"_html_template_urlescaper", "_html_template_attrescaper"}},
}

// escapeStrings hold every byte class the escapers treat apart.
var escapeStrings = []string{
	"", "plain", "パスワード", "\x00nul", `"q" 'q'`, "a&b+c<d>e", "&amp;", "%41%zz%4", "100%", "%", "%a", "%4G",
	"!#$&'()*+,/:;=?@[]", "-._~", " \t\n\r", "\xff\xfe bad utf8", "\xe3\x81", "\ufdd0\ufdef\ufffe\uffff",
	"javascript:alert(1)", "JavaScript:x", " javascript:x", "mailto:a@b", "HTTP://x", "https://e.com/a?b=c#d",
	"a:b/c", "/p/a:b", "//host/p", "#frag", "?q=1", "<b>bold</b> &lt;", "見出し-1", "\x7f\x01",
}

// escapeValues are every string above in every type html/template's
// escapers tell apart, and the other values helpgen prints.
func escapeValues() []any {
	var vals []any
	for _, s := range escapeStrings {
		vals = append(vals, s, template.HTML(s), template.URL(s), template.HTMLAttr(s))
	}
	return append(vals, 0, -12, int8(-3), int64(1<<40), uint(7), uint8(255), true, false, nil)
}

// TestEscapersMatchHTMLTemplate runs every value through every context,
// compiled, and compares with html/template. The program may give up only
// on HTML in an attribute, which html/template strips of its tags.
func TestEscapersMatchHTMLTemplate(t *testing.T) {
	for _, ctx := range escapeContexts {
		for _, v := range escapeValues() {
			want, got, wantErr, gotErr, compileErr := run(t, ctx.src, v, nil)
			_, isHTML := v.(template.HTML)
			switch {
			case compileErr != nil:
				t.Fatalf("%s: not compiled: %v", ctx.name, compileErr)
			case wantErr != nil:
				t.Fatalf("%s %#v: template fails: %v", ctx.name, v, wantErr)
			case gotErr != nil && isHTML && ctx.escapers[0] == "_html_template_attrescaper":
			case gotErr != nil:
				t.Errorf("%s %#v: falls back: %v", ctx.name, v, gotErr)
			case got != want:
				t.Errorf("%s %#v:\n got %q\nwant %q", ctx.name, v, got, want)
			}
		}
	}
}

// TestEscaperContexts checks that each context's escaped tree calls the
// escapers named above, so that the test above covers all six.
func TestEscaperContexts(t *testing.T) {
	seen := map[string]bool{}
	for _, ctx := range escapeContexts {
		tree, err := Escape(template.Must(template.New("t").Parse(ctx.src)), nil)
		if err != nil {
			t.Fatal(err)
		}
		want := ". | " + strings.Join(ctx.escapers, " | ")
		if !strings.Contains(tree.Root.String(), "{{"+want+"}}") {
			t.Errorf("%s: escaped as %s, want {{%s}}", ctx.name, tree.Root, want)
		}
		for _, e := range ctx.escapers {
			seen[e] = true
		}
	}
	if names := slices.Sorted(maps.Keys(escapers)); len(seen) != len(names) {
		t.Errorf("contexts use %v, escape.go has %v", seen, names)
	}
}

// FuzzEscapers fuzzes a string, in one of the types the escapers tell
// apart, through every context, each its own program so that only HTML
// in an attribute value may fall back.
func FuzzEscapers(f *testing.F) {
	for i, s := range escapeStrings {
		f.Add(s, uint8(i))
	}
	type compiled struct {
		tpl  *template.Template
		prog *Program
		attr bool
	}
	var progs []compiled
	for _, ctx := range escapeContexts {
		parsed := template.Must(template.New("t").Parse("x" + ctx.src + "y"))
		tree, err := Escape(template.Must(parsed.Clone()), nil)
		if err != nil {
			f.Fatal(err)
		}
		p, err := Compile(tree, func(string) bool { return false })
		if err != nil {
			f.Fatal(err)
		}
		progs = append(progs, compiled{parsed, p, ctx.escapers[0] == "_html_template_attrescaper"})
	}
	f.Fuzz(func(t *testing.T, s string, typ uint8) {
		v := []any{s, template.HTML(s), template.URL(s), template.HTMLAttr(s)}[typ%4]
		for _, c := range progs {
			var want, got bytes.Buffer
			wantErr := template.Must(c.tpl.Clone()).Execute(&want, v)
			gotErr := c.prog.Execute(&got, v, nil, 1<<20)
			switch {
			case gotErr != nil && errors.Is(gotErr, ErrFallback) && typ%4 == 1 && c.attr:
			case gotErr != nil:
				t.Fatalf("%#v: falls back: %v", v, gotErr)
			case wantErr != nil:
				t.Fatalf("%#v: template fails (%v), program wrote %q", v, wantErr, got.String())
			case got.String() != want.String():
				t.Fatalf("%#v:\n got %q\nwant %q", v, got.String(), want.String())
			}
		}
	})
}
