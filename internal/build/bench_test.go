package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/render"
	"github.com/helpgen/helpgen/internal/shortcode"
)

// seedFile is a real page: nested conditionals, variables, screenshots.
const seedFile = "content/general/ja/login/troubleshoot_first.md"

// loadBench loads the site at dir and prepares every region.
func loadBench(b *testing.B, dir string) (*Project, []*Region) {
	b.Helper()
	p, err := Load(os.DirFS(dir), helpgen.Defaults, LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var regions []*Region
	for _, rc := range p.Config.Regions {
		r, errs := p.Prepare(rc)
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		regions = append(regions, r)
	}
	return p, regions
}

// seedPages is the seed page in every region of the bundled site.
func seedPages(b *testing.B) (*Project, []*Page) {
	p, regions := loadBench(b, "../..")
	var pages []*Page
	for _, r := range regions {
		pg := r.ByURL["/general/ja/login/troubleshoot_first.html"]
		if pg == nil {
			b.Fatalf("%s: seed page missing", r.Config.Code)
		}
		pages = append(pages, pg)
	}
	return p, pages
}

// BenchmarkRenderBody is evaluation, template shortcodes, Markdown and facts
// of one page in all three regions.
// "alone" renders each region from scratch; "shared" shares region-free work
// between the regions as Build does.
func BenchmarkRenderBody(b *testing.B) {
	p, pages := seedPages(b)
	for _, bc := range []struct {
		name string
		work *pageWork
	}{{"alone", nil}, {"shared", &pageWork{}}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bc.work.reset()
				for _, pg := range pages {
					if err := p.renderBody(context.Background(), pg, bc.work); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkLayout is the page layout alone over an already rendered body,
// in all three regions.
func BenchmarkLayout(b *testing.B) {
	p, pages := seedPages(b)
	for _, pg := range pages {
		if err := p.RenderBody(pg); err != nil {
			b.Fatal(err)
		}
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		for _, pg := range pages {
			if err := p.RenderLayout(&buf, pg); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkBuildSite builds the bundled site, every region, into memory.
func BenchmarkBuildSite(b *testing.B) {
	p, _ := loadBench(b, "../..")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Build(output.NewMemOutput(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRebuildPage is what a preview does when a writer saves one file
// of a 5,000-page site: read and parse that file again, then render and
// write it in every region. The site was built once before.
func BenchmarkRebuildPage(b *testing.B) {
	dir := b.TempDir()
	if _, err := corpus.Write(dir, corpus.Options{Pages: 5000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	p, regions := loadBench(b, dir)
	file := p.Pages[len(p.Pages)/2].File
	for _, cp := range p.Pages {
		if text, _ := cp.Text(); !cp.Section && bytes.Contains(text, []byte("{{<")) {
			file = cp.File // a page with template shortcodes
			break
		}
	}
	out := output.NewMemOutput()
	if _, err := p.Build(out, Options{}); err != nil {
		b.Fatal(err)
	}
	b.Logf("rebuilding %s of %d pages", path.Base(file), len(p.Pages))
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		cp, err := content.LoadFile(p.FS, file, p.Config, content.Options{Names: p.Names})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range regions {
			if !cp.InRegion(r.Config.Code) {
				continue
			}
			pg, err := newPage(r, cp)
			if err != nil {
				b.Fatal(err)
			}
			if err := p.RenderPage(&buf, pg); err != nil {
				b.Fatal(err)
			}
			if err := out.WriteFile(r.Config.Dir(), cp.Out, buf.Bytes()); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// nestedPage is a page of depth {{% note %}} blocks nested in one another
// around size bytes of Markdown (paragraphs, lists and tables).
func nestedPage(depth, size int) string {
	var body strings.Builder
	for i := 0; body.Len() < size; i++ {
		fmt.Fprintf(&body, "Paragraph %d with **bold** text and a [link](https://example.com/%d).\n\n* item %d\n* item\n\n| a | b |\n|---|---|\n| %d | x |\n\n", i, i, i, i)
	}
	return "---\ntitle: nested\n---\n" + strings.Repeat("{{% note %}}\n", depth) + body.String() + strings.Repeat("{{% /note %}}\n", depth)
}

// BenchmarkNestedNotes renders, in every region, pages of notes nested up to
// shortcode.MaxTemplateDepth, around little text and around 56 KB. Every
// level renders the output of the levels inside it again, so time grows
// with depth × size: 2,000 nested notes (54 KB) took 48 s before nesting
// was limited; at the limit a 56 KB page takes 0.2–0.4 s for three regions.
func BenchmarkNestedNotes(b *testing.B) {
	for _, bc := range []struct{ depth, size int }{{1, 100}, {8, 100}, {shortcode.MaxTemplateDepth, 100},
		{1, 56 << 10}, {shortcode.MaxTemplateDepth, 56 << 10}} {
		b.Run(fmt.Sprintf("depth=%d/size=%d", bc.depth, bc.size), func(b *testing.B) {
			p, err := Load(site(map[string]string{"content/nested.md": nestedPage(bc.depth, bc.size)}), helpgen.Defaults, LoadOptions{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Build(output.NewMemOutput(), Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLayouts measures what compiling the built-in layouts
// (internal/tplrun) saves: the page layout of every page of a generated
// 1,000-page site in every region, run as compiled programs ("compiled")
// and by html/template ("templates"), and the whole build of the same
// site ("build"). The difference, as a share of build's time a page, is in
// docs/architecture.md (Compiled layouts).
func BenchmarkLayouts(b *testing.B) {
	dir := b.TempDir()
	p, pages := renderedCorpusIn(b, dir, 1000)
	// perPage reports wall and CPU time a page (of a region) since cpu.
	perPage := func(b *testing.B, cpu time.Duration) {
		n := float64(b.N * len(pages))
		b.ReportMetric(float64(b.Elapsed().Microseconds())/n, "us/page")
		b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/n, "cpu-us/page")
	}
	b.Run("build", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			if _, err := p.Build(output.NewMemOutput(), Options{}); err != nil {
				b.Fatal(err)
			}
		}
		perPage(b, cpu)
	})
	for _, templates := range []bool{false, true} {
		name := "compiled"
		if templates {
			name = "templates"
		}
		b.Run(name, func(b *testing.B) {
			q := *p
			tpl, err := render.Load(os.DirFS(dir), helpgen.Defaults)
			if err != nil {
				b.Fatal(err)
			}
			if templates {
				tpl.RunAsTemplates()
			}
			q.Templates = tpl
			var buf bytes.Buffer
			cpu := cpuTime()
			for b.Loop() {
				for _, pg := range pages {
					buf.Reset()
					if err := q.RenderLayout(&buf, pg); err != nil {
						b.Fatal(err)
					}
				}
			}
			perPage(b, cpu)
		})
	}
}

// renderedCorpus loads a generated site of n pages and renders the body of
// every page in every region, for benchmarks of what comes after.
func renderedCorpus(b *testing.B, n int) (*Project, []*Page) {
	return renderedCorpusIn(b, b.TempDir(), n)
}

// renderedCorpusIn is renderedCorpus writing the site into dir.
func renderedCorpusIn(b *testing.B, dir string, n int) (*Project, []*Page) {
	if _, err := corpus.Write(dir, corpus.Options{Pages: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	p, regions := loadBench(b, dir)
	var pages []*Page
	for _, r := range regions {
		for _, pg := range r.Pages {
			if err := p.RenderBody(pg); err != nil {
				b.Fatal(err)
			}
			pages = append(pages, pg)
		}
	}
	return p, pages
}
