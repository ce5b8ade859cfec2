package shortcode

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/helpgen/helpgen/internal/diag"
)

// hugoNames is a site with the shortcodes of Hugo's lexer tests: sc1, sc2,
// sc3, sc/sub and another, of which those named in inner use .Inner.
type hugoNames struct{ inner []string }

func (n hugoNames) Lookup(name string) (Kind, bool) {
	if !slices.Contains(n.Known(), name) {
		return 0, false
	}
	if slices.Contains(n.inner, name) {
		return BlockTemplate, true
	}
	return Template, true
}

func (hugoNames) Known() []string { return []string{"another", "sc/sub", "sc1", "sc2", "sc3"} }

// hugoCalls describes the calls of d in document order, each with its
// arguments as name=value:type, the type being what a template's .Get sees.
func hugoCalls(d *Doc) string {
	var out []string
	var walk func([]Node)
	walk = func(ns []Node) {
		for _, n := range ns {
			c, ok := n.(*Call)
			if !ok {
				continue
			}
			s := c.Name
			for _, a := range c.Args {
				s += " "
				if a.Name != "" {
					s += a.Name + "="
				}
				s += fmt.Sprintf("%v:%T", a.Typed(), a.Typed())
			}
			out = append(out, "("+s+")")
			walk(c.Children)
		}
	}
	walk(d.Nodes)
	return strings.Join(out, " ")
}

const bq = "`"

// TestHugoLexerCases runs every case of Hugo's shortcode lexer tests
// (parser/pageparser/pageparser_shortcode_test.go) through Parse. hugo is
// what Hugo makes of the input: "error" when it rejects it, else its calls
// with Hugo's names and typed params. The site's shortcodes that use .Inner
// are those the input closes, and those of inner. A case where helpgen
// deliberately differs gives its own result in helpgen and the reason in
// differs (also listed in the README, "Shortcode syntax, as in Hugo").
func TestHugoLexerCases(t *testing.T) {
	tests := []struct {
		name, src string
		inner     string // shortcodes using .Inner besides those closed in src
		hugo      string
		helpgen   string // when differs is set
		differs   string
		why       string // in helpgen's error (message and hint) when it refuses the input
	}{
		{name: "empty", src: ``, hugo: ``},
		{name: "spaces", src: " \t\n", hugo: ``},
		{name: "text", src: `to be or not`, hugo: ``},
		{name: "no markup", src: `{{< sc1 >}}`, hugo: `(sc1)`},
		{name: "with EOL", src: "{{< sc1 \n >}}", hugo: `(sc1)`},
		{name: "forward slash inside name", src: `{{< sc/sub >}}`, hugo: `(sc/sub)`},
		{name: "simple with markup", src: `{{% sc1 %}}`, hugo: `(sc1)`},
		{name: "with spaces", src: `{{<     sc1     >}}`, hugo: `(sc1)`},
		{name: "indented on new line", src: "Hello\n    {{% sc1 %}}", hugo: `(sc1)`},
		{name: "indented on new line tab", src: "Hello\n\t{{% sc1 %}}", hugo: `(sc1)`},
		{name: "indented on first line", src: "    {{% sc1 %}}", hugo: `(sc1)`},
		{name: "mismatched rightDelim", src: `{{< sc1 %}}`, hugo: `error`, why: "must close with >}}"},
		{name: "inner, markup", src: `{{% sc1 %}} inner {{% /sc1 %}}`, hugo: `(sc1)`},
		{name: "close, but no open", src: `{{< /sc1 >}}`, hugo: `error`, why: "stray closing tag {{< /sc1 >}}"},
		{name: "close wrong", src: `{{< sc1 >}}{{< /another >}}`, hugo: `error`, why: "stray closing tag {{< /another >}}"},
		{name: "close, but no open, more", src: `{{< sc1 >}}{{< /sc1 >}}{{< /another >}}`, hugo: `error`, why: "stray closing tag {{< /another >}}"},
		{name: "close with extra keyword", src: `{{< sc1 >}}{{< /sc1 keyword>}}`, hugo: `error`, why: "takes no arguments"},
		{name: "float param, positional", src: `{{< sc1 3.14 >}}`, hugo: `(sc1 3.14:float64)`},
		{name: "float param, named", src: `{{< sc1 param1=3.14 >}}`, hugo: `(sc1 param1=3.14:float64)`},
		{name: "named param, raw string", src: `{{< sc1 param1=` + bq + `Hello World` + bq + ` >}}`, hugo: `(sc1 param1=Hello World:string)`},
		{name: "float param, named, space before", src: `{{< sc1 param1= 3.14 >}}`, hugo: `(sc1 param1=3.14:float64)`},
		{name: "Youtube id", src: `{{< sc1 -ziL-Q_456igdO-4 >}}`, hugo: `(sc1 -ziL-Q_456igdO-4:string)`},
		{name: "non-alphanumerics param quoted", src: `{{< sc1 "-ziL-.%QigdO-4" >}}`, hugo: `(sc1 -ziL-.%QigdO-4:string)`},
		{name: "raw string", src: `{{< sc1` + bq + `Hello World` + bq + ` >}}`, hugo: `(sc1 Hello World:string)`},
		{name: "raw string with newline", src: `{{< sc1` + bq + "Hello \n\tWorld" + bq + ` >}}`, hugo: "(sc1 Hello \n\tWorld:string)"},
		{name: "raw string with escape character", src: `{{< sc1` + bq + `Hello \b World` + bq + ` >}}`, hugo: `(sc1 Hello \b World:string)`},
		{name: "two params", src: `{{< sc1 param1   param2 >}}`, hugo: `(sc1 param1:string param2:string)`},
		{name: "self-closing", src: `{{< sc1 />}}`, inner: "sc1", hugo: `(sc1)`},
		{name: "self-closing, no .Inner", src: `{{< sc1 />}}`, hugo: `error`, why: "cannot be self-closing"},
		{name: "multiple self-closing", src: `{{< sc1 />}}{{< sc1 />}}`, inner: "sc1", hugo: `(sc1) (sc1)`},
		{name: "self-closing with param", src: `{{< sc1 param1 />}}`, inner: "sc1", hugo: `(sc1 param1:string)`},
		{name: "self-closing with extra keyword", src: `{{< sc1 / keyword>}}`, inner: "sc1", hugo: `error`, why: "unexpected \"/\""},
		{name: "multiple self-closing with param", src: `{{< sc1 param1 />}}{{< sc1 param1 />}}`, inner: "sc1", hugo: `(sc1 param1:string) (sc1 param1:string)`},
		{name: "multiple different self-closing with param", src: `{{< sc1 param1 />}}{{< sc2 param1 />}}`, inner: "sc1 sc2", hugo: `(sc1 param1:string) (sc2 param1:string)`},
		{name: "nested simple", src: `{{< sc1 >}}{{< sc2 >}}{{< /sc1 >}}`, hugo: `(sc1) (sc2)`},
		{name: "nested same", src: `{{< sc1 >}}{{< sc1 >}}{{< /sc1 >}}{{< /sc1 >}}`, hugo: `(sc1) (sc1)`},
		{name: "nested complex", src: `{{< sc1 >}}ab{{% sc2 param1 %}}cd{{< sc3 >}}ef{{< /sc3 >}}gh{{% /sc2 %}}ij{{< /sc1 >}}kl`, hugo: `(sc1) (sc2 param1:string) (sc3)`},
		{name: "two quoted params", src: `{{< sc1 "param nr. 1" "param nr. 2" >}}`, hugo: `(sc1 param nr. 1:string param nr. 2:string)`},
		{name: "two named params", src: `{{< sc1 param1="Hello World" param2="p2Val">}}`, hugo: `(sc1 param1=Hello World:string param2=p2Val:string)`},
		{name: "escaped quotes", src: `{{< sc1 param1=\"Hello World\"  >}}`, hugo: `(sc1 param1=Hello World:string)`},
		{name: "escaped quotes, positional param", src: `{{< sc1 \"param1\"  >}}`, hugo: `(sc1 param1:string)`},
		{name: "escaped quotes inside escaped quotes", src: `{{< sc1 param1=\"Hello \"escaped\" World\"  >}}`, hugo: `error`, why: "cannot mix positional and named"},
		{name: "escaped quotes inside nonescaped quotes", src: `{{< sc1 param1="Hello \"escaped\" World"  >}}`, hugo: `(sc1 param1=Hello "escaped" World:string)`},
		{name: "escaped quotes inside nonescaped quotes in positional param", src: `{{< sc1 "Hello \"escaped\" World"  >}}`, hugo: `(sc1 Hello "escaped" World:string)`},
		{name: "escaped raw string, named param", src: `{{< sc1 param1=\` + bq + `Hello World\` + bq + ` >}}`, hugo: `error`, why: "unrecognized escape character \\`"},
		{name: "escaped raw string, positional param", src: `{{< sc1 param1 \` + bq + `Hello World\` + bq + ` >}}`, hugo: `error`, why: "unrecognized escape character \\`"},
		{name: "two raw string params", src: `{{< sc1` + bq + `Hello World` + bq + bq + `Second Param` + bq + ` >}}`, hugo: `(sc1 Hello World:string Second Param:string)`},
		{name: "unterminated quote", src: `{{< sc1 param2="Hello World>}}`, hugo: `error`, why: "quoted argument is never closed"},
		{name: "unterminated raw string", src: `{{< sc1` + bq + `Hello World >}}`, hugo: `error`, why: "raw argument is never closed"},
		{name: "unterminated raw string in second argument", src: `{{< sc1` + bq + `Hello World` + bq + bq + `Second Param >}}`, hugo: `error`, why: "raw argument is never closed"},
		{name: "one named param, one not", src: `{{< sc1 param1="Hello World" p2 >}}`, hugo: `error`, why: "cannot mix positional and named"},
		{name: "one named param, one quoted positional param, both raw strings", src: `{{< sc1 param1=` + bq + `Hello World` + bq + bq + `Second Param` + bq + ` >}}`, hugo: `error`, why: "cannot mix positional and named"},
		{name: "one named param, one quoted positional param", src: `{{< sc1 param1="Hello World" "And Universe" >}}`, hugo: `error`, why: "cannot mix positional and named"},
		{name: "one quoted positional param, one named param", src: `{{< sc1 "param1" param2="And Universe" >}}`, hugo: `error`, why: "cannot mix positional and named"},
		{name: "ono positional param, one not", src: `{{< sc1 param1 param2="Hello World">}}`, hugo: `error`, why: "cannot mix positional and named"},
		{name: "commented out", src: `{{</* sc1 */>}}`, hugo: ``},
		{name: "commented out, with asterisk inside", src: `{{</* sc1 "**/*.pdf" */>}}`, hugo: ``},
		{name: "commented out, missing close", src: `{{</* sc1 >}}`, hugo: `error`, why: "is never closed with */>}}"},
		{name: "commented out, misplaced close", src: `{{</* sc1 >}}*/`, hugo: `error`, why: "is never closed with */>}}"},
		{name: "basic inline", src: `{{< sc1.inline >}}Hello World{{< /sc1.inline >}}`, hugo: `(sc1.inline)`, helpgen: `error`, differs: inlineDiffers, why: "inline shortcodes are not supported"},
		{name: "basic inline with space", src: `{{< sc1.inline >}}Hello World{{< / sc1.inline >}}`, hugo: `(sc1.inline)`, helpgen: `error`, differs: inlineDiffers, why: "inline shortcodes are not supported"},
		{name: "inline self closing", src: `{{< sc1.inline >}}Hello World{{< /sc1.inline >}}Hello World{{< sc1.inline />}}`, hugo: `(sc1.inline) (sc1.inline)`, helpgen: `error`, differs: inlineDiffers, why: "inline shortcodes are not supported"},
		{name: "inline self closing, then a new inline", src: `{{< sc1.inline >}}Hello World{{< /sc1.inline >}}Hello World{{< sc1.inline />}}{{< sc2.inline >}}Hello World{{< /sc2.inline >}}`, hugo: `(sc1.inline) (sc1.inline) (sc2.inline)`, helpgen: `error`, differs: inlineDiffers, why: "inline shortcodes are not supported"},
		{name: "inline with template syntax", src: `{{< sc1.inline >}}{{ .Get 0 }}{{ .Get 1 }}{{< /sc1.inline >}}`, hugo: `(sc1.inline)`, helpgen: `error`, differs: inlineDiffers, why: "inline shortcodes are not supported"},
		{name: "inline with nested shortcode (not supported)", src: `{{< sc1.inline >}}Hello World{{< sc1 >}}{{< /sc1.inline >}}`, hugo: `error`, why: "unknown shortcode \"sc1.inline\""},
		{name: "inline case mismatch", src: `{{< sc1.Inline >}}Hello World{{< /sc1.Inline >}}`, hugo: `error`, why: "a period is not allowed"},
		// Not among Hugo's lexer cases: the other differences helpgen makes.
		{name: "closing tag in the other delimiters", src: `{{< sc1 >}}x{{% /sc1 %}}`, hugo: `(sc1)`, helpgen: `error`, why: "does not match the delimiters",
			differs: "the writer meant one of the two delimiters, and they give the inner text different Markdown"},
		{name: "backslash before a letter", src: `{{< sc1 \x >}}`, hugo: `(sc1 x:string)`, helpgen: `error`, why: "unrecognized escape character \\x",
			differs: "a backslash outside quotes is a typo; Hugo refuses \\` too"},
		{name: "named value touching the delimiter", src: `{{< sc1 a=b>}}`, hugo: `error`, helpgen: `(sc1 a=b:string)`,
			differs: "the value ends at the closing delimiter, where Hugo reads b>}} and finds no end"},
		{name: "mixed quote escapes", src: `{{< sc1 "a\"b\\c" >}}`, hugo: `(sc1 a"bc:string)`},
		{name: "positional starting with a period", src: `{{< sc1 .5 >}}`, hugo: `error`, why: "unrecognized character '.'"},
		{name: "named float starting with a period", src: `{{< sc1 a=.5 >}}`, hugo: `(sc1 a=0.5:float64)`},
		{name: "period in a name", src: `{{< sc1.x >}}`, hugo: `error`, why: "a period is not allowed"},
		{name: "typed values", src: `{{< sc1 a=true b=-2 c=+3 d=.5 e=1.2.3 f="4" g=` + bq + `false` + bq + ` >}}`,
			hugo: `(sc1 a=true:bool b=-2:int c=3:int d=0.5:float64 e=1.2.3:string f=4:string g=false:string)`},
	}
	differ := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := hugoNames{inner: strings.Fields(tt.inner)}
			for _, m := range closeRe.FindAllStringSubmatch(tt.src, -1) {
				n.inner = append(n.inner, m[1])
			}
			want := tt.hugo
			if tt.differs != "" {
				differ++
				want = tt.helpgen
			}
			got := "error"
			d, err := Parse("hugo.md", []byte(tt.src), 0, Options{Names: n, Regions: []string{"JP"}})
			if err == nil {
				got = hugoCalls(d)
			} else {
				positioned(t, []byte(tt.src), err)
				var said []string
				for _, e := range diag.Flatten(err) {
					said = append(said, e.Msg+" ("+e.Hint+")")
				}
				if all := strings.Join(said, "\n"); tt.why == "" || !strings.Contains(all, tt.why) {
					t.Errorf("refused for another reason than %q:\n%s", tt.why, all)
				}
			}
			if got != want {
				t.Errorf("\nsrc:  %s\ngot:  %s\nwant: %s (Hugo: %s)\nerr:  %v", tt.src, got, want, tt.hugo, err)
			}
		})
	}
	t.Logf("%d cases, %d deliberate differences", len(tests), differ)
}

// inlineDiffers is why helpgen rejects Hugo's inline shortcodes.
const inlineDiffers = "inline shortcodes (Hugo's enableInlineShortcodes, off by default, when Hugo drops them silently) are not supported: " +
	"a template written in a page is an unknown shortcode; put it in layouts/shortcodes/NAME.html"

// closeRe finds the names closed in a source: {{< /name >}}, {{% / name %}}.
var closeRe = regexp.MustCompile(`\{\{[<%]\s*/\s*([^\s>%/*]+(?:/[^\s>%/*]+)*)`)
