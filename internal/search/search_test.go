package search

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/output"
)

const testConfig = `title = "{{%service%}} ヘルプ"
languages = ["ja", "en"]
[regions.JP]
baseURL = "https://jp.example.com/"
[regions.JP.params]
service = "cybozu.com"
[regions.US]
baseURL = "https://us.example.com/"
[regions.US.params]
service = "Kintone"
`

// buildSite builds an in-memory site with the search writer.
func buildSite(t testing.TB, files map[string]string, opt Options) *output.MemOutput {
	t.Helper()
	fsys := fstest.MapFS{"helpgen.toml": {Data: []byte(testConfig)}}
	for k, v := range files {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	proj, err := build.Load(fsys, helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	out := output.NewMemOutput()
	if _, err := proj.Build(out, build.Options{Writers: []build.RegionWriter{Writer(opt)}}); err != nil {
		t.Fatalf("Build: %v", err)
	}
	return out
}

func memSearcher(out *output.MemOutput, region string) *Searcher {
	return NewSearcher(func(name string) ([]byte, error) {
		b, ok := out.Get(region, Dir+"/"+name)
		if !ok {
			return nil, fmt.Errorf("%s/%s/%s: not written", region, Dir, name)
		}
		return b, nil
	})
}

func page(title, front, body string) string {
	return "---\ntitle: \"" + title + "\"\n" + front + "---\n" + body
}

var rankSite = map[string]string{
	"content/a/body.md":    page("設定の概要", "", "アカウントがロックされることがあります。\n"),
	"content/a/heading.md": page("ユーザーの管理", "", "ユーザーを管理します。\n\n## ロックを解除する {#unlock_10}\n\n[解除]をクリックします。\n\n## 削除する {#delete}\n\n削除します。\n"),
	"content/a/title.md":   page("アカウントのロック", "", "ログインに続けて失敗すると、こうなります。\n"),
	"content/a/id.md":      page("ロックされたら", "aliases: [\"/ja/id/040150\"]\n", "待つか、管理者に依頼します。\n"),
	"content/a/apart.md":   page("パスと鍵", "", "パスを通す。キーワードを入れる。\n"),
	"content/a/pw.md":      page("パスワードリセット", "description: \"Reset your password\"\n", "共通管理者がパスワードを変更します。\n\n## Login with SSO {#sso}\n\nUse the LOGIN page of {{%service%}}.\n"),
	"content/a/jp.md":      page("地域のお知らせ", "", "{{% enabled JP %}}日本限定キャンペーンのお知らせ{{% /enabled %}}{{% enabled US %}}US notice{{% /enabled %}}\n"),
	"content/a/deep.md":    page("深い見出し", "", "前置き\n\n## 概要 {#top}\n\n本文\n\n#### 小見出しの用語 {#small}\n\n細部\n"),
}

func TestRanking(t *testing.T) {
	for name, opt := range map[string]Options{
		"default": DefaultOptions,
		// Tiny files put every term and page in its own chunk and group,
		// so lookups across chunk boundaries are exercised.
		"tiny": {ChunkBytes: 1, FragmentBytes: 1},
	} {
		t.Run(name, func(t *testing.T) {
			out := buildSite(t, rankSite, opt)
			for _, tc := range []struct {
				region, q string
				want      []string // URLs in order; nil: no results
			}{
				{"jp", "ロック", []string{"/a/id.html", "/a/title.html", "/a/heading.html#unlock_10", "/a/body.html"}},
				{"jp", "040150", []string{"/a/id.html"}},
				{"jp", "0401", []string{"/a/id.html"}},
				{"jp", "/ja/id/040150", []string{"/a/id.html"}},
				{"jp", "https://jp.example.com/ja/id/040150", []string{"/a/id.html"}},
				{"jp", "ID 040150", []string{"/a/id.html"}},
				{"jp", "ＩＤ：040150", []string{"/a/id.html"}},
				{"us", "/ja/id/040150", []string{"/a/id.html"}},
				{"jp", "パスワード", []string{"/a/pw.html"}},             // apart.md holds its pairs apart
				{"jp", "管理者", []string{"/a/id.html", "/a/pw.html"}}, // equal scores: URL order
				{"jp", "ＬＯＧＩＮ", []string{"/a/pw.html#sso"}},
				{"jp", "pass", []string{"/a/pw.html"}},
				{"jp", "reset pass", []string{"/a/pw.html"}},
				{"jp", "reset login", []string{"/a/pw.html#sso"}},
				{"jp", "reset kintone", nil},
				{"jp", "cybozu", []string{"/a/pw.html#sso"}},
				{"us", "kintone", []string{"/a/pw.html#sso"}},
				{"us", "cybozu", nil},
				{"jp", "日本限定", []string{"/a/jp.html"}},
				{"us", "日本限定", nil},
				{"us", "notice", []string{"/a/jp.html"}},
				{"jp", "notice", nil},
				{"jp", "削除", []string{"/a/heading.html#delete"}},
				{"jp", "存在しない語", nil},
				{"jp", "小見出しの用語", []string{"/a/deep.html#top"}}, // level 4 belongs to its section
				{"jp", "、", nil},
			} {
				s := memSearcher(out, tc.region)
				res, err := s.Search(tc.q, 10)
				if err != nil {
					t.Fatalf("%s %q: %v", tc.region, tc.q, err)
				}
				var got []string
				for _, r := range res {
					got = append(got, r.URL)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("%s %q:\n got %q\nwant %q", tc.region, tc.q, got, tc.want)
				}
			}
		})
	}
}

// A compound whose pairs are in many pages apart (ログイン … 画面) must not
// crowd out the pages that hold it, though they outnumber the candidates
// checked for one page of results.
func TestCompoundRecall(t *testing.T) {
	site := map[string]string{}
	for i := range 3*10 + 15 {
		site[fmt.Sprintf("content/a/apart%02d.md", i)] = page(fmt.Sprintf("手順%d", i), "", "ログインします。次の画面で選びます。\n")
	}
	var want []string
	for i := range 4 {
		site[fmt.Sprintf("content/z/real%d.md", i)] = page(fmt.Sprintf("案内%d", i), "", "ログイン画面を開きます。\n")
		want = append(want, fmt.Sprintf("/z/real%d.html", i))
	}
	out := buildSite(t, site, DefaultOptions)
	for _, q := range []string{"ログイン画面", "ログイン画面を開きます"} {
		wantURLs(t, out, q, want)
	}
}

// A single CJK character is found wherever it is, also when it ends a run
// and so starts no pair.
func TestSingleCharacter(t *testing.T) {
	out := buildSite(t, map[string]string{
		"content/a/list.md":  page("一覧表", "", "本文です。\n"),
		"content/a/admin.md": page("設定", "", "共通管理者\n\n## 表示 {#show}\n\n見出しに表があります。\n"),
		"content/a/none.md":  page("概要", "", "管理します。\n"),
	}, DefaultOptions)
	for q, want := range map[string][]string{
		"表": {"/a/list.html", "/a/admin.html#show"},
		"者": {"/a/admin.html"},
		"す": {"/a/admin.html#show", "/a/list.html", "/a/none.html"},
	} {
		wantURLs(t, out, q, want)
	}
}

// Among pages that hold a term in the same fields, one that has it in more
// sections ranks first, whatever the URL order; fields still decide first.
func TestSectionBonus(t *testing.T) {
	out := buildSite(t, map[string]string{
		"content/a/once.md":  page("概要", "", "ロックされます。\n"),
		"content/b/many.md":  page("詳細", "", "ロックされます。\n\n## 理由 {#why}\n\nロックの理由。\n\n## 解除 {#undo}\n\nロックを外します。\n"),
		"content/c/head.md":  page("手引き", "", "前置き\n\n## ロックする {#lock}\n\n本文\n"),
		"content/d/title.md": page("ロック", "", "本文\n"),
	}, DefaultOptions)
	res, err := memSearcher(out, "jp").Search("ロック", 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res {
		got = append(got, r.URL)
	}
	want := []string{"/d/title.html", "/c/head.html#lock", "/b/many.html", "/a/once.html"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A page found by its title opens at its top, not at the first section
// whose text has the term; a heading that matches still wins.
func TestTitleMatchTargetsTop(t *testing.T) {
	out := buildSite(t, map[string]string{
		"content/a/pw.md": page("パスワードの変更", "", "はじめに説明します。\n\n## 手順 {#steps}\n\n新しいパスワードを入力します。\n"),
	}, DefaultOptions)
	for q, want := range map[string]string{"パスワード": "/a/pw.html", "手順": "/a/pw.html#steps", "パスワード 手順": "/a/pw.html#steps", "入力": "/a/pw.html#steps"} {
		res, err := memSearcher(out, "jp").Search(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 || res[0].URL != want {
			t.Errorf("%q: got %+v, want %s", q, res, want)
		}
	}
}

func TestResultHeadingAndLimit(t *testing.T) {
	out := buildSite(t, rankSite, DefaultOptions)
	s := memSearcher(out, "jp")
	res, err := s.Search("ロック", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Title != "ロックされたら" || res[1].Title != "アカウントのロック" {
		t.Fatalf("got %+v", res)
	}
	res, _ = s.Search("解除", 10)
	if len(res) == 0 || res[0].Heading != "ロックを解除する" {
		t.Fatalf("解除: want the heading ロックを解除する, got %+v", res)
	}
}

// Markers inside conditional blocks, region-only pages, titles,
// descriptions and aliases must reach exactly the regions they are for.
func TestNoLeakBetweenRegions(t *testing.T) {
	out := buildSite(t, map[string]string{
		"content/p.md": page("Page {{% enabled JP %}}jptitlemarker{{% /enabled %}}{{% enabled US %}}ustitlemarker{{% /enabled %}}",
			"description: \"{{% disabled US %}}jpdescmarker{{% /disabled %}}\"\n",
			"Intro {{% enabled JP %}}jpinlinemarker 鱻鱻{{% /enabled %}}{{% enabled US %}}usinlinemarker 龘龘{{% /enabled %}}.\n\n"+
				"## Heading {{% disabled US %}}jpheadingmarker{{% /disabled %}} {#h}\n\n"+
				"- item\n  {{% disabled JP %}}\n  usblockmarker\n  {{% /disabled %}}\n\n"+
				"{{% note %}}\n{{% enabled JP %}}jpnotemarker{{% /enabled %}}\n{{% /note %}}\n"),
		"content/jp.md": page("jponlypagemarker", "enabled: [JP]\naliases: [\"/ja/id/777001\"]\n", "jponlybodymarker\n"),
		"content/us.md": page("usonlypagemarker", "disabled: [JP]\naliases: [\"/ja/id/777002\"]\n", "usonlybodymarker\n"),
	}, Options{ChunkBytes: 64, FragmentBytes: 64})
	markers := map[string][]string{
		"jp": {"jptitlemarker", "jpdescmarker", "jpinlinemarker", "鱻鱻", "jpheadingmarker", "jpnotemarker", "jponlypagemarker", "jponlybodymarker", "777001"},
		"us": {"ustitlemarker", "usinlinemarker", "龘龘", "usblockmarker", "usonlypagemarker", "usonlybodymarker", "777002"},
	}
	for _, region := range []string{"jp", "us"} {
		index := indexText(t, out, region)
		for owner, ms := range markers {
			for _, m := range ms {
				if got := strings.Contains(index, m); got != (owner == region) {
					t.Errorf("%s index contains %q: %v, want %v", region, m, got, owner == region)
				}
			}
		}
	}
}

// indexText is every file of a region's index, concatenated.
func indexText(t *testing.T, out *output.MemOutput, region string) string {
	t.Helper()
	var b strings.Builder
	keys := make([]string, 0)
	for k := range out.Files {
		if strings.HasPrefix(k, region+"/"+Dir+"/") {
			keys = append(keys, k)
		}
	}
	if len(keys) < 3 {
		t.Fatalf("%s: index has %d files", region, len(keys))
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.Write(out.Files[k])
	}
	return b.String()
}

// On the bundled site, every term of a region's index occurs in that
// region's own pages: no text of another region can be in it.
func TestBundledIndexVocabulary(t *testing.T) {
	root := "../.."
	proj, err := build.Load(os.DirFS(root), helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := output.NewMemOutput()
	rep, err := proj.Build(out, build.Options{Writers: []build.RegionWriter{Writer(Options{ChunkBytes: 512, FragmentBytes: 512})}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Sites {
		dir := r.Config.Dir()
		own := map[string]bool{}
		for _, pg := range r.Pages {
			html, _ := out.Get(dir, pg.Src.Out)
			// Tags both joined (inline markup inside a word) and split
			// (a character ending a table cell ends its run).
			text := visibleText(string(html), "") + " " + visibleText(string(html), " ") + " " + pg.Description + " " + pg.Src.URL
			for _, a := range pg.Src.Aliases {
				text += " " + a
			}
			for _, term := range TermList(text) {
				own[term] = true
			}
		}
		s := memSearcher(out, dir)
		if err := s.loadManifest(); err != nil {
			t.Fatal(err)
		}
		n := 0
		for i := range s.manifest.C {
			chunk, err := s.chunk(i)
			if err != nil {
				t.Fatal(err)
			}
			for term := range chunk {
				n++
				if !own[term] {
					t.Errorf("%s: index term %q occurs in none of the region's pages", dir, term)
				}
			}
		}
		if n < 200 {
			t.Errorf("%s: only %d terms indexed", dir, n)
		}
	}
	// A list item of mobile.md enabled only for JP is found in JP alone;
	// US has every pair of the phrase, in other places.
	for dir, want := range map[string]string{"jp": "/general/ja/user/list_start/mobile.html#", "us": "", "cn": ""} {
		res, err := memSearcher(out, dir).Search("SAML認証を利用している", 10)
		if err != nil {
			t.Fatal(err)
		}
		if want == "" && len(res) > 0 || want != "" && (len(res) != 1 || !strings.HasPrefix(res[0].URL, want)) {
			t.Errorf("%s: got %+v, want %q", dir, res, want)
		}
	}
}

// visibleText is the text of an HTML page outside tags, each tag replaced
// by sep.
func visibleText(html, sep string) string {
	var b strings.Builder
	in := false
	for _, r := range html {
		switch {
		case r == '<':
			in = true
			b.WriteString(sep)
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(b.String())
}

// wantURLs fails unless query q in the JP site gives exactly want, in order.
func wantURLs(t *testing.T, out *output.MemOutput, q string, want []string) {
	t.Helper()
	if got := searchURLs(t, out, "jp", q); !slices.Equal(got, want) {
		t.Errorf("%q: got %q, want %q", q, got, want)
	}
}

// searchURLs is the result URLs of query q in region dir, best first.
func searchURLs(t *testing.T, out *output.MemOutput, dir, q string) []string {
	t.Helper()
	res, err := memSearcher(out, dir).Search(q, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res {
		got = append(got, r.URL)
	}
	return got
}
