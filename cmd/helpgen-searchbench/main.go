// Command helpgen-searchbench measures the search index on a generated
// corpus: the time it adds to a full build and the bytes a reader
// downloads for the first results of typical queries. `make bench` runs it.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/search"
	"github.com/helpgen/helpgen/internal/search/searchbench"
)

func main() {
	pages := pflag.IntP("pages", "n", 5000, "pages in the generated corpus")
	seed := pflag.Int64("seed", 1, "corpus seed")
	runs := pflag.Int("runs", 5, "builds with and without the index")
	work := pflag.String("work", "", "working folder (default: a temporary folder, on tmpfs when there is one)")
	chunk := pflag.Int("chunk-bytes", search.DefaultOptions.ChunkBytes, "size at which chunks of the dictionary are cut")
	list := pflag.Int("list-bytes", search.DefaultOptions.ListBytes, "length over which a term's postings get a file of their own")
	frag := pflag.Int("fragment-bytes", search.DefaultOptions.FragmentBytes, "about the size of a group of fragments (groups hold a fixed number of pages)")
	size := pflag.String("size", "small", "corpus page length: small (about 2.2 KB of Markdown a page) or real (about 5 KB, like the seed pages)")
	prof := pflag.String("cpuprofile", "", "write a CPU profile of the last build with the index to this file")
	heap := pflag.Bool("heap", false, "one more build, collecting garbage before each index writer, to measure how far the heap grows while it runs")
	pflag.Parse()
	opt := searchbench.Options{
		Pages: *pages, Seed: *seed, Runs: *runs, WorkDir: *work,
		Index: search.Options{ChunkBytes: *chunk, ListBytes: *list, FragmentBytes: *frag},
		Heap:  *heap,
	}
	var err error
	if opt.Size, err = corpus.ParseSize(*size); err != nil {
		fmt.Fprintln(os.Stderr, "helpgen-searchbench:", err)
		os.Exit(2)
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, "helpgen-searchbench:", err)
			os.Exit(1)
		}
		defer f.Close()
		opt.CPUProfile = f
	}
	rep, err := searchbench.Run(opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helpgen-searchbench:", err)
		os.Exit(1)
	}
	if rep.OverBudget > 0 {
		os.Exit(1)
	}
}
