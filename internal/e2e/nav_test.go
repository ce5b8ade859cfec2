package e2e

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/helpgen/helpgen/internal/browsertest"
	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/corpus"
)

// The bundled site with a dead end in every region: a page only US has
// (usOnly), a section and page only CN has (cnOnly), beside saml.md, which
// CN lacks.
const (
	usOnly      = "/general/ja/login/us_only.html"
	usOnlyAlias = "/ja/id/990001/"
	cnOnly      = "/general/ja/cnonly/page.html"
)

var regionPages = map[string]string{
	"content/general/ja/login/us_only.md": "---\ntitle: US だけの記事\nenabled: [US]\naliases: [\"/ja/id/990001\"]\n---\n\n## 手順 {#us_step}\n\nUS の読者向けの手順です。\n",
	"content/general/ja/cnonly/_index.md": "---\ntitle: CN だけのセクション\nenabled: [CN]\n---\n",
	"content/general/ja/cnonly/page.md":   "---\ntitle: CN だけの記事\nenabled: [CN]\naliases: [\"/ja/id/990002\"]\n---\n\n## 手順 {#cn_step}\n\nCN の読者向けの手順です。\n",
}

// A dead end per region: a page there, a region without it, the section
// above it that region has, and an id on the page.
var deadEnds = []struct{ region, page, missing, up, id string }{
	{"JP", cnMissing, "CN", "/general/ja/login/", "login_saml_20"},
	{"US", usOnly, "JP", "/general/ja/login/", "us_step"},
	{"CN", cnOnly, "US", "/general/ja/", "cn_step"},
}

var (
	regionSiteOnce sync.Once
	regionSiteVal  *served
	regionSiteErr  error
)

// serveRegionSite builds the bundled site plus regionPages, with config
// edited by edit, and serves each region on its own loopback origin.
func serveSiteWith(extra map[string]string, edit func(string) string) (*served, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "helpgen-e2e-site-")
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, func() { os.RemoveAll(tmp) })
	for _, d := range []string{"content", "static"} {
		sub, err := fs.Sub(os.DirFS(root), d)
		if err != nil {
			return nil, err
		}
		if err := os.CopyFS(filepath.Join(tmp, d), sub); err != nil {
			return nil, err
		}
	}
	for rel, text := range extra {
		p := filepath.Join(tmp, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	text, err := os.ReadFile(filepath.Join(root, config.File))
	if err != nil {
		return nil, err
	}
	cfg, err := config.Parse(text)
	if err != nil {
		return nil, err
	}
	conf := edit(string(text))
	s := &served{base: map[string]string{}}
	servers := map[string]*httptest.Server{}
	for _, rc := range cfg.Regions {
		srv := httptest.NewUnstartedServer(nil)
		base := "http://" + srv.Listener.Addr().String()
		conf = strings.ReplaceAll(conf, `"`+rc.BaseURL+`"`, `"`+base+`/"`)
		servers[rc.Code], s.base[rc.Code] = srv, base
		s.codes = append(s.codes, rc.Code)
	}
	if err := os.WriteFile(filepath.Join(tmp, config.File), []byte(conf), 0o644); err != nil {
		return nil, err
	}
	dest, err := buildTemp(os.DirFS(tmp))
	if err != nil {
		return nil, err
	}
	for code, srv := range servers {
		srv.Config.Handler = regionHandler(filepath.Join(dest, strings.ToLower(code)))
		srv.Start()
		cleanups = append(cleanups, srv.Close)
	}
	return s, nil
}

func serveRegionSite(t *testing.T) *served {
	regionSiteOnce.Do(func() {
		regionSiteVal, regionSiteErr = serveSiteWith(regionPages, func(s string) string { return s })
	})
	if regionSiteErr != nil {
		t.Fatal(regionSiteErr)
	}
	return regionSiteVal
}

// upLinkJS describes a region's link in the switcher: what it says, whether
// it takes focus, and the contrast of its text on what is behind it.
const upLinkJS = `((code) => {
  const a = document.querySelector('.region-switch a[hreflang$="-' + code + '"]');
  if (!a) return {found: false};
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  let bg = [255, 255, 255];
  for (let el = a; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length >= 3 && (c.length < 4 || c[3] > 0)) { bg = c; break; } }
  const note = a.querySelector('.region-note');
  const ratio = (x, y) => { const l1 = lum(x), l2 = lum(y); return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05); };
  a.focus();
  return {found: true, up: a.classList.contains('region-up'), href: a.href, text: a.innerText.trim(), name: a.textContent.trim(),
    focused: document.activeElement === a, noteShown: !!note && note.checkVisibility() && note.getBoundingClientRect().width > 0,
    contrast: ratio(rgb(getComputedStyle(a).color), bg), noteContrast: note ? ratio(rgb(getComputedStyle(note).color), bg) : 0};
})`

type upLink struct {
	Found        bool    `json:"found"`
	Up           bool    `json:"up"`
	Href         string  `json:"href"`
	Text         string  `json:"text"`
	Name         string  `json:"name"`
	Focused      bool    `json:"focused"`
	NoteShown    bool    `json:"noteShown"`
	Contrast     float64 `json:"contrast"`
	NoteContrast float64 `json:"noteContrast"`
}

// TestRegionDeadEnds: in every region, the switcher of a page another
// region lacks links that region's nearest section, focusable and labelled
// in visible text; that region's 404 page at the page's URL names the
// regions that have it and links there, fragment included.
func TestRegionDeadEnds(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveRegionSite(t)
	for _, de := range deadEnds {
		t.Run(de.region, func(t *testing.T) {
			ctx := browsertest.Tab(t, bctx)
			browsertest.Do(t, ctx, "open page", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(site.base[de.region]+de.page))
			l := browsertest.Eval[upLink](t, ctx, upLinkJS+"("+fmt.Sprintf("%q", de.missing)+")")
			if !l.Found || !l.Up || l.Href != site.base[de.missing]+de.up {
				t.Fatalf("switcher's %s: %+v, want a section link to %s", de.missing, l, de.up)
			}
			if !l.Focused || !l.NoteShown || !strings.Contains(l.Text, de.missing) || !strings.Contains(l.Text, "上の階層") {
				t.Errorf("switcher's %s is not a focusable link labelled in visible text: %+v", de.missing, l)
			}
			if !strings.Contains(l.Name, "この地域にはこのページがありません") {
				t.Errorf("switcher's %s: accessible name %q does not say the page is missing", de.missing, l.Name)
			}
			if l.Contrast < 4.5 || l.NoteContrast < 4.5 {
				t.Errorf("switcher's %s: contrast %.2f (note %.2f), want ≥ 4.5", de.missing, l.Contrast, l.NoteContrast)
			}
			saveScreenshot(t, ctx, "deadend-"+strings.ToLower(de.region)+"-switcher.png", false)
			// On a phone the labelled pill fits the header.
			browsertest.Do(t, ctx, "phone", chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2), chromedp.EmulateMobile))
			if f := facts(t, ctx); f.Overflow {
				t.Errorf("at 375px the page scrolls sideways")
			}
			up := `document.querySelector('.region-switch a.region-up[hreflang$="-` + de.missing + `"]')`
			fits := `(r => r.left >= 0 && r.right <= innerWidth)(` + up + `.getBoundingClientRect())`
			if !browsertest.Eval[bool](t, ctx, fits) {
				t.Errorf("at 375px the section link leaves the window")
			}
			saveScreenshot(t, ctx, "deadend-"+strings.ToLower(de.region)+"-switcher-375.png", false)
			browsertest.Do(t, ctx, "desktop", chromedp.EmulateViewport(1280, 800))
			browsertest.Do(t, ctx, "focus it again", chromedp.Evaluate[chromedp.Void](up+`.focus()`))
			browsertest.Do(t, ctx, "follow it by keyboard", chromedp.KeyEvent(kb.Enter))
			browsertest.WaitFor(t, ctx, "the section there", fmt.Sprintf(`location.href === %q && document.readyState === 'complete'`, site.base[de.missing]+de.up))
			if f := facts(t, ctx); f.Region != de.missing || f.H1 == "ページが見つかりません" {
				t.Errorf("after the section link: %+v", f)
			}

			// That region's 404 page at the page's URL.
			nf, cancel := chromedp.NewContext(bctx) // the browser rightly logs the 404
			defer cancel()
			browsertest.Do(t, nf, "open the page where it is missing", chromedp.EmulateViewport(1280, 800),
				chromedp.Navigate(site.base[de.missing]+de.page+"#"+de.id))
			browsertest.WaitFor(t, nf, "the regions that have it", `!document.querySelector('.elsewhere').hidden`)
			type elsewhere struct {
				Links   []string `json:"links"`
				Section string   `json:"section"`
				Switch  string   `json:"switch"`
			}
			got := browsertest.Eval[elsewhere](t, nf, `({
				links: [...document.querySelectorAll('.elsewhere li:not([hidden]) a')].map(a => a.href),
				section: (a => a.checkVisibility() ? a.href : '')(document.querySelector('.elsewhere-section a')),
				switch: document.querySelector('.region-switch a[hreflang$="-`+de.region+`"]').href})`)
			want := site.base[de.region] + de.page + "#" + de.id
			if !contains(got.Links, want) || got.Switch != want {
				t.Errorf("404 in %s: links %q (switcher %s), want %s", de.missing, got.Links, got.Switch, want)
			}
			if got.Section != site.base[de.missing]+de.up {
				t.Errorf("404 in %s: section %q, want %s", de.missing, got.Section, de.up)
			}
			saveScreenshot(t, nf, "deadend-"+strings.ToLower(de.missing)+"-404.png", false)
			browsertest.Do(t, nf, "follow it", chromedp.Click(chromedp.CSS(`.elsewhere li:not([hidden]) a[hreflang$="-`+de.region+`"]`)))
			browsertest.WaitFor(t, nf, "the page in its region, at the fragment", fmt.Sprintf(`location.href === %q && document.readyState === 'complete' &&
				(el => el && el.matches(':target') && (r => r.top >= 0 && r.bottom <= innerHeight)(el.getBoundingClientRect()))(document.getElementById(%q))`, want, de.id))
		})
	}
	// An alias of a page a region lacks answers there the same way.
	nf, cancel := chromedp.NewContext(bctx)
	defer cancel()
	browsertest.Do(t, nf, "open an alias CN lacks", chromedp.Navigate(site.base["CN"]+strings.TrimSuffix(usOnlyAlias, "/")))
	browsertest.WaitFor(t, nf, "the regions that have it", `!document.querySelector('.elsewhere').hidden`)
	if got := browsertest.Eval[[]string](t, nf, `[...document.querySelectorAll('.elsewhere li:not([hidden]) a')].map(a => a.href)`); len(got) != 1 || !strings.HasPrefix(got[0], site.base["US"]) {
		t.Errorf("CN 404 at US's alias: %q", got)
	}
	// A URL no region has says nothing more.
	browsertest.Do(t, nf, "open a URL nobody has", chromedp.Navigate(site.base["JP"]+"/no/such/page.html"))
	browsertest.Do(t, nf, "settle", chromedp.Sleep(300*time.Millisecond))
	if browsertest.Eval[bool](t, nf, `!document.querySelector('.elsewhere').hidden`) {
		t.Errorf("a URL no region has is said to exist elsewhere")
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// TestFragments: in every region an alias with a fragment lands on the
// heading (by script; the refresh without scripts reaches the page), and
// the region switcher carries the fragment, also after it changes.
func TestFragments(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveRegionSite(t)
	for i, code := range site.codes {
		other := site.codes[(i+1)%len(site.codes)]
		t.Run(code, func(t *testing.T) {
			ctx := browsertest.Tab(t, bctx)
			base := site.base[code]
			browsertest.Do(t, ctx, "open alias with a fragment", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+aliasURL+"#login_unlock_20"))
			browsertest.WaitFor(t, ctx, "the heading", fmt.Sprintf(`location.href === %q && document.readyState === 'complete' &&
				(r => r.top >= 0 && r.top < 200)(document.getElementById('login_unlock_20').getBoundingClientRect()) && scrollY > 0`, base+aliasDest+"#login_unlock_20"))
			saveScreenshot(t, ctx, "fragment-"+strings.ToLower(code)+"-alias.png", false)

			// The switcher carries the fragment, and follows it as it changes.
			sw := `document.querySelector('.region-switch a[hreflang$="-` + other + `"]').href`
			if got := browsertest.Eval[string](t, ctx, sw); got != site.base[other]+aliasDest+"#login_unlock_20" {
				t.Errorf("switcher link %s keeps no fragment", got)
			}
			browsertest.Do(t, ctx, "click TOC", chromedp.Click(chromedp.CSS(`.toc a[href="#login_unlock_10"]`)))
			browsertest.WaitFor(t, ctx, "switcher follows", sw+` === `+fmt.Sprintf("%q", site.base[other]+aliasDest+"#login_unlock_10"))
			browsertest.Do(t, ctx, "switch region", chromedp.Click(chromedp.CSS(`.region-switch a[hreflang$="-`+other+`"]`)))
			browsertest.WaitFor(t, ctx, "the heading in the other region", fmt.Sprintf(`location.href === %q && document.readyState === 'complete' &&
				(r => r.top >= 0 && r.top < 200)(document.getElementById('login_unlock_10').getBoundingClientRect())`, site.base[other]+aliasDest+"#login_unlock_10"))

			// Without scripts the refresh still reaches the page.
			if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
				t.Fatal(err)
			}
			browsertest.Do(t, ctx, "open alias without scripts", chromedp.Navigate(base+aliasURL))
			browsertest.WaitFor(t, ctx, "redirect without scripts", fmt.Sprintf(`location.href === %q`, base+aliasDest))
			if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// responses records the status of every response the tab receives.
type responses struct {
	mu  sync.Mutex
	all map[string]int64
}

func record(t *testing.T, ctx context.Context) *responses {
	r := &responses{all: map[string]int64{}}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventResponseReceived); ok {
			r.mu.Lock()
			r.all[e.Response.URL] = e.Response.Status
			r.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *responses) failed() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for u, st := range r.all {
		if st >= 400 {
			out = append(out, fmt.Sprintf("%s %d", u, st))
		}
	}
	return out
}

// TestIconOnEveryKind: every kind of page — alias pages too — links the
// theme's icon, which each region serves, so no browser asks for
// /favicon.ico; an alias page held in the window makes no failed request.
func TestIconOnEveryKind(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveRegionSite(t)
	const icon = `<link rel="icon" href="/_theme/favicon.svg" type="image/svg+xml">`
	for _, code := range site.codes {
		for _, u := range []string{testPage, "/general/ja/login/", "/", "/no/such/page.html", aliasURL} {
			resp, err := http.Get(site.base[code] + u)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(body), icon) {
				t.Errorf("%s %s links no icon", code, u)
			}
		}
		resp, err := http.Get(site.base[code] + "/_theme/favicon.svg")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
			t.Errorf("%s icon: %d %s", code, resp.StatusCode, resp.Header.Get("Content-Type"))
		}

		tab, cancelTab := chromedp.NewContext(bctx)
		ctx, cancel := context.WithTimeout(tab, 30*time.Second)
		rec := record(t, ctx)
		// The alias page stays in the window: the request for the page it
		// sends the reader to is held, never answered.
		if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*" + aliasDest}}}); err != nil {
			t.Fatal(err)
		}
		// Not chromedp.Navigate, which would wait for the held page.
		if _, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: site.base[code] + aliasURL}); err != nil {
			t.Fatal(err)
		}
		browsertest.Do(t, ctx, "settle", chromedp.Sleep(time.Second))
		if f := rec.failed(); len(f) > 0 {
			t.Errorf("%s: failed requests around the alias page: %q", code, f)
		}
		if code == "JP" {
			saveScreenshot(t, ctx, "alias-jp.png", false)
		}
		cancel()
		cancelTab()
	}
}

// TestLanguageWithoutConfig: a site whose helpgen.toml names no languages
// still marks its general/ja/ pages Japanese, with Japanese labels and
// hreflang, in every region.
func TestLanguageWithoutConfig(t *testing.T) {
	bctx := browsertest.Start(t)
	site, err := serveSiteWith(nil, func(s string) string {
		s = strings.Replace(s, "languages = [\"ja\", \"en\", \"zh\"]\n", "", 1)
		return strings.Replace(s, "defaultLanguage = \"ja\"\n", "", 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range site.codes {
		ctx := browsertest.Tab(t, bctx)
		browsertest.Do(t, ctx, "open page", chromedp.Navigate(site.base[code]+testPage))
		f := facts(t, ctx)
		skip := browsertest.Eval[string](t, ctx, `document.querySelector('.skip-link').textContent`)
		if f.Lang != "ja" || skip != "本文へ移動" || len(f.Alternates) == 0 {
			t.Fatalf("%s: lang %q, skip link %q, alternates %q", code, f.Lang, skip, f.Alternates)
		}
		for _, a := range f.Alternates {
			if !strings.HasPrefix(a, "ja-") {
				t.Errorf("%s: alternate %s not in Japanese", code, a)
			}
		}
	}
}

// TestTreeOnDemand: in every region a page fetches no tree file by itself,
// even once idle; opening a section (by mouse or keyboard) fetches that
// section's level alone.
func TestTreeOnDemand(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveRegionSite(t)
	navFetches := `performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.startsWith('/_nav/'))`
	for _, code := range site.codes {
		t.Run(code, func(t *testing.T) {
			ctx := browsertest.Tab(t, bctx)
			browsertest.Do(t, ctx, "open page", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(site.base[code]+testPage))
			// Longer than the old idle fallback, with the reader pointing at the tree.
			browsertest.Do(t, ctx, "idle", chromedp.Sleep(2*time.Second))
			browsertest.Do(t, ctx, "hover and focus the tree", chromedp.Evaluate[chromedp.Void](`document.querySelector('#site-tree a').focus()`))
			if got := browsertest.Eval[[]string](t, ctx, navFetches); len(got) != 0 {
				t.Fatalf("tree files fetched without the reader opening a section: %q", got)
			}
			// A section off the page's branch: closed, empty, and fetched when opened.
			lazy := `document.querySelector('#site-tree a[href="/general/ja/admin/"] + details')`
			if !browsertest.Eval[bool](t, ctx, `(d => d && !d.open && !d.querySelector('ul'))(`+lazy+`)`) {
				t.Fatalf("admin section is not a closed, empty toggle")
			}
			browsertest.Do(t, ctx, "open it by keyboard", chromedp.Evaluate[chromedp.Void](lazy+`.querySelector('summary').focus()`), chromedp.KeyEvent(kb.Enter))
			browsertest.WaitFor(t, ctx, "its level", `[...`+lazy+`.querySelectorAll(':scope > ul > li > a')].some(a => a.checkVisibility())`)
			if got := browsertest.Eval[[]string](t, ctx, navFetches); len(got) != 1 || got[0] != "/_nav/t/general/ja/admin.html" {
				t.Errorf("fetched %q, want only the admin section's level", got)
			}
			// Its subsections open the same way, by mouse.
			sub := lazy + `.querySelector('.tree-lazy')`
			browsertest.Do(t, ctx, "open a subsection", chromedp.Evaluate[chromedp.Void](sub+`.querySelector('summary').click()`))
			browsertest.WaitFor(t, ctx, "its level", `document.querySelectorAll('#site-tree a[href="/general/ja/admin/"] + details details[open] > ul > li').length > 0`)
			if got := browsertest.Eval[[]string](t, ctx, navFetches); len(got) != 2 {
				t.Errorf("fetched %q, want two levels", got)
			}
			saveScreenshot(t, ctx, "tree-"+strings.ToLower(code)+"-opened.png", false)
		})
	}
	// Without scripts the closed, empty toggles are not offered.
	ctx := browsertest.Tab(t, bctx)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, ctx, "open without scripts", chromedp.Navigate(site.base["JP"]+testPage))
	if browsertest.Eval[bool](t, ctx, `[...document.querySelectorAll('#site-tree .tree-lazy')].some(d => d.checkVisibility())`) {
		t.Errorf("without scripts, toggles that cannot open are shown")
	}
}

var (
	corpusOnce sync.Once
	corpusVal  *served
	corpusErr  error
)

// serveCorpus builds a generated 5,000-page site and serves its regions.
func serveCorpus(t *testing.T) *served {
	corpusOnce.Do(func() {
		dir, err := os.MkdirTemp("", "helpgen-e2e-corpus-")
		if err != nil {
			corpusErr = err
			return
		}
		cleanups = append(cleanups, func() { os.RemoveAll(dir) })
		if _, err := corpus.Write(dir, corpus.Options{Pages: 5000, Seed: 1}); err != nil {
			corpusErr = err
			return
		}
		dest, err := buildTemp(os.DirFS(dir))
		if err != nil {
			corpusErr = err
			return
		}
		corpusVal = &served{base: map[string]string{}}
		for _, code := range []string{"CN", "JP", "US"} {
			srv := httptest.NewServer(regionHandler(filepath.Join(dest, strings.ToLower(code))))
			cleanups = append(cleanups, srv.Close)
			corpusVal.base[code], corpusVal.codes = srv.URL, append(corpusVal.codes, code)
		}
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpusVal
}

// TestFirstViewBytes: on a 5,000-page site, a reader's first page view
// (the page, its styles, scripts and icon, after the browser is idle)
// fetches at most 80 KB, uncompressed, in every region; opening a long
// section's "show all" fetches that level alone.
func TestFirstViewBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 5,000-page site")
	}
	bctx := browsertest.Start(t)
	site := serveCorpus(t)
	for _, code := range site.codes {
		t.Run(code, func(t *testing.T) {
			ctx := browsertest.Tab(t, bctx)
			var mu sync.Mutex
			wire := map[network.RequestID]float64{}
			if err := chromedp.Listen(ctx, func(ev any) {
				if e, ok := ev.(*network.EventLoadingFinished); ok {
					mu.Lock()
					wire[e.RequestID] = e.EncodedDataLength
					mu.Unlock()
				}
			}); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
				t.Fatal(err)
			}
			const p = "/general/ja/s0050/p002525.html"
			browsertest.Do(t, ctx, "open page", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(site.base[code]+p))
			browsertest.Do(t, ctx, "idle", chromedp.Sleep(2*time.Second))
			type view struct {
				Body  float64  `json:"body"`
				Files []string `json:"files"`
			}
			got := browsertest.Eval[view](t, ctx, `(() => {
				const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
				return {body: all.reduce((n, e) => n + e.decodedBodySize, 0),
					files: all.map(e => new URL(e.name).pathname + ' ' + e.decodedBodySize)};
			})()`)
			mu.Lock()
			onWire := 0.0
			for _, n := range wire {
				onWire += n
			}
			mu.Unlock()
			t.Logf("%s first view: %.1f KB of bodies, uncompressed; %.1f KB on the wire with headers: %q", code, got.Body/1024, onWire/1024, got.Files)
			if got.Body > 80*1024 || onWire > 80*1024 {
				t.Errorf("%s first view fetches %.1f KB (%.1f KB on the wire), want ≤ 80 KB", code, got.Body/1024, onWire/1024)
			}
			for _, f := range got.Files {
				if strings.HasPrefix(f, "/_nav/") {
					t.Errorf("%s: tree file fetched on first view: %s", code, f)
				}
			}
			// The page's level is cut short; "show all" fetches it whole, in place.
			more := `document.querySelector('#site-tree .tree-more a')`
			if !browsertest.Eval[bool](t, ctx, `!!`+more) {
				t.Fatalf("no level cut short on a 5,000-page site")
			}
			before := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#site-tree li').length`)
			browsertest.Do(t, ctx, "show all", chromedp.Click(chromedp.CSS(`#site-tree .tree-more a`)))
			browsertest.WaitFor(t, ctx, "the whole level", `!document.querySelector('#site-tree .tree-more') || document.querySelectorAll('#site-tree li').length > `+fmt.Sprint(before))
			level := browsertest.Eval[view](t, ctx, `(() => { const l = performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname.startsWith('/_nav/'));
				return {body: l.reduce((n, e) => n + e.decodedBodySize, 0), files: l.map(e => new URL(e.name).pathname)}; })()`)
			t.Logf("%s show all: %q, %.1f KB", code, level.Files, level.Body/1024)
			if len(level.Files) != 1 || level.Body > 32*1024 {
				t.Errorf("show all fetched %q (%.1f KB), want one level", level.Files, level.Body/1024)
			}
			state := browsertest.Eval[[]bool](t, ctx, `[location.pathname === `+fmt.Sprintf("%q", p)+`, !!document.querySelector('#site-tree a[aria-current="page"]'),
				document.activeElement.closest('#site-tree') !== null]`)
			if !state[0] || !state[1] || !state[2] {
				t.Errorf("after show all: stayed %v, current page marked %v, focus in the tree %v", state[0], state[1], state[2])
			}
			if code == "JP" {
				saveScreenshot(t, ctx, "tree-corpus-show-all.png", false)
			}
		})
	}
}
