package check

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aymanbagabas/go-udiff"
	"golang.org/x/net/html"
	"pgregory.net/rapid"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/markdown"
)

const seedFile = "content/general/ja/login/troubleshoot_first.md"

// seedSite is the bundled configuration with the seed page as it was
// written, before --fix.
func seedSite(t *testing.T) fstest.MapFS {
	t.Helper()
	cfg, err := os.ReadFile("../../helpgen.toml")
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile("testdata/lists/troubleshoot_first.md")
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{"helpgen.toml": {Data: cfg}, seedFile: {Data: page}}
}

// stepNumbers renders the seed page in every region and returns, per
// region, the numbers a reader sees on the checks under the page's first
// step, and how many of those checks hold a bullet list.
func stepNumbers(t *testing.T, fsys fstest.MapFS) map[string][]int {
	t.Helper()
	p := load(t, fsys)
	out := map[string][]int{}
	for _, rc := range p.Config.Regions {
		r, errs := p.Prepare(rc)
		pg := r.ByURL["/general/ja/login/troubleshoot_first.html"]
		if len(errs) > 0 || pg == nil {
			t.Fatalf("%s: no seed page among %d: %v", rc.Code, len(r.Pages), errs)
		}
		if err := p.RenderBody(pg); err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(strings.NewReader(string(pg.Content)))
		if err != nil {
			t.Fatal(err)
		}
		first := find(doc, "li") // the first step
		if first == nil {
			t.Fatalf("%s: no list item in %.300s", r.Config.Code, pg.Content)
		}
		var nums []int
		bullets := 0
		for c := first.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c.Data != "ol" {
				continue
			}
			n := 1
			for _, a := range c.Attr {
				if a.Key == "start" {
					n = atoi(a.Val)
				}
			}
			for li := c.FirstChild; li != nil; li = li.NextSibling {
				if li.Type == html.ElementNode && li.Data == "li" {
					nums = append(nums, n)
					n++
					if find(li, "ul") != nil {
						bullets++
					}
				}
			}
		}
		out[r.Config.Code] = append(nums, -bullets)
	}
	return out
}

func find(n *html.Node, tag string) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == tag {
			return c
		}
		if f := find(c, tag); f != nil {
			return f
		}
	}
	return nil
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// TestFixSeed: the seed page's four checks read 1, 1, 2, 1 with their
// sub-bullets outside them; after Fixes they read 1, 2, 3, 4 in every
// region, with the sub-bullets of checks 1 and 3 inside, and the lists
// check finds nothing left.
func TestFixSeed(t *testing.T) {
	fsys := seedSite(t)
	for code, got := range stepNumbers(t, fsys) {
		if want := []int{1, 1, 2, 1, 0}; !slices.Equal(got, want) {
			t.Errorf("%s before the fix: numbers and -bullets %v, want %v", code, got, want)
		}
	}
	fixes, err := Fixes(fsys, buildLoader(helpgen.Defaults, build.LoadOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(fixes) != 1 || fixes[0].File != seedFile || fixes[0].Lines != 7 {
		t.Fatalf("fixes: %+v", fixes)
	}
	fixed := fstest.MapFS{}
	for k, v := range fsys {
		fixed[k] = v
	}
	fixed[seedFile] = &fstest.MapFile{Data: fixes[0].New}
	regions := stepNumbers(t, fixed)
	if len(regions) != 3 {
		t.Errorf("rendered in %d regions, want 3", len(regions))
	}
	for code, got := range regions {
		if want := []int{1, 2, 3, 4, -2}; !slices.Equal(got, want) {
			t.Errorf("%s after the fix: numbers and -bullets %v, want %v", code, got, want)
		}
	}
	for _, f := range run(t, load(t, fixed)) {
		if f.Check == Lists {
			t.Errorf("left after the fix: %s", f.Error)
		}
	}
	// Only indentation changed: the same lines, the same text.
	old, new := bytes.Split(fixes[0].Old, []byte("\n")), bytes.Split(fixes[0].New, []byte("\n"))
	if len(old) != len(new) {
		t.Fatalf("line count %d → %d", len(old), len(new))
	}
	for i := range old {
		if !bytes.Equal(bytes.TrimLeft(old[i], " "), bytes.TrimLeft(new[i], " ")) {
			t.Errorf("line %d changed beyond its indentation:\n%s\n%s", i+1, old[i], new[i])
		}
	}
	// The committed page is the fixed seed with a description and the alt
	// text of two screenshots added.
	committed, err := os.ReadFile(filepath.Join("../..", seedFile))
	if err != nil {
		t.Fatal(err)
	}
	back := strings.NewReplacer(
		"description: \"ログインできないときに最初に確認することと、パスワードのリセットを依頼する手順です。\"\n", "",
		`alt="ユーザー情報の編集画面のパスワード欄"`, `alt=""`,
		`alt="ユーザー情報の編集画面のログイン名欄"`, `alt=""`).Replace(string(committed))
	if back != string(fixes[0].New) {
		t.Errorf("%s is not the seed as --fix leaves it (with its description and alt texts):\n%s", seedFile, udiff.Unified("fixed", "committed", string(fixes[0].New), back))
	}
}

// TestFixKeepsBOMAndCRLF: a file with a byte order mark and CRLF line ends
// keeps both; only the indentation of the wrong lines changes.
func TestFixKeepsBOMAndCRLF(t *testing.T) {
	src := "\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n1. one\r\n  - sub\r\n1. two\r\n"
	fsys := site("", map[string]string{"content/a.md": src})
	fixes, err := Fixes(fsys, buildLoader(helpgen.Defaults, build.LoadOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	want := "\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n1. one\r\n   - sub\r\n1. two\r\n"
	if len(fixes) != 1 || string(fixes[0].New) != want {
		t.Fatalf("fixes: %+v", fixes)
	}
}

// TestFixRegionsDisagree: a line that one region needs moved and another
// does not (a conditional changes the item above it) is left alone.
func TestFixRegionsDisagree(t *testing.T) {
	src := "---\ntitle: T\n---\n1. one\n{{% enabled JP %}}\n   1.  nested in JP\n{{% /enabled %}}\n     - sub\n"
	fsys := site("", map[string]string{"content/a.md": src})
	found := run(t, load(t, fsys))
	if len(found) != 1 || found[0].Check != Lists || found[0].Line != 8 || strings.Join(found[0].Regions, ",") != "JP" {
		t.Fatalf("want one lists finding at line 8 in JP, got %s", List(found))
	}
	fixes, err := Fixes(fsys, buildLoader(helpgen.Defaults, build.LoadOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixes {
		t.Errorf("fixed although the regions disagree:\n%s", f.Diff())
	}
}

// TestWriteFix: the file is replaced whole, keeps its mode, and a file
// changed since the fix was computed is refused.
func TestWriteFix(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "content", "a.md")
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFix(dir, Fix{File: "content/a.md", Old: []byte("other"), New: []byte("new")}); err == nil {
		t.Error("a file changed since the fix was computed was overwritten")
	}
	if err := WriteFix(dir, Fix{File: "content/a.md", Old: []byte("old"), New: []byte("new")}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(name)
	fi, _ := os.Stat(name)
	ents, _ := os.ReadDir(filepath.Dir(name))
	if string(b) != "new" || fi.Mode().Perm() != 0o640 || len(ents) != 1 {
		t.Errorf("after WriteFix: %q, mode %v, %d files", b, fi.Mode(), len(ents))
	}
}

// FuzzReindent: re-indenting keeps every line, its end and its text; only
// the white space before the text changes, to the width asked for.
func FuzzReindent(f *testing.F) {
	f.Add([]byte("a\n  b\r\n\tc\n"), 2, 3)
	f.Add([]byte("\xef\xbb\xbf  x\n"), 1, -5)
	f.Fuzz(func(t *testing.T, data []byte, line, delta int) {
		if delta > 100 || delta < -100 {
			return
		}
		out := reindent(data, map[int]int{line: delta})
		a, b := bytes.SplitAfter(data, []byte("\n")), bytes.SplitAfter(out, []byte("\n"))
		if bom := []byte("\xef\xbb\xbf"); bytes.HasPrefix(data, bom) {
			if !bytes.HasPrefix(out, bom) {
				t.Fatalf("the byte order mark was lost: %q", out)
			}
			a, b = bytes.SplitAfter(data[3:], []byte("\n")), bytes.SplitAfter(out[3:], []byte("\n"))
		}
		if len(a) != len(b) {
			t.Fatalf("%d lines became %d", len(a), len(b))
		}
		for i := range a {
			if !bytes.Equal(bytes.TrimLeft(a[i], " \t"), bytes.TrimLeft(b[i], " \t")) {
				t.Fatalf("line %d: %q became %q", i+1, a[i], b[i])
			}
			if i+1 != line && !bytes.Equal(a[i], b[i]) {
				t.Fatalf("line %d changed though only line %d moves: %q → %q", i+1, line, a[i], b[i])
			}
		}
	})
}

// TestFixProperty: on generated lists with any indentation (and a region
// conditional now and then), a fix changes only the white space before
// lines, leaves no region with more list problems, and keeps every
// region's text word for word (list markers aside: a code block shows
// them, the list it becomes does not).
func TestFixProperty(t *testing.T) {
	fixed := 0
	defer func() {
		if !t.Failed() && fixed == 0 {
			t.Error("no generated page needed a fix: the property was never tested")
		}
	}()
	rapid.Check(t, func(rt *rapid.T) {
		var b strings.Builder
		b.WriteString("---\ntitle: A\n---\n")
		n := rapid.IntRange(1, 10).Draw(rt, "lines")
		for i := range n {
			switch rapid.IntRange(0, 5).Draw(rt, "kind") {
			case 0:
				b.WriteString("\n")
				continue
			case 1:
				b.WriteString("{{% enabled JP %}}\n")
			}
			indent := strings.Repeat(" ", rapid.IntRange(0, 9).Draw(rt, "indent"))
			marker := rapid.SampledFrom([]string{"1. ", "- ", "* ", "2) ", ""}).Draw(rt, "marker")
			fmt.Fprintf(&b, "%s%sw%d\n", indent, marker, i)
			if strings.HasSuffix(b.String(), "{{% enabled JP %}}\n"+indent+marker+fmt.Sprintf("w%d\n", i)) {
				b.WriteString("{{% /enabled %}}\n")
			}
		}
		page := b.String()
		fsys := fstest.MapFS{
			"helpgen.toml": {Data: []byte(config)},
			"content/a.md": {Data: []byte(page)},
		}
		fixes, err := Fixes(fsys, buildLoader(helpgen.Defaults, build.LoadOptions{}))
		if err != nil {
			rt.Fatalf("Fixes: %v\n%s", err, page)
		}
		if len(fixes) == 0 {
			return
		}
		fixed++
		f := fixes[0]
		old, new := strings.Split(string(f.Old), "\n"), strings.Split(string(f.New), "\n")
		if len(old) != len(new) {
			rt.Fatalf("line count changed\n%s", f.Diff())
		}
		for i := range old {
			if strings.TrimLeft(old[i], " ") != strings.TrimLeft(new[i], " ") {
				rt.Fatalf("line %d changed beyond its indentation\n%s", i+1, f.Diff())
			}
		}
		after := regionFacts(rt, fstest.MapFS{"helpgen.toml": fsys["helpgen.toml"], "content/a.md": {Data: f.New}})
		before := regionFacts(rt, fsys)
		for code, a := range after {
			if len(a.lists) > len(before[code].lists) {
				rt.Fatalf("%s has %d list problems after the fix, %d before\n%s", code, len(a.lists), len(before[code].lists), f.Diff())
			}
			if a.text != before[code].text {
				rt.Fatalf("%s reads differently after the fix:\n%q\n%q\n%s\n%s", code, before[code].text, a.text, f.Old, f.Diff())
			}
		}
	})
}

var marker = regexp.MustCompile(`^([-*]|\d+[.)])$`)

type pageFacts struct {
	text  string
	lists []markdown.ListProblem
}

// regionFacts renders content/a.md in each region: its words in order and
// its list problems.
func regionFacts(t rapid.TB, fsys fstest.MapFS) map[string]pageFacts {
	p, err := build.Load(fsys, helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	rs, err := Render(p, 1)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	out := map[string]pageFacts{}
	for _, r := range rs {
		pg := r.ByURL["/a.html"]
		var words []string
		for _, s := range pg.Facts.Sections {
			for _, w := range strings.Fields(s.Text) {
				// A code block shows list markers a fix turns into lists.
				if !marker.MatchString(w) {
					words = append(words, w)
				}
			}
		}
		out[r.Config.Code] = pageFacts{text: strings.Join(words, " "), lists: pg.Facts.Lists}
	}
	return out
}

// TestFixRegionOnlyLines: lines only one region reads are moved for it, and
// the finding says --fix does so.
func TestFixRegionOnlyLines(t *testing.T) {
	fsys := site("", map[string]string{"content/a.md": "---\ntitle: A\n---\n1. One\n{{% enabled US %}}\n  - US only\n{{% /enabled %}}\n"})
	found := run(t, load(t, fsys))
	if len(found) != 1 || !strings.Contains(found[0].Hint, "--fix does") {
		t.Fatalf("findings: %s", List(found))
	}
	fixes, err := Fixes(fsys, buildLoader(helpgen.Defaults, build.LoadOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(fixes) != 1 || !strings.Contains(string(fixes[0].New), "\n   - US only\n") {
		t.Fatalf("fixes: %+v", fixes)
	}
}

// buildLoader loads a site with the build pipeline, as the command does.
func buildLoader(defaults fs.FS, opt build.LoadOptions) Loader {
	return func(site fs.FS) (Renderer, error) {
		p, err := build.Load(site, defaults, opt)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
}
