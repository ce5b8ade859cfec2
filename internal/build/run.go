package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/helpgen/helpgen/internal/cli"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// RunOptions are the inputs of `helpgen build`.
type RunOptions struct {
	Site     string // site root folder
	Dest     string // output folder
	Defaults fs.FS  // embedded theme
	Regions  []string
	Drafts   bool
	// AllowEmpty publishes a site without pages; otherwise a missing or
	// empty content/ is an error, so a wrong -s cannot replace a site.
	AllowEmpty bool
	Log        func(format string, a ...any)
	Progress   func(done, total int)
	// Writers add site-wide files to each region (search index and the like).
	Writers []RegionWriter
	// Check, when set, inspects the rendered regions before the output is
	// committed: errors among its findings fail the build, warnings are
	// returned in RunResult.Warnings (see internal/check).
	Check func(p *Project, regions []*Region) diag.List
	// CacheDir is where the pages of this build are kept for the next one
	// (see PageCache); empty means CacheDirName inside Dest.
	CacheDir string
	// Cache reuses the pages of the previous build whose inputs did not
	// change and keeps this build's for the next (see PageCache); a
	// CacheDir implies it. Off, every page is rendered and nothing kept.
	Cache bool

	// wrap, in tests, stands between the build and its staging folder.
	wrap func(output.Output) output.Output
	// spillDir, in tests, replaces the system's temporary folder.
	spillDir string
}

// RunRegion is one region's line in the build summary.
type RunRegion struct {
	RegionReport
	Out string
}

// RunResult is what Run did.
type RunResult struct {
	Regions  []RunRegion
	Warnings diag.List
	// Reused are the pages taken from the cache of an earlier build.
	Reused int
}

// Run is `helpgen build`: load the site once, render every region into a
// staging folder, and swap it into Dest only when everything succeeded.
func Run(opt RunOptions) (*RunResult, error) {
	logf := opt.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if opt.Dest == "" {
		return nil, output.ErrNoDest
	}
	if err := sitefs.CheckRoot(opt.Site); err != nil {
		return nil, &cli.UsageError{Err: err}
	}
	if err := output.CheckDest(opt.Site, opt.Dest); err != nil {
		return nil, err
	}
	// The collector runs under fixed soft memory limits, one step up
	// whenever the live heap itself nears the limit (see memory.go). GOGC
	// and GOMEMLIMIT still decide when set.
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(100))
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
		defer startMemoryGovernor(buildMemorySteps, 20*time.Millisecond).Stop()
	}
	// The staging folder is made once the site has loaded: a site that does
	// not load leaves nothing behind.
	var out *output.DirOutput
	var staged output.Output
	cache := openCache(opt)
	defer cache.abort()
	t := time.Now()
	loaded := func(proj *Project) error {
		logf("loaded %d pages in %d ms", len(proj.Pages), time.Since(t).Milliseconds())
		for _, n := range proj.Notices() {
			logf("%s", n)
		}
		if len(proj.Pages) == 0 && !opt.AllowEmpty {
			return noPages(opt.Site)
		}
		var err error
		if out, err = output.NewDirOutput(opt.Dest); err != nil {
			return err
		}
		logf("staging the output in %s", out.Staging())
		staged = out
		if opt.wrap != nil {
			staged = opt.wrap(out)
		} else if cache != nil {
			cache.link, cache.linkRead, cache.staging = out.LinkUnread, out.LinkPrevious, out.Staging()
		}
		t = time.Now()
		return nil
	}
	e := NewEngine(sitefs.New(opt.Site), opt.Defaults, LoadOptions{Regions: opt.Regions, Drafts: opt.Drafts, Dir: opt.Site, Release: true})
	d, err := e.Full(output.OutputFunc(func(dir, rel string, data []byte) error { return staged.WriteFile(dir, rel, data) }),
		FullOptions{Options: Options{Progress: opt.Progress, Writers: opt.Writers, Cache: cache, Release: true, SpillDir: spillDir(opt, logf)}, Loaded: loaded, AllErrors: true})
	if err != nil {
		if out != nil {
			_ = out.Abort()
		}
		return nil, err
	}
	logf("rendered and wrote every region in %d ms", time.Since(t).Milliseconds())
	res, err := finishRun(opt, e, d, out, logf)
	if err == nil {
		cache.keep(e, res, logf)
	}
	return res, err
}

// finishRun checks the rendered regions when asked, and commits them.
func finishRun(opt RunOptions, e *Engine, d *Delta, out *output.DirOutput, logf func(string, ...any)) (*RunResult, error) {
	res := &RunResult{Warnings: d.Report.Warnings}
	for _, r := range d.Report.Regions {
		st := out.Stats(r.Dir)
		logf("%s: %d pages, %d static files, %d files (%d unchanged), %.1f MB", r.Code, r.Pages, r.Static, st.Files, st.Unchanged, float64(st.Bytes)/1e6)
	}
	if opt.Check != nil {
		t := time.Now()
		found := opt.Check(e.Project(), e.Regions())
		logf("checked links, anchors, images and blocks in %d ms: %d errors, %d warnings",
			time.Since(t).Milliseconds(), len(found.Errors()), len(found.Warnings()))
		if found.HasErrors() {
			_ = out.Abort()
			return nil, found
		}
		res.Warnings = append(res.Warnings, found...)
	}
	var dirs []string
	for _, r := range d.Report.Regions {
		dirs = append(dirs, r.Dir)
		res.Regions = append(res.Regions, RunRegion{RegionReport: r, Out: filepath.Join(opt.Dest, r.Dir)})
	}
	if err := out.Commit(dirs); err != nil {
		_ = out.Abort()
		return nil, err
	}
	logf("swapped %s into %s", strings.Join(dirs, ", "), out.Dest())
	return res, nil
}

// noPages refuses to publish a site without pages: a wrong -s, or a
// checkout without its content, would replace the published site.
func noPages(site string) *diag.Error {
	e := &diag.Error{File: content.Dir + "/", Msg: "no pages to publish: content/ holds no Markdown page (drafts are left out without --drafts)",
		Hint: "write pages as content/**/*.md, check -s SITE, or pass --allow-empty to publish a site without pages"}
	if fi, err := os.Stat(filepath.Join(site, content.Dir)); err != nil || !fi.IsDir() {
		e.Msg = "no pages to publish: the site has no content/ folder"
	}
	return e
}
