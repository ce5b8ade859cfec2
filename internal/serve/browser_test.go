package serve

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/helpgen/helpgen/internal/browsertest"
)

// TestLiveReloadInBrowser watches a served page in Chromium while the page
// is edited, broken and fixed: it reloads by itself at the same scroll
// position, shows the error over the page and clears it.
func TestLiveReloadInBrowser(t *testing.T) {
	browsertest.Path(t)
	dir := copySite(t)
	srv := start(t, dir)
	ctx := browsertest.Tab(t, browsertest.Start(t))
	browsertest.Do(t, ctx, "open page", chromedp.EmulateViewport(800, 300), chromedp.Navigate(srv.addrs[1].URL+unlockURL))
	browsertest.WaitFor(t, ctx, "the event stream", `document.getElementById("helpgen-live")`)
	if h := browsertest.Eval[float64](t, ctx, `document.documentElement.scrollHeight`); h < 900 {
		t.Fatalf("page is %v px high: too short to test scrolling", h)
	}
	browsertest.Eval[float64](t, ctx, `window.scrollTo(0, 400), window.__before = 1`)
	browsertest.WaitFor(t, ctx, "the scroll", `Math.abs(window.scrollY - 400) < 2`)

	replaceIn(t, dir, unlock, "\n\n", "\n\nBROWSER-EDIT\n\n")
	browsertest.WaitFor(t, ctx, "the reloaded page at the same place",
		`window.__before === undefined && document.body.innerText.includes("BROWSER-EDIT") && Math.abs(window.scrollY - 400) < 2`)

	replaceIn(t, dir, unlock, "BROWSER-EDIT", "{{% enabled JPN %}}x{{% /enabled %}}")
	browsertest.WaitFor(t, ctx, "the error overlay",
		`(document.getElementById("helpgen-error") || {innerText: ""}).innerText.includes("unlock.md:")`)

	replaceIn(t, dir, unlock, "{{% enabled JPN %}}x{{% /enabled %}}", "BROWSER-FIXED")
	browsertest.WaitFor(t, ctx, "the fixed page without the overlay",
		`!document.getElementById("helpgen-error") && document.body.innerText.includes("BROWSER-FIXED")`)
}
