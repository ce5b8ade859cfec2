package build

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/parallel"
	"github.com/helpgen/helpgen/internal/sitefs"
	"github.com/helpgen/helpgen/internal/theme"
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
	// Cache, when set, gives pages whose inputs did not change since the
	// build it was written by (see PageCache).
	Cache *PageCache
	// Release lets go of each page's text and body tree once every region
	// has rendered it (see release.go): for a build whose pages are not
	// rendered again.
	Release bool
	// SpillDir, when set, is where a one-shot build keeps its pages'
	// search text, from when each page is rendered until its region's
	// Writers run, instead of in Facts.Sections (see spill.go). An
	// engine that is updated afterwards needs the sections: leave it empty.
	SpillDir string
	spill    *spill
}

// A RegionWriter adds files to a region once all its pages are rendered and
// their Facts are known (see model.RegionWriter).
type (
	RegionWriter     = model.RegionWriter
	RegionWriterFunc = model.RegionWriterFunc
)

// RegionReport summarises one region's build.
type RegionReport struct {
	Code     string
	Dir      string
	Pages    int
	Static   int
	Files    int
	Duration time.Duration
	// SiteFiles are the region's site-wide files (home and 404 pages,
	// aliases, the tree, sitemap.xml…), slash paths in its folder.
	SiteFiles []string
}

// Report is what a build did.
type Report struct {
	Regions  []RegionReport
	Warnings diag.List
	Sites    []*Region
}

// Build renders every selected region into out. Errors from every page and
// region are collected; when there are any, the caller must discard out.
func (p *Project) Build(out output.Output, opt Options) (*Report, error) {
	p.Templates.ResetCache()
	regions, errs := p.prepareAll()
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	statics, errs := p.staticFiles()
	if len(errs) > 0 {
		return nil, errs
	}
	plans, errs := p.planAll(regions, statics)
	if len(errs) > 0 {
		return nil, errs
	}
	rep := &Report{Sites: regions}
	for _, r := range regions {
		rep.Regions = append(rep.Regions, RegionReport{Code: r.Config.Code, Dir: r.Config.Dir(), Pages: len(r.Pages)})
	}
	opt.spill = startSpill(&opt)
	defer opt.spill.close()
	start := time.Now()
	ends := make([]atomic.Int64, len(regions))
	if err := p.writePages(out, regions, opt, start, ends); err != nil {
		return nil, err
	}
	for i, r := range regions {
		t := time.Now()
		if err := copyStatic(out, r.Config, statics); err != nil {
			return nil, err
		}
		rep.Regions[i].Static = len(statics)
		site := &namesOutput{Output: out}
		if err := p.writeAssets(site, r); err != nil {
			return nil, err
		}
		if err := p.writeSiteFiles(site, r); err != nil {
			return nil, err
		}
		rep.Regions[i].SiteFiles = site.names
		for _, w := range opt.Writers {
			if err := w.WriteRegion(r, claimedOutput{out, plans[i]}); err != nil {
				return nil, err
			}
		}
		rep.Regions[i].Duration = time.Duration(ends[i].Load()) + time.Since(t)
	}
	rep.Warnings = append(rep.Warnings, p.Templates.Warnings()...)
	return rep, nil
}

// writePages renders every page of every region and writes it to out,
// recording when each region's last page was done in ends.
func (p *Project) writePages(out output.Output, regions []*Region, opt Options, start time.Time, ends []atomic.Int64) error {
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
		} else {
			opt.release(cp)
		}
	}
	var done atomic.Int64
	run := p.newRun()
	if opt.Cache != nil {
		opt.Cache.begin(p, regions)
	}
	parallel.For(len(jobs), opt.Workers, func(s *pageScratch, i int) {
		if run.writeErr() != nil {
			return
		}
		j := jobs[i]
		opt.Cache.renderJob(p, s, j.pages, out, run.render, func(k int, pg *Page, err error) {
			if err == nil {
				err = opt.spill.take(pg)
			}
			if err != nil {
				run.fail(pg, err)
			}
			ends[j.region[k]].Store(int64(time.Since(start)))
			if n := done.Add(1); opt.Progress != nil && n%64 == 0 {
				opt.Progress(int(n), total)
			}
		})
		opt.release(j.pages[0].Src)
	})
	if we := run.writeErr(); we != nil {
		return we
	}
	if errs := run.result(); len(errs) > 0 {
		return errs
	}
	return nil
}

// pageScratch is one worker's reusable state: the page buffer, and the work
// the regions of one source page share (see pageWork).
type pageScratch struct {
	buf  bytes.Buffer
	work pageWork
}

// renderJob renders one source page in each region it is published in
// (pages), sharing s.work between them, through under (the page's limits),
// writes each page that renders to out, and hands each page's outcome to
// done: nil when it was written. Build and Engine.Update both render pages
// here.
func (p *Project) renderJob(s *pageScratch, pages []*Page, out output.Output, under func(*Page, func(context.Context) error) error, done func(k int, pg *Page, err error)) {
	s.work.reset()
	for k, pg := range pages {
		err := under(pg, func(ctx context.Context) error { return p.safeRender(ctx, &s.buf, pg, &s.work) })
		if err == nil {
			shareFacts(pg.Facts, pages[:k])
			err = out.WriteFile(pg.Region.Config.Dir(), pg.Src.Out, s.buf.Bytes())
		}
		// Nothing reads a page's HTML once it is written (writers and
		// checks use Facts); holding it for every page would make memory
		// grow with the site.
		pg.Content = ""
		done(k, pg, err)
	}
}

// namesOutput passes writes on and remembers their paths; its writer
// writes one file at a time.
type namesOutput struct {
	output.Output
	names []string
}

func (o *namesOutput) WriteFile(dir, rel string, data []byte) error {
	o.names = append(o.names, strings.TrimPrefix(rel, "/"))
	return o.Output.WriteFile(dir, rel, data)
}

// planAll claims every output file of every region (see outputPlan); the
// errors are each collision once, with the regions it is met in.
func (p *Project) planAll(regions []*Region, statics []staticFile) ([]*outputPlan, diag.List) {
	plans := make([]*outputPlan, len(regions))
	var errs diag.List
	for i, r := range regions {
		plans[i] = p.planOutputs(r, statics)
		errs = append(errs, plans[i].errs...)
	}
	errs = errs.Merge()
	errs.Sort()
	return plans, errs
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
	return p.Templates.Layout(ctx, buf, layout, theme.NewPageData(pg, kind))
}

// writeAssets writes the files of assets/ that templates published
// (render.Templates.Published); a static file of the same path wins.
func (p *Project) writeAssets(out output.Output, r *Region) error {
	for _, a := range p.Templates.Published() {
		if p.inStatic(a.Path) {
			continue
		}
		if err := out.WriteFile(r.Config.Dir(), a.Path, a.Data); err != nil {
			return err
		}
	}
	return nil
}

// StaticDir is the site folder copied into every region.
const StaticDir = sitefs.StaticDir

// staticFile is a file of static/ that every region gets.
type staticFile struct {
	out   string // output path in a region
	file  string // path in its file system: static/…
	fsys  fs.FS
	theme bool // the theme's, not the site's
}

// staticFiles lists the theme's static files and the site's, a site's file
// replacing the theme's of the same name, sorted by output path.
func (p *Project) staticFiles() ([]staticFile, diag.List) {
	files := map[string]staticFile{}
	for _, fsys := range []fs.FS{p.Defaults, p.FS} {
		if fsys == nil {
			continue
		}
		theme := fsys == p.Defaults
		list, errs := StaticFiles(fsys)
		if len(errs) > 0 {
			return nil, errs
		}
		for _, q := range list {
			out := path.Clean(strings.TrimPrefix(q, StaticDir+"/"))
			files[out] = staticFile{out: out, file: q, fsys: fsys, theme: theme}
		}
	}
	list := make([]staticFile, 0, len(files))
	for _, f := range files {
		list = append(list, f)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].out < list[j].out })
	return list, nil
}

// copyStatic copies the static files into region rc.
func copyStatic(out output.Output, rc *config.Region, files []staticFile) error {
	for _, f := range files {
		read := fs.ReadFile
		if f.theme {
			read = theme.ReadTheme
		}
		data, err := read(f.fsys, f.file)
		if err != nil {
			return diag.FileError(f.file, err)
		}
		if err := out.WriteFile(rc.Dir(), f.out, data); err != nil {
			return err
		}
	}
	return nil
}

// StaticFiles lists the files under static/ that every region publishes:
// regular files and links to regular files inside the site, but no
// editor's swap or backup file (serve skips the same names) and nothing in
// a linked folder. A link leading out of the site, or a loop, is an error
// naming it (the site file system refuses it).
func StaticFiles(fsys fs.FS) ([]string, diag.List) {
	var files []string
	var errs diag.List
	_ = fs.WalkDir(fsys, StaticDir, func(q string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			if !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, diag.FileError(q, err))
			}
			return nil
		case q != StaticDir && content.EditorTemp(d.Name()):
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case d.Type().IsRegular():
			files = append(files, q)
		case d.Type()&fs.ModeSymlink != 0:
			fi, err := fs.Stat(fsys, q)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, diag.FileError(q, err))
			} else if err == nil && fi.Mode().IsRegular() {
				files = append(files, q)
			}
		}
		return nil
	})
	return files, errs
}

// ReadStatic reads the one file q under static/ as StaticFiles would
// publish it; a file it would not publish is fs.ErrNotExist.
func ReadStatic(fsys fs.FS, q string) ([]byte, error) {
	parts := strings.Split(q, "/")
	if len(parts) < 2 || parts[0] != StaticDir {
		return nil, fs.ErrNotExist
	}
	for i := 2; i < len(parts); i++ {
		fi, err := fs.Lstat(fsys, strings.Join(parts[:i], "/"))
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			return nil, fs.ErrNotExist // a linked folder is not walked
		}
	}
	fi, err := fs.Stat(fsys, q)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	return fs.ReadFile(fsys, q)
}
