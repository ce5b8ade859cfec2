package build

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// The collector's settings for a whole `helpgen build` (see Run): a fixed
// soft memory limit, not a multiple of the content, with GOGC 200 under it,
// so that a site whose live heap is well under the limit is collected only
// when the heap reaches the limit; when the live heap passes liftShare of
// the limit (a large site), the limit is lifted and GOGC 100 paces the
// collector instead, so it never runs back to back.
//
// A one-shot build holds little per page (each page's text and tree are let
// go once parsed and once rendered, its search text spilled): at 5,000
// real-sized pages (three regions) the live heap stays under 100 MB, at
// 20,000 under 300 MB. Measured with `helpgen build` of the real-sized
// corpus at 5,000 pages (two alternating runs each, load 5–9): a limit of
// 210 MiB with GOGC 200 peaks at 217–226 MiB in 6.9–7.5 s of CPU; GOGC 100
// under a 320 MiB limit peaked at 143–153 MiB in 7.4–8.0 s. The budget is
// 250 MB; the CPU time is the one that matters more.
const (
	buildMemoryLimit = 210 << 20
	buildGCPercent   = 200
	liftedGCPercent  = 100
)

// liftShare is the share of the limit the live heap may reach before the
// limit is lifted: past it the collector would run ever more often for
// little memory.
const liftShare = 0.6

// memoryGovernor holds the heap under a fixed soft limit while the live
// heap leaves room under it, and lifts the limit when it does not.
type memoryGovernor struct {
	stop chan struct{}
	done sync.WaitGroup
}

// startMemoryGovernor sets the limit and GOGC and watches the live heap
// every interval until stop; when it lifts the limit, GOGC becomes lifted.
func startMemoryGovernor(limit int64, gcPercent, lifted int, interval time.Duration) *memoryGovernor {
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
				debug.SetGCPercent(lifted)
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
