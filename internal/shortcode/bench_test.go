package shortcode

import (
	"bytes"
	"os"
	"testing"
)

// seedPages are the two real pages of the bundled site: nested conditionals,
// variables, screenshots, lists and heading ids.
var seedPages = []string{
	"../../content/general/ja/login/troubleshoot_first.md",
	"../../content/general/ja/login/admin_account.md",
}

// seedOpts knows every shortcode the seed pages use.
var seedOpts = Options{Names: testNames{
	"enabled": Conditional, "disabled": Conditional, "enabled2": Conditional, "disabled2": Conditional,
	"service": Variable, "CorpName": Variable, "slash": Variable, "store": Variable,
	"screen": Template, "warning": BlockTemplate, "note": BlockTemplate, "hint": BlockTemplate, "reference": BlockTemplate,
}, Regions: []string{"CN", "JP", "US"}}

func readSeeds(b *testing.B) [][]byte {
	b.Helper()
	var out [][]byte
	for _, f := range seedPages {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

func seedBytes(srcs [][]byte) int64 {
	var n int
	for _, s := range srcs {
		n += len(s)
	}
	return int64(n)
}

func BenchmarkLex(b *testing.B) {
	srcs := readSeeds(b)
	b.SetBytes(seedBytes(srcs))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range srcs {
			lex(s, 0)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	srcs := readSeeds(b)
	b.SetBytes(seedBytes(srcs))
	b.ReportAllocs()
	for b.Loop() {
		for i, s := range srcs {
			if _, err := Parse(seedPages[i], s, 0, seedOpts); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkEval evaluates both seed pages for three regions, with template
// shortcodes answered by a fixed string, as the build does per page-region.
func BenchmarkEval(b *testing.B) {
	srcs := readSeeds(b)
	var docs []*Doc
	for i, s := range srcs {
		d, err := Parse(seedPages[i], s, 0, seedOpts)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, d)
	}
	var envs []*Env
	for _, r := range []string{"CN", "JP", "US"} {
		envs = append(envs, &Env{
			Region: r, Vars: map[string]string{"service": "svc-" + r, "CorpName": "corp", "slash": "s", "store": "st"},
			Exec:    func(c *Call, inner []byte) (string, error) { return `<img src="/x.png" alt="">`, nil },
			Protect: func(html string) string { return "\uE0000\uE001" },
		})
	}
	b.SetBytes(3 * seedBytes(srcs))
	b.ReportAllocs()
	var out bytes.Buffer
	for b.Loop() {
		for i, d := range docs {
			for _, env := range envs {
				res, err := d.Eval(seedPages[i], env)
				if err != nil {
					b.Fatal(err)
				}
				out.Write(res.Markdown[:1])
			}
		}
		out.Reset()
	}
}
