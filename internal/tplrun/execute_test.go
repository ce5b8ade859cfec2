package tplrun

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"slices"
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
	Arr               [2]node
	Sizes             sizes
}

// sizes is a map with a method.
type sizes map[string]int

func (s sizes) Size() int { return len(s) }

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
	p.Arr = [2]node{{Name: "a0"}, {Name: "a1", N: 1}}
	p.Sizes = sizes{"one": 1}
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
			checkError(t, src, gotErr, wantErr)
		}
	case wantErr != nil:
		t.Errorf("%s: template fails (%v), program wrote %q", src, wantErr, got)
	case got != want:
		t.Errorf("%s:\n got %q\nwant %q", src, got, want)
	}
}

// gen turns fuzzer bytes into a template source. It mostly writes what
// runs on the data (fields dot has, arguments functions take), so that
// most templates run to the end, and sometimes what does not.
type gen struct {
	in    []byte
	out   strings.Builder
	vars  []string
	dot   string // "page", "node" or "" (anything else)
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

// operands of each type, by what dot is; "$." ones hold anywhere.
var fuzzOperands = map[string]map[string][]string{
	"page": {
		"str":  {".S", ".Empty", ".URL", ".JS", ".Title", ".Node.Name", ".Ptr.Name", ".Node.Label", ".Err.Error", ".ErrSet.Error", ".Stringer.String"},
		"int":  {".I", ".Zero", ".Node.N", "(.Count 1)", ".Sizes.Size", ".Sizes.one"},
		"list": {".List", ".Nil", ".None", ".Strs", ".AnyList", ".Map.l", ".Node.Kids", ".Map.missing", ".NilMap", ".Arr"},
		"any": {".I8", ".U", ".Map.n", ".Map.z", ".Map.k", ".HTML", ".Link", ".Attr", ".List", ".Nil", ".None", ".Strs", ".Ptr", ".NilPtr", ".Node", ".ZeroNode",
			".Map", ".NilMap", ".Any", ".AnyNil", ".AnyHTML", ".AnyList", ".AnyPtr", ".Err", ".ErrSet", ".NilErr",
			".Stringer", ".Nothing", ".Map.h", ".Map.l", ".Map.nil", ".Map.missing", ".B", ".False", ".F", ".Node.Any",
			".Node.Get", "(.Pick 1)", ".AnyPtr.Name", ".NilPtr.Name", ".Missing", ".NilErr.Error", ".Arr", ".Sizes"},
	},
	"node": {
		"str":  {".Name", ".Label", `(.Check true)`},
		"int":  {".N", `(.Add 1)`},
		"list": {".Kids"},
		"any":  {".Kids", ".Next", ".Any", ".Get", ".Next.Name", ".Kids.Name"},
	},
	"": {
		"str":  {`"s"`, `"<a&b>"`, `""`, "$.S", "$.URL", "$.Node.Name"},
		"int":  {"0", "1", "-2", "'a'", "0x10", "$.I", "$.Zero"},
		"list": {"$.List", "$.Strs", "$.None", "$.AnyList"},
		"any": {"$.U", ".", "$", "true", "false", "1.5", "$.List", "$.HTML", "$.Any", "$.Err", "$.Map.k", "$.AnyList",
			"$.NilPtr", "$.Ptr"},
	},
}

// operand is a value of type typ ("str", "int" or "any").
func (g *gen) operand(typ string) string {
	g.depth++
	defer func() { g.depth-- }()
	switch c := g.next() % 16; {
	case c < 7:
		if ops := fuzzOperands[g.dot][typ]; len(ops) > 0 {
			return ops[g.next()%len(ops)]
		}
		fallthrough
	case c < 11:
		return fuzzOperands[""][typ][g.next()%len(fuzzOperands[""][typ])]
	case c < 13 && len(g.vars) > 0 && (typ == "any" || c == 12):
		return g.vars[g.next()%len(g.vars)]
	case c < 15 && g.depth < 4:
		return "(" + g.pipeline(typ) + ")"
	}
	typ = g.pick("str", "int", "any")
	return fuzzOperands[""][typ][g.next()%len(fuzzOperands[""][typ])]
}

// call is a function or method taking args, or the value piped into it
// as its last when piped.
func (g *gen) call(piped bool) string {
	o := g.operand
	last := func(typ string) string {
		if piped {
			return ""
		}
		return " " + o(typ)
	}
	switch g.next() % 20 {
	case 0:
		return "upper" + last("str")
	case 1:
		return `join "-" ` + o("str") + last("str")
	case 2:
		return "add " + o("int") + last("int")
	case 3:
		return "sum " + o("int") + last("int")
	case 4:
		return "echo" + last("any")
	case 5:
		return g.pick(`pair "a"`, `pair "a"`, `pair "err"`) + last("any")
	case 6:
		return g.pick("safe", "url") + last("str")
	case 7:
		return `i18n "k" ` + o("any") + last("any")
	case 8:
		return `partial "p"` + last("any")
	case 9:
		return `kv "k" ` + o("any") + last("any")
	case 10:
		if piped {
			return "ptr"
		}
		return "ptr " + g.pick("$.Ptr", "$.NilPtr", "nil", "$.AnyPtr", "$.Node")
	case 11:
		return "not" + last("any")
	case 12:
		return "len" + last(g.pick("list", "str"))
	case 13:
		typ := g.pick("str", "int", "any")
		return g.pick("eq ", "ne ") + o(typ) + last(typ)
	case 14, 15:
		return g.pick("and ", "or ") + o("any") + last("any")
	case 16:
		return "$.Join " + o("str") + last("str")
	case 17:
		return "$.Node.Add " + o("int") + last("int")
	case 18:
		return g.pick("$.Ptr.Path", "$.Count", "$.Pick", ".Check", ".Add", ".Path") + last(g.pick("str", "int", "any"))
	}
	return g.pick("nilf", "tick", "fail", "boom", "$.Nothing", "$.Title") // take nothing
}

// pipeline is a value of type typ: an operand or a call, maybe piped on.
func (g *gen) pipeline(typ string) string {
	var b strings.Builder
	if typ == "list" && g.next()%3 != 0 {
		return g.operand("list")
	}
	if typ == "any" && g.next()%3 == 0 && g.depth < 4 {
		g.depth++
		b.WriteString(g.call(false))
		g.depth--
	} else {
		b.WriteString(g.operand(typ))
	}
	for g.next()%5 == 1 && g.depth < 4 {
		g.depth++
		switch typ {
		case "str":
			b.WriteString(" | upper")
		case "int":
			b.WriteString(" | add 1")
		default:
			b.WriteString(" | " + g.call(true))
		}
		g.depth--
	}
	return b.String()
}

// decl is a pipeline that may declare or assign a variable.
func (g *gen) decl() string {
	typ := g.pick("str", "int", "any", "any")
	switch g.next() % 6 {
	case 0:
		v := fmt.Sprintf("$v%d", len(g.vars))
		p := g.pipeline(typ)
		g.vars = append(g.vars, v)
		return v + " := " + p
	case 1:
		if len(g.vars) > 0 {
			return g.vars[g.next()%len(g.vars)] + " = " + g.pipeline(typ)
		}
	}
	return g.pipeline(typ)
}

// list writes up to n items, the variables declared in it ending with it.
func (g *gen) list(n int) {
	mark := len(g.vars)
	defer func() { g.vars = g.vars[:mark] }()
	for n = g.next() % n; n > 0 && len(g.in) > 0; n-- {
		g.item()
	}
}

// dotOf is what dot becomes in a with or range over pipeline p.
func dotOf(p string, rng bool) string {
	switch {
	case rng && slices.Contains([]string{".List", ".None", ".Nil", ".Kids", "$.List", ".Node.Kids", ".Arr"}, p):
		return "node"
	case !rng && slices.Contains([]string{".Node", ".Ptr", ".ZeroNode", ".AnyPtr", "(.Pick 1)", ".Next", "$.Ptr"}, p):
		return "node"
	}
	return ""
}

// block writes the body of a with or range whose dot is dot.
func (g *gen) block(dot string, n int) {
	saved := g.dot
	g.dot = dot
	g.list(n)
	g.dot = saved
}

func (g *gen) item() {
	w := func(s ...string) {
		for _, x := range s {
			g.out.WriteString(x)
		}
	}
	if g.depth > 4 {
		w(g.pick("x", " "))
		return
	}
	g.depth++
	defer func() { g.depth-- }()
	switch g.next() % 12 {
	case 0, 1:
		w(g.pick("x", " ", "<p>", "</p>", "<br>", "&amp;", "a+b", "<b>", "</b>"))
	case 2, 3, 4:
		w("{{ ", g.decl(), " }}")
	case 5, 6:
		kw := g.pick("if", "with", "if")
		mark := len(g.vars)
		d := g.decl()
		w("{{ ", kw, " ", d, " }}")
		if kw == "with" {
			_, p, _ := strings.Cut(d, ":= ")
			g.block(dotOf(cmp.Or(p, d), false), 4)
		} else {
			g.list(4)
		}
		for g.next()%3 == 1 {
			p := g.pipeline("any")
			w("{{ else ", kw, " ", p, " }}")
			if kw == "with" {
				g.block(dotOf(p, false), 3)
			} else {
				g.list(3)
			}
		}
		if g.next()%2 == 0 {
			w("{{ else }}")
			g.list(3)
		}
		w("{{ end }}")
		g.vars = g.vars[:mark]
	case 7, 8:
		mark := len(g.vars)
		p := g.pipeline("list")
		head := ""
		switch g.next() % 3 {
		case 1:
			head = fmt.Sprintf("$v%d := ", len(g.vars))
			g.vars = append(g.vars, head[:len(head)-4])
		case 2:
			head = fmt.Sprintf("$v%d, $v%d := ", len(g.vars), len(g.vars)+1)
			g.vars = append(g.vars, fmt.Sprintf("$v%d", len(g.vars)), fmt.Sprintf("$v%d", len(g.vars)+1))
		}
		w("{{ range ", head, p, " }}")
		g.loops++
		g.block(dotOf(p, true), 4)
		g.loops--
		if g.next()%2 == 0 {
			w("{{ else }}")
			g.list(3)
		}
		w("{{ end }}")
		g.vars = g.vars[:mark]
	case 9:
		if g.loops > 0 {
			w(g.pick("{{ break }}", "{{ continue }}"))
		}
	case 10, 11:
		open, end := g.pick(`<a href="`, `<a title="`, `<a href="#`, `<a href="/s?q=`, `<title>`), `">`
		if open == "<title>" {
			end = "</title>"
		}
		w(open)
		if g.next()%4 == 0 {
			w("{{ if ", g.pipeline("any"), " }}{{ ", g.pipeline("str"), " }}{{ else }}x{{ ", g.pipeline("any"), " }}{{ end }}")
		} else {
			w("{{ ", g.pipeline(g.pick("str", "int", "any")), " }}")
		}
		w(end)
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
