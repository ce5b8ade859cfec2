// Package bench is `make bench`: it generates corpora of several sizes,
// builds each one for every region in a child process, measures the goldmark
// floor on the same corpus in another, and prints times, the ratio to the
// floor, peak memory and bytes written.
package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/search/searchbench"
)

// Options control a benchmark run.
type Options struct {
	Sizes []int // corpus sizes in pages
	// PageSize is how long the generated pages are: corpus.Real (about
	// 5 KB of Markdown, like the seed pages) unless set.
	PageSize corpus.Size
	Seed     int64
	Runs     int    // measurements per size; medians are reported
	Site     string // measure this site instead of generated corpora
	Keep     bool   // keep the temporary folder
	// OutDir holds the built sites; empty means a tmpfs (/dev/shm) when
	// there is one, so the disk's write-back stalls do not swamp the timing.
	OutDir string
	// CPUProfile and MemProfile, when set, profile the first build of the
	// first size.
	CPUProfile, MemProfile string
	Exe                    string    // this program, re-run for each measurement
	Log                    io.Writer // progress lines
}

// Row is the result for one corpus.
type Row struct {
	Pages      int           // source pages
	Jobs       int           // page × region renders
	Regions    int           // regions built
	Floor      time.Duration // median goldmark floor
	Build      time.Duration // median fresh build, whole process
	Repeat     time.Duration // median build over an unchanged previous output
	Warm       []warmRun     // each run's cold build and warm build after one edit
	FloorCPU   time.Duration // median CPU time of the floor
	BuildCPU   time.Duration // median CPU time of the fresh build
	RSS        int64         // peak RSS of the build, bytes (largest of the runs)
	FloorRSS   int64         // peak RSS of the floor process, bytes
	Bytes      int64         // bytes in the output folder
	Files      int           // files in the output folder
	CorpusSize int64         // bytes of Markdown in content/
	Inside     time.Duration // median build time measured inside the process
	Index      time.Duration // median time of the search index writers
	Queries    []searchbench.QueryCost
}

// BytesPerPage is the Markdown in content/ over the pages, sections included.
func (r Row) BytesPerPage() int64 { return r.CorpusSize / int64(max(r.Pages, 1)) }

// IndexShare is what building the search index adds to the rest of the
// build, as a fraction of it.
func (r Row) IndexShare() float64 { return float64(r.Index) / float64(r.Inside-r.Index) }

// MaxQueryKB is the most any typical query downloaded for its first results.
func (r Row) MaxQueryKB() float64 {
	m := 0
	for _, q := range r.Queries {
		m = max(m, q.Bytes)
	}
	return float64(m) / 1024
}

// overBudget flags a row whose index is over issue 6's budgets: a share of
// the build above searchbench.MaxShare or a query's first results above
// searchbench.Budget.
func (r Row) overBudget() string {
	var over []string
	if r.IndexShare() > searchbench.MaxShare {
		over = append(over, "index %")
	}
	if r.MaxQueryKB() > float64(searchbench.Budget>>10) {
		over = append(over, "KB")
	}
	if len(over) == 0 {
		return ""
	}
	return "  OVER BUDGET (" + strings.Join(over, ", ") + ")"
}

// Ratio is build time over floor time.
func (r Row) Ratio() float64 { return float64(r.Build) / float64(r.Floor) }

// CPURatio is build CPU time over floor CPU time: less disturbed than wall
// time by other programs on the machine.
func (r Row) CPURatio() float64 { return float64(r.BuildCPU) / float64(r.FloorCPU) }

// MsPerJob is build milliseconds per page-region.
func (r Row) MsPerJob() float64 {
	return float64(r.Build) / float64(time.Millisecond) / float64(r.Jobs)
}

// PagesPerSec is source pages built (all regions) per second.
func (r Row) PagesPerSec() float64 { return float64(r.Pages) / r.Build.Seconds() }

// Run measures every size and returns one row each.
func Run(opt Options) ([]Row, error) {
	if opt.Runs < 1 {
		opt.Runs = 1
	}
	tmp, err := os.MkdirTemp("", "helpgen-bench-")
	if err != nil {
		return nil, err
	}
	if opt.Keep {
		logf(opt.Log, "keeping %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	if opt.OutDir == "" {
		opt.OutDir = DefaultOutDir()
	}
	outTmp, err := os.MkdirTemp(opt.OutDir, "helpgen-bench-out-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(outTmp)
	sizes := opt.Sizes
	if opt.Site != "" {
		sizes = []int{0}
	}
	var rows []Row
	for i, n := range sizes {
		site := opt.Site
		if site == "" {
			site = filepath.Join(tmp, fmt.Sprintf("corpus-%d", n))
			t := time.Now()
			if _, err := corpus.Write(site, corpus.Options{Pages: n, Seed: opt.Seed, Size: opt.PageSize}); err != nil {
				return nil, fmt.Errorf("generating %d pages: %w", n, err)
			}
			logf(opt.Log, "generated %d pages in %.1f s", n, time.Since(t).Seconds())
		}
		row, err := measure(opt, site, outTmp, i == 0)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
		if opt.Site == "" && !opt.Keep {
			_ = os.RemoveAll(site)
		}
	}
	return rows, nil
}

// measure runs floor, fresh build and repeat build opt.Runs times each,
// interleaved so that a slow moment of the machine hits all three alike.
func measure(opt Options, site, tmp string, profile bool) (Row, error) {
	var floors, builds, repeats, floorCPU, buildCPU, inside, index []time.Duration
	var row Row
	for run := range opt.Runs {
		fr, _, frss, err := child(opt.Exe, nil, "floor", site)
		if err != nil {
			return row, err
		}
		floors = append(floors, time.Duration(fr.Nanos))
		floorCPU = append(floorCPU, time.Duration(fr.CPU))
		row.Pages, row.FloorRSS = fr.Pages, max(row.FloorRSS, frss)

		dest := filepath.Join(tmp, "public")
		_ = os.RemoveAll(dest)
		var prof []string
		if profile && run == 0 {
			if opt.CPUProfile != "" {
				prof = append(prof, "--cpuprofile", opt.CPUProfile)
			}
			if opt.MemProfile != "" {
				prof = append(prof, "--memprofile", opt.MemProfile)
			}
		}
		br, wall, rss, err := child(opt.Exe, prof, "build", site, dest)
		if err != nil {
			return row, err
		}
		builds = append(builds, wall)
		buildCPU = append(buildCPU, time.Duration(br.CPU))
		inside, index = append(inside, time.Duration(br.Nanos)), append(index, time.Duration(br.Index))
		row.Jobs, row.Regions, row.RSS = br.Jobs, br.Regions, max(row.RSS, rss)
		if run == 0 {
			row.Files, row.Bytes, err = du(dest)
			if err != nil {
				return row, err
			}
			if opt.Site == "" {
				for _, q := range searchbench.DefaultQueries {
					qc, err := searchbench.Cost(filepath.Join(dest, strings.ToLower(q.Region)), q)
					if err != nil {
						return row, fmt.Errorf("query %q: %w", q.Text, err)
					}
					row.Queries = append(row.Queries, qc)
				}
			}
		}

		_, wall, rss, err = child(opt.Exe, nil, "build", site, dest)
		if err != nil {
			return row, err
		}
		repeats = append(repeats, wall)
		row.RSS = max(row.RSS, rss)
		wr, err := measureWarm(opt, site, dest, run, br, builds[run])
		if err != nil {
			return row, err
		}
		row.Warm = append(row.Warm, wr)
		_ = os.RemoveAll(dest)
		logf(opt.Log, "  run %d: floor %.2f s (cpu %.2f s), build %.2f s (cpu %.2f s), repeat %.2f s, warm after one edit %.2f s (cpu %.2f s), peak RSS %d MB, load average %s",
			run+1, floors[run].Seconds(), floorCPU[run].Seconds(), builds[run].Seconds(), buildCPU[run].Seconds(), repeats[run].Seconds(),
			wr.WarmWall.Seconds(), wr.WarmCPU.Seconds(), rss>>20, loadAvg())
	}
	row.Floor, row.Build, row.Repeat = median(floors), median(builds), median(repeats)
	row.FloorCPU, row.BuildCPU = median(floorCPU), median(buildCPU)
	row.Inside, row.Index = median(inside), median(index)
	_, row.CorpusSize, _ = du(filepath.Join(site, "content"))
	return row, nil
}

// child runs one measurement in a fresh process and returns its result,
// its wall time as seen from here and its peak resident set size.
func child(exe string, flags []string, args ...string) (result, time.Duration, int64, error) {
	cmd := exec.Command(exe, append(flags, args...)...)
	cmd.Env = append(os.Environ(), ChildEnv+"=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t := time.Now()
	err := cmd.Run()
	wall := time.Since(t)
	if err != nil {
		return result{}, 0, 0, fmt.Errorf("%s %s: %v\n%s", args[0], args[1], err, errb.String())
	}
	var res result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return result{}, 0, 0, fmt.Errorf("%s: bad child output %q: %v", args[0], out.String(), err)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return res, wall, rss, nil
}

// DefaultOutDir is /dev/shm when it is a writable folder, else the temp folder.
func DefaultOutDir() string {
	if f, err := os.CreateTemp("/dev/shm", "helpgen-bench-probe-"); err == nil {
		f.Close()
		os.Remove(f.Name())
		return "/dev/shm"
	}
	return os.TempDir()
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// du counts the regular files under dir and their bytes.
func du(dir string) (files int, size int64, err error) {
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		files++
		size += fi.Size()
		return nil
	})
	return files, size, err
}

func logf(w io.Writer, format string, a ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", a...)
	}
}

// Print writes the table and the growth from the smallest to the largest size.
func Print(w io.Writer, opt Options, rows []Row) {
	fmt.Fprintf(w, "helpgen bench: %s, %s/%s, %d CPUs, GOMAXPROCS=%d, %s; median of %d runs\n",
		cpuModel(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), opt.Runs)
	fmt.Fprintln(w, "floor = one goldmark conversion of every page body per region on GOMAXPROCS workers;")
	fmt.Fprintln(w, "build = `helpgen build` of all regions in a fresh process (read, parse, render, search index, write, swap);")
	fmt.Fprintln(w, "repeat = the same build over its previous, unchanged output (unchanged files hard-linked);")
	fmt.Fprintln(w, "cpu×flr = the same ratio in CPU time (user+system), which other programs on the machine disturb less.")
	if opt.Site == "" {
		fmt.Fprintf(w, "corpus: internal/corpus, %s pages (MD B/pg = bytes of Markdown a page, sections included)\n", opt.PageSize)
	}
	fmt.Fprintf(w, "output written under %s (%s)\n", opt.OutDir, fsType(opt.OutDir))
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%7s %7s %8s %8s %8s %7s %8s %9s %8s %8s %9s %8s %8s %8s\n",
		"pages", "MD B/pg", "page×reg", "floor s", "build s", "×floor", "cpu×flr", "ms/pg×reg", "pages/s", "RSS MB", "floor RSS", "out MB", "files", "repeat s")
	for _, r := range rows {
		fmt.Fprintf(w, "%7d %7d %8d %8.2f %8.2f %7.2f %8.2f %9.3f %8.0f %8.0f %9.0f %8.1f %8d %8.2f\n",
			r.Pages, r.BytesPerPage(), r.Jobs, r.Floor.Seconds(), r.Build.Seconds(), r.Ratio(), r.CPURatio(), r.MsPerJob(), r.PagesPerSec(),
			mb(r.RSS), mb(r.FloorRSS), mb(r.Bytes), r.Files, r.Repeat.Seconds())
	}
	fmt.Fprintln(w)
	PrintTargets(w, rows)
	fmt.Fprintf(w, "search index (issue 6): index = time in the index writers, as a share of the rest of the build (target ≤ %.0f%%);\n", 100*searchbench.MaxShare)
	fmt.Fprintf(w, "KB = bytes a reader's browser fetches for the first 10 results of each of %d typical queries (target ≤ %d KB)\n",
		len(searchbench.DefaultQueries), searchbench.Budget>>10)
	fmt.Fprintf(w, "%7s %8s %8s %9s %9s %9s\n", "pages", "index s", "index %", "max KB", "mean KB", "max gz KB")
	for _, r := range rows {
		if len(r.Queries) == 0 {
			continue
		}
		sum, gz := 0, 0
		for _, q := range r.Queries {
			sum += q.Bytes
			gz = max(gz, q.Gzip)
		}
		fmt.Fprintf(w, "%7d %8.2f %8.1f %9.1f %9.1f %9.1f%s\n", r.Pages, r.Index.Seconds(), 100*r.IndexShare(), r.MaxQueryKB(),
			float64(sum)/1024/float64(len(r.Queries)), float64(gz)/1024, r.overBudget())
	}
	printWarm(w, rows)
	if len(rows) > 1 {
		a, b := rows[0], rows[len(rows)-1]
		fmt.Fprintf(w, "\ngrowth %d → %d pages (×%.1f): build time ×%.1f, floor ×%.1f, ms per page-region ×%.2f, peak RSS ×%.1f\n",
			a.Pages, b.Pages, float64(b.Pages)/float64(a.Pages), float64(b.Build)/float64(a.Build),
			float64(b.Floor)/float64(a.Floor), b.MsPerJob()/a.MsPerJob(), float64(b.RSS)/float64(a.RSS))
	}
}

// fsType names the file system holding dir, from /proc/mounts.
func fsType(dir string) string {
	data, err := os.ReadFile("/proc/mounts")
	if err != nil {
		return "unknown file system"
	}
	best, typ := "", "unknown file system"
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && (dir == f[1] || strings.HasPrefix(dir, strings.TrimSuffix(f[1], "/")+"/")) && len(f[1]) > len(best) {
			best, typ = f[1], f[2]
		}
	}
	return typ
}

// loadAvg is the one-minute load average, which says how busy the machine was.
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(data) + " ?")[0]
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// cpuModel names the processor, from /proc/cpuinfo where there is one.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return "unknown CPU"
}
