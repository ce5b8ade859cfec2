package build

import (
	"bytes"
	"context"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"sync/atomic"
	"time"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/parallel"
	"github.com/helpgen/helpgen/internal/render"
)

// Options control a build.
type Options struct {
	// Progress, when set, is called now and then with pages done and total.
	Progress func(done, total int)
	// Workers bounds parallelism; 0 means GOMAXPROCS.
	Workers int
	// Writers add site-wide files to each region after its pages are
	// rendered (search index and the like), in order.
	Writers []RegionWriter
}

// A RegionWriter adds files to a region once all its pages are rendered and
// their Facts are known.
type RegionWriter func(p *Project, r *Region, out Output) error

// RegionReport summarises one region's build.
type RegionReport struct {
	Code     string
	Dir      string
	Pages    int
	Static   int
	Files    int
	Duration time.Duration
}

// Report is what a build did.
type Report struct {
	Regions  []RegionReport
	Warnings diag.List
	Sites    []*Region
}

// PageData is the dot of a page layout.
type PageData struct {
	Title        string
	Description  string
	Content      template.HTML
	Params       map[string]any
	Region       string
	Lang         string
	Kind         string // "page", "section" or "home"
	Site         *render.Site
	RelPermalink string
	Permalink    string
	Page         *Page
}

// Build renders every selected region into out. Errors from every page and
// region are collected; when there are any, the caller must discard out.
func (p *Project) Build(out Output, opt Options) (*Report, error) {
	regions, errs := p.prepareAll()
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	rep := &Report{Sites: regions}
	for _, r := range regions {
		rep.Regions = append(rep.Regions, RegionReport{Code: r.Config.Code, Dir: r.Config.Dir(), Pages: len(r.Pages)})
	}
	start := time.Now()
	ends := make([]atomic.Int64, len(regions))
	// A job is one source page in every region it is published in, so the
	// regions can share work that does not depend on them (see pageWork).
	type job struct {
		region []int // index in regions
		pages  []*Page
	}
	jobs := make([]job, 0, len(p.Pages))
	total := 0
	for _, cp := range p.Pages {
		var j job
		for ri, r := range regions {
			if pg := r.ByURL[cp.URL]; pg != nil && pg.Src == cp {
				j.region, j.pages = append(j.region, ri), append(j.pages, pg)
			}
		}
		if len(j.pages) > 0 {
			jobs = append(jobs, j)
			total += len(j.pages)
		}
	}
	var done atomic.Int64
	run := p.newRun()
	type scratch struct {
		buf  bytes.Buffer
		work pageWork
	}
	parallel.For(len(jobs), opt.Workers, func(s *scratch, i int) {
		j := jobs[i]
		s.work.reset()
		for k, pg := range j.pages {
			if run.page(pg, func(ctx context.Context) error { return p.safeRender(ctx, &s.buf, pg, &s.work) }) {
				if err := out.WriteFile(pg.Region.Config.Dir(), pg.Src.Out, s.buf.Bytes()); err != nil {
					run.fail(pg, err)
				}
			}
			// Nothing reads a page's HTML once it is written (writers
			// and checks use Facts); holding it for every page would
			// make memory grow with the site.
			pg.Content = ""
			ends[j.region[k]].Store(int64(time.Since(start)))
			if n := done.Add(1); opt.Progress != nil && n%64 == 0 {
				opt.Progress(int(n), total)
			}
		}
	})
	if errs := run.result(); len(errs) > 0 {
		return nil, errs
	}
	for i, r := range regions {
		t := time.Now()
		n, err := p.copyStatic(out, r.Config)
		if err != nil {
			return nil, err
		}
		rep.Regions[i].Static = n
		if err := p.writeSiteFiles(out, r); err != nil {
			return nil, err
		}
		for _, w := range opt.Writers {
			if err := w(p, r, out); err != nil {
				return nil, err
			}
		}
		rep.Regions[i].Duration = time.Duration(ends[i].Load()) + time.Since(t)
	}
	return rep, nil
}

// safeRender is renderPage with a panic turned into an error naming the page.
func (p *Project) safeRender(ctx context.Context, buf *bytes.Buffer, pg *Page, w *pageWork) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = internalError(pg, r)
		}
	}()
	if err := p.renderBody(ctx, pg, w); err != nil {
		return err
	}
	return p.renderLayout(ctx, buf, pg)
}

// RenderPage renders one page of one region, body and layout, into buf.
func (p *Project) RenderPage(buf *bytes.Buffer, pg *Page) error {
	return p.underLimits(p.ctx, func(ctx context.Context) error {
		if err := p.renderBody(ctx, pg, nil); err != nil {
			return err
		}
		return p.renderLayout(ctx, buf, pg)
	})
}

// RenderLayout runs the page's layout over its rendered body into buf.
func (p *Project) RenderLayout(buf *bytes.Buffer, pg *Page) error {
	return p.underLimits(p.ctx, func(ctx context.Context) error { return p.renderLayout(ctx, buf, pg) })
}

func (p *Project) renderLayout(ctx context.Context, buf *bytes.Buffer, pg *Page) error {
	buf.Reset()
	layout := "_default/single.html"
	kind := "page"
	if pg.Src.Section {
		layout, kind = "_default/list.html", "section"
		if pg.Src.URL == "/" {
			kind = "home"
			if p.Templates.HasLayout("_default/home.html") {
				layout = "_default/home.html"
			}
		}
	}
	data := &PageData{
		Title: pg.Title, Description: pg.Description, Content: pg.Content, Params: pg.Src.Params,
		Region: pg.Region.Config.Code, Lang: pg.Src.Lang, Kind: kind, Site: pg.Region.Site,
		RelPermalink: pg.Src.URL, Permalink: Permalink(pg.Region.Config, pg.Src.URL), Page: pg,
	}
	return p.Templates.Layout(ctx, buf, layout, data)
}

// Permalink is the absolute URL of a root-relative path in a region.
func Permalink(rc *config.Region, rel string) string {
	return strings.TrimSuffix(rc.BaseURL, "/") + rel
}

// StaticDir is the site folder copied into every region.
const StaticDir = "static"

// copyStatic copies the theme's static files, then the site's over them.
func (p *Project) copyStatic(out Output, rc *config.Region) (int, error) {
	files := map[string]fs.FS{}
	for _, fsys := range []fs.FS{p.Defaults, p.FS} {
		if fsys == nil {
			continue
		}
		_ = fs.WalkDir(fsys, StaticDir, func(q string, d fs.DirEntry, err error) error {
			if err == nil && q != StaticDir && content.EditorTemp(d.Name()) {
				// An editor's swap or backup file is not part of the site;
				// serve skips the same names.
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if err == nil && d.Type().IsRegular() {
				files[q] = fsys
			}
			return nil
		})
	}
	for q, fsys := range files {
		data, err := fs.ReadFile(fsys, q)
		if err != nil {
			return 0, &diag.Error{File: q, Msg: err.Error()}
		}
		if err := out.WriteFile(rc.Dir(), path.Clean(strings.TrimPrefix(q, StaticDir+"/")), data); err != nil {
			return 0, err
		}
	}
	return len(files), nil
}
