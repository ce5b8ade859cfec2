package build

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/theme"
)

// regionSite has a dead end in every region: a page only US has, a
// section and its page only CN has, and a page CN lacks.
func regionSite() fstest.MapFS {
	return site(map[string]string{
		"content/_index.md":             "---\ntitle: Home\n---\n",
		"content/g/_index.md":           "---\ntitle: Guide\n---\n",
		"content/g/login/_index.md":     "---\ntitle: \"{{%service%}} login\"\n---\n",
		"content/g/login/saml.md":       "---\ntitle: SAML\ndisabled: [CN]\naliases: [\"/ja/id/1\"]\n---\n## Set up {#setup}\n",
		"content/g/login/us.md":         "---\ntitle: \"{{%service%}} only\"\nenabled: [US]\n---\nus\n",
		"content/g/cn/_index.md":        "---\ntitle: CN section\nenabled: [CN]\n---\n",
		"content/g/cn/page.md":          "---\ntitle: CN page\nenabled: [CN]\naliases: [\"/ja/id/2\"]\n---\ncn\n",
		"content/g/login/everywhere.md": "---\ntitle: Everywhere\n---\nall\n",
	})
}

// whereFile reads the bucket of a region's list that holds url, as the
// 404 page's script finds it.
func whereFile(t *testing.T, out *output.MemOutput, region, url string) map[string]model.WhereEntry {
	t.Helper()
	n := 0
	for k := range out.Files {
		if strings.HasPrefix(k, region+"/"+theme.WhereDir+"/") {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if n&(n-1) != 0 {
		t.Fatalf("%s: %d bucket files, not a power of two", region, n)
	}
	b := theme.WhereHash(theme.WhereKey(url)) % uint64(n)
	var m map[string]model.WhereEntry
	if err := json.Unmarshal([]byte(get(t, out, region, theme.WhereDir+"/"+strconv.Itoa(int(b))+".json")), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestWhereLists checks each region's list of the other regions' pages:
// every URL it lacks that another region has, its aliases too, with the
// page's title in each region and the nearest section this region has.
func TestWhereLists(t *testing.T) {
	out := buildMem(t, regionSite())
	for _, tt := range []struct {
		region, url string
		want        string // JSON of the entry, "" for none
	}{
		{"cn", "/g/login/saml.html", `{"r":["JP","US"],"s":"/g/login/","t":"cybozu.cn login"}`},
		{"cn", "/ja/id/1", `{"r":["JP","US"],"s":"/g/login/","t":"cybozu.cn login"}`},
		{"cn", "/g/login/us.html", `{"r":["US"],"s":"/g/login/","t":"cybozu.cn login"}`},
		{"jp", "/g/login/us.html", `{"r":["US"],"s":"/g/login/","t":"cybozu.com login"}`},
		{"jp", "/g/cn/page.html", `{"r":["CN"],"s":"/g/","t":"Guide"}`},
		{"jp", "/g/cn/index.html", `{"r":["CN"],"s":"/g/","t":"Guide"}`},
		{"us", "/ja/id/2/", `{"r":["CN"],"s":"/g/","t":"Guide"}`},
		{"us", "/g/login/us.html", ""},
		{"jp", "/g/login/everywhere.html", ""},
		{"jp", "/no/such.html", ""},
	} {
		got := ""
		if e, ok := whereFile(t, out, tt.region, tt.url)[fmt.Sprintf("%016x", theme.WhereHash(theme.WhereKey(tt.url)))]; ok {
			b, _ := json.Marshal(e)
			got = string(b)
		}
		if got != tt.want {
			t.Errorf("%s %s: %s, want %s", tt.region, tt.url, got, tt.want)
		}
	}
	// The 404 page carries what its script needs: the folder, the number
	// of files, and each other region's home to build the links from.
	nf := get(t, out, "jp", "404.html")
	for _, want := range []string{
		`<div class="elsewhere" data-src="/_nav/where/" data-buckets="1" hidden>`,
		`<li data-region="CN" hidden><a href="https://cn.example.com/" hreflang="ja-CN">CN</a></li>`,
		`<li data-region="US" hidden><a href="https://us.example.com/" hreflang="ja-US">US</a></li>`,
	} {
		if !strings.Contains(nf, want) {
			t.Errorf("jp 404.html lacks %s", want)
		}
	}
}

// TestWhereBucketsSmall: however many pages a region lacks, no file of its
// list is larger than a few KB.
func TestWhereBucketsSmall(t *testing.T) {
	for _, n := range []int{1, 11, 12, 13, 25, 600} {
		files := map[string]string{"content/_index.md": "---\ntitle: Home\n---\n"}
		for i := range n {
			files[fmt.Sprintf("content/sec%d/p%04d.md", i%7, i)] = fmt.Sprintf(
				"---\ntitle: A page title of ordinary length, number %d\nenabled: [JP]\naliases: [\"/ja/id/%06d\"]\n---\nx\n", i, i)
		}
		out := buildMem(t, site(files))
		buckets, largest := 0, 0
		for k, v := range out.Files {
			if strings.HasPrefix(k, "us/"+theme.WhereDir+"/") {
				buckets++
				largest = max(largest, len(v))
			}
		}
		if want := theme.WhereBuckets(2 * n); buckets != want || largest > 4096 {
			t.Errorf("n=%d: %d files (want %d), the largest %d bytes", n, buckets, want, largest)
		}
	}
}

// TestRegionSwitcherUp: where a page does not exist, the switcher links
// the nearest section above it that does, named for that region.
func TestRegionSwitcherUp(t *testing.T) {
	out := buildMem(t, regionSite())
	switcher := func(region, rel string) string {
		return between(get(t, out, region, rel), `<nav class="region-switch"`, "</nav>")
	}
	for _, tt := range []struct{ region, rel, want string }{
		{"jp", "g/login/saml.html", `<a class="region-up" href="https://cn.example.com/g/login/" hreflang="ja-CN">CN <span class="region-note">上の階層</span><span class="visually-hidden"> (この地域にはこのページがありません。上の階層を開きます: cybozu.com login)</span></a>`},
		{"cn", "g/cn/page.html", `<a class="region-up" href="https://jp.example.com/g/" hreflang="ja-JP">JP <span class="region-note">上の階層</span><span class="visually-hidden"> (この地域にはこのページがありません。上の階層を開きます: Guide)</span></a>`},
		{"cn", "g/cn/index.html", `<a class="region-up" href="https://us.example.com/g/" hreflang="ja-US">US`},
		{"us", "g/login/us.html", `<a class="region-up" href="https://jp.example.com/g/login/" hreflang="ja-JP">JP`},
		{"jp", "g/login/everywhere.html", `<a href="https://cn.example.com/g/login/everywhere.html" hreflang="ja-CN">CN</a>`},
	} {
		if s := switcher(tt.region, tt.rel); !strings.Contains(s, tt.want) {
			t.Errorf("%s %s: switcher lacks %s in\n%s", tt.region, tt.rel, tt.want, s)
		}
	}
	// Alternates name only the regions that have the page.
	if h := between(get(t, out, "jp", "g/login/saml.html"), "<head>", "</head>"); strings.Contains(h, "cn.example.com") {
		t.Errorf("jp saml: an alternate or canonical link to CN")
	}
}

// TestAliasKeepsFragment: an alias page sends the reader on with the
// fragment by script, falls back to a refresh without scripts, and links
// the icon.
func TestAliasKeepsFragment(t *testing.T) {
	out := buildMem(t, regionSite())
	page := get(t, out, "jp", "ja/id/1/index.html")
	for _, want := range []string{
		`<noscript><meta http-equiv="refresh" content="0; url=/g/login/saml.html"></noscript>`,
		`<link rel="icon" href="/_theme/favicon.svg" type="image/svg+xml">`,
		`location.replace(a.href)`,
		`a.href += location.hash`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("alias page lacks %s in\n%s", want, page)
		}
	}
}

// TestSectionTreeFiles: every section with children has its level in a
// file of its own, holding each child once, its subsections each its link,
// marked for the script to give it a toggle; so does a page's branch off
// its path.
func TestSectionTreeFiles(t *testing.T) {
	out := buildMem(t, regionSite())
	for region, want := range map[string]map[string][]string{
		"jp": {"/": {"/g/"}, "/g/": {"/g/login/"}, "/g/login/": {"/g/login/everywhere.html", "/g/login/saml.html"}},
		"cn": {"/": {"/g/"}, "/g/": {"/g/cn/", "/g/login/"}, "/g/cn/": {"/g/cn/page.html"}, "/g/login/": {"/g/login/everywhere.html"}},
	} {
		files := 0
		for k := range out.Files {
			if strings.HasPrefix(k, region+"/"+theme.NavDir+"/t") {
				files++
			}
		}
		if files != len(want) {
			t.Errorf("%s: %d tree files, want %d", region, files, len(want))
		}
		for sec, hrefs := range want {
			level := get(t, out, region, theme.SectionTreeFile(sec))
			if got := strings.Count(level, "<li"); got != len(hrefs) {
				t.Errorf("%s %s: %d entries, want %d:\n%s", region, sec, got, len(hrefs), level)
			}
			for _, h := range hrefs {
				if !strings.Contains(level, `<a href="`+h+`">`) {
					t.Errorf("%s %s: %s missing:\n%s", region, sec, h, level)
				}
			}
			if strings.Contains(level, "<details") {
				t.Errorf("%s %s: a subsection written open:\n%s", region, sec, level)
			}
		}
	}
	home := tree(get(t, out, "cn", "index.html"))
	if !strings.Contains(home, `<li class="tree-sec tree-lazy"><a href="/g/">Guide</a></li>`) {
		t.Errorf("cn home: the section is not marked for its toggle:\n%s", home)
	}
	if lv := get(t, out, "cn", theme.SectionTreeFile("/g/")); !strings.Contains(lv, `<li class="tree-sec tree-lazy"><a href="/g/cn/">`) {
		t.Errorf("cn /g/ level: its subsection is not marked for its toggle:\n%s", lv)
	}
}

// TestLanguageFromPath: a site that names no languages still gets Japanese
// for general/ja/ pages (lang, labels, hreflang), from the theme's tables.
func TestLanguageFromPath(t *testing.T) {
	files := site(map[string]string{
		"content/_index.md":            "---\ntitle: Home\n---\n",
		"content/general/ja/p.md":      "---\ntitle: P\n---\n## One\n",
		"content/general/zh/q.md":      "---\ntitle: Q\n---\n## One\n",
		"content/general/other/r.md":   "---\ntitle: R\n---\n## One\n",
		"content/general/ja/_index.md": "---\ntitle: JA\n---\n",
	})
	files["helpgen.toml"].Data = []byte(strings.Replace(testConfig, "languages = [\"ja\", \"en\"]\n", "", 1))
	out := buildMem(t, files)
	for _, tt := range []struct{ rel, lang, label string }{
		{"general/ja/p.html", "ja", "この記事の内容"},
		{"general/zh/q.html", "zh", "本文内容"},
		{"general/other/r.html", "en", "In this article"},
	} {
		page := get(t, out, "cn", tt.rel)
		for _, want := range []string{`<html lang="` + tt.lang + `">`, ">" + tt.label + "<", `hreflang="` + tt.lang + `-JP"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: lacks %s", tt.rel, want)
			}
		}
	}
}
