package serve

import (
	"errors"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/search"
)

// The search index is refreshed off the serve loop: a region's index takes
// far longer than a page.

// indexJob is a search index refresh running off the serve loop, on a
// snapshot of the regions' pages taken when it started.
type indexJob struct {
	gen   uint64 // the engine's indexGen when it started
	codes []string
	stop  atomic.Bool
	done  chan *indexResult // receives once
}

// indexResult is a finished (or stopped) index refresh: the files of every
// region it covered, not yet served.
type indexResult struct {
	job     *indexJob
	c       *changes
	seen    map[string]map[string]bool // by region folder: what the index wrote
	err     error
	stopped bool
}

// startIndex starts refreshing the search index of the regions whose pages
// changed what it holds, and returns nil when none is due. Only the serve
// loop calls it, between rebuilds: the snapshot copies what the index reads
// (titles, aliases, facts) so that later rebuilds do not touch what the
// refresh reads.
func (e *engine) startIndex() *indexJob {
	if len(e.pendingIndex) == 0 || e.site.Project() == nil {
		return nil
	}
	job := &indexJob{gen: e.site.Gen(), done: make(chan *indexResult, 1)}
	var snaps []*build.Region
	for _, r := range e.site.Regions() {
		if !e.pendingIndex[r.Config.Code] {
			continue
		}
		job.codes = append(job.codes, r.Config.Code)
		snaps = append(snaps, r.Snapshot())
	}
	opt := e.search
	// One core stays free for the page rebuilds of the next save; the
	// index's bytes do not depend on the number of workers.
	opt.Workers = max(1, runtime.GOMAXPROCS(0)-1)
	hook := indexHook
	go func() {
		end := func() {}
		if hook != nil {
			end = hook()
		}
		res := &indexResult{job: job, c: newChanges()}
		rec := newRecorder(res.c)
		out := stoppable{job, rec}
		w := search.Writer(opt)
		for _, r := range snaps {
			// A newer change makes this refresh useless: stop between
			// regions, or at the region's next file.
			if job.stop.Load() {
				break
			}
			if err := w.WriteRegion(r, out); err != nil {
				res.err = err
			}
		}
		res.stopped = job.stop.Load()
		res.seen = rec.seen
		end()
		job.done <- res
	}()
	return job
}

// indexHook, when a test sets it, is called as each index refresh starts,
// and what it returns as the refresh ends, so that tests can count them.
var indexHook func() (end func())

var errStopped = errors.New("index refresh stopped by a newer change")

// stoppable is an index refresh's output, refusing writes once the refresh
// is stopped so that the writer gives up early.
type stoppable struct {
	job *indexJob
	out output.Output
}

func (s stoppable) WriteFile(dir, rel string, data []byte) error {
	if s.job.stop.Load() {
		return errStopped
	}
	return s.out.WriteFile(dir, rel, data)
}

// stale reports whether job started before the latest change to what the
// index holds.
func (e *engine) stale(job *indexJob) bool { return job.gen != e.site.Gen() }

// finishIndex serves a finished index refresh if it is still current, all
// regions at once, and returns what it did (nil when it was stale).
func (e *engine) finishIndex(res *indexResult) (*report, error) {
	if res.stopped || e.stale(res.job) || e.site.Project() == nil {
		return nil, nil
	}
	e.indexErr = nil
	if res.err != nil {
		e.indexErr = diag.Flatten(res.err)
	} else {
		if e.indexFiles == nil {
			e.indexFiles = map[string]map[string]bool{}
		}
		for _, r := range e.site.Regions() {
			if !slices.Contains(res.job.codes, r.Config.Code) {
				continue
			}
			dir := r.Config.Dir()
			for rel := range e.indexFiles[dir] {
				if !res.seen[dir][rel] {
					res.c.drop(key{dir, rel})
				}
			}
			e.indexFiles[dir] = res.seen[dir]
		}
	}
	clear(e.pendingIndex)
	rep := &report{what: "search index " + strings.Join(res.job.codes, " "), changed: e.store.apply(res.c), ready: time.Now()}
	if errs := e.errs(); len(errs) > 0 {
		return rep, errs
	}
	return rep, nil
}

// reindex refreshes the search index and waits for it, for tests and
// benchmarks that drive the engine without the serve loop.
func (e *engine) reindex() (*report, error) {
	job := e.startIndex()
	if job == nil {
		return nil, nil
	}
	return e.finishIndex(<-job.done)
}
