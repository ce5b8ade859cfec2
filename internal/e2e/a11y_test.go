package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"github.com/helpgen/helpgen/internal/browsertest"
)

// axeVersion is the vendored axe-core (testdata/axe-core/README.md).
const axeVersion = "4.14.1"

// codePage is a page with highlighted code blocks, one of them a long line,
// a table, a warning and an external link.
const codePage = "/general/ja/admin/api_access.html"

// pageKinds are the kinds of page a reader meets, by a URL of each.
var pageKinds = []struct{ kind, path string }{
	{"page", testPage},
	{"code", codePage},
	{"section", "/general/ja/admin/list_useradmin/list_user/"},
	{"home", "/"},
	{"404", "/no/such/page.html"},
	{"alias", aliasURL},
}

// viewport is a window size the tests read pages at.
type viewport struct {
	name          string
	width, height int64
	phone         bool
}

var viewports = []viewport{{"desktop", 1280, 800, false}, {"phone", 375, 812, true}}

func (v viewport) emulate() chromedp.Action[chromedp.Void] {
	if v.phone {
		return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(v.width, v.height)
}

// colorScheme makes the page see the system's light or dark preference.
func colorScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
	if err != nil {
		t.Fatal(err)
	}
}

func readAxe(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src[:200]), "axe v"+axeVersion) {
		t.Fatalf("testdata/axe-core/axe.min.js is not axe-core %s", axeVersion)
	}
	return string(src)
}

// axeViolation is one failed axe rule with the elements it failed on.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeResult is what axe-core found: the rules that failed, and how many
// passed (so a run that checked nothing cannot pass).
type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Passes     int            `json:"passes"`
}

// runAxe runs every axe-core rule on the page as it is now.
func runAxe(t *testing.T, ctx context.Context, axe string) axeResult {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe+"\n;0")); err != nil {
		t.Fatalf("loading axe-core: %v", err)
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](
		`axe.run(document, {resultTypes: ['violations']}).then(r => ({violations: r.violations, passes: r.passes.length}))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	if r.Passes < 10 {
		t.Fatalf("axe-core passed only %d rules: it did not examine the page", r.Passes)
	}
	return r
}

// holdAlias keeps an alias page open: its redirect's request is answered
// with 204 No Content, which leaves the page where it is, as a browser does.
func holdAlias(t *testing.T, ctx context.Context) {
	t.Helper()
	events := chromedp.Events(ctx, fetch.RequestPaused)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: 204})
		}
	}()
	_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*" + aliasDest + "*"}}})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAccessibility runs axe-core on every kind of page of every region, at
// desktop and phone width, in the light and the dark theme, and saves a
// screenshot of each: no rule may fail.
func TestAccessibility(t *testing.T) {
	bctx := browsertest.Start(t)
	site := serveSite(t)
	axe := readAxe(t)
	for _, code := range site.codes {
		t.Run(code, func(t *testing.T) {
			for _, pk := range pageKinds {
				t.Run(pk.kind, func(t *testing.T) {
					var ctx context.Context
					if pk.kind == "404" {
						// The browser rightly logs the 404 status as an error.
						var cancel context.CancelFunc
						ctx, cancel = chromedp.NewContext(bctx)
						defer cancel()
					} else {
						ctx = browsertest.Tab(t, bctx)
					}
					if pk.kind == "alias" {
						holdAlias(t, ctx)
					}
					for _, vp := range viewports {
						for _, scheme := range []string{"light", "dark"} {
							colorScheme(t, ctx, scheme)
							browsertest.Do(t, ctx, "open "+pk.path, vp.emulate(), chromedp.Navigate(site.base[code]+pk.path))
							browsertest.WaitFor(t, ctx, "page loaded", `document.readyState === 'complete'`)
							if pk.kind != "alias" {
								browsertest.WaitFor(t, ctx, "theme applied", fmt.Sprintf(`matchMedia('(prefers-color-scheme: %s)').matches`, scheme))
							}
							for _, v := range runAxe(t, ctx, axe).Violations {
								var where []string
								for _, n := range v.Nodes {
									where = append(where, fmt.Sprint(n.Target)+": "+n.Summary)
								}
								t.Errorf("%s %s %s: axe %s (%s):\n  %s", pk.path, vp.name, scheme, v.ID, v.Help, strings.Join(where, "\n  "))
							}
							saveScreenshot(t, ctx, fmt.Sprintf("a11y-%s-%s-%s-%s.png", strings.ToLower(code), pk.kind, vp.name, scheme), false)
						}
					}
				})
			}
		})
	}
}
