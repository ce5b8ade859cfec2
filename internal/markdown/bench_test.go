package markdown

import (
	"bytes"
	"os"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// seedBodies are the two real pages of the bundled site, front matter
// included and shortcodes left as text, as the benchmark floor sees them.
func seedBodies(b testing.TB) ([][]byte, int64) {
	b.Helper()
	var out [][]byte
	var n int64
	for _, f := range []string{
		"../../content/general/ja/login/troubleshoot_first.md",
		"../../content/general/ja/login/admin_account.md",
	} {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, data)
		n += int64(len(data))
	}
	return out, n
}

// BenchmarkGoldmark is the floor: goldmark alone with helpgen's options.
func BenchmarkGoldmark(b *testing.B) {
	srcs, n := seedBodies(b)
	b.SetBytes(n)
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		for _, s := range srcs {
			buf.Reset()
			if err := md.Convert(s, &buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkConvert is helpgen's conversion: goldmark plus the facts
// (headings, links, images, raw HTML, section text) collected from the AST.
func BenchmarkConvert(b *testing.B) {
	srcs, n := seedBodies(b)
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range srcs {
			if _, err := Convert(s, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkScanHTML(b *testing.B) {
	frag := `<img class="screenshot" src="/general/img-ja/troubleshoot_first_img01.png" alt="ログイン画面" data-action="zoom" loading="lazy">`
	b.SetBytes(int64(len(frag)))
	b.ReportAllocs()
	for b.Loop() {
		ScanHTML(frag)
	}
}

func BenchmarkScanRefs(b *testing.B) {
	frag := `<img class="screenshot" src="/general/img-ja/troubleshoot_first_img01.png" alt="ログイン画面" data-action="zoom" loading="lazy">`
	b.SetBytes(int64(len(frag)))
	b.ReportAllocs()
	for b.Loop() {
		ScanRefs(frag)
	}
}

// BenchmarkListProblems is the list analysis alone, on ASTs parsed once:
// what it adds to BenchmarkConvert.
func BenchmarkListProblems(b *testing.B) {
	srcs, n := seedBodies(b)
	roots := make([]ast.Node, len(srcs))
	for i, s := range srcs {
		roots[i] = md.Parser().Parse(text.NewReader(s))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for i, s := range srcs {
			listProblems(roots[i], s)
		}
	}
}

// codePage is the bundled page with three fenced blocks in a language, and
// the same page with the languages removed, which no block is highlighted in.
func codePage(b *testing.B) (highlighted, plain []byte) {
	b.Helper()
	data, err := os.ReadFile("../../content/general/ja/admin/api_access.md")
	if err != nil {
		b.Fatal(err)
	}
	plain = data
	for _, lang := range []string{"```sh", "```python", "```json"} {
		plain = bytes.ReplaceAll(plain, []byte(lang), []byte("```"))
	}
	return data, plain
}

// BenchmarkConvertCode is the cost of highlighting: a page whose code blocks
// name their language, highlighted for the first time (first) or found
// highlighted already (again: another region, a rebuild), against the same
// page without languages (plain).
func BenchmarkConvertCode(b *testing.B) {
	code, plain := codePage(b)
	for _, tc := range []struct {
		name  string
		src   []byte
		first bool
	}{{"plain", plain, false}, {"first", code, true}, {"again", code, false}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.src)))
			b.ReportAllocs()
			for b.Loop() {
				if tc.first {
					highlighted.Lock()
					highlighted.html = nil
					highlighted.Unlock()
				}
				if _, err := Convert(tc.src, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkConvertHooks is Convert on the seed pages without hooks (what
// every site without hook templates does), with hooks that write none of
// their elements (the hooked renderer's own cost), and with a link and a
// heading hook.
func BenchmarkConvertHooks(b *testing.B) {
	srcs, n := seedBodies(b)
	for _, bc := range []struct {
		name  string
		hooks Hooks
	}{
		{"none", nil},
		{"unused", &fakeHooks{}},
		{"link+heading", &fakeHooks{kinds: map[HookKind]bool{HookLink: true, HookHeading: true}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(n)
			b.ReportAllocs()
			for b.Loop() {
				if f, ok := bc.hooks.(*fakeHooks); ok {
					f.got = f.got[:0]
				}
				for _, s := range srcs {
					if _, err := ConvertHooks(s, nil, bc.hooks); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
