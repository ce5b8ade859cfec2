package serve

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/helpgen/helpgen/internal/browsertest"
)

// TestLiveReloadInBrowser watches a served page in Chromium while the page
// is edited, broken and fixed: it reloads by itself keeping the writer's
// place (the heading in view stays where it was, though a paragraph was
// added above it), shows the error over the page and clears it.
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
	// The heading in view: its distance from the top of the window is the
	// writer's place.
	const heading = `document.getElementById("login_unlock_20")`
	top := browsertest.Eval[float64](t, ctx, `window.scrollTo(0, `+heading+`.offsetTop - 40), window.__before = 1, `+heading+`.getBoundingClientRect().top`)
	y := browsertest.Eval[float64](t, ctx, `window.scrollY`)
	if y < 300 {
		t.Fatalf("scrolled to %v px only: the heading is too high to test keeping the place", y)
	}

	// The edit adds a paragraph above the heading.
	replaceIn(t, dir, unlock, "\n\n", "\n\nBROWSER-EDIT\n\n")
	browsertest.WaitFor(t, ctx, "the reloaded page at the same place", fmt.Sprintf(
		`window.__before === undefined && document.readyState === "complete" && document.body.innerText.includes("BROWSER-EDIT") && `+
			`Math.abs(%s.getBoundingClientRect().top - %v) < 2 && window.scrollY > %v`, heading, top, y+10))

	replaceIn(t, dir, unlock, "BROWSER-EDIT", "{{% enabled JPN %}}x{{% /enabled %}}")
	browsertest.WaitFor(t, ctx, "the error overlay",
		`(document.getElementById("helpgen-error") || {innerText: ""}).innerText.includes("unlock.md:")`)

	replaceIn(t, dir, unlock, "{{% enabled JPN %}}x{{% /enabled %}}", "BROWSER-FIXED")
	browsertest.WaitFor(t, ctx, "the fixed page without the overlay",
		`!document.getElementById("helpgen-error") && document.body.innerText.includes("BROWSER-FIXED")`)
}
