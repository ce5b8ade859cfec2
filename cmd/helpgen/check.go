package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/check"
	"github.com/helpgen/helpgen/internal/cli"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// checkSites is the check build runs before committing its output.
func checkSites(p *build.Project, regions []*build.Region) diag.List {
	return check.List(check.Sites(p, regions))
}

// loadSite reads the site at dir for check and regions.
func loadSite(dir string, regions []string, drafts bool) (*build.Project, error) {
	if err := sitefs.CheckRoot(dir); err != nil {
		return nil, &cli.UsageError{Err: err}
	}
	return build.Load(sitefs.New(dir), helpgen.Defaults, build.LoadOptions{Regions: regions, Drafts: drafts, Dir: dir})
}

// checkFlags are check's options.
type checkFlags struct {
	site           string
	regions        []string
	format         string
	drafts         bool
	fix, diff      bool
	external       bool
	cache          string
	maxAge         time.Duration
	timeout        time.Duration
	perHost, total int
}

// writers print a report in each --format.
var writers = map[string]func(io.Writer, []check.Finding, check.Summary) error{
	"text": check.WriteText, "json": check.WriteJSON, "github": check.WriteGitHub, "sarif": check.WriteSARIF,
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", "check [-s SITE] [-r JP,US] [--format text|json|github|sarif] [--fix] [--diff] [--external]", stderr)
	var o checkFlags
	fs.StringVarP(&o.site, "source", "s", ".", "site root (holds helpgen.toml and content/)")
	fs.StringSliceVarP(&o.regions, "regions", "r", nil, "regions to check, comma-separated (default all)")
	fs.StringVar(&o.format, "format", "text", "report format: text, json, github (workflow annotations) or sarif (SARIF 2.1.0)")
	fs.BoolVar(&o.drafts, "drafts", false, "include pages with draft: true")
	fs.BoolVar(&o.fix, "fix", false, "re-indent the blocks the lists check finds, in place (every region must agree)")
	fs.BoolVar(&o.diff, "diff", false, "print the fixes --fix would make as a unified diff; without --fix nothing is written")
	fs.BoolVar(&o.external, "external", false, "also check http(s) links by requesting them")
	fs.StringVar(&o.cache, "external-cache", ".helpgen-links.json", "file remembering external results, relative to the site (\"\" for none)")
	fs.DurationVar(&o.maxAge, "external-max-age", 24*time.Hour, "how long a remembered external result holds")
	fs.DurationVar(&o.timeout, "external-timeout", 10*time.Second, "time allowed for one request")
	fs.IntVar(&o.perHost, "external-per-host", 2, "requests at a time to one host")
	fs.IntVar(&o.total, "external-workers", 16, "requests at a time in all")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if _, ok := writers[o.format]; fs.NArg() > 0 || !ok || o.perHost < 1 || o.total < 1 {
		switch {
		case fs.NArg() > 0:
			fmt.Fprintf(stderr, "helpgen check: unexpected argument %q\n", fs.Arg(0))
		case !ok:
			fmt.Fprintf(stderr, "helpgen check: --format must be text, json, github or sarif, not %q\n", o.format)
		default:
			fmt.Fprintln(stderr, "helpgen check: --external-per-host and --external-workers must be at least 1")
		}
		fs.Usage()
		return exitUsage
	}
	if o.fix || o.diff {
		if code := runFixes(o, stdout, stderr); code != exitOK || !o.fix {
			return code
		}
	}
	return runCheck(o, stdout, stderr)
}

// runFixes prints (--diff) and writes (--fix) the re-indentations of the
// lists check.
func runFixes(o checkFlags, stdout, stderr io.Writer) int {
	if err := sitefs.CheckRoot(o.site); err != nil {
		fmt.Fprintf(stderr, "helpgen: %v\n", err)
		return exitUsage
	}
	// Every region: a fix must hold in all of them.
	load := func(site fs.FS) (check.Renderer, error) {
		p, err := build.Load(site, helpgen.Defaults, build.LoadOptions{Drafts: o.drafts})
		if err != nil {
			return nil, err
		}
		return p, nil
	}
	fixes, err := check.Fixes(os.DirFS(o.site), load)
	if err != nil {
		return report(stderr, err)
	}
	diffs := stdout
	if o.fix && o.format != "text" {
		diffs = stderr // stdout is the report a program reads
	}
	for _, f := range fixes {
		if o.diff {
			fmt.Fprint(diffs, f.Diff())
		}
		if !o.fix {
			continue
		}
		if err := check.WriteFix(o.site, f); err != nil {
			fmt.Fprintf(stderr, "helpgen check: %v\n", err)
			return exitContent
		}
		fmt.Fprintf(stderr, "fixed %s: %d line%s re-indented\n", f.File, f.Lines, diag.Plural(f.Lines))
	}
	if len(fixes) == 0 {
		fmt.Fprintln(stderr, "nothing to fix")
	}
	return exitOK
}

// runCheck checks the site and prints the report.
func runCheck(o checkFlags, stdout, stderr io.Writer) int {
	var (
		found []check.Finding
		sum   check.Summary
	)
	p, err := loadSite(o.site, o.regions, o.drafts)
	if err != nil && p != nil {
		err = build.RenderErrors(p, err)
	}
	if err == nil {
		var rs []*build.Region
		if rs, err = check.Render(p, 0); err == nil {
			found = check.Sites(p, rs)
			if o.external {
				found = check.Merge(found, check.ExternalLinks(context.Background(), p, rs, o.externalOptions()))
			}
			sum = check.Summarize(found, len(p.Pages), len(rs))
		}
	}
	if err != nil {
		if ue, ok := err.(*cli.UsageError); ok {
			fmt.Fprintf(stderr, "helpgen: %v\n", ue)
			return exitUsage
		}
		// The site did not load or render: its errors are the report.
		found = check.Errors(err)
		pages, regions := 0, 0
		if p != nil {
			pages, regions = len(p.Pages), len(p.Config.Regions)
		}
		sum = check.Summarize(found, pages, regions)
	}
	if o.format == "github" || o.format == "sarif" {
		found = underSite(found, o.site)
	}
	if err := writers[o.format](stdout, found, sum); err != nil {
		fmt.Fprintf(stderr, "helpgen check: %v\n", err)
		return exitContent
	}
	if sum.Errors > 0 {
		return exitContent
	}
	return exitOK
}

func (o checkFlags) externalOptions() check.ExternalOptions {
	cache := o.cache
	if cache != "" && !filepath.IsAbs(cache) {
		cache = filepath.Join(o.site, cache)
	}
	return check.ExternalOptions{Timeout: o.timeout, PerHost: o.perHost, Workers: o.total, CacheFile: cache, MaxAge: o.maxAge}
}

// underSite makes the findings' paths relative to the working directory
// (the repository root in CI) rather than to the site, for annotations and
// code scanning.
func underSite(fs []check.Finding, site string) []check.Finding {
	if site == "." || site == "" || filepath.IsAbs(site) {
		return fs
	}
	out := make([]check.Finding, len(fs))
	for i, f := range fs {
		e := *f.Error
		if e.File != "" {
			e.File = path.Join(filepath.ToSlash(site), e.File)
		}
		out[i] = check.Finding{Error: &e, Check: f.Check}
	}
	return out
}

func cmdRegions(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("regions", "regions PATH [-s SITE] [-r JP,US] [--diff JP,US]", stderr)
	site := fs.StringP("source", "s", ".", "site root (holds helpgen.toml and content/)")
	regions := fs.StringSliceP("regions", "r", nil, "regions to show, comma-separated (default all)")
	diff := fs.StringSlice("diff", nil, "two regions: print a unified diff between their versions of the page")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 || (len(*diff) != 0 && len(*diff) != 2) {
		fmt.Fprintln(stderr, "helpgen regions: give one page (content/a/b.md or /a/b.html), and --diff two regions as in --diff JP,US")
		fs.Usage()
		return exitUsage
	}
	p, err := loadSite(*site, *regions, true)
	if err != nil {
		return report(stderr, err)
	}
	target := fs.Arg(0)
	if abs := strings.TrimPrefix(target, strings.TrimSuffix(*site, "/")+"/"); *site != "." {
		target = abs
	}
	cp, err := check.FindPage(p, target)
	if err != nil {
		fmt.Fprintf(stderr, "helpgen regions: %v\n", err)
		return exitUsage
	}
	vs, err := check.Variants(p, cp)
	if err != nil {
		return report(stderr, err)
	}
	if len(*diff) == 2 {
		d, err := check.Diff(cp, vs, strings.ToUpper((*diff)[0]), strings.ToUpper((*diff)[1]))
		if err != nil {
			fmt.Fprintf(stderr, "helpgen regions: %v\n", err)
			return exitUsage
		}
		if d == "" {
			fmt.Fprintf(stdout, "%s reads the same in %s and %s\n", cp.URL, strings.ToUpper((*diff)[0]), strings.ToUpper((*diff)[1]))
		}
		fmt.Fprint(stdout, d)
		return exitOK
	}
	fmt.Fprint(stdout, check.Show(cp, vs))
	return exitOK
}
