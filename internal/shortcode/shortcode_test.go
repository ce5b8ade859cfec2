package shortcode

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/helpgen/helpgen/internal/diag"
)

// testNames is a name table like a real site's.
type testNames map[string]Kind

func (n testNames) Lookup(name string) (Kind, bool) { k, ok := n[name]; return k, ok }
func (n testNames) Known() []string {
	var out []string
	for k := range n {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var names = testNames{
	"enabled": Conditional, "disabled": Conditional, "enabled2": Conditional, "disabled2": Conditional,
	"service": Variable, "CorpName": Variable,
	"screen": Template, "sc/sub": Template, "warning": BlockTemplate, "box": BlockTemplate,
}

var opts = Options{Names: names, Regions: []string{"CN", "JP", "US"}}

// describe renders a tree compactly so tests can compare structure and positions.
func describe(d *Doc) string {
	var b strings.Builder
	var walk func(ns []Node)
	walk = func(ns []Node) {
		for i, n := range ns {
			if i > 0 {
				b.WriteByte(' ')
			}
			switch n := n.(type) {
			case Text:
				fmt.Fprintf(&b, "%q", d.Src[n.Start:n.End])
			case Literal:
				fmt.Fprintf(&b, "lit(%s)", n.Value)
			case *Call:
				delim := "<"
				if n.Markdown {
					delim = "%"
				}
				fmt.Fprintf(&b, "%s%s@%d", delim, n.Name, n.Pos)
				for _, a := range n.Args {
					if a.Name != "" {
						fmt.Fprintf(&b, " %s=%q", a.Name, a.Value)
					} else {
						fmt.Fprintf(&b, " %q", a.Value)
					}
				}
				if len(n.Children) > 0 {
					b.WriteString("[")
					walk(n.Children)
					b.WriteString("]")
				}
			}
		}
	}
	walk(d.Nodes)
	return b.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"plain text", "hello", `"hello"`},
		{"variable no spaces", "a{{%service%}}b", `"a" %service@1 "b"`},
		{"variable spaces", "{{% service %}}", `%service@0`},
		{"angle variable", "{{< service >}}", `<service@0`},
		{"positional bare", `{{< screen a b >}}`, `<screen@0 "a" "b"`},
		{"positional quoted with escapes", `{{< screen "a \"q\" \\ b" >}}`, `<screen@0 "a \"q\"  b"`},
		{"quoted keeps backslashes without escaped quotes", `{{< screen "a\nb\\c" >}}`, `<screen@0 "a\\nb\\\\c"`},
		{"escaped quotes around", `{{< screen src=\"a b\" >}}`, `<screen@0 src="a b"`},
		{"space after equals", "{{< screen n= 3.14 >}}", `<screen@0 n="3.14"`},
		{"sub-folder name", `{{< sc/sub >}}`, `<sc/sub@0`},
		{"raw string", "{{< screen `a \"b\" \\n` >}}", `<screen@0 "a \"b\" \\n"`},
		{"named", `{{< screen src="/x.png"  alt="ログイン画面">}}`, `<screen@0 src="/x.png" alt="ログイン画面"`},
		{"named bare and raw", "{{< screen src=/x.png alt=`a b` >}}", `<screen@0 src="/x.png" alt="a b"`},
		{"self closing", `{{< box />}}x`, `<box@0 "x"`},
		{"self closing args", `{{< box src="a" / >}}`, `<box@0 src="a"`},
		{"paired", `{{% warning %}}in{{% /warning %}}`, `%warning@0["in"]`},
		{"closing with spaces", `{{% warning %}}in{{%/warning%}}`, `%warning@0["in"]`},
		{"nested", `{{% enabled JP %}}a{{% disabled CN %}}b{{% /disabled %}}{{% /enabled %}}`, `%enabled@0 "JP"["a" %disabled@19 "CN"["b"]]`},
		{"mixed delimiters", `{{< enabled US >}}{{% warning %}}x{{% /warning %}}{{< /enabled >}}`, `<enabled@0 "US"[%warning@18["x"]]`},
		{"several regions", `{{% enabled JP US %}}x{{% /enabled %}}`, `%enabled@0 "JP" "US"["x"]`},
		{"enabled2", `{{< enabled2 JP >}}x{{< /enabled2 >}}`, `<enabled2@0 "JP"["x"]`},
		{"escaped angle", `a {{</* screen src="x" */>}} b`, `"a " lit({{< screen src="x" >}}) " b"`},
		{"escaped percent", `{{%/* enabled JP */%}}`, `lit({{% enabled JP %}})`},
		{"lone braces", `{{ not a shortcode }} {x}`, `"{{ not a shortcode }} {x}"`},
		{"multiline tag", "{{< screen\n  src=\"a\"\n  alt=\"b\" >}}", `<screen@0 src="a" alt="b"`},
		{"cjk around", "前{{%CorpName%}}後", `"前" %CorpName@3 "後"`},
		{"standalone conditional takes its lines",
			"a\n  {{% enabled JP %}}\n  b\n  {{% /enabled %}}\nc",
			`"a\n" %enabled@4 "JP"["  b\n"] "c"`},
		{"inline conditional keeps spaces",
			"a {{% enabled JP %}}b{{% /enabled %}} c",
			`"a " %enabled@2 "JP"["b"] " c"`},
		{"standalone at end of file", "x\n{{% enabled JP %}}\ny\n{{% /enabled %}}", `"x\n" %enabled@2 "JP"["y\n"]`},
		{"template tags are not standalone", "a\n{{% warning %}}\nb\n{{% /warning %}}\n", `"a\n" %warning@2["\nb\n"] "\n"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("t.md", []byte(tt.src), 0, opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := describe(d); got != tt.want {
				t.Errorf("\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

// TestParseNestingLimit: block shortcodes may nest MaxTemplateDepth deep,
// and conditionals and leaf templates do not count, however deep.
func TestParseNestingLimit(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("{{% box %}}", MaxTemplateDepth) + "{{< screen >}}" + strings.Repeat("{{% /box %}}", MaxTemplateDepth),
		strings.Repeat("{{% enabled JP %}}{{% box %}}", MaxTemplateDepth) + strings.Repeat("{{% /box %}}{{% /enabled %}}", MaxTemplateDepth),
		strings.Repeat("{{% enabled JP %}}", 2000) + strings.Repeat("{{% /enabled %}}", 2000),
	} {
		if _, err := Parse("p.md", []byte(src), 0, opts); err != nil {
			t.Errorf("%.60s…: %v", src, err)
		}
	}
}

func TestParseStartOffset(t *testing.T) {
	src := "---\ntitle: x\n---\nbody {{%service%}}"
	d, err := Parse("t.md", []byte(src), 16, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := describe(d), `"\nbody " %service@22`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestParseErrors has one case per error kind, with its message and position.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		msg, hint string
	}{
		{"unknown region", "x\n\n    {{% enabled JPN %}}a{{% /enabled %}}", 3, 17, `unknown region "JPN" in enabled (known: CN, JP, US)`, "use one of the codes"},
		{"lowercase region", "{{% enabled jp %}}a{{% /enabled %}}", 1, 13, `unknown region "jp" in enabled`, "write JP"},
		{"conditional without region", "{{% enabled %}}a{{% /enabled %}}", 1, 1, `enabled needs one or more region codes`, "e.g."},
		{"unclosed", "a\n{{% enabled JP %}}\nb\n", 2, 1, `{{% enabled %}} is never closed`, "add {{% /enabled %}}"},
		{"unclosed nested", "{{% enabled JP %}}{{% warning %}}x{{% /enabled %}}", 1, 35, `closing tag {{% /enabled %}} does not match the open {{% warning %}}`, "opened at 1:19"},
		{"stray closing", "text\n{{% /enabled %}}", 2, 1, `stray closing tag {{% /enabled %}} has no opening tag`, "remove it"},
		{"closing a leaf", "{{< screen >}}x{{< /screen >}}", 1, 16, `stray closing tag {{< /screen >}}`, "takes no inner content"},
		{"unknown shortcode", "a\nb {{< scren src=\"x\" >}}", 2, 3, `unknown shortcode "scren"`, "shortcodes/scren.html"},
		{"case of a name", "{{% Service %}}", 1, 1, `unknown shortcode "Service"`, `did you mean "service"`},
		{"unterminated tag", "a {{< screen src=\"x\"", 1, 3, `shortcode {{< is never closed with >}}`, "end the tag with >}}"},
		{"unterminated quote", "{{< screen \"abc >}}", 1, 12, `quoted argument is never closed`, `add the closing "`},
		{"wrong right delimiter", "{{% service >}}", 1, 13, `shortcode opened with {{% must close with %}}, not >}}`, "same delimiter on both sides"},
		{"missing name", "{{< >}}", 1, 5, `expected a shortcode name after {{<`, "to show {{< as text"},
		{"mixed args", `{{< screen a src="x" >}}`, 1, 14, `cannot mix positional and named arguments`, "use either"},
		{"closing with args", `{{% warning %}}x{{% /warning JP %}}`, 1, 30, `takes no arguments`, "remove the arguments"},
		{"unclosed escape", `{{</* screen >}}`, 1, 1, `escaped shortcode {{</* is never closed`, "end it with */>}}"},
		{"self-closing leaf", `{{< screen src="a" />}}`, 1, 1, `shortcode "screen" takes no inner content, so it cannot be self-closing`, `write {{< screen >}} without the /`},
		{"slash before a word", `{{< box / keyword>}}`, 1, 9, `unexpected "/" in shortcode`, "quote an argument that contains /"},
		{"backslash before a raw string", "{{< screen a=\\`x\\` >}}", 1, 14, `unrecognized escape character`, "quote the argument"},
		{"newline in quotes", "{{< screen \"a\nb\" >}}", 1, 12, `quoted argument is never closed with " on its line`, `add the closing "`},
		{"unquoted character", "{{< screen a:b >}}", 1, 13, `unrecognized character ':' in shortcode`, "quote an argument"},
		{"period in a name", "{{< my.sc >}}", 1, 7, `a period is not allowed in the shortcode name "my.sc"`, "letters, digits"},
		{"named without value", `{{< screen src= >}}`, 1, 15, `named argument "src" has no value`, `write src="value"`},
		{"variable with an argument", "a {{% service extra %}}", 1, 15, `region variable "service" takes no arguments`, "write {{% service %}}"},
		{"variable with a named argument", `{{< service x="1" >}}`, 1, 13, `region variable "service" takes no arguments`, "write {{< service >}}"},
		{"closing delimiter differs", "{{< enabled JP >}}\nx\n{{% /enabled %}}", 3, 1, `closing tag {{% /enabled %}} does not match the delimiters of its opening tag {{< enabled >}}`, "write {{< /enabled >}}"},
		{"closing delimiter differs, block", "{{% warning %}}x{{< /warning >}}", 1, 17, `does not match the delimiters`, "(1:1)"},
		{"block shortcodes nested too deep", strings.Repeat("{{% box %}}\n", MaxTemplateDepth+5) + strings.Repeat("{{% /box %}}\n", MaxTemplateDepth+5),
			MaxTemplateDepth + 1, 1, fmt.Sprintf("{{%% box %%}} is nested %d deep", MaxTemplateDepth+1), "at most 16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("page.md", []byte(tt.src), 0, opts)
			if err == nil {
				t.Fatal("no error")
			}
			l := diag.Flatten(err)
			e := l[0]
			if e.File != "page.md" || e.Line != tt.line || e.Col != tt.col {
				t.Errorf("position %s:%d:%d, want page.md:%d:%d (%s)", e.File, e.Line, e.Col, tt.line, tt.col, e.Msg)
			}
			if !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", e.Msg, tt.msg)
			}
			if !strings.Contains(e.Hint, tt.hint) {
				t.Errorf("hint %q does not contain %q", e.Hint, tt.hint)
			}
			if !strings.Contains(e.Detail(), "^") {
				t.Errorf("detail has no caret: %s", e.Detail())
			}
		})
	}
}

// TestParseCollectsAllErrors: one broken tag does not hide the problems
// before and after it, on its line or on later ones, and its partner tag
// adds no second error.
func TestParseCollectsAllErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // positions and messages, in order
	}{
		{"three kinds", "{{% enabled XX %}}a{{% /enabled %}}\n{{< nope >}}\n{{% enabled YY %}}b{{% /enabled %}}",
			[]string{`1:13: unknown region "XX"`, `2:1: unknown shortcode "nope"`, `3:13: unknown region "YY"`}},
		{"after a broken quote on the same line", "{{% nope %}} {{< screen src=\"a >}} {{% enabled YY %}}b{{% /enabled %}}",
			[]string{`1:1: unknown shortcode "nope"`, `1:29: quoted argument is never closed`, `1:48: unknown region "YY"`}},
		{"an unterminated tag swallows no later line", "{{% enabled JP\nx\n{{% enabled ZZ %}}b{{% /enabled %}}",
			[]string{`1:1: shortcode {{% is never closed`, `3:13: unknown region "ZZ"`}},
		{"broken opening tag: its closing tag is not stray too", "{{% warning \"x %}}\ninner\n{{% /warning %}}\n{{% nope %}}",
			[]string{`1:13: quoted argument is never closed`, `4:1: unknown shortcode "nope"`}},
		{"only a broken tag's own partner is excused", "{{% warning \"x %}}\ninner\n{{% /warning %}}\n{{% warning %}}\nnever closed\n",
			[]string{`1:13: quoted argument is never closed`, `4:1: {{% warning %}} is never closed`}},
		{"nesting too deep is said once", strings.Repeat("{{% box %}}", 40) + strings.Repeat("{{% /box %}}", 40),
			[]string{fmt.Sprintf("1:%d: {{%% box %%}} is nested %d deep", 11*MaxTemplateDepth+1, MaxTemplateDepth+1)}},
		{"Hugo's refusals, each said and passed", "{{< screen a:b >}} {{< box / k >}}x{{< /box >}}\n{{< screen \"a\nb\" >}}\n{{< screen \\`x\\` >}} {{< screen />}} {{< nope >}}",
			[]string{`1:13: unrecognized character ':'`, `1:28: unexpected "/"`, `2:12: quoted argument is never closed`,
				"4:12: unrecognized escape character \\`", `4:22: shortcode "screen" takes no inner content`, `4:38: unknown shortcode "nope"`}},
		{"broken closing tag: its opening tag is not unclosed too", "{{% warning %}}\ninner\n{{% /warning = %}}\n{{% nope %}}",
			[]string{`3:14: unexpected "="`, `4:1: unknown shortcode "nope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.md", []byte(tt.src), 0, opts)
			l := diag.Flatten(err)
			var got []string
			for _, e := range l {
				got = append(got, fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("error %d: got %q, want %q…", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func eval(t *testing.T, src, region string) string {
	t.Helper()
	d, err := Parse("t.md", []byte(src), 0, opts)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	vars := map[string]map[string]string{
		"JP": {"service": "cybozu.com", "CorpName": "サイボウズ"},
		"US": {"service": "Kintone", "CorpName": "Kintone Corporation"},
		"CN": {"service": "cybozu.cn", "CorpName": "Cybozu"},
	}
	var table []string
	env := &Env{
		Region: region, Vars: vars[region],
		Exec: func(c *Call, inner []byte) (string, error) {
			src, _ := c.Get("src")
			if c.Name == "screen" {
				return `<img src="` + src + `">`, nil
			}
			return "<aside>\n" + string(Deindent(inner)) + "\n</aside>", nil
		},
		Protect: func(h string) string { table = append(table, h); return fmt.Sprintf("[P%d:%s]", len(table)-1, h) },
	}
	res, err := d.Eval("t.md", env)
	if err != nil {
		t.Fatalf("Eval: %v", err)
	}
	return string(res.Markdown)
}

func TestEval(t *testing.T) {
	tests := []struct {
		name, src  string
		jp, us, cn string
	}{
		{"variable", "{{%service%}}のヘルプ", "cybozu.comのヘルプ", "Kintoneのヘルプ", "cybozu.cnのヘルプ"},
		{"inline enabled", "a {{% enabled JP %}}jp{{% /enabled %}} b", "a jp b", "a  b", "a  b"},
		{"inline disabled", "a{{% disabled CN %}}x{{% /disabled %}}b", "axb", "axb", "ab"},
		{"several codes", "{{% enabled JP US %}}x{{% /enabled %}}", "x", "x", ""},
		{"angle delimiters behave the same", "{{< enabled US >}}x{{< /enabled >}}", "", "x", ""},
		{"enabled2 and disabled2", "{{< enabled2 US >}}u{{< /enabled2 >}}{{< disabled2 US >}}o{{< /disabled2 >}}", "o", "u", "o"},
		{"nested", "{{% disabled CN %}}A{{% enabled JP %}}B{{% /enabled %}}C{{% /disabled %}}", "ABC", "AC", ""},
		{"block lines removed",
			"para\n\n{{% enabled JP %}}\njp only\n{{% /enabled %}}\n\nend\n",
			"para\n\njp only\n\nend\n", "para\n\n\nend\n", "para\n\n\nend\n"},
		{"conditional inside indented list item",
			"1. step\n\n    {{% enabled JP %}}\n    * jp item\n    {{% /enabled %}}\n    * common\n",
			"1. step\n\n    * jp item\n    * common\n", "1. step\n\n    * common\n", "1. step\n\n    * common\n"},
		{"two tags alone on one line take it",
			"1. step\n    {{% disabled CN %}}{{% enabled JP %}}\n    * jp item\n    {{% /enabled %}} {{% /disabled %}}\n    * common\n",
			"1. step\n    * jp item\n    * common\n", "1. step\n    * common\n", "1. step\n    * common\n"},
		{"a tag beside text keeps its line",
			"a\n{{% enabled JP %}}x {{% enabled US %}}\ny{{% /enabled %}}{{% /enabled %}}\n",
			"a\nx \n", "a\n\n", "a\n\n"},
		{"in a table cell", "| a | b |\n|---|---|\n| {{%service%}} | {{% enabled US %}}us{{% /enabled %}} |\n",
			"| a | b |\n|---|---|\n| cybozu.com |  |\n", "| a | b |\n|---|---|\n| Kintone | us |\n", "| a | b |\n|---|---|\n| cybozu.cn |  |\n"},
		{"in a heading", "## 方法3 {{%CorpName%}}に問い合わせ {#x}", "## 方法3 サイボウズに問い合わせ {#x}", "## 方法3 Kintone Corporationに問い合わせ {#x}", "## 方法3 Cybozuに問い合わせ {#x}"},
		{"escaped stays literal", "{{%/* service */%}}", "{{% service %}}", "{{% service %}}", "{{% service %}}"},
		{"angle template is protected", `a {{< screen src="/x.png" >}}`, `a [P0:<img src="/x.png">]`, `a [P0:<img src="/x.png">]`, `a [P0:<img src="/x.png">]`},
		{"markdown template output is indented like its line",
			"* item\n  {{% box %}}\n  text\n  {{% /box %}}\n",
			"* item\n  <aside>\n  text\n  </aside>\n", "* item\n  <aside>\n  text\n  </aside>\n", "* item\n  <aside>\n  text\n  </aside>\n"},
		{"conditional inside a block template",
			"{{% box %}}\n{{% enabled US %}}\nus\n{{% /enabled %}}\nall\n{{% /box %}}",
			"<aside>\nall\n</aside>", "<aside>\nus\nall\n</aside>", "<aside>\nall\n</aside>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for region, want := range map[string]string{"JP": tt.jp, "US": tt.us, "CN": tt.cn} {
				if got := eval(t, tt.src, region); got != want {
					t.Errorf("%s:\n got: %q\nwant: %q", region, got, want)
				}
			}
		})
	}
}

func TestEvalSourceMap(t *testing.T) {
	src := "ab{{% enabled JP %}}cd{{% /enabled %}}ef"
	d, err := Parse("t.md", []byte(src), 0, opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Eval("t.md", &Env{Region: "JP"})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Markdown) != "abcdef" {
		t.Fatalf("got %q", res.Markdown)
	}
	for out, want := range map[int]int{0: 0, 1: 1, 2: 20, 3: 21, 4: 38, 5: 39} {
		if got := res.SourceOffset(out); got != want {
			t.Errorf("SourceOffset(%d) = %d, want %d", out, got, want)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	d, err := Parse("t.md", []byte("x\n{{% box %}}y{{% /box %}}"), 0, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Eval("t.md", &Env{Region: "JP"})
	e := diag.Flatten(err)
	if len(e) != 1 || e[0].Line != 2 || e[0].Col != 1 || !strings.Contains(e[0].Msg, `shortcode "box" cannot be used here`) {
		t.Errorf("got %v", err)
	}
	d, _ = Parse("t.md", []byte("{{%service%}}"), 0, opts)
	_, err = d.Eval("t.md", &Env{Region: "JP", Vars: map[string]string{}})
	if e := diag.Flatten(err); len(e) != 1 || !strings.Contains(e[0].Msg, `variable "service" has no value in region JP`) || e[0].Regions[0] != "JP" {
		t.Errorf("got %v", err)
	}
}

func TestDeindent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\n    a\n      b\n    c\n  ", "a\n  b\nc"},
		{"a\nb", "a\nb"},
		{"\n\n  x\n\n  y\n", "x\n\ny"},
	}
	for _, tt := range tests {
		if got := string(Deindent([]byte(tt.in))); got != tt.want {
			t.Errorf("Deindent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
