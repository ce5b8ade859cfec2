package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/check"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// checkSites is the check build runs before committing its output.
func checkSites(p *build.Project, regions []*build.Region) diag.List {
	return check.List(check.Sites(p, regions))
}

// loadSite reads the site at dir for check and regions.
func loadSite(dir string, regions []string, drafts bool) (*build.Project, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, &build.UsageError{Err: fmt.Errorf("site folder %q does not exist (pass -s SITE)", dir)}
	}
	return build.Load(sitefs.New(dir), helpgen.Defaults, build.LoadOptions{Regions: regions, Drafts: drafts})
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", "check [-s SITE] [-r JP,US] [--format text|json]", stderr)
	site := fs.StringP("source", "s", ".", "site root (holds helpgen.toml and content/)")
	regions := fs.StringSliceP("regions", "r", nil, "regions to check, comma-separated (default all)")
	format := fs.String("format", "text", "report format: text or json")
	drafts := fs.Bool("drafts", false, "include pages with draft: true")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 || (*format != "text" && *format != "json") {
		if fs.NArg() > 0 {
			fmt.Fprintf(stderr, "helpgen check: unexpected argument %q\n", fs.Arg(0))
		} else {
			fmt.Fprintf(stderr, "helpgen check: --format must be text or json, not %q\n", *format)
		}
		fs.Usage()
		return exitUsage
	}
	write := check.WriteText
	if *format == "json" {
		write = check.WriteJSON
	}
	var (
		found []check.Finding
		sum   check.Summary
	)
	p, err := loadSite(*site, *regions, *drafts)
	if err != nil && p != nil {
		err = build.RenderErrors(p, err)
	}
	if err == nil {
		var rs []*build.Region
		if rs, err = check.Render(p, 0); err == nil {
			found = check.Sites(p, rs)
			sum = check.Summarize(found, len(p.Pages), len(rs))
		}
	}
	if err != nil {
		if ue, ok := err.(*build.UsageError); ok {
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
	if err := write(stdout, found, sum); err != nil {
		fmt.Fprintf(stderr, "helpgen check: %v\n", err)
		return exitContent
	}
	if sum.Errors > 0 {
		return exitContent
	}
	return exitOK
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
