package build

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/output"
)

const testConfig = `title = "{{%service%}} ヘルプ"
languages = ["ja", "en"]
[regions.JP]
baseURL = "https://jp.example.com/"
[regions.JP.params]
service = "cybozu.com"
[regions.US]
baseURL = "https://us.example.com/"
[regions.US.params]
service = "Kintone"
[regions.CN]
baseURL = "https://cn.example.com/"
[regions.CN.params]
service = "cybozu.cn"
`

// site returns an in-memory site with the given content files.
func site(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{"helpgen.toml": {Data: []byte(testConfig)}}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return m
}

func buildMem(t *testing.T, fsys fs.FS) *output.MemOutput {
	t.Helper()
	proj, err := Load(fsys, helpgen.Defaults, LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	out := output.NewMemOutput()
	if _, err := proj.Build(out, Options{}); err != nil {
		t.Fatalf("Build: %v", err)
	}
	return out
}

func get(t *testing.T, out *output.MemOutput, region, rel string) string {
	t.Helper()
	b, ok := out.Get(region, rel)
	if !ok {
		t.Fatalf("%s/%s not written", region, rel)
	}
	return string(b)
}

func article(page string) string {
	i := strings.Index(page, `<article class="article">`)
	j := strings.Index(page, `</article>`)
	if i < 0 || j < 0 {
		return ""
	}
	return page[i+len(`<article class="article">`) : j]
}

func TestTitleVariablesExpanded(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"content/a/p.md": "---\ntitle: \"{{%service%}}にログインする\"\n---\nbody\n",
	}))
	for region, name := range map[string]string{"jp": "cybozu.com", "us": "Kintone", "cn": "cybozu.cn"} {
		page := get(t, out, region, "a/p.html")
		if !strings.Contains(page, "<title>"+name+"にログインする | "+name+" ヘルプ</title>") {
			t.Errorf("%s: <title> not expanded:\n%s", region, page)
		}
		if !strings.Contains(page, "<h1>"+name+"にログインする</h1>") {
			t.Errorf("%s: <h1> not expanded", region)
		}
		if strings.Contains(page, "{{") {
			t.Errorf("%s: shortcode left in page", region)
		}
	}
}

func TestFrontMatterRegions(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"content/only-jp.md": "---\ntitle: x\nenabled: [JP]\n---\nx\n",
		"content/not-cn.md":  "---\ntitle: \"y\"\ndisabled: [CN]\n---\ny\n",
	}))
	for _, tt := range []struct {
		region, rel string
		want        bool
	}{
		{"jp", "only-jp.html", true}, {"us", "only-jp.html", false}, {"cn", "only-jp.html", false},
		{"jp", "not-cn.html", true}, {"us", "not-cn.html", true}, {"cn", "not-cn.html", false},
	} {
		if _, ok := out.Get(tt.region, tt.rel); ok != tt.want {
			t.Errorf("%s/%s written = %v, want %v", tt.region, tt.rel, ok, tt.want)
		}
	}
}

// TestListItemConditional is where Hugo turns the list into a code block:
// a conditional standing alone inside an indented list item.
func TestListItemConditional(t *testing.T) {
	src := "---\ntitle: t\n---\n1. Step one  \n    {{% enabled JP %}}\n    * jp note with [link](/x.html)\n    {{% /enabled %}}\n    * common note\n\n1. Step two\n"
	out := buildMem(t, site(map[string]string{"content/p.md": src}))
	jp := article(get(t, out, "jp", "p.html"))
	us := article(get(t, out, "us", "p.html"))
	for region, a := range map[string]string{"jp": jp, "us": us} {
		if strings.Contains(a, "<pre>") || strings.Contains(a, "<code>") || strings.Contains(a, "{{") {
			t.Errorf("%s: list broken into code or shortcode left:\n%s", region, a)
		}
		if strings.Count(a, "<ol>") != 1 || !strings.Contains(a, "<li>common note</li>") || !strings.Contains(a, "Step two") {
			t.Errorf("%s: list not well formed:\n%s", region, a)
		}
	}
	if !strings.Contains(jp, `<li>jp note with <a href="/x.html">link</a></li>`) {
		t.Errorf("jp: conditional item missing:\n%s", jp)
	}
	if strings.Contains(us, "jp note") {
		t.Errorf("us: JP text leaked:\n%s", us)
	}
}

func TestCRLFAndBOM(t *testing.T) {
	src := "\xef\xbb\xbf---\r\ntitle: \"{{%service%}}\"\r\n---\r\n## Head {#h1}\r\n\r\n{{% enabled US %}}\r\nus line\r\n{{% /enabled %}}\r\nend\r\n"
	out := buildMem(t, site(map[string]string{"content/p.md": src}))
	us := get(t, out, "us", "p.html")
	jp := get(t, out, "jp", "p.html")
	if !strings.Contains(us, `<h2 id="h1">Head</h2>`) || !strings.Contains(article(us), "<p>us line\nend</p>") {
		t.Errorf("us:\n%s", article(us))
	}
	if strings.Contains(jp, "us line") || strings.Contains(jp, "\r") || !strings.Contains(jp, "<h1>cybozu.com</h1>") {
		t.Errorf("jp:\n%s", jp)
	}
}

func TestAdmonitionsBothDelimiters(t *testing.T) {
	body := "intro\n\n{{%s warning %s}}\n**bold** and [a link](/x.html)\n\n* one\n* two\n\n{{%s enabled US %s}}\nus only\n{{%s /enabled %s}}\n{{%s /warning %s}}\n"
	for _, d := range [][2]string{{"%", "%"}, {"<", ">"}} {
		src := "---\ntitle: t\n---\n" + strings.NewReplacer("%s warning %s", d[0]+" warning "+d[1], "%s enabled US %s", d[0]+" enabled US "+d[1],
			"%s /enabled %s", d[0]+" /enabled "+d[1], "%s /warning %s", d[0]+" /warning "+d[1]).Replace(body)
		out := buildMem(t, site(map[string]string{"content/p.md": src}))
		us := article(get(t, out, "us", "p.html"))
		jp := article(get(t, out, "jp", "p.html"))
		for _, want := range []string{`<div class="admonition warning" role="note"><p class="admonition-title">注意</p>`, `<strong>bold</strong>`, `<a href="/x.html">a link</a>`, `<li>one</li>`, `us only`} {
			if !strings.Contains(us, want) {
				t.Errorf("{{%s}} us: missing %q in\n%s", d[0], want, us)
			}
		}
		if strings.Contains(jp, "us only") || !strings.Contains(jp, "<li>two</li>") {
			t.Errorf("{{%s}} jp:\n%s", d[0], jp)
		}
		if strings.Contains(us, "<p><div") || strings.Contains(us, "{{") {
			t.Errorf("{{%s}} us: invalid nesting or leftover:\n%s", d[0], us)
		}
	}
}

func TestHeadingIDs(t *testing.T) {
	out := buildMem(t, site(map[string]string{"content/p.md": "---\ntitle: t\n---\n## パスワードを変更する\n\n## Reset Password\n\n## Reset Password\n\n## 方法1 {#custom}\n"}))
	a := article(get(t, out, "jp", "p.html"))
	for _, want := range []string{`id="パスワードを変更する"`, `id="reset-password"`, `id="reset-password-1"`, `id="custom"`} {
		if !strings.Contains(a, want) {
			t.Errorf("missing %s in\n%s", want, a)
		}
	}
}

func TestMarkdownFeatures(t *testing.T) {
	src := "---\ntitle: t\n---\n| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\nsee https://example.com and <b>raw</b>  \nnext line\n"
	a := article(get(t, buildMem(t, site(map[string]string{"content/p.md": src})), "jp", "p.html"))
	for _, want := range []string{"<table>", "<del>2</del>", `<a href="https://example.com">https://example.com</a>`, "<b>raw</b><br>"} {
		if !strings.Contains(a, want) {
			t.Errorf("missing %q in\n%s", want, a)
		}
	}
}

func TestSiteOverridesDefaults(t *testing.T) {
	fsys := site(map[string]string{
		"content/p.md":                 "---\ntitle: t\n---\n{{< screen src=\"/a.png\" alt=\"A\" >}}\n",
		"shortcodes/screen.html":       `<figure class="mine"><img src="{{ .Get "src" }}" alt="{{ .Get "alt" }}"></figure>`,
		"layouts/_default/single.html": `<!DOCTYPE html><html lang="{{ .Lang }}"><title>{{ .Title }}</title><body data-region="{{ .Region }}"><article class="article">{{ .Content }}</article></body></html>`,
	})
	page := get(t, buildMem(t, fsys), "us", "p.html")
	if !strings.Contains(page, `<figure class="mine"><img src="/a.png" alt="A"></figure>`) || !strings.Contains(page, `data-region="US"`) || !strings.Contains(page, `lang="ja"`) {
		t.Errorf("override not used:\n%s", page)
	}
}

func TestStaticAndSections(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"content/_index.md":   "---\ntitle: Home\n---\nwelcome\n",
		"content/a/_index.md": "---\ntitle: Section\n---\n",
		"content/ja/p.md":     "---\ntitle: P\n---\n",
		"static/img/x.png":    "PNG",
	}))
	for _, region := range []string{"jp", "us", "cn"} {
		for _, rel := range []string{"index.html", "a/index.html", "ja/p.html", "img/x.png", "_theme/helpgen.css"} {
			get(t, out, region, rel)
		}
	}
	if p := get(t, out, "jp", "ja/p.html"); !strings.Contains(p, `<html lang="ja">`) {
		t.Errorf("language from path not used")
	}
}

// TestContentErrorsCollected: one run reports every problem of the site:
// parse errors of every file, and the template errors that the pages which
// did load run into, each said once with all its pages and regions.
func TestContentErrorsCollected(t *testing.T) {
	root := t.TempDir()
	writeSite(t, root, map[string]string{
		"content/a.md": "---\ntitle: a\n---\n{{% enabled JPN %}}x{{% /enabled %}}\n",
		"content/b.md": "---\ntitle: b\n---\nok\n\n{{< nope >}}\n",
		"content/c.md": "---\nweight: 1\n---\n",
		"content/d.md": "---\ntitle: d\n---\n{{< box >}}\n",
		"content/e.md": "---\ntitle: e\n---\nfine\n",
		"content/f.md": "---\ntitle: f\n---\nfine too\n",
		// and the site title, once every region reads it
		"helpgen.toml": strings.Replace(testConfig, `title = "{{%service%}} ヘルプ"`, `title = "{{%service%}} {{% enabled JPX %}}x{{% /enabled %}}"`, 1),
		// Loaded pages still render: the layout and the shortcode template fail.
		"layouts/_default/single.html": "<title>{{ .Title }}</title>\n{{ index .Params 5 }}\n",
		"shortcodes/box.html":          "<div>{{ index .Params `seven` }}</div>",
	})
	_, err := Run(RunOptions{Site: root, Dest: filepath.Join(t.TempDir(), "public"), Defaults: helpgen.Defaults})
	l := diag.Flatten(err)
	got := make([]string, len(l))
	for i, e := range l {
		got[i] = e.Error()
		if e.Trace != "" {
			got[i] += " (" + e.Trace + ")"
		}
		if len(e.Pages) > 0 {
			got[i] += " in " + strings.Join(e.Pages, " ")
		}
	}
	want := []string{
		`content/a.md:4:13: unknown region "JPN" in enabled (known: CN, JP, US)`,
		`content/b.md:6:1: unknown shortcode "nope"`,
		`content/c.md:1:1: page has no title`,
		`helpgen.toml:1:36: unknown region "JPX" in enabled (known: CN, JP, US)`,
		// A template error is placed at the template's line and column,
		// with the calls that led there and the pages that met it.
		`layouts/_default/single.html:2:4: executing "_default/single.html" at <index .Params 5>: error calling index: index of type map[string]interface {} with args [5] failed: value has type int; should be string [CN, JP, US] in content/e.md content/f.md`,
		"shortcodes/box.html:1:9: executing \"box\" at <index .Params `seven`>: error calling index: index of type []interface {} with args [seven] failed: cannot index slice/array with type string [CN, JP, US] (shortcodes/box.html called from content/d.md:4:1) in content/d.md",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// assertUnchanged fails t unless dest holds what before recorded and
// nothing a build makes (a staging folder, a temporary file) was left in
// root.
func assertUnchanged(t *testing.T, root, dest string, before map[string]string) {
	t.Helper()
	after := snapshot(t, dest)
	if len(before) != len(after) {
		t.Fatalf("file count changed: %d → %d", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed", k)
		}
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if strings.Contains(e.Name(), "helpgen-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, _ := d.Info()
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			m[rel] = "dir"
			return nil
		}
		b, err := os.ReadFile(p)
		m[rel] = string(b) + "|" + info.ModTime().String()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func writeSite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for k, v := range files {
		p := filepath.Join(dir, k)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFailedBuildLeavesDestUntouched: whatever stage fails (loading,
// rendering a page, a shortcode template, a site-wide writer after the
// pages are staged, the checks), DEST keeps every byte and time stamp and
// no staging folder is left beside it.
func TestFailedBuildLeavesDestUntouched(t *testing.T) {
	fail := func(what string) func(*Project, []*Region) diag.List {
		return func(*Project, []*Region) diag.List {
			return diag.List{{File: "content/a.md", Line: 1, Col: 1, Msg: what}}
		}
	}
	tests := []struct {
		name   string
		files  map[string]string
		writer RegionWriter
		check  func(*Project, []*Region) diag.List
	}{
		{"a page does not parse", map[string]string{"content/b.md": "---\ntitle: B\n---\n{{% enabled JP %}}never closed\n"}, nil, nil},
		{"a layout fails", map[string]string{"layouts/_default/single.html": "{{ index .Params 5 }}"}, nil, nil},
		{"a shortcode template fails", map[string]string{
			"shortcodes/box.html": "{{ index .Params `seven` }}", "content/b.md": "---\ntitle: B\n---\n{{< box >}}\n"}, nil, nil},
		{"a site-wide writer fails after the pages are staged", nil,
			RegionWriterFunc(func(*Region, model.FileWriter) error { return errors.New("disk full") }), nil},
		{"the checks find an error", nil, nil, fail("link to /gone.html: no such page")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			src := filepath.Join(root, "site")
			dest := filepath.Join(root, "public")
			writeSite(t, src, map[string]string{
				"helpgen.toml": testConfig,
				"content/a.md": "---\ntitle: A\n---\nfirst\n",
				"content/b.md": "---\ntitle: B\n---\nsecond\n",
				"static/x.txt": "x",
			})
			if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dest)
			// A valid change beside the broken one: nothing at all may change.
			files := map[string]string{"content/a.md": "---\ntitle: A\n---\nchanged\n", "static/x.txt": "y"}
			maps.Copy(files, tt.files)
			writeSite(t, src, files)
			opt := RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults, Check: tt.check}
			if tt.writer != nil {
				opt.Writers = []RegionWriter{tt.writer}
			}
			if _, err := Run(opt); err == nil {
				t.Fatal("broken build succeeded")
			}
			assertUnchanged(t, root, dest, before)
		})
	}
}

// TestDestThroughSymlink: DEST may be a symbolic link to a folder on
// another file system; the staging folder goes beside the target so the
// swap is a rename there, and the link stays a link.
func TestDestThroughSymlink(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "site")
	writeSite(t, src, map[string]string{"helpgen.toml": testConfig, "content/a.md": "---\ntitle: A\n---\nfirst\n"})
	elsewhere := t.TempDir()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "helpgen-test-"); err == nil {
			elsewhere = d
			t.Cleanup(func() { os.RemoveAll(d) })
		}
	}
	target := filepath.Join(elsewhere, "site-out")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "public")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second build swaps over the first
		if _, err := Run(RunOptions{Site: src, Dest: link, Defaults: helpgen.Defaults}); err != nil {
			t.Fatal(err)
		}
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("DEST is no longer a link: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(target, "jp", "a.html")); err != nil {
		t.Fatal(err)
	}
}

// TestAbandonedStagingRemoved: a build that was killed leaves its staging
// folder; the next build removes it, but not one of a build still running.
func TestAbandonedStagingRemoved(t *testing.T) {
	root := t.TempDir()
	src, dest := filepath.Join(root, "site"), filepath.Join(root, "public")
	writeSite(t, src, map[string]string{"helpgen.toml": testConfig, "content/a.md": "---\ntitle: A\n---\nfirst\n"})
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skipf("cannot start a process to stand for a killed build: %v", err)
	}
	dead := filepath.Join(root, fmt.Sprintf(".public.helpgen-%d-123", gone.Process.Pid))
	alive := filepath.Join(root, fmt.Sprintf(".public.helpgen-%d-456", os.Getppid()))
	for _, d := range []string{dead, alive} {
		if err := os.MkdirAll(filepath.Join(d, "jp"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("the killed build's staging folder is still there: %v", err)
	}
	if _, err := os.Stat(alive); err != nil {
		t.Errorf("a running build's staging folder was removed: %v", err)
	}
}

func TestRebuildKeepsUnchangedFiles(t *testing.T) {
	root := t.TempDir()
	src, dest := filepath.Join(root, "site"), filepath.Join(root, "public")
	writeSite(t, src, map[string]string{
		"helpgen.toml": testConfig,
		"content/a.md": "---\ntitle: A\n---\nfirst\n",
		"content/b.md": "---\ntitle: B\n---\nsecond\n",
	})
	if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
	stat := func(rel string) os.FileInfo {
		fi, err := os.Stat(filepath.Join(dest, "jp", rel))
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	a1, b1 := stat("a.html"), stat("b.html")
	time.Sleep(20 * time.Millisecond)
	writeSite(t, src, map[string]string{"content/b.md": "---\ntitle: B\n---\nsecond, edited\n"})
	if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
	a2, b2 := stat("a.html"), stat("b.html")
	if !a2.ModTime().Equal(a1.ModTime()) {
		t.Errorf("unchanged a.html was rewritten")
	}
	if b2.ModTime().Equal(b1.ModTime()) {
		t.Errorf("changed b.html was not rewritten")
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "us", "b.html")); !regexp.MustCompile(`second, edited`).Match(b) {
		t.Errorf("new content missing")
	}
}

// TestAngleShortcodeTextInFacts: the text inside {{< >}} output (an
// admonition written with angle delimiters) is part of the page's section
// text, as the region gets it, so search and the empty-page check see it.
func TestAngleShortcodeTextInFacts(t *testing.T) {
	proj, err := Load(site(map[string]string{
		"content/a.md": "---\ntitle: A\n---\n{{< note >}}\nshared {{% enabled JP %}}jponly{{% /enabled %}}\n{{< /note >}}\n\n## Next\n\n{{< warning >}}careful{{< /warning >}}\n",
	}), helpgen.Defaults, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	regions, err := proj.RenderBodies(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range regions {
		f := r.ByURL["/a.html"].Facts
		if len(f.Sections) != 2 || f.Empty {
			t.Fatalf("%s: sections %+v, empty %v", r.Config.Code, f.Sections, f.Empty)
		}
		first, next := f.Sections[0].Text, f.Sections[1].Text
		if !strings.Contains(first, "shared") || strings.Contains(first, "jponly") != (r.Config.Code == "JP") || !strings.Contains(next, "careful") {
			t.Errorf("%s: section text %q / %q", r.Config.Code, first, next)
		}
		if strings.ContainsAny(first+next, "\uE000\uE001") {
			t.Errorf("%s: placeholder left in %q", r.Config.Code, first+next)
		}
	}
}
