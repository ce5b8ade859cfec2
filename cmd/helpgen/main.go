// Command helpgen builds one static help site per region from one Markdown
// source. See README.md.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/cli"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/search"
)

// Exit codes.
const (
	exitOK      = 0
	exitContent = 1
	exitUsage   = 2
)

// version is set by the linker for releases; otherwise the module version is used.
var version = ""

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

type command struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"build", "build one static site per region", cmdBuild},
		{"check", "check links, anchors, images and region blocks in every region", cmdCheck},
		{"regions", "show one page as each region's reader gets it, or a diff", cmdRegions},
		{"serve", "preview every region with live reload", cmdServe},
		{"migrate", "write helpgen.toml from a Hugo site's per-region config files", cmdMigrate},
		{"version", "print the version", cmdVersion},
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "helpgen: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "helpgen builds one static help site per region from one Markdown source.")
	fmt.Fprintln(w, "\nUsage:\n  helpgen <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'helpgen <command> -h' for a command's flags.")
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name, synopsis string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: helpgen %s\n\nFlags:\n%s", synopsis, fs.FlagUsages())
	}
	return fs
}

// parseFlags returns -1 to go on, or an exit code.
func parseFlags(fs *pflag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintf(fs.Output(), "helpgen %s: %v\n", fs.Name(), err)
		fs.Usage()
		return exitUsage
	}
	return -1
}

func cmdVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "version", stderr)
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	v := version
	if v == "" {
		v = "(devel)"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
	}
	fmt.Fprintf(stdout, "helpgen %s\n", v)
	return exitOK
}

func cmdBuild(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", "build [-s SITE] [-d DEST] [-r JP,US] [flags]", stderr)
	site := fs.StringP("source", "s", ".", "site root (holds helpgen.toml and content/)")
	dest := fs.StringP("destination", "d", "public", "output folder; region CODE goes to DEST/<code>")
	regions := fs.StringSliceP("regions", "r", nil, "regions to build, comma-separated (default all)")
	drafts := fs.Bool("drafts", false, "include pages with draft: true")
	allowEmpty := fs.Bool("allow-empty", false, "publish a site without pages (a missing or empty content/ is an error otherwise)")
	quiet := fs.BoolP("quiet", "q", false, "print only errors and warnings")
	verbose := fs.BoolP("verbose", "v", false, "print every step")
	cacheDir := fs.String("cache-dir", "", "folder keeping rendered pages for the next build; implies --cache (default DEST/"+build.CacheDirName+")")
	useCache := fs.Bool("cache", false, "reuse unchanged pages of the previous build and keep this build's for the next (warm builds)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 || (*quiet && *verbose) {
		if fs.NArg() > 0 {
			fmt.Fprintf(stderr, "helpgen build: unexpected argument %q\n", fs.Arg(0))
		} else {
			fmt.Fprintln(stderr, "helpgen build: --quiet and --verbose exclude each other")
		}
		fs.Usage()
		return exitUsage
	}
	logf := func(format string, a ...any) {
		if *verbose {
			fmt.Fprintf(stderr, format+"\n", a...)
		}
	}
	start := time.Now()
	prog := newProgress(stderr, *quiet)
	res, err := build.Run(build.RunOptions{
		Site: *site, Dest: *dest, Defaults: helpgen.Defaults, Regions: *regions, Drafts: *drafts, AllowEmpty: *allowEmpty,
		Log: logf, Progress: prog.update, Writers: []model.RegionWriter{search.Writer(search.DefaultOptions)}, Check: checkSites,
		CacheDir: *cacheDir, Cache: *useCache,
	})
	prog.clear()
	if err != nil {
		return report(stderr, err)
	}
	printWarnings(stderr, res.Warnings)
	if !*quiet {
		for _, r := range res.Regions {
			fmt.Fprintf(stdout, "%-3s %5d pages %5d static files %6d ms  → %s\n", r.Code, r.Pages, r.Static, r.Duration.Milliseconds(), r.Out)
		}
		logf("total %d ms", time.Since(start).Milliseconds())
	}
	return exitOK
}

// report prints an error the way a writer can act on it and picks the exit code.
func report(stderr io.Writer, err error) int {
	var ue *cli.UsageError
	if errors.As(err, &ue) {
		var d *diag.Error
		if errors.As(ue.Err, &d) {
			fmt.Fprintf(stderr, "helpgen: %s\n", d.Detail())
		} else {
			fmt.Fprintf(stderr, "helpgen: %v\n", ue)
		}
		return exitUsage
	}
	var ce *output.CommitError
	if errors.As(err, &ce) {
		// Some regions may already hold the new build: the hint says which.
		fmt.Fprintln(stderr, ce.Diag.Detail())
		return exitContent
	}
	list := diag.Flatten(err).Merge()
	errs := list.Errors()
	for _, e := range list {
		fmt.Fprintln(stderr, e.Detail())
	}
	if len(errs) > 0 {
		fmt.Fprintf(stderr, "%d error%s; nothing was written.\n", len(errs), diag.Plural(len(errs)))
	}
	return exitContent
}

func printWarnings(stderr io.Writer, w diag.List) {
	for _, e := range w {
		fmt.Fprintln(stderr, e.Detail())
	}
}

// progress shows a one-line counter on a terminal once a build has run for a second.
type progress struct {
	w     io.Writer
	tty   bool
	start time.Time
	shown bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok && !quiet {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(done, total int) {
	if !p.tty || time.Since(p.start) < time.Second {
		return
	}
	p.shown = true
	fmt.Fprintf(p.w, "\rrendering %d/%d pages %s", done, total, strings.Repeat(" ", 8))
}

func (p *progress) clear() {
	if p.shown {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 40))
	}
}
