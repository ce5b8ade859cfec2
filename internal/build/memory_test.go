package build

import (
	"runtime/debug"
	"testing"
	"time"
)

func TestOverLimit(t *testing.T) {
	for _, tc := range []struct {
		live  uint64
		limit int64
		want  bool
	}{
		{0, 100, false},
		{60, 100, false},
		{61, 100, true},
		{126 << 20, buildMemoryLimit, false},
		{127 << 20, buildMemoryLimit, true},
	} {
		if got := overLimit(tc.live, tc.limit); got != tc.want {
			t.Errorf("overLimit(%d, %d) = %v, want %v", tc.live, tc.limit, got, tc.want)
		}
	}
}

// The governor sets the limit and GOGC, and lifts the limit when the live
// heap is already past liftShare of it, setting GOGC to its lifted value.
func TestMemoryGovernorLifts(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	g := startMemoryGovernor(1, 77, 55, time.Millisecond) // any live heap is over one byte
	if got := debug.SetGCPercent(77); got != 77 {
		t.Errorf("GOGC %d, want 77", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) == 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	g.Stop()
	if got := debug.SetMemoryLimit(-1); got == 1 {
		t.Errorf("limit %d not lifted", got)
	}
	if got := debug.SetGCPercent(100); got != 55 {
		t.Errorf("GOGC %d once lifted, want 55", got)
	}
}
