package render

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen/internal/shortcode"
)

// callNames resolves every name as a template shortcode, for parsing one call.
type callNames struct{}

func (callNames) Lookup(string) (shortcode.Kind, bool) { return shortcode.Template, true }
func (callNames) Known() []string                      { return nil }

// TestShortcodeParamsTyped: .Get and .Params give the arguments typed as
// Hugo types them, so templates compare them with eq and compute with them,
// and printing one gives the text as written.
func TestShortcodeParamsTyped(t *testing.T) {
	site := fstest.MapFS{
		"shortcodes/t.html": {Data: []byte(`{{ range $i, $v := .Params }}{{ $i }}:{{ printf "%T" $v }}={{ $v }};{{ end }}{{ .IsNamedParams }}`)},
		"shortcodes/open.html": {Data: []byte(`{{ if eq (.Get "open") false }}closed{{ else if eq (.Get "open") true }}open{{ end }}` +
			`|{{ add (.Get "n") 1 }}|{{ .Get "n" }}|{{ printf "%q" (.Get "missing") }}|{{ printf "%v" (.Get 0) }}`)},
		"shortcodes/pos.html": {Data: []byte(`{{ printf "%T %T %T" (.Get 0) (.Get "1") (.Get "x") }}|{{ .Get 9 }}|{{ mul (.Get 0) 2 }}`)},
	}
	tpl, err := Load(site, defaults)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, src, want string }{
		{"positional kinds", `{{< t 2 -7 3.14 0.5 true false "2" ` + "`true`" + ` 1.2.3 v2 >}}`,
			"0:int=2;1:int=-7;2:float64=3.14;3:float64=0.5;4:bool=true;5:bool=false;6:string=2;7:string=true;8:string=1.2.3;9:string=v2;false"},
		{"named kinds", `{{< t n=2 p=+3 f=3.14 open=false s="2" r=` + "`x y`" + ` >}}`,
			"f:float64=3.14;n:int=2;open:bool=false;p:int=3;r:string=x y;s:string=2;true"},
		{"escaped quotes", `{{< t "say \"hi\"" >}}`, `0:string=say &#34;hi&#34;;false`},
		{"huge int stays text", `{{< t 99999999999999999999 >}}`, "0:string=99999999999999999999;false"},
		{"bool false", `{{< open open=false n=2 >}}`, `closed|3|2|&#34;&#34;|&lt;nil&gt;`},
		{"bool true", `{{< open open=true n=-2 >}}`, `open|-1|-2|&#34;&#34;|&lt;nil&gt;`},
		{"quoted bool is a string", `{{< open open="false" n=0 >}}`, `|1|0|&#34;&#34;|&lt;nil&gt;`},
		{"positional", `{{< pos 21 b >}}`, "int string &lt;nil&gt;||42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := shortcode.Parse("p.md", []byte(tt.src), 0, shortcode.Options{Names: callNames{}})
			if err != nil {
				t.Fatal(err)
			}
			call := d.Nodes[0].(*shortcode.Call)
			out, err := tpl.Shortcode(context.Background(), call.Name, NewShortcodeContext(call, nil, &Site{Region: "US"}, &PageRef{}, 0))
			if err != nil {
				t.Fatal(err)
			}
			if out != tt.want {
				t.Errorf("\n got: %s\nwant: %s", out, tt.want)
			}
		})
	}
}
