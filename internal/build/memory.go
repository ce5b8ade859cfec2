package build

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// The collector's settings while a build renders (see Run). The soft
// memory limit is fixed, not a multiple of the content; when the live heap
// nears it (liftShare), the limit is lifted and GOGC alone paces the
// collector. Measured with `helpgen build` of the real-sized corpus
// (5,000 pages, three regions, live heap at most about 180 MB): a limit of
// 224 MiB kept the peak RSS at 243 MiB but took 2.5 times the CPU time
// (the collector ran almost back to back); 320 MiB peaks at 338 MiB where
// the 22 bytes per byte of Markdown before peaked at 525–535 MiB, for about
// a fifth more CPU time (three alternating pairs at load 5–9: 10.8–13.9 s
// against 9.4–10.4 s; with GOGC=200 GOMEMLIMIT=570MiB the same binary is
// back at the old CPU time). GOGC 100 once lifted: 50 cost 20% more CPU
// time at 20,000 pages for a quarter less memory.
const (
	renderMemoryLimit = 320 << 20
	renderGCPercent   = 100
)

// liftShare is the share of the limit the live heap may reach before the
// limit is lifted: past it the collector would run back to back for little
// memory.
const liftShare = 0.75

// memoryGovernor holds the heap under a fixed soft limit while the live
// heap leaves room under it, and lifts the limit when it does not.
type memoryGovernor struct {
	stop chan struct{}
	done sync.WaitGroup
}

// startMemoryGovernor sets the limit and GOGC and watches the live heap
// every interval until stop.
func startMemoryGovernor(limit int64, gcPercent int, interval time.Duration) *memoryGovernor {
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(gcPercent)
	g := &memoryGovernor{stop: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	g.done.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-g.stop:
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 && overLimit(sample[0].Value.Uint64(), limit) {
				debug.SetMemoryLimit(math.MaxInt64)
				return
			}
		}
	})
	return g
}

// overLimit reports whether a live heap of live bytes leaves too little
// room under limit.
func overLimit(live uint64, limit int64) bool {
	return float64(live) > liftShare*float64(limit)
}

// Stop ends the watch; the caller restores the collector's settings.
func (g *memoryGovernor) Stop() {
	close(g.stop)
	g.done.Wait()
}
