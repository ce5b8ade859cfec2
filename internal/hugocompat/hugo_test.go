// Package hugocompat proves that a Hugo help site built with the patterns of
// the CybozuDocs theme (testdata/site: per-region config files, the theme's
// kinds of shortcodes, partials that return values, resources.Get on
// assets/, render hooks for links, images, headings and code blocks, i18n
// in Hugo's form) builds with helpgen unchanged, and that each page's
// article says what Hugo's says. testdata/golden holds Hugo v0.160.0's
// articles; `make hugo-golden` installs Hugo and writes them again.
package hugocompat

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/check"
	"github.com/helpgen/helpgen/internal/migrate"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/render"
	"github.com/helpgen/helpgen/internal/sitefs"
)

var update = flag.Bool("update", false, "write testdata/golden from Hugo's build of testdata/site ($HUGO names the hugo binary)")

// configs are the site's Hugo config files, one per region.
var configs = map[string]string{"jp": "config.toml", "us": "config_us.toml", "cn": "config_cn.toml"}

// TestAgainstHugo migrates testdata/site (helpgen migrate hugo writes its
// helpgen.toml), builds it, and compares every page's article with Hugo's:
// its text, link targets, image sources and alts, and element ids.
func TestAgainstHugo(t *testing.T) {
	if *update {
		writeGolden(t)
	}
	proj := load(t, nil)
	out := output.NewMemOutput()
	if _, err := proj.Build(out, build.Options{}); err != nil {
		t.Fatalf("the Hugo site does not build:\n%v", err)
	}
	n := 0
	for region := range configs {
		root := filepath.Join("testdata", "golden", region)
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			want, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			got, ok := out.Get(region, filepath.ToSlash(rel))
			if !ok {
				t.Errorf("%s/%s: helpgen wrote no such page", region, rel)
				return nil
			}
			compare(t, region+"/"+rel, facts(t, string(got)), facts(t, string(want)))
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 15 {
		t.Fatalf("only %d golden pages compared", n)
	}
}

// load migrates a copy of testdata/site (helpgen migrate hugo writes its
// helpgen.toml), with the files of extra added, and loads it.
func load(t *testing.T, extra map[string]string) *build.Project {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/site")); err != nil {
		t.Fatal(err)
	}
	for name, text := range extra {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := migrate.Run(os.DirFS(dir), migrate.Options{Configs: []string{"config.toml", "config_us.toml", "config_cn.toml"},
		RegionParam: "TargetRegion", Funcs: render.FuncNames()})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "helpgen.toml"), res.Config, 0o644); err != nil {
		t.Fatal(err)
	}
	proj, err := build.Load(sitefs.New(dir), helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		t.Fatalf("the Hugo site does not load:\n%v\nhelpgen.toml:\n%s", err, res.Config)
	}
	return proj
}

// TestCheckSeesHooks checks the site with a page linking to what only the
// render hooks, the shortcodes and resources.Get write: the ids of the
// heading hook's own markup (message-detail), a shortcode's ids (menu-1), a
// published asset; and to what nothing writes. Only the latter are found
// (CN has no menu, so the link to it is not for CN).
func TestCheckSeesHooks(t *testing.T) {
	page := "---\ntitle: \"リンク集\"\ndescription: \"記事へのリンク\"\n---\n" +
		"{{% disabled CN %}}[b](/general/ja/guide/markup.html#menu-1){{% /disabled %}}\n\n" +
		"[a](/general/ja/guide/ids.html#message-detail) " +
		"[c](/general/ja/guide/markup.html#config-の編集) [d](/general/icons/help.png)\n\n" +
		"[e](/general/ja/guide/ids.html#no-such-id) [f](/general/ja/nope.html)\n\n![g](/general/img/none.png)\n"
	proj := load(t, map[string]string{"content/general/ja/links.md": page})
	regions, err := check.Render(proj, 2)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range check.Sites(proj, regions) {
		if f.File == "content/general/ja/links.md" {
			got = append(got, f.Check+": "+f.Msg)
		}
	}
	slices.Sort(got)
	want := []string{
		"anchors: anchor #no-such-id not found in /general/ja/guide/ids.html as rendered for this region",
		"images: image /general/img/none.png not found: no file static/general/img/none.png",
		"links: link to /general/ja/nope.html: no such page",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings on the page:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// articleFacts is what a reader gets from an article, independent of the
// markup around it: the text without white space (Hugo makes some lists
// loose where helpgen does not), link targets, image sources with their
// alts, and element ids, in document order.
type articleFacts struct {
	Text               string
	Links, Images, IDs []string
}

func facts(t *testing.T, doc string) articleFacts {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var f articleFacts
	var text strings.Builder
	var walk func(n *html.Node, in bool)
	walk = func(n *html.Node, in bool) {
		if n.Type == html.ElementNode && n.Data == "article" && attr(n, "class") == "article" {
			in = true
		}
		if in {
			switch n.Type {
			case html.TextNode:
				text.WriteString(strings.Join(strings.Fields(n.Data), ""))
			case html.ElementNode:
				if id := attr(n, "id"); id != "" {
					f.IDs = append(f.IDs, id)
				}
				switch n.Data {
				case "a":
					f.Links = append(f.Links, attr(n, "href"))
				case "img":
					f.Images = append(f.Images, attr(n, "src")+" "+attr(n, "alt"))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(root, false)
	f.Text = text.String()
	return f
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func compare(t *testing.T, page string, got, want articleFacts) {
	t.Helper()
	if got.Text != want.Text {
		t.Errorf("%s: text\n got %s\nwant %s", page, got.Text, want.Text)
	}
	for _, l := range []struct {
		what      string
		got, want []string
	}{{"links", got.Links, want.Links}, {"images", got.Images, want.Images}, {"ids", got.IDs, want.IDs}} {
		if !slices.Equal(l.got, l.want) {
			t.Errorf("%s: %s\n got %q\nwant %q", page, l.what, l.got, l.want)
		}
	}
}

// writeGolden builds testdata/site with Hugo once per region and keeps each
// page's article.
func writeGolden(t *testing.T) {
	hugo := os.Getenv("HUGO")
	if hugo == "" {
		hugo = "hugo"
	}
	if _, err := exec.LookPath(hugo); err != nil {
		t.Fatalf("-update needs Hugo v0.160.0 (make hugo-golden installs it): %v", err)
	}
	for region, cfg := range configs {
		dest := t.TempDir()
		cmd := exec.Command(hugo, "--quiet", "--noBuildLock", "--config", cfg, "-d", dest)
		cmd.Dir = "testdata/site"
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("hugo for %s: %v\n%s", region, err, b)
		}
		root := filepath.Join("testdata", "golden", region)
		if err := os.RemoveAll(root); err != nil {
			t.Fatal(err)
		}
		err := filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			doc := string(data)
			i, j := strings.Index(doc, `<article class="article">`), strings.Index(doc, "</article>")
			// Hugo writes a list page for a top folder without _index.md;
			// helpgen writes none (README, Coming from Hugo).
			if i < 0 || j < i || strings.TrimSpace(doc[i+len(`<article class="article">`):j]) == "" {
				return nil
			}
			rel, _ := filepath.Rel(dest, p)
			out := filepath.Join(root, rel)
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				return err
			}
			return os.WriteFile(out, []byte(doc[i:j+len("</article>")]+"\n"), 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
