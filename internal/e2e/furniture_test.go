package e2e

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/helpgen/helpgen/internal/browsertest"
)

// stubClipboard records what the page copies: headless Chromium has no
// clipboard to read back.
const stubClipboard = `Object.defineProperty(navigator, 'clipboard', {configurable: true,
	value: {writeText: t => { window.__copied = t; return Promise.resolve(); }}});`

// background is the computed background colour of the page's body.
const bodyBackground = `getComputedStyle(document.body).backgroundColor`

// dark reports whether a CSS colour "rgb(r, g, b)" is dark.
func dark(t *testing.T, rgb string) bool {
	t.Helper()
	var r, g, b int
	if _, err := fmt.Sscanf(rgb, "rgb(%d, %d, %d)", &r, &g, &b); err != nil {
		t.Fatalf("colour %q: %v", rgb, err)
	}
	return r+g+b < 3*80
}

// TestDarkTheme checks that the theme follows the system and that the
// reader's choice, made with the toggle, outlives a reload.
func TestDarkTheme(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	for _, code := range site.codes {
		t.Run(code, func(t *testing.T) {
			ctx := browsertest.Tab(t, bctx)
			url := site.base[code] + codePage
			colorScheme(t, ctx, "dark")
			browsertest.Do(t, ctx, "open page", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(url))
			if bg := browsertest.Eval[string](t, ctx, bodyBackground); !dark(t, bg) {
				t.Errorf("system in dark: background %s", bg)
			}
			toggle := `document.querySelector('.theme-toggle')`
			if p := browsertest.Eval[string](t, ctx, toggle+`.getAttribute('aria-pressed')`); p != "true" {
				t.Errorf("toggle pressed = %q in the dark", p)
			}
			keyword := `getComputedStyle(document.querySelector('.chroma .k')).color`
			darkKeyword := browsertest.Eval[string](t, ctx, keyword)
			saveScreenshot(t, ctx, strings.ToLower(code)+"-dark.png", true)

			browsertest.Do(t, ctx, "choose light", chromedp.Click(chromedp.CSS(`.theme-toggle`)))
			if bg := browsertest.Eval[string](t, ctx, bodyBackground); dark(t, bg) {
				t.Errorf("after choosing light: background %s", bg)
			}
			if k := browsertest.Eval[string](t, ctx, keyword); k == darkKeyword {
				t.Errorf("highlighted keyword keeps its dark colour %s in the light theme", k)
			}
			browsertest.Do(t, ctx, "reload", chromedp.Reload())
			if bg, p := browsertest.Eval[string](t, ctx, bodyBackground), browsertest.Eval[string](t, ctx, toggle+`.getAttribute('aria-pressed')`); dark(t, bg) || p != "false" {
				t.Errorf("the reader's light choice was forgotten: background %s, pressed %s", bg, p)
			}
			// The choice holds when the system changes, and on other pages.
			colorScheme(t, ctx, "light")
			browsertest.Do(t, ctx, "choose dark", chromedp.Click(chromedp.CSS(`.theme-toggle`)))
			browsertest.Do(t, ctx, "home", chromedp.Navigate(site.base[code]+"/"))
			if bg := browsertest.Eval[string](t, ctx, bodyBackground); !dark(t, bg) {
				t.Errorf("dark chosen under a light system, home page background %s", bg)
			}
			browsertest.Do(t, ctx, "forget", chromedp.Evaluate[chromedp.Void](`localStorage.clear()`))
		})
	}
}

// TestCodeBlocks checks highlighted code: classes and no inline styles, a
// long line scrolling inside its block (clear of "In this article" at 1280
// px, within the window at 375 px), and the copy button.
func TestCodeBlocks(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	for _, code := range site.codes {
		t.Run(code, func(t *testing.T) {
			ctx := browsertest.Tab(t, bctx)
			if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: stubClipboard}); err != nil {
				t.Fatal(err)
			}
			for _, vp := range viewports {
				browsertest.Do(t, ctx, "open page", vp.emulate(), chromedp.Navigate(site.base[code]+codePage))
				type block struct {
					Blocks    int     `json:"blocks"`
					Tokens    int     `json:"tokens"`
					Styled    int     `json:"styled"`
					Scrolls   bool    `json:"scrolls"`
					Focusable bool    `json:"focusable"`
					Right     float64 `json:"right"`
					TOCLeft   float64 `json:"tocLeft"`
					Overflow  bool    `json:"overflow"`
					Buttons   int     `json:"buttons"`
				}
				b := browsertest.Eval[block](t, ctx, `(() => {
					const pres = [...document.querySelectorAll('article pre.chroma')], first = pres[0];
					const toc = document.querySelector('.toc');
					return {blocks: pres.length, tokens: document.querySelectorAll('article pre.chroma span[class]').length,
						styled: document.querySelectorAll('article pre [style]').length,
						scrolls: first.scrollWidth > first.clientWidth, focusable: first.tabIndex === 0,
						right: first.getBoundingClientRect().right,
						tocLeft: toc && toc.checkVisibility() ? toc.getBoundingClientRect().left : 1e9,
						overflow: document.documentElement.scrollWidth > innerWidth,
						buttons: document.querySelectorAll('.code-block > .copy-button').length};
				})()`)
				if b.Blocks != 3 || b.Tokens < 20 || b.Styled != 0 {
					t.Errorf("%s: %d highlighted blocks with %d tokens, %d inline styles: %+v", vp.name, b.Blocks, b.Tokens, b.Styled, b)
				}
				if !b.Scrolls || !b.Focusable || b.Overflow || b.Right > float64(vp.width) {
					t.Errorf("%s: the long line must scroll inside its block (focusable), not the page: %+v", vp.name, b)
				}
				if !vp.phone && b.Right > b.TOCLeft {
					t.Errorf("%s: the code block (right %.0f) runs into the TOC (left %.0f)", vp.name, b.Right, b.TOCLeft)
				}
				if b.Buttons != b.Blocks {
					t.Errorf("%s: %d copy buttons for %d blocks", vp.name, b.Buttons, b.Blocks)
				}
			}
			browsertest.Do(t, ctx, "copy", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('.copy-button')[1].scrollIntoView({block: 'center'})`),
				chromedp.Click(chromedp.CSS(`.code-block:nth-of-type(1) .copy-button`)))
			browsertest.WaitFor(t, ctx, "copied", `window.__copied !== undefined`)
			got := browsertest.Eval[string](t, ctx, `window.__copied`)
			want := browsertest.Eval[string](t, ctx, `document.querySelector('.code-block:nth-of-type(1) pre code').textContent.replace(/\n$/, '')`)
			if got != want || !strings.Contains(got, "curl") {
				t.Errorf("copied %q, want the block's text %q", got, want)
			}
			browsertest.WaitFor(t, ctx, "button says copied", `document.querySelector('.code-block:nth-of-type(1) .copy-button').textContent !== document.querySelector('.site-footer').dataset.copy`)
		})
	}
}

// TestPageFurniture checks heading permalinks, "In this article" marking the
// section in view, back-to-top, last updated and the edit link.
func TestPageFurniture(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	// What git says of the page's file, to compare with the date shown.
	out, err := exec.Command("git", "-C", root, "log", "-1", "--format=%cs", "--", "content/general/ja/login/troubleshoot_first.md").Output()
	wantDate := strings.TrimSpace(string(out))
	if err != nil || wantDate == "" {
		t.Skipf("the site is not in a git work tree with history (%v)", err)
	}
	for _, code := range site.codes {
		t.Run(code, func(t *testing.T) {
			ctx := browsertest.Tab(t, bctx)
			browsertest.Do(t, ctx, "open page", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(site.base[code]+testPage))

			// Permalinks: every heading of the article links to itself, by name.
			type anchor struct {
				Headings int      `json:"headings"`
				Links    []string `json:"links"`
				Names    []string `json:"names"`
			}
			a := browsertest.Eval[anchor](t, ctx, `(() => {
				const hs = [...document.querySelectorAll('article :is(h2, h3, h4)[id]')];
				const links = hs.map(h => h.querySelector('a.anchor'));
				return {headings: hs.length, links: links.map((l, i) => l && l.getAttribute('href') === '#' + encodeURIComponent(hs[i].id) ? 'ok' : 'bad'),
					names: links.map(l => l ? l.getAttribute('aria-label') : '')};
			})()`)
			if a.Headings < 2 || strings.Contains(strings.Join(a.Links, " "), "bad") {
				t.Errorf("permalinks: %+v", a)
			}
			for _, n := range a.Names {
				if !strings.Contains(n, ": ") {
					t.Errorf("permalink without a name: %q", n)
				}
			}

			// "In this article" follows the scroll.
			ids := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll('.toc a')].map(a => decodeURIComponent(a.getAttribute('href').slice(1)))`)
			if len(ids) < 2 {
				t.Fatalf("TOC %q", ids)
			}
			marked := `(document.querySelector('.toc a[aria-current]') || {getAttribute: () => ''}).getAttribute('href')`
			browsertest.WaitFor(t, ctx, "first section marked at the top", marked+` === '#' + encodeURIComponent(`+fmt.Sprintf("%q", ids[0])+`)`)
			for _, id := range []string{ids[1], ids[0]} {
				browsertest.Do(t, ctx, "scroll to "+id, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).scrollIntoView()`, id)))
				browsertest.WaitFor(t, ctx, id+" marked", fmt.Sprintf(`%s === '#' + encodeURIComponent(%q) && document.querySelectorAll('.toc a[aria-current]').length === 1`, marked, id))
			}

			// Back to top: hidden at the top, offered a window down, and it works.
			toTop := `document.querySelector('.to-top')`
			browsertest.Do(t, ctx, "top", chromedp.Evaluate[chromedp.Void](`scrollTo(0, 0)`))
			browsertest.WaitFor(t, ctx, "no back-to-top at the top", `!`+toTop+`.checkVisibility()`)
			browsertest.Do(t, ctx, "bottom", chromedp.Evaluate[chromedp.Void](`scrollTo(0, document.documentElement.scrollHeight)`))
			browsertest.WaitFor(t, ctx, "back-to-top shown", toTop+`.checkVisibility()`)
			browsertest.Do(t, ctx, "back to top", chromedp.Click(chromedp.CSS(`.to-top`)))
			browsertest.WaitFor(t, ctx, "at the top", `scrollY === 0 && document.activeElement === document.getElementById('main')`)

			// Last updated, from git, in the page's language; the edit link.
			type meta struct {
				ISO  string `json:"iso"`
				Text string `json:"text"`
				Edit string `json:"edit"`
			}
			m := browsertest.Eval[meta](t, ctx, `(() => { const t = document.querySelector('.page-meta time'), e = document.querySelector('.edit-link a');
				return {iso: t ? t.getAttribute('datetime') : '', text: t ? t.textContent : '', edit: e ? e.href : ''}; })()`)
			if m.ISO != wantDate || !regexp.MustCompile(`^\d{4}年\d{1,2}月\d{1,2}日$`).MatchString(m.Text) {
				t.Errorf("last updated %q %q, want %s from git, written in Japanese", m.ISO, m.Text, wantDate)
			}
			if m.Edit != "https://github.com/helpgen/helpgen/edit/main/content/general/ja/login/troubleshoot_first.md" {
				t.Errorf("edit link %q", m.Edit)
			}

			// A short page offers no back-to-top.
			browsertest.Do(t, ctx, "short page", chromedp.Navigate(site.base[code]+"/general/ja/"))
			browsertest.Do(t, ctx, "bottom", chromedp.Evaluate[chromedp.Void](`scrollTo(0, document.documentElement.scrollHeight)`), chromedp.Sleep(200e6))
			if browsertest.Eval[bool](t, ctx, toTop+`.checkVisibility()`) {
				t.Errorf("back-to-top on a short page")
			}
		})
	}
}

// controlsJS lists the visible controls smaller than 44 × 44 px. Links in
// the article's running text are sentences, not controls, and are left out.
const controlsJS = `[...document.querySelectorAll('a[href], button, summary, input, [role=button], [tabindex="0"]:not(pre)')]
	.filter(el => el.checkVisibility() && !el.closest('article.article p, article.article li, article.article td, .skip-link'))
	.map(el => [el, el.getBoundingClientRect()])
	.filter(([el, r]) => r.width > 0 && (r.width < 43.5 || r.height < 43.5))
	.map(([el, r]) => el.outerHTML.slice(0, 80) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))`

// TestPhone checks the reader's site at 375 px: a header of at most 56 px,
// search behind a button that opens a full-width field, breadcrumbs on one
// line with the middle collapsed, and no control smaller than 44 px.
func TestPhone(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	axe := readAxe(t)
	phone := viewports[1]
	for _, code := range site.codes {
		t.Run(code, func(t *testing.T) {
			ctx := browsertest.Tab(t, bctx)
			for _, path := range []string{testPage, codePage, "/general/ja/admin/list_useradmin/list_user/", "/"} {
				browsertest.Do(t, ctx, "open "+path, phone.emulate(), chromedp.Navigate(site.base[code]+path))
				if h := browsertest.Eval[float64](t, ctx, `document.querySelector('.site-header').getBoundingClientRect().height`); h > 56 {
					t.Errorf("%s: header %.0f px high", path, h)
				}
				if small := browsertest.Eval[[]string](t, ctx, controlsJS); len(small) > 0 {
					t.Errorf("%s: controls under 44 px:\n  %s", path, strings.Join(small, "\n  "))
				}
				if browsertest.Eval[bool](t, ctx, `document.documentElement.scrollWidth > innerWidth`) {
					t.Errorf("%s: page scrolls sideways", path)
				}
				if path == "/" {
					continue
				}
				type crumbs struct {
					Lines, Shown, All int
					Text              string
				}
				c := browsertest.Eval[crumbs](t, ctx, `(() => { const li = [...document.querySelectorAll('.breadcrumbs li')].filter(l => l.checkVisibility());
					return {Lines: new Set(li.map(l => Math.round(l.getBoundingClientRect().top))).size, Shown: li.length,
						All: document.querySelectorAll('.breadcrumbs li').length,
						Text: li.map(l => getComputedStyle(l, '::before').content.replace(/^none$/, '') + l.textContent).join(' ')}; })()`)
				if c.Lines != 1 || (c.All > 3 && (c.Shown != 3 || !strings.Contains(c.Text, "…"))) {
					t.Errorf("%s: breadcrumbs on %d lines, %d of %d shown: %q", path, c.Lines, c.Shown, c.All, c.Text)
				}
			}
			// The menu's tree and the open search field keep to the same sizes.
			browsertest.Do(t, ctx, "open page", chromedp.Navigate(site.base[code]+codePage))
			browsertest.Do(t, ctx, "open menu", chromedp.Click(chromedp.CSS(`.nav-toggle`)))
			// The page carries its own branch of the tree, the current page marked.
			browsertest.WaitFor(t, ctx, "tree shown", `document.getElementById('site-tree').checkVisibility() && document.querySelector('#site-tree [aria-current="page"]') !== null`)
			if small := browsertest.Eval[[]string](t, ctx, controlsJS); len(small) > 0 {
				t.Errorf("open menu: controls under 44 px:\n  %s", strings.Join(small, "\n  "))
			}
			for _, v := range runAxe(t, ctx, axe).Violations {
				t.Errorf("open menu: axe %s (%s): %d elements", v.ID, v.Help, len(v.Nodes))
			}
			browsertest.Do(t, ctx, "close menu", chromedp.Click(chromedp.CSS(`.nav-toggle`)))
			input := `document.getElementById('search-input')`
			if browsertest.Eval[bool](t, ctx, input+`.checkVisibility()`) {
				t.Errorf("search field shown before its button is pressed")
			}
			browsertest.Do(t, ctx, "open search", chromedp.Click(chromedp.CSS(`.search-toggle`)))
			browsertest.WaitFor(t, ctx, "full-width search field, focused", `(r => `+input+`.checkVisibility() && r.width >= innerWidth - 40 && r.height >= 43.5 &&
				document.activeElement === `+input+`)(`+input+`.getBoundingClientRect())`)
			saveScreenshot(t, ctx, strings.ToLower(code)+"-phone-search.png", false)
			for _, v := range runAxe(t, ctx, axe).Violations {
				t.Errorf("open search field: axe %s (%s): %d elements", v.ID, v.Help, len(v.Nodes))
			}
			browsertest.Do(t, ctx, "close search", chromedp.Click(chromedp.CSS(`.search-toggle`)))
			browsertest.WaitFor(t, ctx, "search closed", `!`+input+`.checkVisibility()`)
			saveScreenshot(t, ctx, strings.ToLower(code)+"-phone-375.png", true)
		})
	}
}

// TestWithoutScripts checks what a reader without JavaScript gets: at 375
// px a link at the top down to the sections; a note where search would be.
func TestWithoutScripts(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	for _, code := range site.codes {
		t.Run(code, func(t *testing.T) {
			ctx := browsertest.Tab(t, bctx)
			if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
				t.Fatal(err)
			}
			for _, vp := range viewports {
				for _, path := range []string{"/", testPage} {
					browsertest.Do(t, ctx, "open "+path, vp.emulate(), chromedp.Navigate(site.base[code]+path))
					note := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll('.search-nojs')].filter(p => p.checkVisibility()).map(p => p.textContent).join('|')`)
					if !strings.Contains(note, "JavaScript") {
						t.Errorf("%s %s: no visible note that search needs JavaScript: %q", vp.name, path, note)
					}
					link := browsertest.Eval[bool](t, ctx, `(a => !!a && a.checkVisibility() && a.getBoundingClientRect().bottom < 120)(document.querySelector('a.nav-link[href="#site-tree"]'))`)
					if link != vp.phone {
						t.Errorf("%s %s: link to the sections at the top shown = %v", vp.name, path, link)
					}
				}
				if vp.phone {
					browsertest.Do(t, ctx, "follow the link", chromedp.Click(chromedp.CSS(`a.nav-link`)))
					browsertest.WaitFor(t, ctx, "sections in view", `location.hash === '#site-tree' && scrollY > 0`)
					if top := browsertest.Eval[float64](t, ctx, `document.getElementById('site-tree').getBoundingClientRect().top`); top < -1 || top > 80 {
						t.Errorf("the sections are %.0f px from the top after following the link", top)
					}
					saveScreenshot(t, ctx, strings.ToLower(code)+"-phone-nojs.png", false)
				}
			}
		})
	}
}

// TestPrint checks the print stylesheet: no backgrounds anywhere (notes,
// warnings, code), the address after each external link, no navigation.
func TestPrint(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	for _, code := range site.codes {
		t.Run(code, func(t *testing.T) {
			ctx := browsertest.Tab(t, bctx)
			// Printing from the dark theme prints light.
			colorScheme(t, ctx, "dark")
			browsertest.Do(t, ctx, "open page", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(site.base[code]+codePage))
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print",
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}); err != nil {
				t.Fatal(err)
			}
			painted := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll('body, body *')].filter(el => el.checkVisibility())
				.filter(el => { const s = getComputedStyle(el); return s.backgroundImage !== 'none' || !/rgba\(0, 0, 0, 0\)|transparent/.test(s.backgroundColor); })
				.map(el => el.tagName + '.' + el.className + ' ' + getComputedStyle(el).backgroundColor)`)
			if len(painted) > 0 {
				t.Errorf("backgrounds in print: %q", painted)
			}
			if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('.admonition.warning').length`); n == 0 {
				t.Errorf("the page has no warning to print")
			}
			type link struct {
				Href  string `json:"href"`
				After string `json:"after"`
			}
			links := browsertest.Eval[[]link](t, ctx, `[...document.querySelectorAll('article a[href]')].map(a => ({href: a.getAttribute('href'), after: getComputedStyle(a, '::after').content}))`)
			external := 0
			for _, l := range links {
				isExternal := strings.HasPrefix(l.Href, "https:") || strings.HasPrefix(l.Href, "http:")
				if isExternal {
					external++
				}
				if isExternal != strings.Contains(l.After, l.Href) {
					t.Errorf("print: link %s followed by %s", l.Href, l.After)
				}
			}
			if external == 0 {
				t.Errorf("the page has no external link to print")
			}
			if fg := browsertest.Eval[string](t, ctx, `getComputedStyle(document.body).color`); dark(t, fg) == false {
				t.Errorf("print from the dark theme prints light text %s", fg)
			}
			hidden := browsertest.Eval[bool](t, ctx, `['.site-header', '#site-tree', '.toc', '.copy-button', '.to-top'].every(s => !document.querySelector(s) || !document.querySelector(s).checkVisibility())`)
			if !hidden {
				t.Errorf("print shows navigation or buttons")
			}
			saveScreenshot(t, ctx, strings.ToLower(code)+"-print.png", true)
		})
	}
}

// TestHomePage checks the home page: the search field first and prominent,
// the home page's own text, then the top sections as cards with their
// descriptions.
func TestHomePage(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	axe := readAxe(t)
	for _, code := range site.codes {
		t.Run(code, func(t *testing.T) {
			for _, vp := range viewports {
				ctx := browsertest.Tab(t, bctx)
				browsertest.Do(t, ctx, "open home", vp.emulate(), chromedp.Navigate(site.base[code]+"/"))
				browsertest.WaitFor(t, ctx, "search ready", `!document.querySelector('form.search').hidden`)
				type home struct {
					SearchTop, SearchWidth, SearchHeight, ContentWidth float64
					TextBottom, CardsTop                               float64
					Cards                                              []string
					Described                                          int
				}
				h := browsertest.Eval[home](t, ctx, `(() => {
					const s = document.getElementById('search-input').getBoundingClientRect();
					const art = document.querySelector('article.article').getBoundingClientRect();
					const cards = [...document.querySelectorAll('.home-sections .card')];
					return {SearchTop: s.top, SearchWidth: s.width, SearchHeight: s.height, ContentWidth: document.querySelector('.page').getBoundingClientRect().width,
						TextBottom: art.bottom, CardsTop: cards.length ? cards[0].getBoundingClientRect().top : 0,
						Cards: cards.map(c => c.querySelector('.card-title').textContent),
						Described: cards.filter(c => (c.querySelector('.card-text') || {}).textContent).length};
				})()`)
				if h.SearchTop > 250 || h.SearchWidth < 0.6*h.ContentWidth || h.SearchHeight < 44 {
					t.Errorf("%s: search field not prominent: %+v", vp.name, h)
				}
				if len(h.Cards) < 3 || h.Described != len(h.Cards) {
					t.Errorf("%s: cards %q, %d with descriptions", vp.name, h.Cards, h.Described)
				}
				if h.TextBottom > h.CardsTop || h.SearchTop > h.CardsTop {
					t.Errorf("%s: the home text and search must come before the cards: %+v", vp.name, h)
				}
				if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('form.search').length`); n != 1 {
					t.Errorf("%s: %d search forms", vp.name, n)
				}
				// The field searches.
				browsertest.Do(t, ctx, "type", chromedp.SendKeys(`#search-input`, "パスワード"))
				browsertest.WaitFor(t, ctx, "results", `document.querySelectorAll('#search-results [role=option]').length > 0`)
				saveScreenshot(t, ctx, fmt.Sprintf("%s-home-%s.png", strings.ToLower(code), vp.name), false)
				// The open results, in both themes, pass axe-core too, all but
				// one rule: search.js's options hold their result's link
				// (nested-interactive), a shape of the search widget itself.
				for _, scheme := range []string{"light", "dark"} {
					colorScheme(t, ctx, scheme)
					for _, v := range runAxe(t, ctx, axe).Violations {
						if v.ID != "nested-interactive" {
							t.Errorf("%s %s, search results: axe %s (%s): %v", vp.name, scheme, v.ID, v.Help, v.Nodes)
						}
					}
				}
				saveScreenshot(t, ctx, fmt.Sprintf("%s-home-%s-results-dark.png", strings.ToLower(code), vp.name), false)
			}
		})
	}
}

// dropFirstAlt empties the alt of the page's first screenshot as it is parsed,
// before the theme's script sees it: the bundled site gives every one an
// alt, as helpgen check asks.
const dropFirstAlt = `new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => {
	if (n.matches && n.matches('article img.screenshot') && !document.querySelector('img[data-no-alt]')) { n.alt = ''; n.dataset.noAlt = ''; }
}))).observe(document, {childList: true, subtree: true});`

// TestScreenshotNames checks that every screenshot offered for zooming is a
// button with a name: its alt text, or the label when it has none.
func TestScreenshotNames(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	for _, code := range site.codes {
		t.Run(code, func(t *testing.T) {
			ctx := browsertest.Tab(t, bctx)
			if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: dropFirstAlt}); err != nil {
				t.Fatal(err)
			}
			browsertest.Do(t, ctx, "open page", chromedp.EmulateViewport(375, 812), chromedp.Navigate(site.base[code]+testPage))
			browsertest.Do(t, ctx, "load every screenshot", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('article img.screenshot').forEach(i => i.loading = 'eager')`))
			browsertest.WaitFor(t, ctx, "screenshots loaded", `[...document.querySelectorAll('article img.screenshot')].every(i => i.complete && i.naturalWidth > 0)`)
			type shot struct {
				Alt   string `json:"alt"`
				Label string `json:"label"`
			}
			shots := browsertest.Eval[[]shot](t, ctx, `[...document.querySelectorAll('img[role=button]')].map(i => ({alt: i.alt, label: i.getAttribute('aria-label') || ''}))`)
			noAlt := 0
			for _, s := range shots {
				if s.Alt == "" {
					noAlt++
					if s.Label != "スクリーンショットを拡大" {
						t.Errorf("zoomable screenshot without alt is labelled %q", s.Label)
					}
				} else if s.Label != "" {
					t.Errorf("screenshot with alt %q also labelled %q", s.Alt, s.Label)
				}
			}
			if noAlt != 1 || len(shots) < 2 {
				t.Errorf("want one zoomable screenshot without alt among several on %s, got %+v", testPage, shots)
			}
		})
	}
}
