// Command helpgen-bench is `make bench`: it generates corpora of 1,000, 5,000
// and 20,000 pages, builds each for all regions and compares the time with
// the goldmark floor measured in the same run. See internal/bench.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"github.com/helpgen/helpgen/internal/bench"
	"github.com/helpgen/helpgen/internal/corpus"
)

func main() {
	fs := pflag.NewFlagSet("helpgen-bench", pflag.ContinueOnError)
	var opt bench.Options
	fs.IntSliceVarP(&opt.Sizes, "pages", "n", []int{1000, 5000, 20000}, "corpus sizes in pages")
	fs.Int64Var(&opt.Seed, "seed", 1, "corpus seed")
	size := fs.String("size", "real", "corpus page length: real (about 5 KB of Markdown a page, like the seed pages) or small (about 2.2 KB)")
	fs.IntVar(&opt.Runs, "runs", 3, "measurements per size (medians are reported)")
	fs.StringVarP(&opt.Site, "site", "s", "", "measure this site instead of generated corpora")
	fs.StringVar(&opt.OutDir, "out-dir", "", "where built sites are written (default /dev/shm if writable, else the temp folder)")
	fs.BoolVar(&opt.Keep, "keep", false, "keep the temporary folder")
	fs.StringVar(&opt.CPUProfile, "cpuprofile", "", "write a CPU profile of the first build of the first size")
	fs.StringVar(&opt.MemProfile, "memprofile", "", "write an allocation profile of the first build of the first size")
	hugo := fs.String("hugo", "", "compare with the Hugo binary at this path instead (make bench-hugo), one row a size")
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "Usage: helpgen-bench [flags]\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if err == pflag.ErrHelp {
			os.Exit(0)
		}
		os.Exit(2)
	}
	if os.Getenv(bench.ChildEnv) != "" {
		if err := bench.Child(fs.Args(), opt.CPUProfile, opt.MemProfile, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "helpgen-bench:", err)
			os.Exit(1)
		}
		return
	}
	var err error
	if opt.PageSize, err = corpus.ParseSize(*size); err != nil {
		fmt.Fprintln(os.Stderr, "helpgen-bench:", err)
		os.Exit(2)
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "helpgen-bench:", err)
		os.Exit(1)
	}
	opt.Exe, opt.Log = exe, os.Stderr
	if opt.OutDir == "" {
		opt.OutDir = bench.DefaultOutDir()
	}
	if *hugo != "" {
		rows, err := bench.RunHugo(opt, *hugo)
		if err != nil {
			fmt.Fprintln(os.Stderr, "helpgen-bench:", err)
			os.Exit(1)
		}
		bench.PrintHugo(os.Stdout, opt, *hugo, rows)
		return
	}
	rows, err := bench.Run(opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helpgen-bench:", err)
		os.Exit(1)
	}
	bench.Print(os.Stdout, opt, rows)
}
