package shortcode

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/helpgen/helpgen/internal/diag"
)

// positioned fails unless every error in err points inside src: a line of
// the text and a column within that line (or just past its end).
func positioned(t *testing.T, src []byte, err error) {
	t.Helper()
	s := diag.NewSource("f.md", src)
	for _, e := range diag.Flatten(err) {
		line := s.Line(e.Line)
		lines := strings.Count(string(src), "\n") + 1
		if e.Line < 1 || e.Line > lines || e.Col < 1 || e.Col > utf8.RuneCountInString(line)+1 {
			t.Fatalf("error outside the input (%d lines): %v", lines, e)
		}
	}
}

// FuzzParse: the lexer and parser never panic on any input, every error is
// positioned inside it, and a parsed document evaluates in every region
// without panicking, with errors positioned too.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "plain", "{{% enabled JP %}}x{{% /enabled %}}", "{{< disabled CN US >}}\n* a\n{{< /disabled >}}",
		"{{%service%}} {{< screen src=\"a.png\" alt=`x` >}}", "{{% warning %}}a {{% enabled2 JP %}}b{{% /enabled2 %}}{{% /warning %}}",
		"{{</* screen */>}} {{%/* x */%}}", "{{% enabled JP", "{{% /enabled %}}", "{{< box />}}", "{{% enabled jp %}}x{{% /enabled %}}",
		"{{% screen a=\"1\" 2 %}}", "{{% warning %}}\n  indented\n{{% /warning %}}", "{{<", "{{% \"unterminated",
		"{{< sc/sub n=2 open=false f=3.14 >}}", "{{< screen a= \\\"b c\\\" >}}", "{{< screen \"x \\\"y\\\" \\z\" >}}",
		"{{< box / keyword>}}", "{{< screen \\`x\\` >}}", "{{< screen a:b >}}", "{{< screen \"a\nb\" >}}", "{{< sc1.inline />}}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		b := []byte(src)
		d, err := Parse("f.md", b, 0, opts)
		if err != nil {
			positioned(t, b, err)
			return
		}
		typedArgs(t, d.Nodes)
		for _, r := range opts.Regions {
			env := &Env{Region: r, Vars: map[string]string{"service": "S", "CorpName": "C"},
				Exec:    func(c *Call, inner []byte) (string, error) { return "<x>" + string(inner) + "</x>", nil },
				Protect: func(h string) string { return h }}
			res, err := d.Eval("f.md", env)
			if err != nil {
				positioned(t, b, err)
				continue
			}
			for _, seg := range res.Map {
				if seg.Src < 0 || seg.Src+seg.Len > len(b) {
					t.Fatalf("segment %+v outside the input", seg)
				}
			}
		}
	})
}

// typedArgs checks every argument's type: a quoted value stays the string
// written, an unquoted one is a bool, int, float64 or the string written.
func typedArgs(t *testing.T, ns []Node) {
	for _, n := range ns {
		c, ok := n.(*Call)
		if !ok {
			continue
		}
		for _, a := range c.Args {
			switch v := a.Typed().(type) {
			case string:
				if v != a.Value {
					t.Fatalf("%q typed as the string %q", a.Value, v)
				}
			case bool, int, float64:
				if a.Quoted {
					t.Fatalf("quoted %q typed as %T", a.Value, v)
				}
			default:
				t.Fatalf("%q typed as %T", a.Value, v)
			}
		}
		typedArgs(t, c.Children)
	}
}
