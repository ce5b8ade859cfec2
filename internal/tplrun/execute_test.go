package tplrun

import (
	"errors"
	"fmt"
	"html/template"
	"strings"
	"testing"
)

// errText is an error whose value may be false in an if.
type errText string

func (e errText) Error() string { return string(e) }

// node and page are the data FuzzExecute's templates run on.
type node struct {
	Name string
	N    int
	Kids []node
	Next *node
	Any  any
}

func (n node) Label() string              { return "<" + n.Name + ">" }
func (n *node) Path(sep string) string    { return sep + n.Name }
func (n node) Add(a int, more ...int) int { return n.N + a + len(more) }
func (n node) Get() (any, error)          { return n.Any, nil }
func (n node) Check(ok bool) (string, error) {
	return map[bool]string{true: "ok"}[ok], map[bool]error{false: errText("no")}[ok]
}

type page struct {
	S, Empty, URL, JS string
	I, Zero           int
	I8                int8
	U                 uint
	F                 float64
	B, False          bool
	HTML              template.HTML
	Link              template.URL
	Attr              template.HTMLAttr
	List, Nil, None   []node
	Strs              []string
	Ptr, NilPtr       *node
	Node, ZeroNode    node
	Map               map[string]any
	NilMap            map[string]int
	Any, AnyNil       any
	AnyHTML, AnyList  any
	AnyPtr            any
	Err, ErrSet       error
	NilErr            error
	Stringer          fmt.Stringer
}

func (p page) Title() string                        { return p.S + "!" }
func (p *page) Count(n int) int                     { return len(p.List) + n }
func (p page) Pick(i int) node                      { return p.List[i%len(p.List)] }
func (p page) Nothing() any                         { return nil }
func (p page) Join(sep string, xs ...string) string { return strings.Join(xs, sep) }

type label int

func (l label) String() string { return fmt.Sprint("#", int(l)) }

func newPage() *page {
	kids := []node{{Name: "k1", N: 1}, {Name: "k&2", N: 0, Any: errText("")}}
	p := &page{
		S: `A & B <"q"> 'x' +`, URL: "/a b/c?d=e&f#g", JS: "javascript:alert(1)",
		I: 42, I8: -3, U: 7, F: 1.5, B: true,
		HTML: "<i>it</i>", Link: "javascript:ok()", Attr: `x="y"`,
		List: []node{{Name: "one", N: 1, Kids: kids, Any: 0}, {Name: "two", N: 2, Any: "s"}, {Name: "", N: 0, Any: template.HTML("<b>")}},
		None: []node{}, Strs: []string{"a", "b+c"},
		Node: node{Name: "n", N: 3, Kids: kids},
		Map:  map[string]any{"k": "v", "n": 1, "z": 0, "h": template.HTML("<u>"), "l": []int{1, 2}, "nil": nil},
		Any:  "any<", AnyHTML: template.HTML("<em>"), AnyList: []any{1, "two", nil, true},
		Err: errText(""), ErrSet: errText("set"), Stringer: label(0),
	}
	p.Ptr = &p.List[0]
	p.AnyPtr = p.Ptr
	return p
}

var fuzzFuncs = template.FuncMap{
	"upper": strings.ToUpper,
	"join":  func(sep string, xs ...string) string { return strings.Join(xs, sep) },
	"add":   func(a, b int) int { return a + b },
	"sum": func(xs ...int) int {
		n := 0
		for _, x := range xs {
			n += x
		}
		return n
	},
	"echo": func(v any) any { return v },
	"nilf": func() any { return nil },
	"pair": func(s string, v any) (string, error) {
		if s == "err" {
			return "", errors.New("pair")
		}
		return fmt.Sprint(s, v), nil
	},
	"safe":    func(s string) template.HTML { return template.HTML(s) },
	"url":     func(s string) template.URL { return template.URL(s) },
	"fail":    func() (string, error) { return "", errors.New("fails") },
	"boom":    func() string { panic("boom") },
	"i18n":    func(key any, args ...any) (string, error) { return fmt.Sprint("T:", key, len(args)), nil },
	"partial": func(name string, data ...any) (any, error) { return template.HTML("<p>" + name + "</p>"), nil },
	"tick":    func() (string, error) { return "", nil },
	"kv": func(k string, v any, more ...any) (any, error) {
		return map[string]any{k: v, "more": len(more)}, nil
	},
	"ptr": func(n *node) string { return fmt.Sprint(n != nil) },
}

// checkProgram is THE property: the program writes what html/template
// writes, or falls back.
func checkProgram(t *testing.T, src string, data any) {
	t.Helper()
	want, got, wantErr, gotErr, compileErr := run(t, src, data, fuzzFuncs)
	switch {
	case compileErr != nil:
	case gotErr != nil:
		if !errors.Is(gotErr, ErrFallback) {
			t.Errorf("%s: error %v is not ErrFallback", src, gotErr)
		}
	case wantErr != nil:
		t.Errorf("%s: template fails (%v), program wrote %q", src, wantErr, got)
	case got != want:
		t.Errorf("%s:\n got %q\nwant %q", src, got, want)
	}
}

// gen turns fuzzer bytes into a template source.
type gen struct {
	in    []byte
	out   strings.Builder
	vars  []string
	depth int
	loops int
}

func (g *gen) next() int {
	if len(g.in) == 0 {
		return 0
	}
	b := g.in[0]
	g.in = g.in[1:]
	return int(b)
}

func (g *gen) pick(xs ...string) string { return xs[g.next()%len(xs)] }

var (
	fuzzFields = []string{"S", "Empty", "URL", "JS", "I", "Zero", "I8", "U", "F", "B", "False", "HTML", "Link", "Attr",
		"List", "Nil", "None", "Strs", "Ptr", "NilPtr", "Node", "ZeroNode", "Map", "NilMap", "Any", "AnyNil", "AnyHTML",
		"AnyList", "AnyPtr", "Err", "ErrSet", "NilErr", "Stringer", "Title", "Nothing", "Name", "N", "Kids", "Next",
		"Label", "Get", "k", "n", "z", "h", "l", "nil", "Missing"}
	fuzzLits  = []string{`"s"`, `"<a&b>"`, `""`, "0", "1", "-2", "1.5", "true", "false", "nil", "'a'", "0x10", "1e3"}
	fuzzTexts = []string{"x", " ", "<p>", "</p>", "<b>", "&amp;", "<title>", "</title>", `<a href="`, `<a title="`,
		`<a href="#`, `<a href="/s?q=`, `">`, `"`, "a b"}
)

func (g *gen) variable() string {
	if len(g.vars) == 0 || g.next()%4 == 0 {
		return "$"
	}
	return g.vars[g.next()%len(g.vars)]
}

func (g *gen) fields() string {
	var b strings.Builder
	for n := 1 + g.next()%3; n > 0; n-- {
		b.WriteString("." + fuzzFields[g.next()%len(fuzzFields)])
		if g.next()%3 != 0 {
			break
		}
	}
	return b.String()
}

// operand is a value with no arguments.
func (g *gen) operand() string {
	g.depth++
	defer func() { g.depth-- }()
	switch c := g.next() % 8; {
	case c == 0:
		return "."
	case c <= 2 || g.depth > 3:
		return g.fields()
	case c == 3:
		return g.variable() + g.pick("", g.fields())
	case c == 4:
		return fuzzLits[g.next()%len(fuzzLits)]
	case c == 5:
		return "(" + g.pipeline() + ")" + g.pick("", g.fields())
	default:
		return "(" + g.command() + ")"
	}
}

// command is an operand, or a function or method with arguments.
func (g *gen) command() string {
	g.depth++
	defer func() { g.depth-- }()
	switch c := g.next() % 6; {
	case c <= 1 || g.depth > 3:
		return g.operand()
	case c == 2:
		return g.pick("and", "or", "not", "len", "eq", "ne") + g.args()
	case c == 3:
		return g.pick(".Count", ".Pick", ".Join", ".Node.Add", ".Ptr.Path", "$.Title", ".Check", ".Path", ".Add") + g.args()
	default:
		return g.pick("upper", "join", "add", "sum", "echo", "nilf", "pair", "safe", "url", "fail", "boom", "i18n",
			"partial", "tick", "kv", "ptr") + g.args()
	}
}

func (g *gen) args() string {
	var b strings.Builder
	for n := g.next() % 4; n > 0; n-- {
		b.WriteString(" " + g.operand())
	}
	return b.String()
}

func (g *gen) pipeline() string {
	var b strings.Builder
	b.WriteString(g.command())
	for g.next()%4 == 1 {
		b.WriteString(" | " + g.command())
	}
	return b.String()
}

// decl is a pipeline that may declare or assign a variable.
func (g *gen) decl() string {
	switch g.next() % 6 {
	case 0:
		v := fmt.Sprintf("$v%d", len(g.vars))
		g.vars = append(g.vars, v)
		return v + " := " + g.pipeline()
	case 1:
		if len(g.vars) > 0 {
			return g.vars[g.next()%len(g.vars)] + " = " + g.pipeline()
		}
	}
	return g.pipeline()
}

// list writes up to n items, the variables declared in it ending with it.
func (g *gen) list(n int) {
	mark := len(g.vars)
	defer func() { g.vars = g.vars[:mark] }()
	for n = g.next() % n; n > 0 && len(g.in) > 0; n-- {
		g.item()
	}
}

func (g *gen) item() {
	w := func(s ...string) {
		for _, x := range s {
			g.out.WriteString(x)
		}
	}
	if g.depth > 4 {
		w(fuzzTexts[g.next()%len(fuzzTexts)])
		return
	}
	g.depth++
	defer func() { g.depth-- }()
	switch c := g.next() % 10; c {
	case 0, 1:
		w(fuzzTexts[g.next()%len(fuzzTexts)])
	case 2, 3:
		w("{{ ", g.decl(), " }}")
	case 4, 5:
		kw := g.pick("if", "with")
		mark := len(g.vars)
		w("{{ ", kw, " ", g.decl(), " }}")
		g.list(4)
		for g.next()%3 == 1 {
			w("{{ else ", kw, " ", g.pipeline(), " }}")
			g.list(3)
		}
		if g.next()%2 == 0 {
			w("{{ else }}")
			g.list(3)
		}
		w("{{ end }}")
		g.vars = g.vars[:mark]
	case 6, 7:
		mark := len(g.vars)
		head := ""
		switch g.next() % 3 {
		case 1:
			head = fmt.Sprintf("$v%d := ", len(g.vars))
			g.vars = append(g.vars, head[:len(head)-4])
		case 2:
			head = fmt.Sprintf("$v%d, $v%d := ", len(g.vars), len(g.vars)+1)
			g.vars = append(g.vars, fmt.Sprintf("$v%d", len(g.vars)), fmt.Sprintf("$v%d", len(g.vars)+1))
		}
		w("{{ range ", head, g.pipeline(), " }}")
		g.loops++
		g.list(4)
		g.loops--
		if g.next()%2 == 0 {
			w("{{ else }}")
			g.list(3)
		}
		w("{{ end }}")
		g.vars = g.vars[:mark]
	case 8:
		if g.loops > 0 {
			w(g.pick("{{ break }}", "{{ continue }}"))
		}
	case 9:
		w(g.pick(`<a href="`, `<a title="`, `<a href="#`, `<a href="/s?q=`, `<title>`), "{{ ", g.pipeline(), " }}",
			g.pick(`">`, `">`, `">`, `">`, `</title>`))
	}
}

// fuzzSeeds are templates of the grammar above, written out; FuzzExecute
// also runs them as they are.
var fuzzSeeds = []string{
	`{{ .S }}<a href="{{ .URL }}" title="{{ .Title }}">{{ .HTML }}</a>`,
	`{{ range $i, $e := .List }}{{ $i }}:{{ $e.Name }}{{ if $e.Kids }}[{{ range .Kids }}{{ .Label }}{{ end }}]{{ end }}{{ else }}none{{ end }}`,
	`{{ range .None }}x{{ else }}empty{{ end }}{{ range .Nil }}x{{ else }}nil{{ end }}`,
	`{{ if .Err }}e{{ else if .ErrSet }}set{{ end }}{{ if .NilErr }}n{{ end }}{{ if .Stringer }}s{{ end }}`,
	`{{ with .ZeroNode }}z{{ .Name }}{{ end }}{{ if .NilMap }}m{{ end }}{{ if .Map }}M{{ end }}`,
	`{{ $x := 1 }}{{ if .B }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}{{ range .List }}{{ $x = .N }}{{ end }}{{ $x }}`,
	`{{ eq .I 42 }}{{ eq .I8 -3 }}{{ eq .U 7 }}{{ ne .S "s" }}{{ eq .HTML "<i>it</i>" }}{{ eq .Any "any<" }}`,
	`{{ and .B .I }}{{ or .Empty .Zero .S }}{{ not .Nil }}{{ len .Strs }}{{ len .Map }}`,
	`{{ .Ptr.Path "/" }}{{ .Node.Add 1 2 3 }}{{ (.Pick 1).Name }}{{ .Count 2 }}{{ $.Join "," "a" "b" }}`,
	`{{ echo .Any }}{{ nilf }}{{ pair "k" .I }}{{ .S | upper }}{{ join "-" "a" .S }}{{ sum 1 2 .I }}`,
	`<a href="{{ url .JS }}">{{ safe .S }}</a><a href="{{ .JS }}">{{ .Link }}</a><title>{{ .HTML }}</title>`,
	`{{ range .AnyList }}{{ . }}|{{ end }}{{ with .Map.h }}{{ . }}{{ end }}{{ .Map.k }}{{ .Map.missing }}`,
	`{{ range $e := .List }}{{ if not $e.N }}{{ continue }}{{ end }}{{ if eq $e.N 2 }}{{ break }}{{ end }}{{ $e.Name }}{{ end }}`,
	`{{ i18n "k" .I }}{{ partial "p" . }}{{ kv "a" .S "b" }}{{ tick }}{{ (kv "a" 1).a }}`,
	`{{ .NilPtr.Name }}`, `{{ fail }}`, `{{ boom }}`, `{{ .Check true }}{{ .Check false }}`,
	`<a href="#{{ .S }}">f</a><a href="/s?q={{ .URL }}&amp;x={{ .I }}">q</a>`,
	`{{ with $v := .Ptr }}{{ $v.Name }}{{ else with .Node }}{{ .Name }}{{ else }}no{{ end }}`,
	`{{ range .List }}{{ .Get }}{{ with .Get }}{{ . }}{{ end }}{{ end }}{{ .Nothing }}{{ if .Nothing }}t{{ end }}`,
	`{{ range .List }}A{{ range $.None }}{{ else }}E{{ break }}{{ end }}B{{ end }}`,
	`{{ $x := .S }}{{ range ($x := .Strs) }}{{ len $x }}{{ end }}{{ $x }}`,
	`{{ ptr .Ptr }}{{ ptr nil }}{{ ptr .NilPtr }}{{ .AnyPtr.Name }}{{ .Node.Label }}{{ .Node.Path "-" }}`,
}

func FuzzExecute(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), false)
	}
	for i := range 64 {
		f.Add([]byte(fmt.Sprint(i*7919, "seed", i*31)), true)
	}
	f.Fuzz(func(t *testing.T, b []byte, generated bool) {
		src := string(b)
		if generated {
			g := &gen{in: b}
			g.list(8)
			src = g.out.String()
		}
		if _, err := template.New("t").Funcs(fuzzFuncs).Parse(src); err != nil {
			t.Skip()
		}
		var data any = newPage()
		if len(b) > 0 && b[0]%2 == 1 {
			data = *newPage() // not addressable: no pointer methods
		}
		checkProgram(t, src, data)
	})
}
