package check

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"pgregory.net/rapid"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/search"
	"github.com/helpgen/helpgen/internal/theme"
)

// TestMain gives the leak property a fixed seed and at least 200 cases
// unless -rapid.seed / -rapid.checks are given (make fuzz runs it longer
// with random seeds).
func TestMain(m *testing.M) {
	flag.Parse()
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["rapid.seed"] && os.Getenv("RAPID_SEED") == "" {
		_ = flag.Set("rapid.seed", "20240604")
	}
	if !set["rapid.checks"] && os.Getenv("RAPID_CHECKS") == "" {
		_ = flag.Set("rapid.checks", "200")
	}
	os.Exit(m.Run())
}

var leakRegions = []string{"CN", "JP", "US"}

const leakConfig = `title = "Leak test"
languages = ["en"]
[regions.JP]
baseURL = "https://jp.example.com/"
[regions.US]
baseURL = "https://us.example.com/"
[regions.CN]
baseURL = "https://cn.example.com/"
`

// leakSite is a generated site and, for every marker word in it, the
// regions whose readers must see it.
type leakSite struct {
	files  map[string]string
	keep   map[string][]string // marker → regions that keep it
	pageOf map[string]string   // marker → output path of its page
	title  map[string]bool     // marker stands in a title
	// page only: the marker must reach its page but is not searchable
	// (the site title, which every page carries)
	pageOnly map[string]bool
}

type leakGen struct {
	t     *rapid.T
	site  *leakSite
	n     int
	depth int
}

func (g *leakGen) marker(regions []string, out string, title bool) string {
	g.n++
	m := fmt.Sprintf("mk%05dq", g.n)
	g.site.keep[m] = regions
	g.site.pageOf[m] = out
	g.site.title[m] = title
	return m
}

func (g *leakGen) subset(label string) []string {
	var out []string
	for _, r := range leakRegions {
		if rapid.Bool().Draw(g.t, label+r) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		out = []string{rapid.SampledFrom(leakRegions).Draw(g.t, label)}
	}
	return out
}

// cond opens and closes a random region conditional and narrows in to the
// regions that keep its inner text.
func (g *leakGen) cond(in []string) (open, close string, keep []string) {
	name := rapid.SampledFrom([]string{"enabled", "disabled", "enabled2", "disabled2"}).Draw(g.t, "cond")
	codes := g.subset("codes")
	l, r := "%", "%"
	if rapid.Bool().Draw(g.t, "angle") {
		l, r = "<", ">"
	}
	enabled := strings.HasPrefix(name, "enabled")
	for _, c := range in {
		if slices.Contains(codes, c) == enabled {
			keep = append(keep, c)
		}
	}
	sp := rapid.SampledFrom([]string{" ", ""}).Draw(g.t, "space")
	open = fmt.Sprintf("{{%s%s%s %s%s}}", l, sp, name, strings.Join(codes, " "), r)
	close = fmt.Sprintf("{{%s%s/%s%s}}", l, sp, name, r)
	if sp == "" {
		close = fmt.Sprintf("{{%s/%s %s}}", l, name, r)
	}
	return open, close, keep
}

// inline is a run of words and inline conditionals, one line.
func (g *leakGen) inline(in []string, out string, title bool) string {
	var b strings.Builder
	n := rapid.IntRange(1, 3).Draw(g.t, "words")
	for i := range n {
		if i > 0 {
			b.WriteString(" ")
		}
		if g.depth < 3 && rapid.IntRange(0, 2).Draw(g.t, "inlineKind") == 0 {
			open, close, keep := g.cond(in)
			g.depth++
			b.WriteString(open + g.inline(keep, out, title) + close)
			g.depth--
			continue
		}
		b.WriteString(g.marker(in, out, title))
	}
	return b.String()
}

// block is a paragraph, heading, list, note or block conditional.
func (g *leakGen) block(in []string, out string) string {
	kind := rapid.IntRange(0, 5).Draw(g.t, "blockKind")
	if g.depth >= 3 {
		kind = 0
	}
	switch kind {
	case 1:
		return "## " + g.inline(in, out, false) + "\n"
	case 2:
		return "* " + g.inline(in, out, false) + "\n* " + g.inline(in, out, false) + "\n"
	case 3:
		g.depth++
		defer func() { g.depth-- }()
		name := rapid.SampledFrom([]string{"note", "hint", "warning", "reference"}).Draw(g.t, "admonition")
		l, r := "%", "%"
		if rapid.Bool().Draw(g.t, "admonitionAngle") {
			l, r = "<", ">"
		}
		return fmt.Sprintf("{{%s %s %s}}\n%s\n{{%s /%s %s}}\n", l, name, r, g.inline(in, out, false), l, name, r)
	case 4, 5:
		open, close, keep := g.cond(in)
		g.depth++
		defer func() { g.depth-- }()
		var b strings.Builder
		b.WriteString(open + "\n")
		for range rapid.IntRange(1, 2).Draw(g.t, "children") {
			b.WriteString(g.block(keep, out) + "\n")
		}
		b.WriteString(close + "\n")
		return b.String()
	}
	return g.inline(in, out, false) + "\n"
}

func genSite(t *rapid.T) *leakSite {
	s := &leakSite{files: map[string]string{}, keep: map[string][]string{},
		pageOf: map[string]string{}, title: map[string]bool{}, pageOnly: map[string]bool{}}
	g := &leakGen{t: t, site: s}
	// The site title, on every page of the region: checked on the home page.
	siteTitle := g.inline(leakRegions, "index.html", false)
	for m := range s.keep {
		s.pageOnly[m] = true
	}
	s.files["helpgen.toml"] = strings.Replace(leakConfig, `"Leak test"`, `"Leak test `+siteTitle+`"`, 1)
	if rapid.Bool().Draw(t, "hooks") {
		// Headings written by a render hook, with the region in them: the
		// hook runs per region, and its conversion is never shared.
		s.files["layouts/_default/_markup/render-heading.html"] = `<h{{ .Level }} id="{{ .Anchor }}" title="{{ .PlainText }}">{{ .Text }} ({{ .Page.Site.Region }})</h{{ .Level }}>`
	}
	pages := rapid.IntRange(1, 4).Draw(t, "pages")
	for i := range pages {
		file, out := fmt.Sprintf("content/s/p%d.md", i), fmt.Sprintf("s/p%d.html", i)
		if i == 0 && rapid.Bool().Draw(t, "section") {
			file, out = "content/s/_index.md", "s/index.html"
		}
		in := leakRegions
		var fm strings.Builder
		switch rapid.IntRange(0, 2).Draw(t, "pageRegions") {
		case 1:
			codes := g.subset("enabledPage")
			in = codes
			fmt.Fprintf(&fm, "enabled: [%s]\n", strings.Join(codes, ", "))
		case 2:
			codes := g.subset("disabledPage")
			in = nil
			for _, r := range leakRegions {
				if !slices.Contains(codes, r) {
					in = append(in, r)
				}
			}
			fmt.Fprintf(&fm, "disabled: [%s]\n", strings.Join(codes, ", "))
		}
		if rapid.Bool().Draw(t, "alias") {
			fmt.Fprintf(&fm, "aliases: [/old/p%d]\n", i)
		}
		title := "Page " + g.inline(in, out, true)
		if rapid.Bool().Draw(t, "description") {
			fmt.Fprintf(&fm, "description: \"%s\"\n", g.inline(in, out, false))
		}
		var body strings.Builder
		for range rapid.IntRange(1, 4).Draw(t, "blocks") {
			body.WriteString(g.block(in, out) + "\n")
		}
		s.files[file] = fmt.Sprintf("---\ntitle: \"%s\"\n%s---\n%s", title, fm.String(), body.String())
	}
	return s
}

// TestNoLeaks builds random pages with nested enabled/disabled blocks (both
// delimiters, inline and block, in titles too), and asserts for every region
// that a marker word appears in a file written for that region only if the
// region keeps it, and that every kept marker reaches its page (and, for a
// title, the navigation tree).
func TestNoLeaks(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSite(t)
		fsys := fstest.MapFS{}
		for k, v := range s.files {
			fsys[k] = &fstest.MapFile{Data: []byte(v)}
		}
		p, err := build.Load(fsys, helpgen.Defaults, build.LoadOptions{})
		if err != nil {
			t.Fatalf("Load: %v\n%s", err, dump(s))
		}
		out := output.NewMemOutput()
		if _, err := p.Build(out, build.Options{Writers: []build.RegionWriter{search.Writer(search.DefaultOptions)}}); err != nil {
			t.Fatalf("Build: %v\n%s", err, dump(s))
		}
		markers := make([]string, 0, len(s.keep))
		for m := range s.keep {
			markers = append(markers, m)
		}
		slices.Sort(markers)
		for _, r := range leakRegions {
			dir := strings.ToLower(r) + "/"
			for name, data := range out.Files {
				if !strings.HasPrefix(name, dir) {
					continue
				}
				for _, m := range markers {
					if strings.Contains(string(data), m) && !slices.Contains(s.keep[m], r) {
						t.Fatalf("%s leaks into %s (kept only in %v)\n%s", m, name, s.keep[m], dump(s))
					}
				}
			}
			for _, m := range markers {
				if !slices.Contains(s.keep[m], r) {
					continue
				}
				page, ok := out.Get(strings.ToLower(r), s.pageOf[m])
				if !ok || !strings.Contains(string(page), m) {
					t.Fatalf("%s is missing from %s%s\n%s", m, dir, s.pageOf[m], dump(s))
				}
				if !s.pageOnly[m] && !inSearch(out, dir, m) {
					t.Fatalf("%s is missing from %s_search/\n%s", m, dir, dump(s))
				}
				if s.title[m] {
					inTree := false
					for k, v := range out.Files {
						if strings.HasPrefix(k, strings.ToLower(r)+"/"+theme.NavDir+"/t") && strings.Contains(string(v), m) {
							inTree = true
						}
					}
					if !inTree {
						t.Fatalf("title word %s is missing from the tree files of %s\n%s", m, dir, dump(s))
					}
				}
			}
		}
	})
}

// inSearch reports whether any search index file of the region holds m, so
// that the leak assertion over index files is not vacuous.
func inSearch(out *output.MemOutput, dir, m string) bool {
	for name, data := range out.Files {
		if strings.HasPrefix(name, dir+"_search/") && strings.Contains(string(data), m) {
			return true
		}
	}
	return false
}

func dump(s *leakSite) string {
	var names []string
	for k := range s.files {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, k := range names {
		fmt.Fprintf(&b, "== %s\n%s\n", k, s.files[k])
	}
	return b.String()
}
