package build

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// memoryStep is one setting of the collector: a soft memory limit (0: none)
// and GOGC under it.
type memoryStep struct {
	limit     int64
	gcPercent int
}

// buildMemorySteps are the collector's settings for a whole `helpgen build`
// (see Run), in order: fixed soft memory limits, not multiples of the
// content, each with GOGC 200 under it, so that a site whose live heap is
// well under the limit is collected only when the heap reaches it. When the
// live heap passes liftShare of a step's limit (a larger site), the governor
// moves to the next step, so the collector never runs back to back; past
// the last limit, GOGC 100 alone paces it.
//
// A one-shot build holds little per page (each page's text and tree are let
// go once parsed and once rendered, its search text spilled): on the
// real-sized corpus (three regions) the live heap stays under 65 MB at
// 5,000 pages and under 230 MB at 20,000. Measured with `helpgen build`
// (alternating runs, load 1–9): at 5,000 pages, 210 MiB with GOGC 200
// peaks at 200–226 MiB in 6.3–7.5 s of CPU, where GOGC 100 under a 320 MiB
// limit peaked at 143–153 MiB in 7.4–8.0 s. At 20,000 pages the live heap
// passes 95 MB early in the rendering; moving on to 520 MiB there (a
// liftShare of 0.45) peaks at 533 MiB in 29–31 s of CPU, where moving on
// at 0.6 (126 MB, late in the rendering) took 36 s, the collector running
// every 50 MB under the first limit, and GOGC 100 past a single 210 MiB
// limit 39 s (497 MiB). The budgets are 250 MB at 5,000 pages and 600 MB
// at 20,000.
var buildMemorySteps = []memoryStep{
	{210 << 20, 200},
	{520 << 20, 200},
	{0, 100},
}

// liftShare is the share of a step's limit the live heap may reach before
// the governor moves on: past it the collector would run ever more often
// for little memory (see buildMemorySteps).
const liftShare = 0.45

// memoryGovernor holds the heap under fixed soft limits, each while the
// live heap leaves room under it.
type memoryGovernor struct {
	stop chan struct{}
	done sync.WaitGroup
}

// startMemoryGovernor applies the first of steps and watches the live heap
// every interval until stop, moving to the next step when the live heap
// nears the current one's limit.
func startMemoryGovernor(steps []memoryStep, interval time.Duration) *memoryGovernor {
	apply(steps[0])
	g := &memoryGovernor{stop: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	g.done.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for i := 0; i < len(steps)-1 && steps[i].limit > 0; {
			select {
			case <-g.stop:
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 && overLimit(sample[0].Value.Uint64(), steps[i].limit) {
				i++
				apply(steps[i])
			}
		}
	})
	return g
}

// apply sets the collector to s.
func apply(s memoryStep) {
	debug.SetGCPercent(s.gcPercent)
	if s.limit > 0 {
		debug.SetMemoryLimit(s.limit)
	} else {
		debug.SetMemoryLimit(math.MaxInt64)
	}
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
