package tplfunc

import (
	"bufio"
	htmltemplate "html/template"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"
)

// typed is an expected output naming its Go type: "11 (float64)".
var typed = regexp.MustCompile(`^(.*) \(([a-z0-9]+)\)$`)

// TestHugoDocExamples runs every example of Hugo's function documentation
// for the functions helpgen provides (testdata/hugo-doc-examples.tsv).
func TestHugoDocExamples(t *testing.T) {
	f, err := os.Open("testdata/hugo-doc-examples.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		for len(cols) < 4 {
			cols = append(cols, "")
		}
		fn, src, want, base := cols[0], cols[1], cols[2], cols[3]
		n++
		t.Run(fn+"/"+src, func(t *testing.T) {
			wantType := ""
			if m := typed.FindStringSubmatch(want); m != nil {
				want, wantType = m[1], m[2]
				src = "{{ $v := " + strings.TrimSuffix(strings.TrimPrefix(src, "{{ "), " }}") + " }}{{ $v }} ({{ printf \"%T\" $v }})"
				want += " (" + wantType + ")"
			}
			want, err := strconv.Unquote(`"` + strings.ReplaceAll(want, `"`, `\"`) + `"`)
			if err != nil {
				t.Fatalf("expected output: %v", err)
			}
			got, err := execText(src, Env{BaseURL: base})
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			if got != want {
				t.Errorf("%s = %q, want %q", src, got, want)
			}
		})
	}
	if n < 250 {
		t.Fatalf("only %d examples read", n)
	}
}

func execText(src string, env Env) (string, error) {
	tpl, err := template.New("t").Funcs(template.FuncMap(Map(env))).Parse(src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = tpl.Execute(&b, nil)
	return b.String(), err
}

func execHTML(src string, data any, env Env) (string, error) {
	tpl, err := htmltemplate.New("t").Funcs(Map(env)).Parse(src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = tpl.Execute(&b, data)
	return b.String(), err
}

// TestFunctions covers what the documentation's examples leave out: the
// argument order of the namespaced string functions, where, sort, merge,
// scratch, default's piping, errors, and html/template's escaping of the
// safe types.
func TestFunctions(t *testing.T) {
	type page struct {
		Title  string
		Weight int
		Params map[string]any
	}
	pages := []page{
		{"B", 2, map[string]any{"tags": []string{"x"}, "draft": false}},
		{"A", 1, map[string]any{"tags": []string{"y"}, "color": "red"}},
		{"C", 3, map[string]any{"tags": []string{"x", "y"}}},
	}
	data := map[string]any{"Pages": pages, "M": map[string]any{"a": 1, "b": map[string]any{"c": 2}}, "Flag": true}
	cases := []struct{ src, want, err string }{
		{src: `{{ strings.TrimSuffix ".html" "a.html" }}`, want: "a"},
		{src: `{{ "a.html" | strings.TrimSuffix ".html" }}`, want: "a"},
		{src: `{{ strings.Replace "aaa" "a" "b" 2 }}`, want: "bba"},
		{src: `{{ strings.Split "a,b" "," }}`, want: "[a b]"},
		{src: `{{ strings.HasPrefix "/ja/x" "/ja/" }}`, want: "true"},
		{src: `{{ findRE "[0-9]+" "a1b22c333" 2 }}`, want: "[1 22]"},
		{src: `{{ findRE "(" "x" }}`, err: "invalid regular expression"},
		{src: `{{ replaceRE "^/([a-z]+)/" "[$1]" "/ja/x.html" }}`, want: "[ja]x.html"},
		{src: `{{ substr "ログイン画面" 2 2 }}`, want: "イン"},
		{src: `{{ substr "abc" }}`, err: "too few arguments"},
		{src: `{{ range where .Pages "Weight" ">" 1 }}{{ .Title }}{{ end }}`, want: "BC"},
		{src: `{{ range where .Pages "Params.color" "red" }}{{ .Title }}{{ end }}`, want: "A"},
		{src: `{{ range where .Pages ".Params.color" "!=" nil }}{{ .Title }}{{ end }}`, want: "A"},
		{src: `{{ range where .Pages "Params.tags" "intersect" (slice "y") }}{{ .Title }}{{ end }}`, want: "AC"},
		{src: `{{ range where .Pages "Title" "in" (slice "A" "C") }}{{ .Title }}{{ end }}`, want: "AC"},
		{src: `{{ range where .Pages "Title" "like" "^[AB]$" }}{{ .Title }}{{ end }}`, want: "BA"},
		{src: `{{ range sort .Pages "Weight" }}{{ .Title }}{{ end }}`, want: "ABC"},
		{src: `{{ range sort .Pages "Title" "desc" }}{{ .Title }}{{ end }}`, want: "CBA"},
		{src: `{{ range first 2 (sort .Pages "Weight") }}{{ .Title }}{{ end }}`, want: "AB"},
		{src: `{{ range after 1 .Pages }}{{ .Title }}{{ end }}`, want: "AC"},
		{src: `{{ first -1 .Pages }}`, err: "sequence length must be non-negative"},
		{src: `{{ first 1 3 }}`, err: "can't iterate over int"},
		{src: `{{ $m := merge .M (dict "b" (dict "d" 3) "e" 4) }}{{ $m.a }} {{ $m.b.c }} {{ $m.b.d }} {{ $m.e }}`, want: "1 2 3 4"},
		{src: `{{ $m := merge (dict "a" 1) (dict "a" 2) }}{{ $m.a }}`, want: "2"},
		{src: `{{ isset .M "a" }} {{ isset .M "z" }} {{ isset (slice 1 2) 1 }} {{ isset (slice 1 2) 2 }}`, want: "true false true false"},
		{src: `{{ intersect (slice "a" "b" "c") (slice "c" "a") }}`, want: "[a c]"},
		{src: `{{ append "c" (slice "a" "b") }}`, want: "[a b c]"},
		{src: `{{ append (slice "c" "d") (slice "a" "b") }}`, want: "[a b c d]"},
		{src: `{{ $s := newScratch }}{{ $s.Add "l" (slice "a") }}{{ $s.Add "l" "b" }}{{ $s.Get "l" }}`, want: "[a b]"},
		{src: `{{ $s := newScratch }}{{ $s.SetInMap "m" "b" 2 }}{{ $s.SetInMap "m" "a" 1 }}{{ $s.GetSortedMapValues "m" }}`, want: "[1 2]"},
		{src: `{{ eq .Flag true }} {{ eq 1 1.0 }} {{ eq "a" ("a" | safeHTML) }}`, want: "true true true"},
		{src: `{{ lt 1 "a" }}`, err: "incompatible types"},
		{src: `{{ index .M "missing" | default "none" }}`, want: "none"},
		{src: `{{ cond .Flag "yes" "no" }} {{ cond 0 "yes" "no" }}`, want: "yes no"},
		{src: `{{ div 7 2 }} {{ div 7.0 2 }} {{ mul 2 1.5 }} {{ sub 5 7 }} {{ mod 7 3 }}`, want: "3 3.5 3 -2 1"},
		{src: `{{ div 1 0 }}`, err: "can't divide the value by 0"},
		{src: `{{ mod 1 0 }}`, err: "divided by zero"},
		{src: `{{ mod 7.9 2 }}`, want: "1"},
		{src: `{{ mod "x" 1 }}`, err: "non integer"},
		{src: `{{ int "x" }}`, err: "unable to cast"},
		{src: `{{ seq 1000001 }}`, err: "exceeds limit"},
		{src: `{{ jsonify (dict "a" "<b>") }}`, want: `{"a":"\u003cb\u003e"}`},
		{src: `{{ jsonify (dict "indent" "  ") (dict "a" 1) }}`, want: "{\n  \"a\": 1\n}"},
		{src: `{{ $d := transform.Unmarshal "a: 1\nb: [x, z]" }}{{ $d.a }} {{ index $d.b 1 }}`, want: "1 z"},
		{src: `{{ $d := transform.Unmarshal "{\"a\": [1, 2]}" }}{{ index $d.a 1 }}`, want: "2"},
		{src: `{{ $u := urls.Parse "https://example.org/a/b.html?q=1#x" }}{{ $u.Host }} {{ $u.Path }} {{ $u.Fragment }}`, want: "example.org /a/b.html x"},
		{src: `{{ "ログイン 画面 (TOC)!" | anchorize }}`, want: "ログイン-画面-toc"},
		{src: `{{ "Help Pages/Login" | urlize }}`, want: "help-pages/login"},
		{src: `{{ plainify "<p>a</p><p>b  c</p>" }}`, want: "a\nb c\n"},
		{src: `<a title="{{ "x\"y" | htmlEscape }}">`, want: `<a title="x&amp;#34;y">`},
		{src: `<a href="{{ "javascript:x" }}">`, want: `<a href="#ZgotmplZ">`},
		{src: `<a href="{{ "javascript:x" | safeURL }}">`, want: `<a href="javascript:x">`},
		{src: `<p {{ "class=\"x\"" | safeHTMLAttr }}>`, want: `<p class="x">`},
		{src: `<script>var a = {{ "1+1" | safeJS }};</script>`, want: `<script>var a = 1+1;</script>`},
		{src: `{{ dateFormat "2006-01-02" "2024-03-05T10:00:00Z" }} {{ time.Format "Jan 2" "2024-03-05" }}`, want: "2024-03-05 Mar 5"},
		{src: `{{ (time "2015-01-21").Year }}`, want: "2015"},
		{src: `{{ time.Format ":date_long" "2024-03-05" }}`, err: "localized"},
		{src: `{{ errorf "bad %s" "input" }}`, err: "bad input"},
		{src: `{{ warnf "careful %d" 1 }}x`, want: "x"},
		{src: `{{ now.Year }}`, want: "2031"},
		{src: `{{ relURL "a.html" }} {{ absURL "/a.html" }}`, want: "/help/a.html https://example.org/a.html"},
	}
	env := Env{BaseURL: "https://example.org/help/", Now: func() time.Time { return time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC) }}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			got, err := execHTML(c.src, data, env)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestWarnf checks that warnf reaches the build's warnings.
func TestWarnf(t *testing.T) {
	var got []string
	fm := Map(Env{Warn: func(m string) { got = append(got, m) }})
	tpl := template.Must(template.New("t").Funcs(template.FuncMap(fm)).Parse(`{{ warnf "%s of %d" "one" 2 }}`))
	if err := tpl.Execute(&strings.Builder{}, nil); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "one of 2" {
		t.Fatalf("warnings %q", got)
	}
}
