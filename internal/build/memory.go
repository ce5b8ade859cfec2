package build

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// The collector's settings while a build renders (see Run). The soft
// memory limit is fixed, not a multiple of the content: below it the heap
// stays under the 250 MB budget of a 5,000-page site; GOGC then decides
// only once the limit is lifted (see memoryGovernor). Both were chosen by
// measuring `helpgen build` of the 5,000- and 20,000-page real-sized
// corpora (README, "Speed and memory").
const (
	renderMemoryLimit = 224 << 20
	renderGCPercent   = 50
)

// liftShare is the share of the limit the live heap may reach before the
// limit is lifted: past it the collector would run back to back for little
// memory, and a site that large is paced by GOGC alone.
const liftShare = 0.9

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
