package build

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/theme"
)

// TestThemeVariableTemplates: a Hugo theme has a template per region param
// (service.html prints .Site.Params.service). It runs as the shortcode in
// the body, and where templates cannot run (the page and site titles) the
// call writes the param's value.
func TestThemeVariableTemplates(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"shortcodes/service.html": `<span class="svc">{{ .Site.Params.service }}</span>`,
		"content/a.md":            "---\ntitle: \"{{%service%}} login\"\n---\nUse {{< service >}} today.\n",
	}))
	for region, svc := range map[string]string{"jp": "cybozu.com", "us": "Kintone", "cn": "cybozu.cn"} {
		page := get(t, out, region, "a.html")
		if !strings.Contains(article(page), `Use <span class="svc">`+svc+`</span> today.`) {
			t.Errorf("%s: body %q", region, article(page))
		}
		if !strings.Contains(page, "<title>"+svc+" login") {
			t.Errorf("%s: title not %s login", region, svc)
		}
	}
}

// TestTypedSiteParams: templates see a region's params with their TOML
// types, so a theme's `eq .Site.Params.meganav true` works.
func TestTypedSiteParams(t *testing.T) {
	cfg := strings.Replace(testConfig, "service = \"cybozu.com\"", "service = \"cybozu.com\"\nmeganav = true\nlevel = 2", 1)
	cfg = strings.Replace(cfg, "service = \"Kintone\"", "service = \"Kintone\"\nmeganav = false\nlevel = 1", 1)
	cfg = strings.Replace(cfg, "service = \"cybozu.cn\"", "service = \"cybozu.cn\"\nmeganav = false\nlevel = 3", 1)
	fsys := site(map[string]string{
		"shortcodes/nav.html": `{{ if eq .Site.Params.meganav true }}mega{{ else }}plain{{ end }}-{{ add .Site.Params.level 1 }}`,
		"content/a.md":        "---\ntitle: A\n---\n{{< nav >}} {{%meganav%}}\n",
	})
	fsys["helpgen.toml"].Data = []byte(cfg)
	out := buildMem(t, fsys)
	for region, want := range map[string]string{"jp": "mega-3 true", "us": "plain-2 false", "cn": "plain-4 false"} {
		if got := article(get(t, out, region, "a.html")); !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", region, got, want)
		}
	}
}

// TestRegionTitles: title_<region> front matter replaces the title in that
// region, everywhere the title appears (page, tree, search); other regions
// keep title.
func TestRegionTitles(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"content/a.md": "---\ntitle: ログイン\ntitle_us: \"Logging in to {{%service%}}\"\ntitle_cn: 登录\n---\nBody.\n",
		"content/b.md": "---\ntitle: B\n---\nSee [a](/a.html).\n",
	}))
	for region, want := range map[string]string{"jp": "ログイン", "us": "Logging in to Kintone", "cn": "登录"} {
		page := get(t, out, region, "a.html")
		if !strings.Contains(page, "<title>"+want) || !strings.Contains(page, "<h1>"+want+"</h1>") {
			t.Errorf("%s: page title is not %q", region, want)
		}
		if tree := get(t, out, region, theme.TreeFile); !strings.Contains(tree, ">"+want+"<") {
			t.Errorf("%s: tree lacks %q", region, want)
		}
	}
	if _, err := buildErr(site(map[string]string{"content/a.md": "---\ntitle: A\ntitle_us: [x]\n---\n"})); err == nil ||
		!strings.Contains(err.Error(), "content/a.md:3:1: title_us must be text") {
		t.Errorf("err = %v", err)
	}
}

// buildErr builds fsys in memory and returns the error of its load or build.
func buildErr(fsys fs.FS) (*output.MemOutput, error) {
	proj, err := Load(fsys, helpgen.Defaults, LoadOptions{})
	if err != nil {
		return nil, err
	}
	out := output.NewMemOutput()
	_, err = proj.Build(out, Options{})
	return out, err
}

// TestNestedShortcodeInner: a {{< >}} shortcode inside another reaches the
// outer template's .Inner as its HTML, not as a placeholder, so len, upper,
// in and attributes see what the reader gets.
func TestNestedShortcodeInner(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"shortcodes/b.html":     `<b>bold</b>`,
		"shortcodes/outer.html": `<div data-len="{{ len .Inner }}" title="{{ .Inner }}">{{ upper .Inner }}|{{ in .Inner "bold" }}</div>`,
		"content/a.md":          "---\ntitle: A\n---\n{{< outer >}}x{{< b >}}y{{< /outer >}}\n",
	}))
	got := article(get(t, out, "jp", "a.html"))
	// As in Hugo: html/template keeps an attribute free of tags, and
	// upper returns text, which is escaped.
	want := `<div data-len="13" title="xboldy">X&lt;B&gt;BOLD&lt;/B&gt;Y|true</div>`
	if !strings.Contains(got, want) {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestWarnf: a template's warnf is a warning of the build, said once
// however many pages meet it, at the template.
func TestWarnf(t *testing.T) {
	proj, err := Load(site(map[string]string{
		"shortcodes/old.html": `{{ warnf "the %s shortcode is deprecated" .Name }}old`,
		"content/a.md":        "---\ntitle: A\n---\n{{< old >}}\n",
		"content/b.md":        "---\ntitle: B\n---\n{{< old >}}\n",
	}), helpgen.Defaults, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := proj.Build(output.NewMemOutput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range rep.Warnings {
		got = append(got, w.Error())
	}
	if len(got) != 1 || got[0] != "shortcodes/old.html: warning: the old shortcode is deprecated" {
		t.Errorf("warnings %q", got)
	}
}

// TestSiteData: the data/ folder's JSON, TOML and YAML files are
// .Site.Data, folders and file names as keys.
func TestSiteData(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"data/links/footer.toml": "[[link]]\nname = \"Store\"\nurl = \"/store.html\"\n",
		"data/langs.json":        `{"ja": "日本語"}`,
		"data/sub/list.yaml":     "- one\n- two\n",
		"shortcodes/footer.html": `{{ range .Site.Data.links.footer.link }}<a href="{{ .url }}">{{ .name }}</a>{{ end }} {{ .Site.Data.langs.ja }} {{ index .Site.Data.sub.list 1 }}`,
		"content/a.md":           "---\ntitle: A\n---\n{{< footer >}}\n",
	}))
	if got := article(get(t, out, "jp", "a.html")); !strings.Contains(got, `<a href="/store.html">Store</a> 日本語 two`) {
		t.Errorf("got %s", got)
	}
	if _, err := buildErr(site(map[string]string{"data/bad.json": "{", "content/a.md": "---\ntitle: A\n---\n"})); err == nil ||
		!strings.Contains(err.Error(), "data/bad.json") {
		t.Errorf("err = %v", err)
	}
}

// TestHugoPageFields: a shortcode reads Hugo's .Page.IsHome, .Type, .File
// and .Lastmod.
func TestHugoPageFields(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"shortcodes/info.html":               `{{ .Page.IsHome }}|{{ .Page.Type }}|{{ with .Page.File }}{{ .Path }}|{{ .Dir }}|{{ .LogicalName }}|{{ .BaseFileName }}|{{ .ContentBaseName }}|{{ .Ext }}{{ end }}|{{ .Page.Lastmod.Year }}`,
		"content/general/ja/login/a.md":      "---\ntitle: A\nlastmod: 2024-05-31\n---\n{{< info >}}\n",
		"content/general/ja/login/_index.md": "---\ntitle: L\n---\n{{< info >}}\n",
		"content/_index.md":                  "---\ntitle: H\n---\n{{< info >}}\n",
	}))
	for rel, want := range map[string]string{
		"general/ja/login/a.html":     "false|general|general/ja/login/a.md|general/ja/login/|a.md|a|a|md|2024",
		"general/ja/login/index.html": "false|general|general/ja/login/_index.md|general/ja/login/|_index.md|_index|login|md|1",
		"index.html":                  "true|page|_index.md||_index.md|_index|.|md|1",
	} {
		if got := article(get(t, out, "jp", rel)); !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", rel, got, want)
		}
	}
}

// TestHugoSitePages: a shortcode reads the region's pages as Hugo's
// .Site.Home, .Site.RegularPages and a page's .Parent, .Pages and
// .Sections; a page disabled in a region is not among them there.
func TestHugoSitePages(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"shortcodes/pages.html": `home={{ .Site.Home.Title }} n={{ len .Site.RegularPages }} parent={{ .Page.Parent.Title }}` +
			` kids={{ range .Page.Parent.Pages }}{{ .Title }},{{ end }} secs={{ range .Site.Home.Sections }}{{ .Title }},{{ end }}`,
		"content/_index.md":       "---\ntitle: Home\n---\n",
		"content/s/_index.md":     "---\ntitle: S\n---\n",
		"content/s/b.md":          "---\ntitle: B\nweight: 2\n---\n",
		"content/s/c.md":          "---\ntitle: C\nweight: 1\ndisabled: [US]\n---\n",
		"content/s/a.md":          "---\ntitle: A\nweight: 3\n---\n{{< pages >}}\n",
		"content/t/_index.md":     "---\ntitle: T\n---\n",
		"content/t/sub/_index.md": "---\ntitle: Sub\n---\n",
	}))
	for region, want := range map[string]string{
		"jp": "home=Home n=3 parent=S kids=C,B,A, secs=S,T,",
		"us": "home=Home n=2 parent=S kids=B,A, secs=S,T,",
	} {
		if got := article(get(t, out, region, "s/a.html")); !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", region, got, want)
		}
	}
}
