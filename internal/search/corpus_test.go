package search

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/output"
)

// extraPages join the generated corpus with text that tests what a query
// matches: scripts that touch or not, entities, kana, inline markup inside
// a phrase and admonitions.
var extraPages = map[string]string{
	"adjacent.md": page("方法1の手順", "", "方法1を選びます。\n\n## 別の方法 {#other}\n\n方法12も使えます。\n"),
	"spaced.md":   page("方法の選び方", "", "方法 1を選びます。\n"),
	"apart.md":    page("寸法の測り方", "", "寸法1を測る方法です。\n"),
	"url.md":      page("パスワードの送付", "", "パスワードURLを送ります。**パスワード**URLは一度だけ使えます。\n"),
	"urlspace.md": page("パスワードの再送", "", "パスワード URLを再送します。パスワードurlsを確認します。\n"),
	"store.md":    page("ストアでの購入", "", "cybozu.comストアで購入します。\n"),
	"entity.md": page("記号の表示", "description: \"研究と開発\"\n",
		"研究&amp;開発、&copy; 2026 Example&nbsp;Inc. **A&amp;B** と \\*強調しない\\*。\n\n## Q&amp;A {#qa}\n\n`&amp;` はそのまま表示されます。\n\n"+
			"{{% warning %}}\n注意事項&lt;重要&gt;を読みます。\n{{% /warning %}}\n"),
	"kana.md":     page("ろぐいんの仕方", "", "ひらがなで、ろぐいん、と書きます。ヴァージョンとゔぁーじょん。\n"),
	"katakana.md": page("ログインの仕方", "", "カタカナで、ログイン、と書きます。\n\n{{% note %}}\nメモは残しません。\n{{% /note %}}\n"),
}

// The phrase semantics are checked on a generated site: for each query,
// the pages found are exactly those whose visible text, read from the
// built HTML, holds every phrase of the query (QueryTerm.Matches), and the
// total shown is their number. Visible text is the title and the article
// as a reader sees them (entities decoded, admonition labels left out),
// plus the description, the address's words and the article ids that a
// query can name.
func TestCorpusGroundTruth(t *testing.T) {
	dir := t.TempDir()
	if _, err := corpus.Write(dir, corpus.Options{Pages: 300, Seed: 16, PerSection: 50}); err != nil {
		t.Fatal(err)
	}
	for name, text := range extraPages {
		p := filepath.Join(dir, "content", "general", "ja", "extra", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	proj, err := build.Load(os.DirFS(dir), helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := output.NewMemOutput()
	rep, err := proj.Build(out, build.Options{Writers: []build.RegionWriter{Writer(Options{ChunkBytes: 2048, FragmentBytes: 2048})}})
	if err != nil {
		t.Fatal(err)
	}
	queries := map[string][]string{
		"single-script": {"パスワード", "ログイン画面", "管理者", "設定", "cybozu", "kintone", "ストア", "確認します", "表示", "p000123", "inc", "研究"},
		"mixed-script":  {"方法1", "方法1 ", "方法12", "パスワードURL", "パスワードURL ", "パスワードurls", "cybozu.comストア", "cybozu.com ストア", "comストア", "ipアドレス", "IPアドレス制限", "1を選"},
		"entity":        {"amp", "nbsp", "copy", "lt", "gt", "研究&開発", "A&B", "Q&A", "*強調しない*", "注意事項<重要>", "2026 example"},
		"kana-folded":   {"ろぐいん", "ログイン", "ぱすわーど", "すとあ", "ゔぁーじょん", "ヴァージョン", "かたかな", "ひらがなで"},
		"labels":        {"注意", "メモ", "ヒント"},
	}
	for _, site := range rep.Sites {
		region := site.Config.Dir()
		texts := map[string]string{} // page URL → its normalized visible text
		for _, pg := range site.Pages {
			b, ok := out.Get(region, pg.Src.Out)
			if !ok {
				t.Fatalf("%s: %s not written", region, pg.Src.Out)
			}
			texts[pg.Src.URL] = Normalize(shownText(t, b, pg))
		}
		for kind, qs := range queries {
			for _, q := range qs {
				var want []string
				for url, text := range texts {
					if matchesAll(ParseQuery(q), text) {
						want = append(want, url)
					}
				}
				slices.Sort(want)
				s := memSearcher(out, region)
				all, err := s.Find(q, 1<<20)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range all.Results {
					got = append(got, strings.SplitN(r.URL, "#", 2)[0])
				}
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("%s %s %q: found %d pages, %d hold it\n only found: %q\n missed: %q", region, kind, q, len(got), len(want), minus(got, want), minus(want, got))
				}
				first, err := memSearcher(out, region).Find(q, 10)
				if err != nil {
					t.Fatal(err)
				}
				if first.Exact && first.Total != len(want) || !first.Exact && first.Total < len(want) || first.More {
					t.Errorf("%s %s %q: total %d (exact %v, more %v), %d pages hold it", region, kind, q, first.Total, first.Exact, first.More, len(want))
				}
			}
		}
	}
	// The examples of the definition, in JP.
	// A prefix standing for more words than a query reads says so, and
	// what it finds is still right: p0 starts the address of every page.
	for _, region := range []string{"jp", "us", "cn"} {
		f, err := memSearcher(out, region).Find("p0", 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if !f.More || len(f.Results) == 0 || len(f.Results) >= 300 {
			t.Errorf("%s p0: %d pages, more %v; want some pages and more", region, len(f.Results), f.More)
		}
		for _, r := range f.Results {
			if !strings.HasPrefix(r.URL[strings.LastIndex(r.URL, "/")+1:], "p0") {
				t.Errorf("%s p0: found %s", region, r.URL)
			}
		}
	}
	// amp is shown once, in code, where the page shows it as written; 注意
	// is in one text but the label of every warning.
	for q, n := range map[string]int{"方法1": 1, "方法1 ": 1, "パスワードURL": 2, "パスワードURL ": 1, "cybozu.comストア": 1,
		"ろぐいんの仕方": 2, "ひらがなで": 1, "amp": 1, "nbsp": 0, "copy": 0, "注意": 1, "inc": 1} {
		res, err := memSearcher(out, "jp").Find(q, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Results) != n {
			t.Errorf("jp %q: %d pages, want %d", q, len(res.Results), n)
		}
	}
}

func matchesAll(q Query, text string) bool {
	for _, term := range q.Terms {
		if !term.Matches(text) {
			return false
		}
	}
	return len(q.Terms) > 0
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// shownText is what a query can find in a built page: the text of its
// title (h1) and article as the browser shows it, a line per block, and
// the description, address and article ids.
func shownText(t *testing.T, page []byte, pg *build.Page) string {
	doc, err := html.Parse(strings.NewReader(string(page)))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *html.Node, in bool)
	walk = func(n *html.Node, in bool) {
		if n.Type == html.ElementNode {
			switch {
			case n.Data == "script" || n.Data == "style" || hasClassAttr(n, "admonition-title"):
				return
			case n.Data == "h1" || n.Data == "article":
				in = true
			case n.Data == "meta" && attr(n, "name") == "description":
				b.WriteString(attr(n, "content") + "\n")
			}
		}
		if n.Type == html.TextNode && in {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
		if n.Type == html.ElementNode && !inline[n.Data] {
			b.WriteString("\n")
		}
	}
	walk(doc, false)
	b.WriteString(urlText(pg.Src.URL) + "\n")
	for _, a := range pg.Src.Aliases {
		b.WriteString(ArticleID(a) + "\n")
	}
	return b.String()
}

// inline elements do not end a line of text.
var inline = map[string]bool{"a": true, "strong": true, "em": true, "b": true, "i": true, "code": true, "span": true, "del": true, "kbd": true, "small": true, "sub": true, "sup": true, "mark": true}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClassAttr(n *html.Node, class string) bool {
	return slices.Contains(strings.Fields(attr(n, "class")), class)
}
