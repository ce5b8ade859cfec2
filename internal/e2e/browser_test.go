package e2e

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/browsertest"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/search"
)

// The page every region is driven through: a seed page with screenshots, two
// h2 headings and enough text to scroll.
const (
	testPage  = "/general/ja/login/troubleshoot_first.html"
	cnMissing = "/general/ja/login/saml.html" // disabled: [CN]
	aliasURL  = "/ja/id/040150/"              // alias of unlock.md
	aliasDest = "/general/ja/login/unlock.html"
	// A page whose first screenshot is larger than the text is wide, and
	// whose second is shown at its natural size.
	zoomPage = "/general/ja/user/screen_layout.html"
	bigShot  = "/screen_layout_img01.png"
)

// served is the bundled site built once and served per region on loopback.
type served struct {
	base  map[string]string // region code → http://127.0.0.1:port
	codes []string
}

var (
	siteOnce sync.Once
	siteVal  *served
	siteErr  error
)

// repoRoot is the folder holding go.mod, where the bundled site lives.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the test folder")
		}
		dir = parent
	}
}

// overlay is the site folder with helpgen.toml replaced.
type overlay struct {
	fs.FS
	files fstest.MapFS
}

func (o overlay) Open(name string) (fs.File, error) {
	if _, ok := o.files[name]; ok {
		return o.files.Open(name)
	}
	return o.FS.Open(name)
}

// serveSite builds the bundled site with each region's baseURL pointing at
// its own loopback server, into a temporary folder, and serves it. Regions
// are on separate origins because pages link root-relative, as in production.
func serveSite(t *testing.T) *served {
	siteOnce.Do(func() { siteVal, siteErr = buildAndServe() })
	if siteErr != nil {
		t.Fatal(siteErr)
	}
	return siteVal
}

var cleanups []func()

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range cleanups {
		f()
	}
	os.Exit(code)
}

func buildAndServe() (*served, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	text, err := os.ReadFile(filepath.Join(root, config.File))
	if err != nil {
		return nil, err
	}
	cfg, err := config.Parse(text)
	if err != nil {
		return nil, err
	}
	s := &served{base: map[string]string{}}
	servers := map[string]*httptest.Server{}
	conf := string(text)
	for _, rc := range cfg.Regions {
		srv := httptest.NewUnstartedServer(nil)
		base := "http://" + srv.Listener.Addr().String()
		for _, old := range []string{rc.BaseURL, strings.TrimSuffix(rc.BaseURL, "/")} {
			conf = strings.ReplaceAll(conf, `"`+old+`"`, `"`+base+`/"`)
		}
		servers[rc.Code], s.base[rc.Code] = srv, base
		s.codes = append(s.codes, rc.Code)
	}
	fsys := overlay{FS: os.DirFS(root), files: fstest.MapFS{config.File: {Data: []byte(conf)}}}
	dest, err := buildTempDir(fsys, root)
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

// buildTemp builds a site into a temporary folder removed when the tests end,
// and returns the folder holding one folder per region.
func buildTemp(fsys fs.FS) (string, error) { return buildTempDir(fsys, "") }

// buildTempDir is buildTemp for a site in folder dir on disk, whose git
// history dates its pages.
func buildTempDir(fsys fs.FS, dir string) (string, error) {
	proj, err := build.Load(fsys, helpgen.Defaults, build.LoadOptions{Dir: dir})
	if err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp("", "helpgen-e2e-")
	if err != nil {
		return "", err
	}
	cleanups = append(cleanups, func() { os.RemoveAll(tmp) })
	dest := filepath.Join(tmp, "public")
	out, err := output.NewDirOutput(dest)
	if err != nil {
		return "", err
	}
	rep, err := proj.Build(out, build.Options{Writers: []build.RegionWriter{search.Writer(search.DefaultOptions)}})
	if err != nil {
		return "", err
	}
	var dirs []string
	for _, r := range rep.Regions {
		dirs = append(dirs, r.Dir)
	}
	return dest, out.Commit(dirs)
}

// regionHandler serves one region folder the way a static host does,
// answering a missing path with the region's 404.html.
func regionHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))
		if _, err := os.Stat(p); err != nil {
			body, _ := os.ReadFile(filepath.Join(dir, "404.html"))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(body)
			return
		}
		files.ServeHTTP(w, r)
	})
}

func screenshotDir(t *testing.T) string {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "testout", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func saveScreenshot(t *testing.T, ctx context.Context, name string, full bool) {
	t.Helper()
	shot := chromedp.CaptureScreenshot()
	if full {
		shot = chromedp.FullScreenshot(100)
	}
	buf, err := chromedp.Run(ctx, shot)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir(t), name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pageFacts is what a reader sees of the page furniture.
type pageFacts struct {
	H1            string   `json:"h1"`
	Current       string   `json:"current"`
	CurrentHref   string   `json:"currentHref"`
	CurrentShown  bool     `json:"currentShown"`
	TreeShown     bool     `json:"treeShown"`
	TreeSections  int      `json:"treeSections"`
	Crumbs        []string `json:"crumbs"`
	CrumbHome     string   `json:"crumbHome"`
	TOC           []string `json:"toc"`
	Region        string   `json:"region"`
	Switch        []string `json:"switch"`
	Missing       []string `json:"missing"`
	Alternates    []string `json:"alternates"`
	Lang          string   `json:"lang"`
	Overflow      bool     `json:"overflow"`
	ToggleShown   bool     `json:"toggleShown"`
	ToggleState   string   `json:"toggleState"`
	Screenshots   int      `json:"screenshots"`
	ArticleIsBody bool     `json:"articleIsBody"`
}

const factsJS = `(() => {
  const q = s => document.querySelector(s), qa = s => [...document.querySelectorAll(s)];
  const shown = el => !!el && el.checkVisibility() && el.getBoundingClientRect().height > 0;
  const cur = q('#site-tree a[aria-current="page"]');
  const toggle = q('.nav-toggle');
  return {
    h1: q('h1').textContent.trim(),
    current: cur ? cur.textContent.trim() : "",
    currentHref: cur ? cur.getAttribute('href') : "",
    currentShown: shown(cur),
    treeShown: shown(q('#site-tree')),
    treeSections: qa('#site-tree .tree-sec').length,
    crumbs: qa('.breadcrumbs li').map(li => li.textContent.trim()),
    crumbHome: (q('.breadcrumbs a') || {}).pathname || "",
    toc: qa('.toc a').map(a => a.getAttribute('href')),
    region: (q('.region-switch a[aria-current]') || {}).textContent || "",
    switch: qa('.region-switch a').map(a => a.textContent + " " + a.href),
    missing: qa('.region-switch .region-missing').map(s => s.firstChild.textContent),
    alternates: qa('link[rel=alternate]').map(l => l.hreflang + " " + l.href),
    lang: document.documentElement.lang,
    overflow: document.documentElement.scrollWidth > window.innerWidth,
    toggleShown: shown(toggle),
    toggleState: toggle ? toggle.getAttribute('aria-expanded') : "",
    screenshots: qa('article img.screenshot').length,
    articleIsBody: !q('article.article nav, article.article aside.toc, article.article h1'),
  };
})()`

func facts(t *testing.T, ctx context.Context) pageFacts {
	t.Helper()
	return browsertest.Eval[pageFacts](t, ctx, factsJS)
}

// zoomOffered and zoomWithheld are JavaScript functions of a screenshot: it
// has loaded and offers zoom (a button with the zoom cursor) or does not.
const (
	zoomOffered  = `(img => img.complete && img.naturalWidth > 0 && img.dataset.action === 'zoom' && img.getAttribute('role') === 'button' && img.tabIndex === 0 && getComputedStyle(img).cursor === 'zoom-in')`
	zoomWithheld = `(img => img.complete && img.naturalWidth > 0 && !img.hasAttribute('data-action') && !img.hasAttribute('role') && !img.hasAttribute('tabindex') && getComputedStyle(img).cursor !== 'zoom-in')`
)

// TestReaderSite drives each region's site as a reader: tree, breadcrumbs,
// table of contents, screenshot zoom, region switcher, and the narrow layout.
func TestReaderSite(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	for i, code := range site.codes {
		other := site.codes[(i+1)%len(site.codes)]
		t.Run(code, func(t *testing.T) {
			base := site.base[code]
			lower := strings.ToLower(code)

			t.Run("desktop", func(t *testing.T) {
				ctx := browsertest.Tab(t, bctx)
				browsertest.Do(t, ctx, "open page", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+testPage))
				f := facts(t, ctx)
				if f.Lang != "ja" {
					t.Errorf("<html lang> = %q, want ja", f.Lang)
				}
				if !f.TreeShown || f.Current != f.H1 || f.CurrentHref != testPage || !f.CurrentShown {
					t.Errorf("tree does not show the current page %q marked: %+v", f.H1, f)
				}
				if f.TreeSections < 3 {
					t.Errorf("the page's branch has %d sections", f.TreeSections)
				}
				if len(f.Crumbs) < 3 || f.Crumbs[len(f.Crumbs)-1] != f.H1 || f.CrumbHome != "/" {
					t.Errorf("breadcrumbs %q (home %q)", f.Crumbs, f.CrumbHome)
				}
				if f.Region != code {
					t.Errorf("region switcher marks %q, want %s", f.Region, code)
				}
				if !f.ArticleIsBody {
					t.Errorf("page furniture inside <article class=\"article\">")
				}
				saveScreenshot(t, ctx, lower+"-desktop.png", true)

				// "In this article" moves to the heading.
				if len(f.TOC) < 2 {
					t.Fatalf("TOC has %d entries: %q", len(f.TOC), f.TOC)
				}
				target := f.TOC[0]
				browsertest.Do(t, ctx, "click TOC", chromedp.Click(chromedp.CSS(`.toc a[href="`+target+`"]`)))
				browsertest.WaitFor(t, ctx, "heading at the top", fmt.Sprintf(`location.hash === %q && scrollY > 0 &&
					(r => r.top >= 0 && r.top < 160)(document.getElementById(%q).getBoundingClientRect())`, target, target[1:]))

				// The region switcher reaches the same place of the page in another region.
				browsertest.Do(t, ctx, "switch region", chromedp.Click(chromedp.CSS(`.region-switch a[hreflang$="-`+other+`"]`)))
				browsertest.WaitFor(t, ctx, "other region", fmt.Sprintf(`location.href === %q && document.readyState === 'complete'`, site.base[other]+testPage+target))
				g := facts(t, ctx)
				if g.Region != other || g.H1 != f.H1 {
					t.Errorf("after switching: region %q h1 %q, want %s %q", g.Region, g.H1, other, f.H1)
				}

				// A screenshot larger than the text zooms, at most to its natural
				// size, and closes with Esc and with a click.
				browsertest.Do(t, ctx, "open zoom page", chromedp.Navigate(base+zoomPage))
				shot := `document.querySelector('article img.screenshot[src$="` + bigShot + `"]')`
				browsertest.Do(t, ctx, "scroll to the screenshot", chromedp.Evaluate[chromedp.Void](shot+`.scrollIntoView({block: 'center'})`))
				browsertest.WaitFor(t, ctx, "zoom offered", zoomOffered+"("+shot+")")
				small := `document.querySelector('article img.screenshot:not([src$="` + bigShot + `"])')`
				browsertest.Do(t, ctx, "scroll to the small screenshot", chromedp.Evaluate[chromedp.Void](small+`.scrollIntoView({block: 'center'})`))
				browsertest.WaitFor(t, ctx, "no zoom for the small screenshot", zoomWithheld+"("+small+")")
				browsertest.Do(t, ctx, "click the small screenshot", chromedp.Click(chromedp.CSS(`article img.screenshot:not([src$="`+bigShot+`"])`)))
				if browsertest.Eval[bool](t, ctx, `document.querySelector('dialog.zoom').open`) {
					t.Errorf("a click on a screenshot at its natural size zoomed it")
				}
				// Centred first, so the sticky header never covers the click.
				zoom := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := chromedp.Evaluate[chromedp.Void](shot+`.scrollIntoView({block: 'center'})`)(ctx, tg)
					if err != nil {
						return err
					}
					_, err = chromedp.Click(chromedp.CSS(`article img.screenshot[src$="`+bigShot+`"]`))(ctx, tg)
					return err
				})
				// Open, loaded, larger than the screenshot in the text, inside the
				// window, and no larger than the image's own pixels.
				opened := `((d, small) => { const b = d.querySelector('img'), r = b.getBoundingClientRect();
					return d.open && b.complete && b.naturalWidth > 0 && r.width > small.getBoundingClientRect().width * 1.2 &&
						r.width <= b.naturalWidth && r.height <= b.naturalHeight && r.right <= innerWidth && r.bottom <= innerHeight; })(
					document.querySelector('dialog.zoom'), ` + shot + `)`
				browsertest.Do(t, ctx, "zoom", zoom)
				browsertest.WaitFor(t, ctx, "zoomed screenshot", opened)
				saveScreenshot(t, ctx, lower+"-desktop-zoom.png", false)
				browsertest.Do(t, ctx, "Esc", chromedp.KeyEvent(kb.Escape))
				browsertest.WaitFor(t, ctx, "zoom closed by Esc", `!document.querySelector('dialog.zoom').open`)
				browsertest.Do(t, ctx, "zoom again", zoom)
				browsertest.WaitFor(t, ctx, "zoomed screenshot", opened)
				browsertest.Do(t, ctx, "click zoomed", chromedp.Click(chromedp.CSS(`dialog.zoom img`)))
				browsertest.WaitFor(t, ctx, "zoom closed by click", `!document.querySelector('dialog.zoom').open`)
			})

			t.Run("section", func(t *testing.T) {
				ctx := browsertest.Tab(t, bctx)
				browsertest.Do(t, ctx, "open section", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+"/general/ja/admin/list_useradmin/list_user/"))
				n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('.children .child-list a').length`)
				if n < 3 {
					t.Errorf("section lists %d children", n)
				}
				saveScreenshot(t, ctx, lower+"-section.png", true)
				browsertest.Do(t, ctx, "open home", chromedp.Navigate(base+"/"))
				// The home page is in no section: its tree is the top level.
				if f := facts(t, ctx); !f.TreeShown || f.TreeSections < 1 || f.Current != "" {
					t.Errorf("home page tree: %+v", f)
				}
				// Its sections open in place, by their toggle, without leaving the
				// page: each section's level is fetched as it is opened.
				browsertest.Do(t, ctx, "open the first section", chromedp.Click(chromedp.CSS(`#site-tree .tree-root > .tree-sec > details > summary`)))
				browsertest.WaitFor(t, ctx, "a section inside it shown", `[...document.querySelectorAll('#site-tree .tree-root > .tree-sec > details .tree-sec > a')].some(a => a.checkVisibility())`)
				if p := browsertest.Eval[string](t, ctx, `location.pathname`); p != "/" {
					t.Errorf("opening a section left the home page for %s", p)
				}
				saveScreenshot(t, ctx, lower+"-home.png", true)
			})

			t.Run("mobile", func(t *testing.T) {
				ctx := browsertest.Tab(t, bctx)
				browsertest.Do(t, ctx, "open page", chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2), chromedp.EmulateMobile),
					chromedp.Navigate(base+testPage))
				f := facts(t, ctx)
				if f.TreeShown || !f.ToggleShown || f.ToggleState != "false" {
					t.Errorf("at 375px the tree must hide behind a toggle: %+v", f)
				}
				if f.Overflow {
					t.Errorf("page scrolls sideways at 375px")
				}
				saveScreenshot(t, ctx, lower+"-mobile.png", true)
				browsertest.Do(t, ctx, "open menu", chromedp.Click(chromedp.CSS(`.nav-toggle`)))
				browsertest.WaitFor(t, ctx, "tree shown", `document.getElementById('site-tree').checkVisibility()`)
				f = facts(t, ctx)
				if !f.CurrentShown || f.ToggleState != "true" {
					t.Errorf("open menu: %+v", f)
				}
				inView := browsertest.Eval[bool](t, ctx, `(r => r.top >= 0 && r.bottom <= innerHeight)(document.querySelector('#site-tree a[aria-current="page"]').getBoundingClientRect())`)
				if !inView {
					t.Errorf("current page not scrolled into view in the open menu")
				}
				covers := browsertest.Eval[bool](t, ctx, `(r => r.left <= 0 && r.right >= innerWidth && r.bottom >= innerHeight - 1)(document.getElementById('site-tree').getBoundingClientRect())`)
				if !covers {
					t.Errorf("open menu does not cover the page below the header")
				}
				saveScreenshot(t, ctx, lower+"-mobile-menu.png", false)
				browsertest.Do(t, ctx, "close menu", chromedp.Click(chromedp.CSS(`.nav-toggle`)))
				browsertest.WaitFor(t, ctx, "tree hidden", `!document.getElementById('site-tree').checkVisibility()`)
			})
		})
	}
}

// TestRegionsAndRedirects checks what exists where: the CN-disabled page has
// no CN alternate and JP's switcher links CN's section above it instead, an
// alias redirects, and a missing page shows the region's 404 page.
func TestRegionsAndRedirects(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	ctx := browsertest.Tab(t, bctx)
	browsertest.Do(t, ctx, "open CN-disabled page in JP", chromedp.Navigate(site.base["JP"]+cnMissing))
	f := facts(t, ctx)
	if len(f.Missing) != 0 {
		t.Errorf("switcher has regions without a link: %q", f.Missing)
	}
	for _, l := range append(f.Switch, f.Alternates...) {
		if strings.Contains(l, site.base["CN"]+cnMissing) {
			t.Errorf("link to CN's page, which CN does not have: %s", l)
		}
	}
	for _, l := range f.Alternates {
		if strings.Contains(l, site.base["CN"]) {
			t.Errorf("alternate in CN for a page CN does not have: %s", l)
		}
	}
	if len(f.Alternates) != 2 {
		t.Errorf("alternates %q, want JP and US", f.Alternates)
	}

	browsertest.Do(t, ctx, "open alias", chromedp.Navigate(site.base["JP"]+aliasURL))
	browsertest.WaitFor(t, ctx, "redirect", fmt.Sprintf(`location.href === %q && document.readyState === 'complete'`, site.base["JP"]+aliasDest))

	// A page with no scripts still has its tree, breadcrumbs and TOC, and the
	// tree follows the page at 375px.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, ctx, "open without scripts", chromedp.EmulateViewport(375, 812), chromedp.Navigate(site.base["US"]+testPage))
	f = facts(t, ctx)
	if !f.TreeShown || !f.CurrentShown || f.ToggleShown || len(f.Crumbs) == 0 || len(f.TOC) == 0 {
		t.Errorf("without scripts at 375px: %+v", f)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatal(err)
	}

	// Print: the article without navigation.
	browsertest.Do(t, ctx, "desktop", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(site.base["US"]+testPage))
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	hidden := browsertest.Eval[bool](t, ctx, `['.site-header', '#site-tree', '.breadcrumbs', '.toc'].every(s => !document.querySelector(s).checkVisibility())
		&& document.querySelector('article.article').checkVisibility()`)
	if !hidden {
		t.Errorf("print stylesheet shows navigation")
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}

	// The skip link is the first stop of the keyboard and becomes visible.
	browsertest.Do(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
	skip := browsertest.Eval[bool](t, ctx, `(a => document.activeElement === a && a.getBoundingClientRect().top >= 0)(document.querySelector('.skip-link'))`)
	if !skip {
		t.Errorf("skip link is not the first focus stop or stays hidden")
	}
}

// TestNotFoundPage is separate because the browser rightly logs the 404.
func TestNotFoundPage(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	browsertest.Do(t, ctx, "open missing page", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(site.base["CN"]+"/no/such/page.html"))
	f := facts(t, ctx)
	if f.H1 != "ページが見つかりません" || !f.TreeShown || f.Region != "CN" {
		t.Errorf("404 page: %+v", f)
	}
	for _, s := range f.Switch {
		if !strings.HasSuffix(s, "/") {
			t.Errorf("404 switcher should link each region's home: %s", s)
		}
	}
	// The page matches no entry of the tree, and gets its top level.
	if f := facts(t, ctx); !f.TreeShown || f.TreeSections < 1 || f.Current != "" {
		t.Errorf("404 page tree: %+v", f)
	}
}

// TestCurrentPageInLargeTree opens pages deep in long sections of a
// generated site: the current page is inside the sidebar, which scrolled
// itself, not the window.
func TestCurrentPageInLargeTree(t *testing.T) {
	bctx := browsertest.Start(t)
	dir := t.TempDir()
	if _, err := corpus.Write(dir, corpus.Options{Pages: 300, PerSection: 100, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	dest, err := buildTemp(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(regionHandler(filepath.Join(dest, "jp")))
	defer srv.Close()
	ctx := browsertest.Tab(t, bctx)
	for _, p := range []string{"/general/ja/s0002/p000299.html", "/general/ja/s0001/p000160.html", "/general/ja/s0000/p000003.html"} {
		browsertest.Do(t, ctx, "open "+p, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+p))
		type place struct {
			Inside   bool    `json:"inside"`
			Current  string  `json:"current"`
			ScrollY  float64 `json:"scrollY"`
			Sections int     `json:"sections"`
			Top      float64 `json:"top"`
		}
		got := browsertest.Eval[place](t, ctx, `(() => {
			const tree = document.getElementById('site-tree'), a = tree.querySelector('a[aria-current="page"]');
			const t = tree.getBoundingClientRect(), r = a ? a.getBoundingClientRect() : {top: -1, bottom: -1};
			return {inside: !!a && r.top >= t.top && r.bottom <= t.bottom, current: a ? a.getAttribute('href') : '',
				scrollY: scrollY, sections: tree.querySelectorAll('.tree-sec').length, top: tree.scrollTop};
		})()`)
		if !got.Inside || got.Current != p || got.ScrollY != 0 || got.Sections < 5 {
			t.Errorf("%s: current page not in view in the sidebar, or the window scrolled: %+v", p, got)
		}
		if p == "/general/ja/s0002/p000299.html" {
			if got.Top == 0 {
				t.Errorf("%s: the sidebar did not scroll to the last page of a long section", p)
			}
			saveScreenshot(t, ctx, "large-tree.png", false)
		}
	}
}
