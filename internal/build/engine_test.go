package build

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"pgregory.net/rapid"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/output"
)

// TestMain gives the engine property a fixed seed and a few dozen cases
// unless -rapid.seed / -rapid.checks are given (make fuzz runs it longer
// with a random seed).
func TestMain(m *testing.M) {
	flag.Parse()
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["rapid.seed"] && os.Getenv("RAPID_SEED") == "" {
		_ = flag.Set("rapid.seed", "20261202")
	}
	if !set["rapid.checks"] && os.Getenv("RAPID_CHECKS") == "" {
		_ = flag.Set("rapid.checks", "40")
	}
	os.Exit(m.Run())
}

// propSite is a generated site being edited: its files, and counters that
// keep new names unique so that no edit makes two sources of one output.
type propSite struct {
	fs    fstest.MapFS
	pages []string // content files of regular pages
	next  int      // the next page or static file number
	tpl   int      // edits of the single-page layout
}

var propSections = []string{"content/s0", "content/s1", "content/s1/deep"}

var propBodies = []string{
	"Plain text.\n",
	"## Heading\n\nText with a [link](/s0/).\n",
	"{{% enabled US %}}Only in US.{{% /enabled %}}\n\n{{% disabled JP %}}Not in JP.{{% /disabled %}}\n",
	"Service: {{%service%}}.\n\n- one\n- two\n",
	"",
	"Pages: {{< pages >}}\n",
}

// propShortcode lists the region's other pages, as Hugo's templates may:
// a page using it shows every page's title and parameters.
const propShortcode = `{{ range .Site.RegularPages }}{{ .Title }} ({{ .Params.tag }}) {{ end }}parent={{ with .Page.Parent }}{{ .Title }}{{ end }}`

func (s *propSite) set(name, text string) { s.fs[name] = &fstest.MapFile{Data: []byte(text)} }

func page(title string, weight int, extra, body string) string {
	return fmt.Sprintf("---\ntitle: %q\nweight: %d\n%s---\n\n%s", title, weight, extra, body)
}

// newPropSite draws a site: three sections with a few pages each.
func newPropSite(t *rapid.T) *propSite {
	s := &propSite{fs: site(nil)}
	s.set("shortcodes/pages.html", propShortcode)
	s.set("content/_index.md", page("Home", 0, "", "Welcome.\n"))
	for i, sec := range propSections {
		s.set(sec+"/_index.md", page(fmt.Sprintf("Section %d", i), i, "", "Section text.\n"))
		for range rapid.IntRange(0, 3).Draw(t, "pages") {
			s.addPage(t, sec)
		}
	}
	return s
}

func (s *propSite) addPage(t *rapid.T, sec string) string {
	f := fmt.Sprintf("%s/p%d.md", sec, s.next)
	s.next++
	s.set(f, page(fmt.Sprintf("Page %d {{%%service%%}}", s.next), rapid.IntRange(0, 3).Draw(t, "weight"), "",
		rapid.SampledFrom(propBodies).Draw(t, "body")))
	s.pages = append(s.pages, f)
	return f
}

// frontMatter rewrites one field of a page's front matter.
func (s *propSite) frontMatter(f, field, value string) {
	text := string(s.fs[f].Data)
	head, body, _ := strings.Cut(strings.TrimPrefix(text, "---\n"), "---\n")
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(head, "\n"), "\n") {
		if !strings.HasPrefix(l, field+":") {
			lines = append(lines, l)
		}
	}
	if value != "" {
		lines = append(lines, field+": "+value)
	}
	s.set(f, "---\n"+strings.Join(lines, "\n")+"\n---\n"+body)
}

// edit makes one random change and returns the paths it touched.
func (s *propSite) edit(t *rapid.T) []string {
	kinds := []string{"body", "title", "weight", "regions", "aliases", "params", "add", "static", "template"}
	if len(s.pages) > 0 {
		kinds = append(kinds, "delete", "move")
	}
	kind := rapid.SampledFrom(kinds).Draw(t, "edit")
	any := func() string {
		all := append([]string{"content/_index.md"}, s.pages...)
		for _, sec := range propSections {
			all = append(all, sec+"/_index.md")
		}
		return rapid.SampledFrom(all).Draw(t, "file")
	}
	switch kind {
	case "body":
		f := any()
		head, _, _ := strings.Cut(strings.TrimPrefix(string(s.fs[f].Data), "---\n"), "---\n")
		s.set(f, "---\n"+head+"---\n\n"+rapid.SampledFrom(propBodies).Draw(t, "body"))
		return []string{f}
	case "title":
		f := any()
		s.frontMatter(f, "title", fmt.Sprintf("%q", rapid.SampledFrom([]string{"Alpha", "Beta {{%service%}}", "Gamma"}).Draw(t, "title")))
		return []string{f}
	case "params":
		f := any()
		s.frontMatter(f, "tag", rapid.SampledFrom([]string{"", "red", "blue"}).Draw(t, "tag"))
		return []string{f}
	case "weight":
		f := any()
		s.frontMatter(f, "weight", fmt.Sprint(rapid.IntRange(0, 4).Draw(t, "weight")))
		return []string{f}
	case "regions":
		f := any()
		field := rapid.SampledFrom([]string{"enabled", "disabled"}).Draw(t, "field")
		other := map[string]string{"enabled": "disabled", "disabled": "enabled"}[field]
		s.frontMatter(f, other, "")
		s.frontMatter(f, field, rapid.SampledFrom([]string{"", "[US]", "[JP, CN]"}).Draw(t, "codes"))
		return []string{f}
	case "aliases":
		f := any()
		s.next++
		s.frontMatter(f, "aliases", rapid.SampledFrom([]string{"", fmt.Sprintf("[/old/%d]", s.next)}).Draw(t, "aliases"))
		return []string{f}
	case "add":
		return []string{s.addPage(t, rapid.SampledFrom(propSections).Draw(t, "section"))}
	case "delete", "move":
		i := rapid.IntRange(0, len(s.pages)-1).Draw(t, "page")
		f := s.pages[i]
		s.pages = append(s.pages[:i], s.pages[i+1:]...)
		data := s.fs[f]
		delete(s.fs, f)
		if kind == "delete" {
			return []string{f}
		}
		to := rapid.SampledFrom(propSections).Draw(t, "to") + "/" + f[strings.LastIndex(f, "/")+1:]
		if s.fs[to] != nil {
			s.fs[f] = data // a page of that name is there already
			s.pages = append(s.pages, f)
			return []string{f}
		}
		s.fs[to] = data
		s.pages = append(s.pages, to)
		return []string{f, to}
	case "static":
		f := fmt.Sprintf("static/files/f%d.txt", rapid.IntRange(0, 2).Draw(t, "static"))
		if s.fs[f] != nil && rapid.Bool().Draw(t, "remove") {
			delete(s.fs, f)
		} else {
			s.next++
			s.set(f, fmt.Sprintf("static %d\n", s.next))
		}
		return []string{f}
	}
	s.tpl++
	const single = "layouts/_default/single.html"
	if s.fs[single] != nil && rapid.Bool().Draw(t, "remove") {
		delete(s.fs, single)
	} else {
		data, err := fs.ReadFile(helpgen.Defaults, single)
		if err != nil {
			t.Fatal(err)
		}
		s.set(single, fmt.Sprintf("<!-- edit %d -->", s.tpl)+string(data))
	}
	return []string{single}
}

// served is the output as a preview keeps it: Full replaces it, Update
// writes and removes.
type served map[string]string

func (s served) apply(t *rapid.T, out *output.MemOutput, d *Delta) {
	if d.Full {
		clear(s)
	}
	for k, v := range out.Files {
		s[k] = string(v)
	}
	for dir, rels := range d.Removed {
		for _, rel := range rels {
			if _, ok := s[dir+"/"+rel]; !ok {
				t.Errorf("removed %s/%s, which was not there", dir, rel)
			}
			delete(s, dir+"/"+rel)
		}
	}
}

// diff says how got differs from want, the first few files.
func diff(got, want served) string {
	var d []string
	for k, w := range want {
		if g, ok := got[k]; !ok {
			d = append(d, "missing "+k)
		} else if g != w {
			d = append(d, "stale "+k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			d = append(d, "left over "+k)
		}
	}
	sort.Strings(d)
	if len(d) > 8 {
		d = append(d[:8], fmt.Sprintf("and %d more", len(d)-8))
	}
	return strings.Join(d, ", ")
}

// TestUpdateMatchesFull is the engine's property: after every edit of a
// random sequence (body, params, title, weight, regions, aliases, add, delete, move,
// static files, a template), the site an Update leaves is byte for byte
// the site a fresh Full of the same files makes, in every region.
func TestUpdateMatchesFull(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newPropSite(t)
		e := NewEngine(s.fs, helpgen.Defaults, LoadOptions{})
		out := output.NewMemOutput()
		d, err := e.Full(out, FullOptions{})
		if err != nil {
			t.Fatalf("first Full: %v", err)
		}
		got := served{}
		got.apply(t, out, d)
		for i := range rapid.IntRange(1, 6).Draw(t, "edits") {
			paths := s.edit(t)
			out = output.NewMemOutput()
			d, err := e.Update(out, paths, nil, FullOptions{})
			if err != nil {
				t.Fatalf("edit %d (%v): %v", i, paths, err)
			}
			got.apply(t, out, d)
			fresh := output.NewMemOutput()
			if _, err := NewEngine(s.fs, helpgen.Defaults, LoadOptions{}).Full(fresh, FullOptions{}); err != nil {
				t.Fatalf("edit %d (%v): fresh Full: %v", i, paths, err)
			}
			want := served{}
			for k, v := range fresh.Files {
				want[k] = string(v)
			}
			if d := diff(got, want); d != "" {
				t.Fatalf("edit %d (%v): Update differs from a fresh Full: %s", i, paths, d)
			}
		}
	})
}
