package build

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/theme"
)

// between returns the text of the first element starting with open, up to
// its closing tag close.
func between(page, open, close string) string {
	i := strings.Index(page, open)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], close)
	if j < 0 {
		return ""
	}
	return page[i : i+j+len(close)]
}

func tree(page string) string   { return between(page, `<nav id="site-tree"`, "\n</nav>") }
func crumbs(page string) string { return between(page, `<nav class="breadcrumbs"`, "</nav>") }

// TestRegionDisabledPage checks the bundled site: saml.md is disabled in CN,
// so CN's tree, tree file, sitemap and every page's alternates and switcher
// leave it out, while JP has it everywhere.
func TestRegionDisabledPage(t *testing.T) {
	proj, err := Load(os.DirFS("../.."), helpgen.Defaults, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := output.NewMemOutput()
	if _, err := proj.Build(out, Options{}); err != nil {
		t.Fatal(err)
	}
	const saml = "/general/ja/login/saml.html"
	section := "general/ja/login/index.html" // its section page shows all its siblings
	for _, tt := range []struct {
		region string
		want   bool
	}{{"jp", true}, {"us", true}, {"cn", false}} {
		sec := get(t, out, tt.region, section)
		if got := strings.Contains(tree(sec), `href="`+saml+`"`); got != tt.want {
			t.Errorf("%s: saml in the page's tree = %v, want %v", tt.region, got, tt.want)
		}
		if got := strings.Contains(get(t, out, tt.region, theme.SectionTreeFile("/general/ja/login/")), `href="`+saml+`"`); got != tt.want {
			t.Errorf("%s: saml in its section's tree file = %v", tt.region, got)
		}
		if got := strings.Contains(get(t, out, tt.region, "sitemap.xml"), ".example.com"+saml+"<"); got != tt.want {
			t.Errorf("%s: saml in sitemap = %v", tt.region, got)
		}
		if got := strings.Contains(between(sec, `<section class="children"`, "</section>"), saml); got != tt.want {
			t.Errorf("%s: saml in the section listing = %v", tt.region, got)
		}
		if _, ok := out.Get(tt.region, strings.TrimPrefix(saml, "/")); ok != tt.want {
			t.Errorf("%s: saml written = %v", tt.region, ok)
		}
	}
	jp := get(t, out, "jp", strings.TrimPrefix(saml, "/"))
	for _, want := range []string{
		`<link rel="alternate" hreflang="ja-JP" href="https://jp.help.example.com` + saml + `">`,
		`<link rel="alternate" hreflang="ja-US" href="https://us.help.example.com` + saml + `">`,
		`<link rel="canonical" href="https://jp.help.example.com` + saml + `">`,
		`<a href="/general/ja/login/saml.html" aria-current="page">SAML認証でログインする</a>`,
	} {
		if !strings.Contains(jp, want) {
			t.Errorf("jp saml: missing %s", want)
		}
	}
	if strings.Contains(jp, "cn.help.example.com"+saml) || strings.Contains(between(jp, "<head>", "</head>"), "cn.help.example.com") {
		t.Errorf("jp saml links to CN's saml, which does not exist")
	}
	// Its switcher leads a CN reader to the section above it, and says so.
	up := `<a class="region-up" href="https://cn.help.example.com/general/ja/login/" hreflang="ja-CN">CN <span class="region-note">上の階層</span>` +
		`<span class="visually-hidden"> (この地域にはこのページがありません。上の階層を開きます: ログイン)</span></a>`
	if !strings.Contains(jp, up) {
		t.Errorf("jp saml: switcher lacks %s in\n%s", up, between(jp, `<nav class="region-switch"`, "</nav>"))
	}
	// A page CN has links every region, CN included, both ways.
	cn := get(t, out, "cn", "general/ja/login/unlock.html")
	for _, code := range []string{"CN", "JP", "US"} {
		want := fmt.Sprintf(`<link rel="alternate" hreflang="ja-%s" href="https://%s.help.example.com/general/ja/login/unlock.html">`, code, strings.ToLower(code))
		if !strings.Contains(cn, want) {
			t.Errorf("cn unlock: missing %s", want)
		}
	}
	// Previous/next in CN skip the page CN does not have.
	login := get(t, out, "cn", "general/ja/login/login.html")
	if strings.Contains(login, saml) || !strings.Contains(between(login, `<nav class="prevnext"`, "</nav>"), `href="/general/ja/login/troubleshoot_first.html"`) {
		t.Errorf("cn login: next should skip saml:\n%s", between(login, `<nav class="prevnext"`, "</nav>"))
	}
}

func TestAliasPages(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"content/a/p.md":    "---\ntitle: \"{{%service%}} page\"\naliases: [\"/ja/id/040150\", \"old/p.html\"]\n---\nbody\n",
		"content/a/q.md":    "---\ntitle: q\naliases: [\"/ja/id/040151\"]\ndisabled: [CN]\n---\nq\n",
		"content/_index.md": "---\ntitle: Home\n---\n",
	}))
	for region, name := range map[string]string{"jp": "cybozu.com", "us": "Kintone", "cn": "cybozu.cn"} {
		for _, rel := range []string{"ja/id/040150/index.html", "old/p.html"} {
			page := get(t, out, region, rel)
			for _, want := range []string{
				`<meta http-equiv="refresh" content="0; url=/a/p.html">`,
				`<link rel="canonical" href="https://` + region + `.example.com/a/p.html">`,
				`<a href="/a/p.html">` + name + ` page</a>`,
				`<meta name="robots" content="noindex">`,
				// A reader who stays (a browser that ignores refresh) sees the site's page.
				`<meta name="viewport" content="width=device-width, initial-scale=1">`,
				`<title>` + name + ` page | ` + name + ` ヘルプ</title>`,
				`<link rel="stylesheet" href="/_theme/helpgen.css">`,
			} {
				if !strings.Contains(page, want) {
					t.Errorf("%s %s: missing %s in\n%s", region, rel, want, page)
				}
			}
		}
		_, ok := out.Get(region, "ja/id/040151/index.html")
		if ok != (region != "cn") {
			t.Errorf("%s: alias of a page disabled there written = %v", region, ok)
		}
		if strings.Contains(get(t, out, region, "sitemap.xml"), "040150") {
			t.Errorf("%s: alias listed in the sitemap", region)
		}
	}
}

// TestPageSizeIndependentOfSiteSize builds sites of 50 and 500 pages in two
// shapes — one long section, and many small sections — and compares the
// size of one page. A tree with a link per page would add over 20 KB; the
// page carries a bounded window per level and each section's level is a
// file of its own.
func TestPageSizeIndependentOfSiteSize(t *testing.T) {
	type shape struct {
		name    string
		section func(i int) string // section folder of page i
	}
	shapes := []shape{
		{"one long section", func(int) string { return "docs" }},
		{"many small sections", func(i int) string { return fmt.Sprintf("s%04d", i/2) }},
	}
	for _, sh := range shapes {
		sizes := map[int]int{}
		for _, n := range []int{50, 500} {
			files := fstest.MapFS{"helpgen.toml": {Data: []byte(testConfig)}}
			for i := range n {
				dir := sh.section(i)
				if _, ok := files["content/"+dir+"/_index.md"]; !ok {
					files["content/"+dir+"/_index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Section " + dir + "\n---\n")}
				}
				files[fmt.Sprintf("content/%s/p%04d.md", dir, i)] = &fstest.MapFile{
					Data: fmt.Appendf(nil, "---\ntitle: Page %04d\nweight: %d\n---\n## Step one\n\ntext\n", i, i+1)}
			}
			proj, err := Load(files, helpgen.Defaults, LoadOptions{Regions: []string{"JP"}})
			if err != nil {
				t.Fatal(err)
			}
			out := output.NewMemOutput()
			if _, err := proj.Build(out, Options{}); err != nil {
				t.Fatal(err)
			}
			// The same page in both sites, deep inside a level longer than the window.
			rel := fmt.Sprintf("%s/p%04d.html", sh.section(40), 40)
			page := get(t, out, "jp", rel)
			if !strings.Contains(tree(page), `aria-current="page">Page 0040<`) {
				t.Fatalf("%s n=%d: current page not in its tree", sh.name, n)
			}
			if c := strings.Count(tree(page), "<li"); c > 3*26 {
				t.Errorf("%s n=%d: tree has %d entries", sh.name, n, c)
			}
			levels := 0
			for k, v := range out.Files {
				if strings.HasPrefix(k, "jp/"+theme.TreeDir) {
					levels += strings.Count(string(v), "<li")
				}
			}
			if levels < n {
				t.Errorf("%s n=%d: the sections' tree files have %d entries, want every page", sh.name, n, levels)
			}
			sizes[n] = len(page)
		}
		// Only the "show all (N)" counts may differ, by a digit.
		if d := sizes[500] - sizes[50]; d < -4 || d > 4 {
			t.Errorf("%s: page is %d bytes in a 50-page site and %d in a 500-page one", sh.name, sizes[50], sizes[500])
		}
	}
}

// TestTitlesExpandedEverywhere checks that titles with variables and
// conditionals are expanded wherever they appear.
func TestTitlesExpandedEverywhere(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"content/_index.md":     "---\ntitle: \"{{%service%}} home\"\n---\n",
		"content/sec/_index.md": "---\ntitle: \"{{%service%}} section\"\n---\n",
		"content/sec/a.md":      "---\ntitle: \"Use {{%service%}}{{% enabled US %}} in the US{{% /enabled %}}\"\nweight: 1\ndescription: \"About {{%service%}}\"\n---\n## On {{%service%}}\n",
		"content/sec/b.md":      "---\ntitle: \"Then {{%service%}}\"\nweight: 2\n---\nb\n",
	}))
	for region, name := range map[string]string{"jp": "cybozu.com", "us": "Kintone", "cn": "cybozu.cn"} {
		a := "Use " + name
		if region == "us" {
			a += " in the US"
		}
		pa := get(t, out, region, "sec/a.html")
		pb := get(t, out, region, "sec/b.html")
		sec := get(t, out, region, "sec/index.html")
		for _, c := range []struct{ where, text, want string }{
			{"<title>", pa, "<title>" + a + " | " + name + " ヘルプ</title>"},
			{"h1", pa, "<h1>" + a + "</h1>"},
			{"tree", tree(pa), `aria-current="page">` + a + "</a>"},
			{"tree section", tree(pa), ">" + name + " section</a>"},
			{"breadcrumbs", crumbs(pa), ">" + name + " section</a>"},
			{"breadcrumbs page", crumbs(pa), `<li aria-current="page">` + a + "</li>"},
			{"TOC", between(pa, `<aside class="toc"`, "</aside>"), ">On " + name + "</a>"},
			{"next", pa, `<span class="pager-title">Then ` + name + "</span>"},
			{"previous", pb, `<span class="pager-title">` + a + "</span>"},
			{"section list", sec, `<a href="/sec/a.html">` + a + "</a><p>About " + name + "</p>"},
			{"tree file", get(t, out, region, theme.SectionTreeFile("/sec/")), ">" + a + "</a>"},
			{"top tree file", get(t, out, region, theme.TreeFile), ">" + name + " section</a>"},
			{"home list", get(t, out, region, "index.html"), `<a href="/sec/">` + name + " section</a>"},
			{"header", pa, `<a class="site-title" href="/">` + name + " ヘルプ</a>"},
		} {
			if !strings.Contains(c.text, c.want) {
				t.Errorf("%s %s: missing %q in\n%s", region, c.where, c.want, c.text)
			}
		}
	}
	for k, v := range out.Files {
		if strings.Contains(string(v), "{{") {
			t.Errorf("%s: shortcode left unexpanded", k)
		}
	}
}

// TestSiteFiles checks a site without content/_index.md: a generated home
// with the top sections and pages as cards, 404.html, robots.txt and sitemap.xml.
func TestSiteFiles(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"content/b/_index.md": "---\ntitle: Second\nweight: 2\ndescription: The second.\n---\n",
		"content/a/_index.md": "---\ntitle: First\nweight: 1\n---\n",
		"content/a/p.md":      "---\ntitle: P\n---\n",
		"content/top.md":      "---\ntitle: Top page\n---\n",
	}))
	home := get(t, out, "us", "index.html")
	for _, want := range []string{
		"<title>Kintone ヘルプ</title>", "<h1>Kintone ヘルプ</h1>",
		`<li><a class="card" href="/a/"><span class="card-title">First</span></a></li>`,
		`<li><a class="card" href="/b/"><span class="card-title">Second</span><span class="card-text">The second.</span></a></li>`,
		`<li><a class="card" href="/top.html"><span class="card-title">Top page</span></a></li>`,
		`<link rel="alternate" hreflang="ja-JP" href="https://jp.example.com/">`,
		`<link rel="canonical" href="https://us.example.com/">`,
	} {
		if !strings.Contains(home, want) {
			t.Errorf("generated home: missing %s", want)
		}
	}
	if strings.Index(home, `href="/a/">First`) > strings.Index(home, `href="/b/">Second`) {
		t.Errorf("home list not ordered by weight")
	}
	nf := get(t, out, "us", "404.html")
	for _, want := range []string{`<html lang="ja">`, "<h1>ページが見つかりません</h1>", `<a href="https://jp.example.com/" hreflang="ja-JP">JP</a>`, `<nav id="site-tree"`} {
		if !strings.Contains(nf, want) {
			t.Errorf("404.html: missing %s", want)
		}
	}
	if strings.Contains(nf, `rel="canonical"`) || strings.Contains(nf, `rel="alternate"`) {
		t.Errorf("404.html claims a canonical URL")
	}
	if got := get(t, out, "cn", "robots.txt"); got != "User-agent: *\nAllow: /\n\nSitemap: https://cn.example.com/sitemap.xml\n" {
		t.Errorf("robots.txt = %q", got)
	}
	sm := get(t, out, "jp", "sitemap.xml")
	locs := regexp.MustCompile(`<loc>([^<]*)</loc>`).FindAllStringSubmatch(sm, -1)
	var got []string
	for _, l := range locs {
		got = append(got, l[1])
	}
	want := "https://jp.example.com/ https://jp.example.com/a/ https://jp.example.com/a/p.html https://jp.example.com/b/ https://jp.example.com/top.html"
	if strings.Join(got, " ") != want || !strings.HasPrefix(sm, "<?xml") {
		t.Errorf("sitemap = %s", sm)
	}
}

func TestSiteFilesYieldToTheSite(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"content/p.md":      "---\ntitle: P\n---\n",
		"static/robots.txt": "mine",
	}))
	if got := get(t, out, "jp", "robots.txt"); got != "mine" {
		t.Errorf("site's robots.txt overwritten: %q", got)
	}
}

func TestTOCAndLanguage(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"content/en/p.md": "---\ntitle: P\n---\n### Orphan\n\n## One\n\n### One.a\n\n#### Deep\n\n## Two {#two}\n",
		"content/ja/q.md": "---\ntitle: Q\n---\nno headings\n",
	}))
	p := get(t, out, "us", "en/p.html")
	toc := between(p, `<aside class="toc"`, "</aside>")
	want := []string{`In this article`, `href="#orphan">Orphan`, `href="#one">One</a>`, `href="#onea">One.a`, `href="#two">Two`}
	last := -1
	for _, w := range want {
		i := strings.Index(toc, w)
		if i <= last {
			t.Errorf("TOC: %q missing or out of order in\n%s", w, toc)
		}
		last = i
	}
	if !regexp.MustCompile(`href="#one">One</a>\s*<ul>\s*<li class="toc-h3"><a href="#onea">`).MatchString(toc) {
		t.Errorf("TOC: h3 not nested under its h2")
	}
	if strings.Contains(toc, "Deep") {
		t.Errorf("TOC lists an h4")
	}
	if !strings.Contains(p, `<html lang="en">`) || !strings.Contains(p, `aria-label="Breadcrumb"`) {
		t.Errorf("en page does not use English labels")
	}
	q := get(t, out, "us", "ja/q.html")
	if strings.Contains(q, `class="toc"`) || !strings.Contains(q, "本文へ移動") {
		t.Errorf("ja page without headings: TOC shown or labels not Japanese")
	}
}

// An admonition is a note, not a landmark: a <div role="note"> whose label
// is text of the page in its language, so it is read and copied with it.
func TestAdmonitionLabels(t *testing.T) {
	body := "{{% warning %}}w{{% /warning %}}\n\n{{% note %}}n{{% /note %}}\n\n{{< hint >}}h{{< /hint >}}\n\n{{% reference %}}r{{% /reference %}}\n"
	out := buildMem(t, site(map[string]string{
		"content/ja/p.md": "---\ntitle: P\n---\n" + body,
		"content/en/p.md": "---\ntitle: P\n---\n" + body,
	}))
	for _, tt := range []struct {
		rel    string
		labels []string
	}{
		{"ja/p.html", []string{"注意", "メモ", "ヒント", "参考"}},
		{"en/p.html", []string{"Warning", "Note", "Hint", "Reference"}},
	} {
		a := article(get(t, out, "jp", tt.rel))
		for i, kind := range []string{"warning", "note", "hint", "reference"} {
			want := `<div class="admonition ` + kind + `" role="note"><p class="admonition-title">` + tt.labels[i] +
				`</p><div class="admonition-content"><p>` + kind[:1] + "</p></div></div>"
			if !strings.Contains(a, want) {
				t.Errorf("%s: missing %s in\n%s", tt.rel, want, a)
			}
		}
		if strings.Contains(a, "<aside") || strings.Contains(a, "aria-label") || strings.Contains(a, "<p><div") {
			t.Errorf("%s: admonition as a landmark or inside a paragraph:\n%s", tt.rel, a)
		}
	}
}
