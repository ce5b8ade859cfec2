package parallel

import (
	"sync"
	"testing"
)

func TestFor(t *testing.T) {
	for _, tc := range []struct{ n, workers int }{{0, 2}, {1, 4}, {100, 1}, {1000, 3}, {7, 0}} {
		var mu sync.Mutex
		seen := make([]int, tc.n)
		scratches := map[*int]bool{}
		For(tc.n, tc.workers, func(s *int, i int) {
			*s++ // a worker's own value: no race under -race
			mu.Lock()
			seen[i]++
			scratches[s] = true
			mu.Unlock()
		})
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d workers=%d: item %d ran %d times", tc.n, tc.workers, i, c)
			}
		}
		if tc.workers > 0 && len(scratches) > tc.workers {
			t.Errorf("n=%d: %d scratch values for %d workers", tc.n, len(scratches), tc.workers)
		}
	}
}
