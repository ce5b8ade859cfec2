// Package searchbench measures what the search index costs: the time it
// adds to a full build and the bytes a reader downloads for the first
// results of typical queries, on a generated corpus.
package searchbench

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/search"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// Options control a run.
type Options struct {
	Pages   int         // corpus size
	Size    corpus.Size // page length; corpus.Small unless set
	Seed    int64       // corpus seed
	Runs    int         // builds with and without the index, alternating
	WorkDir string      // where the corpus and outputs go; empty: a temporary folder, on tmpfs when there is one
	Index   search.Options
	Queries []Query
	Out     io.Writer
	// CPUProfile, when set, receives a CPU profile of the last build with
	// the index.
	CPUProfile io.Writer
	// Heap adds a build that collects garbage before each index writer
	// and reports how far the heap grew above the build's live heap while
	// it ran (WriterHeap).
	Heap bool
}

// Query is a typical reader's query in one region.
type Query struct {
	Region, Text string
}

// DefaultQueries suit the generated corpus (internal/corpus): common and
// rare words, phrases, compounds, an article id, a prefix, Latin words and
// a word in no page, in each region.
var DefaultQueries = []Query{
	{"JP", "パスワード"}, {"JP", "パスワードを変更"}, {"JP", "管理者"}, {"JP", "共通管理者"},
	{"JP", "二要素認証"}, {"JP", "ログイン画面"}, {"JP", "040003"}, {"JP", "cybozu.com"}, {"JP", "ipアドレス"},
	{"JP", "セキュリティ設定 確認"}, {"JP", "ログ"}, {"JP", "存在しない語"}, {"US", "kintone"},
	{"US", "Kintone Store"}, {"CN", "アクセス権"}, {"CN", "cybozu.cn"},
	// Kana folded, scripts joined, a space kept, a prefix of many words.
	{"JP", "ろぐいん"}, {"JP", "ipアドレス制限"}, {"JP", "cybozu.com ストア"}, {"JP", "p000"},
}

// Budget is the most a query's first results may download.
const Budget = 300 << 10

// MaxShare is the most the index may add to a build, as a fraction of the
// build without it (issue 6's budget, for 5,000 pages).
const MaxShare = 0.15

// Report is what a run measured.
type Report struct {
	Pages           int
	Size            corpus.Size
	Without, With   []time.Duration
	Writers         []time.Duration // index writers alone, per build with the index
	WriterAlloc     []uint64        // bytes the index writers allocated, per build with the index
	WriterPeak      []uint64        // most the live heap grew while a writer ran, per build with the index
	WriterHeap      uint64          // with Options.Heap: the most one writer grew the heap above the live heap
	CPUWithout      []time.Duration // user+system CPU time of each build
	CPUWith         []time.Duration
	Regions         []RegionSize
	Queries         []QueryCost
	OverBudget      int
	Overhead        float64 // (with − without) / without, fastest runs
	WriterOverhead  float64 // writers / without, fastest runs
	CPUOverhead     float64 // the same for CPU time
	WithoutMin      time.Duration
	WithMin         time.Duration
	WriterMin       time.Duration
	OutputOnTmpfs   bool
	GOMAXPROCS      int
	CorpusGenerated time.Duration
}

// RegionSize is the size of one region's index.
type RegionSize struct {
	Code                 string
	Docs, Terms          int
	Chunks, Fragments    int
	Lists                int // postings lists in files of their own
	Bytes, GzipBytes     int64
	ManifestBytes        int
	LargestChunk         int
	LargestFragmentGroup int
	LargestList          int
}

// QueryCost is what the first results of one query downloaded.
type QueryCost struct {
	Query
	Results, Files int
	Total          string // as the search box shows it: ≈ estimated, + more exist
	Bytes, Gzip    int
	Chunks, Frags  int
	Lists          int
	FirstResultURL string
	WithinBudget   bool
	SearchDuration time.Duration
}

// Run generates the corpus, measures and prints the figures.
func Run(opt Options) (*Report, error) {
	opt = opt.withDefaults()
	rep := &Report{Pages: opt.Pages, Size: opt.Size, GOMAXPROCS: runtime.GOMAXPROCS(0)}
	work := opt.WorkDir
	if work == "" {
		tmp, onTmpfs, err := tempDir()
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		work, rep.OutputOnTmpfs = tmp, onTmpfs
	}
	site := filepath.Join(work, "site")
	t := time.Now()
	if _, err := corpus.Write(site, corpus.Options{Pages: opt.Pages, Seed: opt.Seed, Size: opt.Size}); err != nil {
		return nil, err
	}
	rep.CorpusGenerated = time.Since(t)
	proj, err := build.Load(sitefs.New(site), helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		return nil, err
	}
	b := &builder{proj: proj, work: work, inner: search.Writer(opt.Index)}
	kept, err := b.measure(rep, opt)
	if err != nil {
		return nil, err
	}
	if opt.Heap {
		dest := filepath.Join(work, "public-heap")
		if _, err := b.build(dest, []build.RegionWriter{build.RegionWriterFunc(b.writeCollected)}); err != nil {
			return nil, err
		}
		os.RemoveAll(dest)
		rep.WriterHeap = b.heap
	}
	rep.summarize()
	for _, rc := range proj.Config.Regions {
		rs, err := regionSize(filepath.Join(kept, rc.Dir()), rc.Code)
		if err != nil {
			return nil, err
		}
		rep.Regions = append(rep.Regions, rs)
	}
	for _, q := range opt.Queries {
		qc, err := Cost(filepath.Join(kept, strings.ToLower(q.Region)), q)
		if err != nil {
			return nil, err
		}
		if !qc.WithinBudget {
			rep.OverBudget++
		}
		rep.Queries = append(rep.Queries, qc)
	}
	rep.Print(opt.Out)
	return rep, nil
}

func (opt Options) withDefaults() Options {
	if opt.Pages <= 0 {
		opt.Pages = 5000
	}
	if opt.Runs <= 0 {
		opt.Runs = 3
	}
	if opt.Queries == nil {
		opt.Queries = DefaultQueries
	}
	if opt.Out == nil {
		opt.Out = os.Stdout
	}
	if opt.Index.ChunkBytes == 0 {
		opt.Index = search.DefaultOptions
	}
	return opt
}

// tempDir makes a working folder, on tmpfs when there is one.
func tempDir() (string, bool, error) {
	parent := ""
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		parent = "/dev/shm"
	}
	tmp, err := os.MkdirTemp(parent, "helpgen-searchbench-")
	return tmp, parent != "", err
}

// builder builds the corpus with and without the index, timing the index
// writers.
type builder struct {
	proj    *build.Project
	work    string
	inner   build.RegionWriter
	mu      sync.Mutex
	time    time.Duration // in the index writers, this build
	alloc   uint64        // allocated by the index writers, this build
	peak    uint64        // most the heap grew during one writer, this build
	heap    uint64        // most the heap grew during one writer, after a collection
	lastCPU time.Duration // of the last build
}

// write is the index writer, timed. The build calls the writers one region
// at a time after every page is rendered, so what the heap allocates
// meanwhile is theirs.
func (b *builder) write(r *build.Region, out model.FileWriter) error {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	a0 := ms.TotalAlloc
	stop := make(chan struct{})
	peak := make(chan uint64)
	go samplePeak(stop, peak)
	t := time.Now()
	err := b.inner.WriteRegion(r, out)
	d := time.Since(t)
	close(stop)
	grew := <-peak
	runtime.ReadMemStats(&ms)
	b.mu.Lock()
	b.time += d
	b.alloc += ms.TotalAlloc - a0
	b.peak = max(b.peak, grew)
	b.mu.Unlock()
	return err
}

// writeCollected is the index writer after a collection, so that the heap
// it starts from is the build's live heap, sampling how far it grows.
func (b *builder) writeCollected(r *build.Region, out model.FileWriter) error {
	runtime.GC()
	stop := make(chan struct{})
	peak := make(chan uint64)
	go samplePeak(stop, peak)
	err := b.inner.WriteRegion(r, out)
	close(stop)
	b.heap = max(b.heap, <-peak)
	return err
}

// samplePeak sends, once stop is closed, how far the heap's live and not
// yet collected objects grew above what they were at the start, sampled
// every millisecond.
func samplePeak(stop <-chan struct{}, peak chan<- uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	start, most := sample[0].Value.Uint64(), uint64(0)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > start {
			most = max(most, v-start)
		}
		select {
		case <-stop:
			peak <- most
			return
		case <-tick.C:
		}
	}
}

// build builds every region into dest and reports the wall time.
func (b *builder) build(dest string, writers []build.RegionWriter) (time.Duration, error) {
	runtime.GC()
	cpu0 := cpuTime()
	defer func() { b.lastCPU = cpuTime() - cpu0 }()
	t := time.Now()
	out, err := output.NewDirOutput(dest)
	if err != nil {
		return 0, err
	}
	res, err := b.proj.Build(out, build.Options{Writers: writers})
	if err != nil {
		_ = out.Abort()
		return 0, err
	}
	var dirs []string
	for _, r := range res.Regions {
		dirs = append(dirs, r.Dir)
	}
	if err := out.Commit(dirs); err != nil {
		return 0, err
	}
	return time.Since(t), nil
}

// measure builds without and with the index, alternating, after a warm-up
// build, and returns the folder of the last build with the index.
func (b *builder) measure(rep *Report, opt Options) (string, error) {
	kept := filepath.Join(b.work, "public-kept")
	// A warm-up build, so neither side pays for first-touch costs.
	if _, err := b.build(filepath.Join(b.work, "warm"), nil); err != nil {
		return "", err
	}
	os.RemoveAll(filepath.Join(b.work, "warm"))
	for i := range opt.Runs {
		dest := filepath.Join(b.work, fmt.Sprintf("public-%d", i))
		d, err := b.build(dest, nil)
		if err != nil {
			return "", err
		}
		rep.Without = append(rep.Without, d)
		rep.CPUWithout = append(rep.CPUWithout, b.lastCPU)
		os.RemoveAll(dest)
		b.time, b.alloc, b.peak = 0, 0, 0
		last := i == opt.Runs-1
		if last {
			dest = kept
		}
		if d, err = b.buildIndexed(dest, last && opt.CPUProfile != nil, opt.CPUProfile); err != nil {
			return "", err
		}
		rep.WriterAlloc = append(rep.WriterAlloc, b.alloc)
		rep.WriterPeak = append(rep.WriterPeak, b.peak)
		rep.With = append(rep.With, d)
		rep.CPUWith = append(rep.CPUWith, b.lastCPU)
		rep.Writers = append(rep.Writers, b.time)
		if !last {
			os.RemoveAll(dest)
		}
	}
	return kept, nil
}

// buildIndexed builds with the index, profiling the build when asked.
func (b *builder) buildIndexed(dest string, profile bool, w io.Writer) (time.Duration, error) {
	if profile {
		if err := pprof.StartCPUProfile(w); err != nil {
			return 0, err
		}
		defer pprof.StopCPUProfile()
	}
	return b.build(dest, []build.RegionWriter{build.RegionWriterFunc(b.write)})
}

// summarize compares the fastest runs: the one least disturbed by other
// work on the machine; medians are printed too.
func (r *Report) summarize() {
	r.WithoutMin, r.WithMin, r.WriterMin = slices.Min(r.Without), slices.Min(r.With), slices.Min(r.Writers)
	r.Overhead = float64(r.WithMin-r.WithoutMin) / float64(r.WithoutMin)
	r.WriterOverhead = float64(r.WriterMin) / float64(r.WithoutMin)
	r.CPUOverhead = float64(slices.Min(r.CPUWith)-slices.Min(r.CPUWithout)) / float64(slices.Min(r.CPUWithout))
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func gzipSize(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

func regionSize(dir, code string) (RegionSize, error) {
	rs := RegionSize{Code: code}
	root := filepath.Join(dir, search.Dir)
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rs.Bytes += int64(len(b))
		rs.GzipBytes += int64(gzipSize(b))
		switch filepath.Base(filepath.Dir(p)) {
		case "c":
			rs.Chunks++
			rs.LargestChunk = max(rs.LargestChunk, len(b))
		case "f":
			rs.Fragments++
			rs.LargestFragmentGroup = max(rs.LargestFragmentGroup, len(b))
		case "p":
			rs.Lists++
			rs.LargestList = max(rs.LargestList, len(b))
		default:
			rs.ManifestBytes = len(b)
		}
		return nil
	})
	if err != nil {
		return rs, err
	}
	s := search.NewSearcher(func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(root, name)) })
	docs, terms, err := s.Stats()
	rs.Docs, rs.Terms = docs, terms
	return rs, err
}

// Cost runs query q, as the reader's browser does, against the region site
// built in dir and counts the index files it fetched for the first results.
func Cost(dir string, q Query) (QueryCost, error) {
	qc := QueryCost{Query: q}
	root := filepath.Join(dir, search.Dir)
	files := map[string][]byte{}
	s := search.NewSearcher(func(name string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(root, name))
		files[name] = b
		return b, err
	})
	t := time.Now()
	found, err := s.Find(q.Text, 10)
	if err != nil {
		return qc, err
	}
	res := found.Results
	qc.SearchDuration = time.Since(t)
	qc.Results = len(res)
	qc.Total = strconv.Itoa(found.Total)
	if !found.Exact {
		qc.Total = "≈" + qc.Total
	}
	if found.More {
		qc.Total += "+"
	}
	if len(res) > 0 {
		qc.FirstResultURL = res[0].URL
	}
	qc.Files = len(s.Fetched)
	qc.Bytes = s.Bytes
	for _, name := range s.Fetched {
		qc.Gzip += gzipSize(files[name])
		switch {
		case strings.Contains(name, "/c/"):
			qc.Chunks++
		case strings.Contains(name, "/f/"):
			qc.Frags++
		case strings.Contains(name, "/p/"):
			qc.Lists++
		}
	}
	qc.WithinBudget = qc.Bytes <= Budget
	return qc, nil
}

// Print writes the report as `make bench` shows it.
func (r *Report) Print(w io.Writer) {
	fs := "disk"
	if r.OutputOnTmpfs {
		fs = "tmpfs"
	}
	fmt.Fprintf(w, "search bench: %d %s pages × 3 regions, GOMAXPROCS=%d, output on %s, corpus written in %d ms\n",
		r.Pages, r.Size, r.GOMAXPROCS, fs, r.CorpusGenerated.Milliseconds())
	fmt.Fprintf(w, "\nindex size per region\n%-4s %6s %8s %7s %6s %7s %10s %10s %9s %9s %9s %9s\n",
		"", "docs", "terms", "chunks", "lists", "groups", "total KB", "gzip KB", "manifest", "max chunk", "max list", "max group")
	for _, s := range r.Regions {
		fmt.Fprintf(w, "%-4s %6d %8d %7d %6d %7d %10.0f %10.0f %8.1fK %8.1fK %8.1fK %8.1fK\n", s.Code, s.Docs, s.Terms, s.Chunks, s.Lists, s.Fragments,
			float64(s.Bytes)/1024, float64(s.GzipBytes)/1024, float64(s.ManifestBytes)/1024, float64(s.LargestChunk)/1024,
			float64(s.LargestList)/1024, float64(s.LargestFragmentGroup)/1024)
	}
	ms := func(ds []time.Duration) string {
		var p []string
		for _, d := range ds {
			p = append(p, fmt.Sprint(d.Milliseconds()))
		}
		return strings.Join(p, " ")
	}
	fmt.Fprintf(w, "\nbuild time, all regions, %d runs each, alternating (min / median; runs in ms)\n", len(r.With))
	row := func(name string, ds []time.Duration) {
		fmt.Fprintf(w, "  %-14s %6d / %6d ms   [%s]\n", name, slices.Min(ds).Milliseconds(), median(ds).Milliseconds(), ms(ds))
	}
	row("without index", r.Without)
	row("with index", r.With)
	row("index writers", r.Writers)
	row("CPU without", r.CPUWithout)
	row("CPU with", r.CPUWith)
	if len(r.WriterAlloc) > 0 {
		fmt.Fprintf(w, "  %-14s %6.0f MB allocated per build, heap up to %.0f MB above the build's while one runs\n", "index writers",
			float64(slices.Min(r.WriterAlloc))/(1<<20), float64(slices.Max(r.WriterPeak))/(1<<20))
	}
	if r.WriterHeap > 0 {
		fmt.Fprintf(w, "  %-14s %6.1f MB at most above the live heap, one region (a build collecting before each writer)\n", "index heap",
			float64(r.WriterHeap)/(1<<20))
	}
	flag := ""
	if r.WriterOverhead > MaxShare || r.CPUOverhead > MaxShare {
		flag = "  OVER BUDGET"
	}
	fmt.Fprintf(w, "  overhead of the index (fastest runs): build time %+.1f%%, writers alone %.1f%%, CPU time %+.1f%%; target ≤ %.0f%%%s\n",
		100*r.Overhead, 100*r.WriterOverhead, 100*r.CPUOverhead, 100*MaxShare, flag)
	fmt.Fprintf(w, "\nfirst results (up to 10) per query, cold cache; target ≤ %d KB transferred\n", Budget>>10)
	fmt.Fprintf(w, "%-4s %-20s %7s %7s %5s %6s %5s %5s %9s %8s  %s\n", "", "query", "results", "total", "files", "chunks", "lists", "frags", "bytes KB", "gzip KB", "first result")
	for _, q := range r.Queries {
		flag := ""
		if !q.WithinBudget {
			flag = "  OVER BUDGET"
		}
		fmt.Fprintf(w, "%-4s %-20s %7d %7s %5d %6d %5d %5d %9.1f %8.1f  %s%s\n", q.Region, q.Text, q.Results, q.Total, q.Files, q.Chunks, q.Lists, q.Frags,
			float64(q.Bytes)/1024, float64(q.Gzip)/1024, q.FirstResultURL, flag)
	}
	if r.OverBudget > 0 {
		fmt.Fprintf(w, "%d queries over the %d KB budget\n", r.OverBudget, Budget>>10)
	}
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
