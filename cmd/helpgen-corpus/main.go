// Command helpgen-corpus writes a generated help site shaped like real help
// pages, for benchmarks and for trying helpgen at scale:
//
//	go run ./cmd/helpgen-corpus -n 5000 -o /tmp/corpus
//	go run ./cmd/helpgen build -s /tmp/corpus
package main

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"github.com/helpgen/helpgen/internal/corpus"
)

func main() {
	fs := pflag.NewFlagSet("helpgen-corpus", pflag.ContinueOnError)
	var opt corpus.Options
	out := fs.StringP("out", "o", "corpus", "folder to write the site into")
	fs.IntVarP(&opt.Pages, "pages", "n", 5000, "content pages")
	fs.IntVar(&opt.PerSection, "per-section", 50, "pages per section")
	fs.Int64Var(&opt.Seed, "seed", 1, "the same seed writes the same site")
	size := fs.String("size", "real", "page length: real (about 5 KB of Markdown a page, like the seed pages) or small (about 2.2 KB)")
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "Usage: helpgen-corpus [-n PAGES] [-o DIR]\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if err == pflag.ErrHelp {
			os.Exit(0)
		}
		os.Exit(2)
	}
	var err error
	if opt.Size, err = corpus.ParseSize(*size); err != nil {
		fmt.Fprintln(os.Stderr, "helpgen-corpus:", err)
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "helpgen-corpus: %s exists; remove it or choose another folder with -o\n", *out)
		os.Exit(2)
	}
	st, err := corpus.Write(*out, opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helpgen-corpus:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d pages, %d sections, %d images, %d KB of Markdown (%d bytes a page)\n",
		*out, st.Pages, st.Sections, st.Images, st.Bytes/1024, st.Bytes/int64(max(st.Pages, 1)))
}
