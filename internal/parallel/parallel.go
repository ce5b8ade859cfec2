// Package parallel runs per-item work (reading pages, rendering them, serve's
// page rebuilds) on a bounded pool of goroutines, one pool per call.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls fn(s, i) for every i in [0, n) on up to workers goroutines
// (GOMAXPROCS when workers <= 0), each with a scratch value s of its own
// that it reuses from one i to the next.
func For[S any](n, workers int, fn func(s *S, i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			var s S
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(&s, i)
			}
		})
	}
	wg.Wait()
}
