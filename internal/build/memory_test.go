package build

import (
	"math"
	"runtime/debug"
	"testing"
	"time"
)

func TestStepOver(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		step memoryStep
		want bool
	}{
		{0, memoryStep{100, 200, 0.45}, false},
		{45, memoryStep{100, 200, 0.45}, false},
		{46, memoryStep{100, 200, 0.45}, true},
		{94 << 20, buildMemorySteps[0], false},
		{95 << 20, buildMemorySteps[0], true},
		{312 << 20, buildMemorySteps[1], false},
		{313 << 20, buildMemorySteps[1], true},
	} {
		if got := tc.step.over(tc.live); got != tc.want {
			t.Errorf("%+v.over(%d) = %v, want %v", tc.step, tc.live, got, tc.want)
		}
	}
}

// The governor applies its first step, moves on while the live heap is
// past liftShare of a step's limit, and ends at the last step, without a
// limit; it stays at a step whose limit leaves room.
func TestMemoryGovernorSteps(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	wait := func(done func() bool) {
		for deadline := time.Now().Add(5 * time.Second); !done() && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	// Any live heap is over one or two bytes.
	g := startMemoryGovernor([]memoryStep{{1, 77, 0.5}, {2, 66, 0.5}, {0, 55, 0}}, time.Millisecond)
	wait(func() bool { return debug.SetMemoryLimit(-1) == math.MaxInt64 })
	g.Stop()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit %d, want none", got)
	}
	if got := debug.SetGCPercent(100); got != 55 {
		t.Errorf("GOGC %d past the last limit, want 55", got)
	}
	// No live heap of a test is near 1 TiB.
	g = startMemoryGovernor([]memoryStep{{1 << 40, 77, 0.5}, {0, 55, 0}}, time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	g.Stop()
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("limit %d, want the first step's", got)
	}
	if got := debug.SetGCPercent(100); got != 77 {
		t.Errorf("GOGC %d, want the first step's 77", got)
	}
}
