package check

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/diag"
)

var update = flag.Bool("update", false, "rewrite golden files")

func load(t *testing.T, fsys fstest.MapFS, regions ...string) *build.Project {
	t.Helper()
	p, err := build.Load(fsys, helpgen.Defaults, build.LoadOptions{Regions: regions})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return p
}

func run(t *testing.T, p *build.Project) []Finding {
	t.Helper()
	rs, err := Render(p, 2)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return Sites(p, rs)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// dirFS reads a test site from testdata into memory.
func dirFS(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDefectsGolden: a site with one of each defect yields exactly the
// expected findings, with positions and region lists, in both formats.
func TestDefectsGolden(t *testing.T) {
	p := load(t, dirFS(t, "testdata/defects"))
	found := run(t, p)
	sum := Summarize(found, len(p.Pages), len(p.Config.Regions))
	for _, tt := range []struct {
		file  string
		write func(io.Writer, []Finding, Summary) error
	}{
		{"defects.golden", WriteText},
		{"defects.json.golden", WriteJSON},
		{"defects.github.golden", WriteGitHub},
		{"defects.sarif.golden", WriteSARIF},
	} {
		var b bytes.Buffer
		if err := tt.write(&b, found, sum); err != nil {
			t.Fatal(err)
		}
		golden(t, tt.file, b.Bytes())
	}
	checks := map[string]bool{}
	for _, f := range found {
		checks[f.Check] = true
	}
	for _, c := range []string{Links, Anchors, Images, DuplicateIDs, EmptyBlocks, EmptyPages, Regions, Lists,
		Alt, Headings, DuplicateTitles, AbsoluteLinks, EmptyVariables, UnusedStatic, Descriptions, UnsafeLinks} {
		if !checks[c] {
			t.Errorf("the defects site has no %s finding", c)
		}
	}
}

// TestBundledSiteClean: the example site at the repository root checks
// clean in every region, and the checks did look at its links and images.
func TestBundledSiteClean(t *testing.T) {
	p, err := build.Load(os.DirFS("../.."), helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Render(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	if found := Sites(p, rs); len(found) > 0 {
		t.Errorf("bundled site has findings:\n%s", List(found))
	}
	links, anchors, images := 0, 0, 0
	for _, r := range rs {
		for _, pg := range r.Pages {
			for _, l := range pg.Facts.Links {
				links++
				if strings.Contains(l.Dest, "#") {
					anchors++
				}
			}
			images += len(pg.Facts.Images)
		}
	}
	if len(rs) != 3 || links < 20 || anchors < 10 || images < 10 {
		t.Errorf("checked %d regions, %d links, %d anchors, %d images: too few to mean anything", len(rs), links, anchors, images)
	}
}

const config = `title = "T"
[regions.JP]
baseURL = "https://jp.example.com/"
[regions.JP.params]
service = "a"
[regions.US]
baseURL = "https://us.example.com/"
[regions.US.params]
service = "b"
`

func site(extra string, files map[string]string) fstest.MapFS {
	m := fstest.MapFS{"helpgen.toml": {Data: []byte(config + extra)}}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return m
}

func TestChecks(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		files map[string]string
		want  []string
	}{
		{"clean", "", map[string]string{
			"content/a.md":        "---\ntitle: A\n---\n## Sub\n\n[b](b.html#x) [self](#sub) [sec](/s/) [s2](/s/index.html) [s3](/s) [home](/) [file](/f.pdf)\n",
			"content/b.md":        "---\ntitle: B\naliases: [/old/b]\n---\n<span id=\"x\">x</span> [old](/old/b)\n",
			"content/s/_index.md": "---\ntitle: S\n---\n",
			"static/f.pdf":        "%PDF",
		}, nil},
		{"anchor in raw HTML of one region", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n[b](/b.html#x)\n",
			"content/b.md": "---\ntitle: B\n---\nb {{< enabled US >}}<span id=\"x\">x</span>{{< /enabled >}}\n",
		}, []string{`content/a.md:4:2: anchor #x not found in /b.html as rendered for this region [JP]`}},
		{"link in a block only one region keeps", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\na\n{{% enabled US %}}\n[b](/b.html)\n{{% /enabled %}}\n",
			"content/b.md": "---\ntitle: B\nenabled: [JP]\n---\nb\n",
		}, []string{`content/a.md:6:2: link to /b.html: the page is not published in this region [US]`}},
		{"anchors as warnings", "[check]\nanchors = \"warning\"\n", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n[x](#x)\n",
		}, []string{`content/a.md:4:2: warning: anchor #x not found on this page as rendered for this region [JP, US]`}},
		{"images off", "[check]\nimages = \"off\"\n", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n![x](/none.png)\n",
		}, nil},
		{"unknown front matter region as a warning", "[check]\nregions = \"warning\"\n", map[string]string{
			"content/a.md": "---\ntitle: A\nenabled: [us]\n---\nx\n",
		}, []string{`content/a.md:3:11: warning: unknown region "us" in front matter enabled (known: JP, US)`}},
		{"links inside admonitions point at the link", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n{{% note %}}\nSee [one](/gone1.html).\n{{% /note %}}\n\n{{< warning >}}\n* [two](/gone2.html)\n{{< /warning >}}\n",
		}, []string{
			`content/a.md:5:6: link to /gone1.html: no such page [JP, US]`,
			`content/a.md:9:4: link to /gone2.html: no such page [JP, US]`,
		}},
		{"a link to a draft", "", map[string]string{
			"content/a.md":        "---\ntitle: A\n---\n[d](/d.html) [s](/s/)\n",
			"content/d.md":        "---\ntitle: D\ndraft: true\n---\nx\n",
			"content/s/_index.md": "---\ntitle: S\ndraft: true\n---\n",
		}, []string{
			`content/a.md:4:2: link to /d.html: the page is a draft [JP, US]`,
			`content/a.md:4:15: link to /s/: the page is a draft [JP, US]`,
		}},
		{"a region without an absolute baseURL", "[regions.CN]\nbaseURL = \"/cn/\"\n[regions.CN.params]\nservice = \"c\"\n", map[string]string{
			"content/a.md": "---\ntitle: A\n---\nx\n",
		}, []string{`helpgen.toml:10:1: warning: region CN has no absolute baseURL: its canonical links, alternates and sitemap.xml hold paths only`}},
		{"empty pages error", "[check]\nemptyPages = \"error\"\n", map[string]string{
			"content/a.md":      "---\ntitle: A\ndescription: D\n---\n{{< disabled JP >}}\nx\n{{< /disabled >}}\n",
			"content/_index.md": "---\ntitle: Home\n---\n",
		}, []string{`content/a.md:1:1: page is empty in this region: all of its body is conditional [JP]`}},
		{"lists: a nested list short of the item's text, and the restart it causes", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n1. One\n  - sub\n1. Two\n\nText.\n\n- a\n   - b\n",
		}, []string{
			`content/a.md:5:3: warning: bullet list indented 2 spaces leaves the item on line 4, whose text is indented 3: Markdown ends that item's list here and makes this list its sibling [JP, US]`,
			`content/a.md:6:1: warning: ordered list starts again at 1 instead of 2: a block above left the list of line 4 and ended it [JP, US]`,
		}},
		{"lists: a sibling meant as nested, a paragraph and a code block", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n1. One\n  1. Sub\n  1. Sub two\n\n- a\n\n more about a\n\n- b\n\n        code?\n",
		}, []string{
			`content/a.md:5:3: warning: list item indented 2 spaces, deeper than the item on line 4 but less than its text (3): Markdown makes it a sibling, not a nested item [JP, US]`,
			`content/a.md:10:2: warning: paragraph indented 1 space leaves the item on line 8, whose text is indented 2: Markdown ends the item and its list before it [JP, US]`,
			`content/a.md:14:9: warning: text indented 8 spaces inside the item on line 12, 4 or more past its text (2): Markdown makes it a code block [JP, US]`,
		}},
		{"lists: a conditional that leaves a list in one region", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n1. One\n{{% enabled US %}}\n   1.  Nested in US\n{{% /enabled %}}\n     - sub\n1. Two\n",
		}, []string{
			`content/a.md:8:6: warning: bullet list indented 5 spaces leaves the item on line 6, whose text is indented 7: Markdown ends that item's list here and makes this list its sibling [US]`,
		}},
		{"lists: a misplaced block only one region has", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n1. One\n{{% enabled US %}}\n  - US only\n{{% /enabled %}}\n",
		}, []string{
			`content/a.md:6:3: warning: bullet list indented 2 spaces leaves the item on line 4, whose text is indented 3: Markdown ends that item's list here and makes this list its sibling [US]`,
		}},
		{"alt text", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n![](/i.png) ![ok](/i.png)\n{{< screen src=\"/i.png\" >}}\n<img src=\"/i.png\">\n",
			"static/i.png": "png",
		}, []string{
			`content/a.md:4:1: warning: image /i.png has no alt text: screen readers and searches get nothing [JP, US]`,
			`content/a.md:5:12: warning: image /i.png has no alt text: screen readers and searches get nothing [JP, US]`,
			`content/a.md:6:1: warning: image /i.png has no alt text: screen readers and searches get nothing [JP, US]`,
		}},
		{"heading levels", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n## Two\n\n#### Four\n\n### Three\n\n#### Four again\n\n###### Six {#six}\n",
		}, []string{
			`content/a.md:6:1: warning: heading level skips from h2 to h4 [JP, US]`,
			`content/a.md:12:1: warning: heading level skips from h4 to h6 [JP, US]`,
		}},
		{"duplicate titles in one section of a region", "", map[string]string{
			"content/s/a.md": "---\ntitle: Same\ndescription: d\n---\nx\n",
			"content/s/b.md": "---\nweight: 2\ntitle: \"{{% enabled US %}}Same{{% /enabled %}}{{% enabled JP %}}Other{{% /enabled %}}\"\ndescription: d\n---\nx\n",
			"content/t/a.md": "---\ntitle: Same\n---\nx\n",
		}, []string{
			`content/s/a.md:2:1: warning: title "Same" is also the title of content/s/b.md in the same section [US]`,
			`content/s/b.md:3:1: warning: title "Same" is also the title of content/s/a.md in the same section [US]`,
		}},
		{"absolute links to the site itself", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n[a](https://jp.example.com/a.html#x) [b](https://example.com/) <https://us.example.com/>\n",
		}, []string{
			`content/a.md:4:2: warning: absolute link to the site's own address https://jp.example.com/ (region JP) [JP, US]`,
			`content/a.md:4:64: warning: absolute link to the site's own address https://us.example.com/ (region US) [JP, US]`,
		}},
		{"unused static files", "", map[string]string{
			"content/a.md":        "---\ntitle: A\n---\n![i](img/used.png) [pdf](/doc.pdf)\n",
			"static/img/used.png": "png", "static/doc.pdf": "pdf", "static/old.png": "png", "static/img/old2.png": "png",
			"static/style.css": "body{background:url(/img/bg.png)}", "static/img/bg.png": "png",
			"static/.well-known/security.txt": "Contact: x", "static/img/old.png~": "backup",
			"layouts/partials/head.html": `<link rel="stylesheet" href="/style.css">`,
		}, []string{`static: warning: 2 files under static/ used by no page of any region: static/img/old2.png, static/old.png`}},
		{"descriptions of listed pages", "", map[string]string{
			"content/_index.md":   "---\ntitle: Home\n---\n",
			"content/s/_index.md": "---\ntitle: S\ndescription: d\n---\n",
			"content/s/a.md":      "---\nweight: 1\ntitle: A\n---\nx\n",
			"content/s/b.md":      "---\ntitle: B\ndescription: \"{{% enabled JP %}}Only JP{{% /enabled %}}\"\n---\nx\n",
		}, []string{
			`content/s/a.md:3:1: warning: page has no description, but its section content/s/_index.md lists it [JP, US]`,
			`content/s/b.md:2:1: warning: page has no description, but its section content/s/_index.md lists it [US]`,
		}},
		{"links that run code", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) <a href=\"javascript:alert(2)\">z</a>\n\n" +
				"<javascript:alert(3)> ![i](javascript:alert(4)) [v](vbscript:msgbox) [d](data:text/html,x) ![ok](data:image/png;base64,AA==)\n\n" +
				"<a href=\" java\tscript:alert(5)\">w</a>\n",
		}, []string{
			`content/a.md:4:2: link to a javascript: URL runs code in the site's origin when followed [JP, US]`,
			`content/a.md:4:27: link to a javascript: URL runs code in the site's origin when followed [JP, US]`,
			`content/a.md:4:51: link to a javascript: URL runs code in the site's origin when followed [JP, US]`,
			`content/a.md:6:1: link to a javascript: URL runs code in the site's origin when followed [JP, US]`,
			`content/a.md:6:25: image to a javascript: URL runs code in the site's origin when followed [JP, US]`,
			`content/a.md:6:50: link to a vbscript: URL runs code in the site's origin when followed [JP, US]`,
			`content/a.md:6:71: link to a data: URL runs code in the site's origin when followed [JP, US]`,
			`content/a.md:8:1: link to a javascript: URL runs code in the site's origin when followed [JP, US]`,
		}},
		{"a link hook's broken link at the Markdown link", "", map[string]string{
			"layouts/_default/_markup/render-link.html": `<a href="{{ .Destination }}.html">{{ .Text }}</a>`,
			"content/a.md": "---\ntitle: A\n---\nSee [b](/b) and\n[gone](/gone).\n",
			"content/b.md": "---\ntitle: B\n---\nb\n",
		}, []string{`content/a.md:5:2: link to /gone.html: no such page [JP, US]`}},
		{"an image hook's broken image at the Markdown image", "", map[string]string{
			"layouts/_markup/render-image.html": `<img src="/img{{ .Destination }}" alt="{{ .PlainText }}">`,
			"content/a.md":                      "---\ntitle: A\n---\nx ![shot](/a.png)\n",
			"static/img/b.png":                  "png",
		}, []string{`content/a.md:4:5: image /img/a.png not found: no file static/img/a.png [JP, US]`,
			"static: warning: 1 file under static/ used by no page of any region: static/img/b.png"}},
		{"a heading hook that writes no id", "", map[string]string{
			"layouts/_default/_markup/render-heading.html": `<h{{ .Level }}>{{ .Text }}</h{{ .Level }}>`,
			"content/a.md": "---\ntitle: A\n---\n## Sub\n\n[x](#sub)\n",
		}, []string{`content/a.md:6:2: anchor #sub not found on this page as rendered for this region [JP, US]`}},
		{"a heading hook that writes the anchor", "", map[string]string{
			"layouts/_default/_markup/render-heading.html": `<h{{ .Level }} id="{{ .Anchor }}">{{ .Text }} <a href="#{{ .Anchor }}">#</a></h{{ .Level }}>`,
			"content/a.md": "---\ntitle: A\n---\n## Sub\n\n[x](#sub)\n",
		}, nil},
		{"a link hook writing per region", "", map[string]string{
			"layouts/_default/_markup/render-link.html": `<a href="{{ .Destination }}{{ lower .Page.Site.Region }}.html">{{ .Text }}</a>`,
			"content/a.md":   "---\ntitle: A\n---\n[p](/p)\n",
			"content/pjp.md": "---\ntitle: P\n---\np\n",
		}, []string{`content/a.md:4:2: link to /pus.html: no such page [US]`}},
		{"links that run code as warnings", "[check]\nunsafeLinks = \"warning\"\n", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n[x](javascript:alert(1))\n",
		}, []string{`content/a.md:4:2: warning: link to a javascript: URL runs code in the site's origin when followed [JP, US]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found := run(t, load(t, site(tt.extra, tt.files)))
			var got []string
			for _, f := range found {
				got = append(got, f.Error.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestEmptyVariable: a variable whose value is empty in a region is
// reported where the region's reader gets it, not inside a conditional
// that leaves the region out.
func TestEmptyVariable(t *testing.T) {
	cfg := "title = \"T\"\n[regions.JP]\nbaseURL = \"https://jp.example.com/\"\n[regions.JP.params]\nblank = \"x\"\n" +
		"[regions.US]\nbaseURL = \"https://us.example.com/\"\n[regions.US.params]\nblank = \" \"\n"
	fsys := fstest.MapFS{
		"helpgen.toml": {Data: []byte(cfg)},
		"content/a.md": {Data: []byte("---\ntitle: A\n---\nFor {{%blank%}}.\n{{% disabled US %}}{{%blank%}}{{% /disabled %}}\n{{% note %}}In a note: {{%blank%}}{{% /note %}}\n")},
		"content/b.md": {Data: []byte("---\ntitle: \"B for {{%blank%}}\"\n---\nx\n")},
	}
	var got []string
	for _, f := range run(t, load(t, fsys)) {
		got = append(got, f.Error.Error())
	}
	want := []string{
		"content/a.md:4:5: warning: variable blank is empty in this region [US]",
		"content/a.md:6:24: warning: variable blank is empty in this region [US]",
		"content/b.md:2:15: warning: variable blank is empty in this region [US]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSelectedRegions: -r narrows the regions a finding is reported for.
func TestSelectedRegions(t *testing.T) {
	files := map[string]string{"content/a.md": "---\ntitle: A\n---\n[x](#x)\n"}
	found := run(t, load(t, site("", files), "us"))
	if len(found) != 1 || strings.Join(found[0].Regions, ",") != "US" {
		t.Errorf("got %v", List(found))
	}
}

// TestBuildRunsChecks: errors among the findings fail the build and leave
// the destination alone; warnings come back with the result.
func TestBuildRunsChecks(t *testing.T) {
	root := t.TempDir()
	write := func(files map[string]string) {
		for k, v := range files {
			p := filepath.Join(root, "site", k)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(map[string]string{"helpgen.toml": config, "content/a.md": "---\ntitle: A\n---\n[gone](/gone.html)\n"})
	dest := filepath.Join(root, "public")
	opt := build.RunOptions{Site: filepath.Join(root, "site"), Dest: dest, Defaults: helpgen.Defaults,
		Check: func(p *build.Project, rs []*build.Region) diag.List { return List(Sites(p, rs)) }}
	_, err := build.Run(opt)
	if err == nil || !strings.Contains(err.Error(), "content/a.md:4:2: link to /gone.html: no such page [JP, US]") {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("a failed build wrote %s", dest)
	}
	write(map[string]string{"content/a.md": "---\ntitle: A\n---\n{{% note %}}{{% enabled JP %}}x{{% /enabled %}}{{% /note %}}\n\ntext\n"})
	res, err := build.Run(opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Error(), "warning: note block is empty in this region [US]") {
		t.Errorf("warnings: %v", res.Warnings)
	}
	if _, err := os.Stat(filepath.Join(dest, "us", "a.html")); err != nil {
		t.Error(err)
	}
}

func TestPlainText(t *testing.T) {
	in := `<h2 id="a">Head</h2><p>One <b>bold</b> word and <a href="/x.html">a link</a>.</p><ul><li><p>item</p></li><li>two</li></ul><p><img src="/i.png" alt="pic"></p><pre><code>a  b
c</code></pre>`
	want := "## Head\nOne bold word and [a link](/x.html).\n- item\n- two\n[image: pic](/i.png)\na  b\nc\n"
	if got := PlainText(in); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestRegionsDiff(t *testing.T) {
	p := load(t, site("", map[string]string{
		"content/a.md": "---\ntitle: A {{% enabled US %}}(US){{% /enabled %}}\n---\nFor {{%service%}}.\n\n{{% disabled US %}}\nNot in US.\n{{% /disabled %}}\n",
	}))
	cp, err := FindPage(p, "content/a.md")
	if err != nil {
		t.Fatal(err)
	}
	vs, err := Variants(p, cp)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Diff(cp, vs, "JP", "US")
	if err != nil {
		t.Fatal(err)
	}
	want := "--- JP /a.html\n+++ US /a.html\n@@ -1,4 +1,3 @@\n-# A\n+# A (US)\n \n-For a.\n-Not in US.\n+For b.\n"
	if d != want {
		t.Errorf("got\n%s\nwant\n%s", d, want)
	}
	if _, err := FindPage(p, "/nope.html"); err == nil {
		t.Error("no error for a missing page")
	}

	// A region where the page is not published says so in the diff.
	p = load(t, site("", map[string]string{"content/b.md": "---\ntitle: B\ndisabled: [US]\n---\nOnly JP.\n"}))
	cp, _ = FindPage(p, "content/b.md")
	if vs, err = Variants(p, cp); err != nil {
		t.Fatal(err)
	}
	d, _ = Diff(cp, vs, "JP", "US")
	if !strings.Contains(d, "+(not published in US: see enabled/disabled in content/b.md)") {
		t.Errorf("diff to an unpublished region:\n%s", d)
	}
}
