package build

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// memoryStep is one setting of the collector: a soft memory limit (0: none)
// and GOGC under it, and the share of the limit the live heap may reach
// before the governor moves on to the next step: past it the collector
// would run ever more often for little memory.
type memoryStep struct {
	limit     int64
	gcPercent int
	liftShare float64
}

// buildMemorySteps are the collector's settings for a whole `helpgen build`
// (see Run), in order: fixed soft memory limits, not multiples of the
// content, each with GOGC 200 under it, so that a site whose live heap is
// well under the limit is collected only when the heap reaches it. When the
// live heap passes a step's share of its limit (a larger site), the governor
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
// passes 95 MB early in the rendering; moving on to 520 MiB there (at 45 %
// of the first limit) takes 29–32 s of CPU, where moving on at 60 % (126
// MB, late in the rendering) took 36 s, the collector running every 50 MB
// under the first limit, and GOGC 100 past a single 210 MiB limit 39 s
// (497 MiB). The second limit holds until the live heap passes 60 % of it:
// at 45 % the largest index of 20,000 pages took the build past it, to
// GOGC 100 and 576–588 MiB; under it, 533 MiB. The budgets are 250 MB at
// 5,000 pages and 600 MB at 20,000.
var buildMemorySteps = []memoryStep{
	{210 << 20, 200, 0.45},
	{520 << 20, 200, 0.6},
	{0, 100, 0},
}

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
			if sample[0].Value.Kind() == metrics.KindUint64 && steps[i].over(sample[0].Value.Uint64()) {
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

// over reports whether a live heap of live bytes leaves too little room
// under the step's limit.
func (s memoryStep) over(live uint64) bool {
	return float64(live) > s.liftShare*float64(s.limit)
}

// Stop ends the watch; the caller restores the collector's settings.
func (g *memoryGovernor) Stop() {
	close(g.stop)
	g.done.Wait()
}
