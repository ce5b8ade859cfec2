package bench

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRSSBudget(t *testing.T) {
	for _, tc := range []struct {
		pages int
		want  float64
	}{{1000, 250}, {5000, 250}, {12500, 425}, {20000, 600}, {35000, 950}} {
		if got := RSSBudget(tc.pages); got != tc.want {
			t.Errorf("RSSBudget(%d) = %v, want %v", tc.pages, got, tc.want)
		}
	}
}

// Each row is flagged with the targets it misses: memory against its size's
// budget, wall time against the floor, time per page-region against the
// first row's.
func TestMisses(t *testing.T) {
	first := Row{Pages: 1000, Jobs: 3000, Floor: time.Second, Build: 1400 * time.Millisecond, RSS: 100 << 20}
	for _, tc := range []struct {
		name string
		row  Row
		want []string
	}{
		{"first row", first, nil},
		{"all met", Row{Pages: 5000, Jobs: 15000, Floor: 5 * time.Second, Build: 7500 * time.Millisecond, RSS: 250 << 20}, nil},
		{"memory", Row{Pages: 5000, Jobs: 15000, Floor: 5 * time.Second, Build: 7 * time.Second, RSS: 251 << 20}, []string{"RSS"}},
		{"memory at 20,000", Row{Pages: 20000, Jobs: 60000, Floor: 20 * time.Second, Build: 28 * time.Second, RSS: 590 << 20}, nil},
		{"slow", Row{Pages: 5000, Jobs: 15000, Floor: 4 * time.Second, Build: 7 * time.Second, RSS: 200 << 20}, []string{"×floor"}},
		{"growth", Row{Pages: 20000, Jobs: 60000, Floor: 30 * time.Second, Build: 31 * time.Second, RSS: 600 << 20}, []string{"linearity"}},
		{"all missed", Row{Pages: 20000, Jobs: 60000, Floor: 20 * time.Second, Build: 40 * time.Second, RSS: 900 << 20}, []string{"RSS", "×floor", "linearity"}},
	} {
		if got := tc.row.misses(first); !slices.Equal(got, tc.want) {
			t.Errorf("%s: misses %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The bench's output has the targets table, each row ok or flagged.
func TestPrintTargets(t *testing.T) {
	rows := []Row{
		{Pages: 1000, Jobs: 3000, Floor: time.Second, Build: 1400 * time.Millisecond, RSS: 100 << 20},
		{Pages: 5000, Jobs: 15000, Floor: 5 * time.Second, Build: 15 * time.Second, RSS: 500 << 20},
	}
	var b strings.Builder
	Print(&b, Options{Runs: 1, OutDir: t.TempDir()}, rows)
	out := b.String()
	for _, want := range []string{"targets (issue 15)", "OVER TARGET (RSS, ×floor, linearity)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Count(out, "  ok\n") != 1 {
		t.Errorf("want one row ok in\n%s", out)
	}
}
