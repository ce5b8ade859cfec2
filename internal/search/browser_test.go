package search

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/browsertest"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/output"
)

// serveMem serves one region of a built site from memory, as a static host
// serves public/<region>/ at the root of its domain.
func serveMem(t *testing.T, out *output.MemOutput, dir string) string {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p == "" || strings.HasSuffix(r.URL.Path, "/") {
			p = path.Join(p, "index.html")
		}
		b, ok := out.Get(dir, p)
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(p)))
		w.Write(b)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// typeQuery clears the search box and types q into it key by key.
func typeQuery(t *testing.T, ctx context.Context, q string) {
	t.Helper()
	browsertest.Do(t, ctx, "clear the search box",
		chromedp.Evaluate[chromedp.Void](`(() => { const i = document.querySelector("#search-input"); i.value = ""; i.focus(); })()`),
		chromedp.SendKeys("#search-input", q),
	)
}

type shownResult struct {
	Href     string   `json:"href"`
	Title    string   `json:"title"`
	Marks    []string `json:"marks"`
	Selected bool     `json:"selected"`
}

const readResults = `Array.from(document.querySelectorAll(".search-result")).map(li => ({
	href: new URL(li.querySelector("a").href).pathname + new URL(li.querySelector("a").href).hash,
	title: li.querySelector(".search-result-title").textContent,
	marks: Array.from(li.querySelectorAll("mark")).map(m => m.textContent),
	selected: li.getAttribute("aria-selected") === "true",
}))`

// waitResults waits until the results of the query just typed are shown.
func waitResults(t *testing.T, ctx context.Context) []shownResult {
	t.Helper()
	browsertest.WaitFor(t, ctx, "search results", `(() => {
		const s = document.querySelector(".search-status").textContent, form = document.querySelector("form[data-search]");
		return s && s !== form.dataset.loading && !document.querySelector(".search-panel").hidden &&
			form.dataset.query === document.querySelector("#search-input").value;
	})()`)
	return browsertest.Run(t, ctx, "read results", chromedp.Evaluate[[]shownResult](readResults))
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	buf := browsertest.Run(t, ctx, "screenshot", chromedp.CaptureScreenshot())
	dir := filepath.Join("..", "..", "testout", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserSearch builds the bundled site, serves JP and US on loopback
// and drives the search box in headless Chromium.
func TestBrowserSearch(t *testing.T) {
	ctx := browsertest.Tab(t, browsertest.Start(t, chromedp.WindowSize(1200, 900)))
	proj, err := build.Load(os.DirFS("../.."), helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := output.NewMemOutput()
	// Small files so that queries cross chunk and fragment boundaries.
	if _, err := proj.Build(out, build.Options{Writers: []build.RegionWriter{Writer(Options{ChunkBytes: 2048, FragmentBytes: 2048})}}); err != nil {
		t.Fatal(err)
	}
	jp, us := serveMem(t, out, "jp"), serveMem(t, out, "us")
	start := "/general/ja/login/troubleshoot_first.html"

	t.Run("tokenizer agrees with Go", func(t *testing.T) {
		browsertest.Do(t, ctx, "open JP", chromedp.Navigate(jp+start))
		var inputs []string
		for _, tc := range tokenCases {
			inputs = append(inputs, tc.in)
		}
		in, _ := json.Marshal(inputs)
		got := browsertest.Run(t, ctx, "terms", chromedp.Evaluate[[][]string](string(in)+`.map(s => helpgenSearch.terms(s))`))
		for i, tc := range tokenCases {
			if !slices.Equal(got[i], TermList(tc.in)) {
				t.Errorf("%s: search.js terms %q, Go %q", tc.name, got[i], TermList(tc.in))
			}
		}
	})

	t.Run("query parsing agrees with Go", func(t *testing.T) {
		browsertest.Do(t, ctx, "open JP", chromedp.Navigate(jp+start))
		inputs := []string{"ログイン画面", "パスワードを変更", "ログインできないときに最初に確認すること", "表", "/ja/id/040150", "ID 040150",
			"ＩＤ：０４０１５０", "id/2fa", "/k/2fa/", "idp2", "id 0401 x", "10/11", "https://jp.example.com/ja/id/040150.html", "pass ",
			"方法1", "方法1 ", "パスワードURL", "cybozu.comストア", "IPアドレス", "1表", "ろぐいん", "ヽヾ", strings.Repeat("x", 40) + "表"}
		type jsTerm struct {
			Text   string   `json:"text"`
			Keys   []string `json:"keys"`
			Prefix bool     `json:"prefix"`
			Exact  bool     `json:"exact"`
		}
		in, _ := json.Marshal(inputs)
		got := browsertest.Run(t, ctx, "parse", chromedp.Evaluate[[][]jsTerm](string(in)+`.map(s => helpgenSearch.parseQuery(s))`))
		for i, q := range inputs {
			var js []QueryTerm
			for _, x := range got[i] {
				js = append(js, QueryTerm{Text: x.Text, Keys: x.Keys, Prefix: x.Prefix, Exact: x.Exact})
			}
			if want := ParseQuery(q).Terms; !equalTerms(js, want) {
				t.Errorf("%q: search.js %+v, Go %+v", q, js, want)
			}
		}
	})

	t.Run("snippets start at a word", func(t *testing.T) {
		text := "ログインするには、https://example.cybozu.com共通管理画面を開きます。"
		for _, c := range []struct{ at, want string }{
			{"com共通", "example.cybozu.com"}, {"ample", "example"}, {"管理画面", "共通管理"}, {"開きます", "開きます"}, {"ンする", "ログイン"},
		} {
			at := strings.Index(text, c.at)
			at = len([]rune(text[:at])) // the text is in the BMP: runes are code units
			start := browsertest.Run(t, ctx, "snippetStart", chromedp.Evaluate[int](fmt.Sprintf("helpgenSearch.snippetStart(%s, %d)", jsString(text), at)))
			if got := string([]rune(text)[start:]); !strings.HasPrefix(got, c.want) {
				t.Errorf("snippet from %q starts at %q, want %q", c.at, got, c.want)
			}
		}
	})

	t.Run("results and downloads agree with Go", func(t *testing.T) {
		for _, c := range []struct{ base, dir string }{{jp, "jp"}, {us, "us"}} {
			browsertest.Do(t, ctx, "open "+c.dir, chromedp.Navigate(c.base+start))
			for _, q := range []string{"ロック", "パスワード", "管理者", "040150", "0401", "SAML認証を利用している", "ログイン 画面", "cybozu", "kintone", "pass", "表", "存在しない語", "ログインできないときに最初に確認すること", "a b c d e f g h i j",
				"ログイン画面", "パスワードを変更", "者", "/ja/id/040150", "ID 040150", "https://jp.example.com/ja/id/040150.html", "id token",
				"ろぐいん", "ログイン", "cybozu.com", "cybozu.comで", "URL", "p", "s", "2段階"} {
				type jsRes struct {
					URLs    []string `json:"urls"`
					Fetched []string `json:"fetched"`
					Total   int      `json:"total"`
					Exact   bool     `json:"exact"`
					More    bool     `json:"more"`
				}
				got := browsertest.Run(t, ctx, q, chromedp.Evaluate[jsRes](`(async () => {
					const ix = new helpgenSearch.Index("/_search/");
					const r = await ix.search(`+jsString(q)+`);
					return {urls: r.results.map(x => x.url), fetched: ix.fetched, total: r.total.n, exact: r.total.exact, more: r.total.more};
				})()`, chromedp.EvalAwaitPromise))
				s := memSearcher(out, c.dir)
				want, err := s.Find(q, 10)
				if err != nil {
					t.Fatal(err)
				}
				var wantURLs []string
				for _, r := range want.Results {
					wantURLs = append(wantURLs, r.URL)
				}
				if !slices.Equal(got.URLs, wantURLs) {
					t.Errorf("%s %q: search.js %q, Go %q", c.dir, q, got.URLs, wantURLs)
				}
				if len(wantURLs) > 0 && (got.Total != want.Total || got.Exact != want.Exact || got.More != want.More) {
					t.Errorf("%s %q: search.js total %d exact %v more %v, Go %d %v %v", c.dir, q, got.Total, got.Exact, got.More, want.Total, want.Exact, want.More)
				}
				slices.Sort(got.Fetched)
				fetched := slices.Clone(s.Fetched)
				slices.Sort(fetched)
				if !slices.Equal(got.Fetched, fetched) {
					t.Errorf("%s %q: search.js fetched %q, Go %q", c.dir, q, got.Fetched, fetched)
				}
			}
		}
	})

	t.Run("JP-only phrase in JP with highlight", func(t *testing.T) {
		browsertest.Do(t, ctx, "open JP", chromedp.Navigate(jp+start), chromedp.WaitVisible("#search-input"))
		typeQuery(t, ctx, "SAML認証を利用している")
		res := waitResults(t, ctx)
		if len(res) != 1 || !strings.HasPrefix(res[0].Href, "/general/ja/user/list_start/mobile.html#") {
			t.Fatalf("JP results: %+v", res)
		}
		if !slices.Contains(res[0].Marks, "SAML認証を利用している") {
			t.Errorf("JP: the phrase is not highlighted: %q", res[0].Marks)
		}
		screenshot(t, ctx, "search-jp-phrase.png")
	})

	t.Run("JP-only phrase absent in US", func(t *testing.T) {
		browsertest.Do(t, ctx, "open US", chromedp.Navigate(us+start), chromedp.WaitVisible("#search-input"))
		typeQuery(t, ctx, "SAML認証を利用している")
		res := waitResults(t, ctx)
		if len(res) != 0 {
			t.Fatalf("US results: %+v", res)
		}
		status := browsertest.Run(t, ctx, "status", chromedp.Evaluate[string](`document.querySelector(".search-status").textContent`))
		help := browsertest.Run(t, ctx, "help", chromedp.Evaluate[bool](`!document.querySelector(".search-help").hidden`))
		if !strings.Contains(status, "SAML認証を利用している") || !help {
			t.Errorf("US: no-results message %q, help shown %v", status, help)
		}
		screenshot(t, ctx, "search-us-none.png")
	})

	t.Run("keyboard navigation", func(t *testing.T) {
		browsertest.Do(t, ctx, "open JP", chromedp.Navigate(jp+start), chromedp.WaitVisible("#search-input"))
		typeQuery(t, ctx, "ロック")
		res := waitResults(t, ctx)
		if len(res) < 3 {
			t.Fatalf("ロック: want at least 3 results, got %+v", res)
		}
		selected := func() int {
			r := browsertest.Run(t, ctx, "read results", chromedp.Evaluate[[]shownResult](readResults))
			for i, x := range r {
				if x.Selected {
					return i
				}
			}
			return -1
		}
		for _, step := range []struct {
			key  string
			want int
		}{{kb.ArrowDown, 0}, {kb.ArrowDown, 1}, {kb.ArrowDown, 2}, {kb.ArrowUp, 1}} {
			browsertest.Do(t, ctx, "key", chromedp.KeyEvent(step.key))
			if got := selected(); got != step.want {
				t.Fatalf("after %q: option %d selected, want %d", step.key, got, step.want)
			}
		}
		active := browsertest.Run(t, ctx, "activedescendant", chromedp.Evaluate[string](`document.querySelector("#search-input").getAttribute("aria-activedescendant")`))
		if active != "search-option-1" {
			t.Errorf("aria-activedescendant = %q", active)
		}
		screenshot(t, ctx, "search-jp-keyboard.png")
		browsertest.Do(t, ctx, "Escape", chromedp.KeyEvent(kb.Escape))
		if hidden := browsertest.Run(t, ctx, "panel", chromedp.Evaluate[bool](`document.querySelector(".search-panel").hidden`)); !hidden {
			t.Error("Escape did not close the results")
		}
		browsertest.Do(t, ctx, "reopen", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
		if got := selected(); got != 1 {
			t.Fatalf("after reopening: option %d selected, want 1", got)
		}
		browsertest.Do(t, ctx, "Enter", chromedp.KeyEvent(kb.Enter))
		browsertest.WaitFor(t, ctx, "navigation to the second result", `location.pathname + location.hash === `+jsString(res[1].Href))
	})

	t.Run("article id first, from any page", func(t *testing.T) {
		browsertest.Do(t, ctx, "open JP home", chromedp.Navigate(jp+"/"), chromedp.WaitVisible("#search-input"))
		browsertest.Do(t, ctx, "slash focuses search", chromedp.KeyEvent("/"))
		if f := browsertest.Run(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement.id`)); f != "search-input" {
			t.Fatalf("after /: focus on %q", f)
		}
		browsertest.Do(t, ctx, "type id", chromedp.KeyEvent("040150"))
		res := waitResults(t, ctx)
		if len(res) == 0 || res[0].Href != "/general/ja/login/unlock.html" {
			t.Fatalf("040150: %+v", res)
		}
		badge := browsertest.Run(t, ctx, "badge", chromedp.Evaluate[string](`document.querySelector(".search-result .search-result-id").textContent`))
		if !strings.Contains(badge, "040150") {
			t.Errorf("id badge %q", badge)
		}
		browsertest.Do(t, ctx, "Enter", chromedp.KeyEvent(kb.Enter))
		browsertest.WaitFor(t, ctx, "navigation to the article", `location.pathname === "/general/ja/login/unlock.html"`)
	})

	cn := serveMem(t, out, "cn")
	for _, c := range []struct{ base, dir, clear string }{{jp, "jp", "強調表示を消す"}, {us, "us", "強調表示を消す"}, {cn, "cn", "強調表示を消す"}} {
		t.Run("total count, kana folded, the page marks the query and clears it in "+c.dir, func(t *testing.T) {
			markAndClear(t, ctx, out, c.base, c.dir, c.clear)
		})
	}

	t.Run("a page opened with a query it lacks is left alone", func(t *testing.T) {
		browsertest.Do(t, ctx, "open JP", chromedp.Navigate(jp+start+"?q="+"存在しない語"), chromedp.WaitVisible("#search-input"))
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("mark, .search-hits").length`); n != 0 {
			t.Errorf("%d marks or bars on a page without the query", n)
		}
	})

	t.Run("snippets show the text as the page shows it", func(t *testing.T) {
		site := buildSite(t, map[string]string{
			"content/a/entity.md": page("記号", "", "{{% note %}}\n研究&amp;開発の&copy;表示&nbsp;です。\n{{% /note %}}\n"),
		}, DefaultOptions)
		base := serveMem(t, site, "jp")
		for q, want := range map[string]string{"研究": "研究&開発の©表示 です。", "amp": "", "copy": "", "nbsp": ""} {
			browsertest.Do(t, ctx, "open", chromedp.Navigate(base+"/a/entity.html"), chromedp.WaitVisible("#search-input"))
			typeQuery(t, ctx, q)
			res := waitResults(t, ctx)
			if want == "" {
				if len(res) != 0 {
					t.Errorf("%q found %+v", q, res)
				}
				continue
			}
			if len(res) != 1 {
				t.Fatalf("%q: results %+v, status %q", q, res, browsertest.Eval[string](t, ctx, `document.querySelector(".search-status").textContent`))
			}
			snippet := browsertest.Eval[string](t, ctx, `document.querySelector(".search-result .search-result-snippet").textContent`)
			if snippet != want {
				t.Errorf("%q: snippet %q, want %q (entities decoded, no admonition label)", q, snippet, want)
			}
		}
	})

	t.Run("full-width query", func(t *testing.T) {
		browsertest.Do(t, ctx, "open US", chromedp.Navigate(us+start), chromedp.WaitVisible("#search-input"))
		typeQuery(t, ctx, "ＳＡＭＬ")
		res := waitResults(t, ctx)
		if len(res) == 0 || !strings.HasPrefix(res[0].Href, "/general/ja/login/saml.html") {
			t.Fatalf("ＳＡＭＬ: %+v", res)
		}
		if !slices.Contains(res[0].Marks, "SAML") {
			t.Errorf("ＳＡＭＬ: SAML not highlighted: %q", res[0].Marks)
		}
	})
}

// markAndClear searches region dir for a kana-folded query, checks the
// total shown, opens the first result and checks the marks there and that
// the button named clear removes them.
func markAndClear(t *testing.T, ctx context.Context, out *output.MemOutput, base, dir, clear string) {
	browsertest.Do(t, ctx, "open "+dir, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#search-input"))
	typeQuery(t, ctx, "ろぐ")
	res := waitResults(t, ctx)
	want, err := memSearcher(out, dir).Find("ろぐ", 10)
	if err != nil {
		t.Fatal(err)
	}
	if want.Total <= 10 || !want.Exact || len(res) != 10 {
		t.Fatalf("ろぐ: Go found %d (exact %v), browser shows %d; want more than one page of results", want.Total, want.Exact, len(res))
	}
	status := browsertest.Eval[string](t, ctx, `document.querySelector(".search-status").textContent`)
	format := browsertest.Eval[string](t, ctx, `document.querySelector("form[data-search]").dataset.count`)
	if wantStatus := strings.ReplaceAll(format, "{n}", fmt.Sprint(want.Total)); status != wantStatus {
		t.Errorf("status %q, want %q", status, wantStatus)
	}
	if !slices.Contains(res[0].Marks, "ログ") {
		t.Errorf("ろぐ: ログ not marked in the first result: %q", res[0].Marks)
	}
	href := browsertest.Eval[string](t, ctx, `document.querySelector(".search-result a").getAttribute("href")`)
	if !strings.Contains(href, "?q=%E3%82%8D%E3%81%90") {
		t.Errorf("result link %q does not carry the query", href)
	}
	browsertest.Do(t, ctx, "open the first result", chromedp.KeyEvent(kb.Enter))
	browsertest.WaitFor(t, ctx, "the page marks the query", `document.querySelectorAll("#main mark.search-hit").length > 0 && !!document.querySelector(".search-hits")`)
	type pageState struct {
		Marks  []string `json:"marks"`
		Bar    string   `json:"bar"`
		Button string   `json:"button"`
		Search string   `json:"search"`
		Focus  string   `json:"focus"`
	}
	const read = `({marks: Array.from(document.querySelectorAll("#main mark.search-hit")).map(m => m.textContent),
		bar: document.querySelector(".search-hits") ? document.querySelector(".search-hits").textContent : "",
		button: document.querySelector(".search-hits button") ? document.querySelector(".search-hits button").textContent : "",
		search: location.search, focus: document.activeElement.id})`
	st := browsertest.Eval[pageState](t, ctx, read)
	for _, m := range st.Marks {
		if Normalize(m) != "ろぐ" {
			t.Errorf("marked %q, want only ログ (any kana)", m)
		}
	}
	if !strings.Contains(st.Bar, "ろぐ") || st.Button != clear || st.Search == "" {
		t.Errorf("bar %q, button %q, address query %q", st.Bar, st.Button, st.Search)
	}
	screenshot(t, ctx, "search-"+dir+"-marked.png")
	browsertest.Do(t, ctx, "clear by keyboard", chromedp.Focus(".search-hits button"), chromedp.KeyEvent(kb.Enter))
	st = browsertest.Eval[pageState](t, ctx, read)
	if len(st.Marks) != 0 || st.Bar != "" || st.Search != "" || st.Focus != "main" {
		t.Errorf("after clearing: marks %q, bar %q, address query %q, focus on %q", st.Marks, st.Bar, st.Search, st.Focus)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#main mark").length`); n != 0 {
		t.Errorf("%d marks left", n)
	}
}
