package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/adrg/frontmatter"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/markdown"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/search"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// ChildEnv marks a process started by the harness to run one measurement.
// Each measurement runs in its own process so its peak RSS is its own.
const ChildEnv = "HELPGEN_BENCH_CHILD"

// result is what a child reports on stdout, as one JSON object.
type result struct {
	Pages   int   // source pages
	Regions int   // regions built
	Jobs    int   // page × region conversions or renders
	Nanos   int64 // measured time inside the child
	CPU     int64 // user and system CPU nanoseconds of the measured part
	Bytes   int64 // HTML bytes produced (floor) or written (build)
	Index   int64 // nanoseconds spent in the search index writers (build)
}

// Child runs one measurement: "floor SITE" or "build SITE DEST", and writes a
// result to stdout. cpuProfile and memProfile, when set, are written for
// the measured part.
func Child(args []string, cpuProfile, memProfile string, stdout io.Writer) error {
	if len(args) < 2 {
		return fmt.Errorf("child: want floor SITE or build SITE DEST")
	}
	stop, err := startProfile(cpuProfile)
	if err != nil {
		return err
	}
	var res result
	switch args[0] {
	case "floor":
		res, err = floor(args[1])
	case "build", "build-cache":
		if len(args) < 3 {
			return fmt.Errorf("child %s: want SITE DEST", args[0])
		}
		res, err = buildSite(args[1], args[2], args[0] == "build-cache")
	default:
		err = fmt.Errorf("child: unknown measurement %q", args[0])
	}
	stop()
	if err != nil {
		return err
	}
	if memProfile != "" {
		if err := writeHeap(memProfile); err != nil {
			return err
		}
	}
	return json.NewEncoder(stdout).Encode(res)
}

func startProfile(file string) (func(), error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func writeHeap(file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	// The allocation profile (alloc_space) shows the whole build's garbage;
	// inuse_space is as of the end of the build.
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

// buildSite is `helpgen build -s site -d dest`, everything included: reading
// and parsing, rendering every region, writing and the atomic swap; with
// cache, `--cache` (a warm build over what the previous one kept).
func buildSite(site, dest string, cache bool) (result, error) {
	// Regions' writers run one after another, so their time is what the
	// index adds to the build's wall time.
	var index time.Duration
	timed := timedWriter{search.Writer(search.DefaultOptions), &index}
	t, cpu := time.Now(), cpuTime()
	res, err := build.Run(build.RunOptions{Site: site, Dest: dest, Defaults: helpgen.Defaults,
		Writers: []build.RegionWriter{timed}, Cache: cache})
	if err != nil {
		return result{}, err
	}
	r := result{Nanos: int64(time.Since(t)), CPU: cpuTime() - cpu, Regions: len(res.Regions), Index: int64(index)}
	for _, rg := range res.Regions {
		r.Jobs += rg.Pages
	}
	return r, nil
}

// timedWriter is a writer that adds the time it takes to write each
// region to index. It spills as the writer it times does, so that the
// build is `helpgen build`'s (the time its spill takes while pages render
// is not in index).
type timedWriter struct {
	inner model.RegionWriter
	index *time.Duration
}

func (w timedWriter) WriteRegion(r *build.Region, out model.FileWriter) error {
	t := time.Now()
	defer func() { *w.index += time.Since(t) }()
	return w.inner.WriteRegion(r, out)
}

func (w timedWriter) Spill(dir string) model.SpillWriter {
	sw := w.inner.(model.Spiller).Spill(dir)
	return timedSpill{sw, timedWriter{sw, w.index}}
}

// timedSpill is a spill whose regions are written by a timedWriter.
type timedSpill struct {
	model.SpillWriter
	timed timedWriter
}

func (s timedSpill) WriteRegion(r *build.Region, out model.FileWriter) error {
	return s.timed.WriteRegion(r, out)
}

// floor is the least any generator must do: one goldmark conversion of
// every page's Markdown body per region, on GOMAXPROCS workers, nothing else.
// Bodies are the text after the front matter with shortcodes left as text;
// reading them is not timed.
func floor(site string) (result, error) {
	cfg, err := config.Load(sitefs.New(site))
	if err != nil {
		return result{}, err
	}
	bodies, err := readBodies(site)
	if err != nil {
		return result{}, err
	}
	md := markdown.Goldmark()
	regions := len(cfg.Regions)
	jobs := len(bodies) * regions
	var (
		next  atomic.Int64
		total atomic.Int64
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	runtime.GC()
	t, cpu := time.Now(), cpuTime()
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			var n int64
			for {
				i := int(next.Add(1)) - 1
				if i >= jobs {
					break
				}
				buf.Reset()
				if err := md.Convert(bodies[i%len(bodies)], &buf); err != nil {
					mu.Lock()
					first = err
					mu.Unlock()
				}
				n += int64(buf.Len())
			}
			total.Add(n)
		}()
	}
	wg.Wait()
	d, c := time.Since(t), cpuTime()-cpu
	if first != nil {
		return result{}, first
	}
	return result{Pages: len(bodies), Regions: regions, Jobs: jobs, Nanos: int64(d), CPU: c, Bytes: total.Load()}, nil
}

// cpuTime is the CPU time this process has used so far, in nanoseconds.
// Other programs on a shared machine stretch wall time, much less CPU time.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// readBodies returns the Markdown after the front matter of every page.
func readBodies(site string) ([][]byte, error) {
	fsys := sitefs.New(site)
	var bodies [][]byte
	err := fs.WalkDir(fsys, content.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		var fm map[string]any
		body, err := frontmatter.Parse(bytes.NewReader(content.Normalize(data)), &fm)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		bodies = append(bodies, body)
		return nil
	})
	return bodies, err
}
