package bench

import (
	"fmt"
	"io"
	"strings"
)

// The build's targets (issue 15), flagged by PrintTargets.
const (
	// MaxFloorRatio is the most a build's wall time may be over the
	// goldmark floor's.
	MaxFloorRatio = 1.5
	// MaxGrowth is how much the time per page-region may grow from the
	// smallest corpus measured to a larger one.
	MaxGrowth = 1.10
)

// RSSBudget is the peak RSS a build of pages real-sized pages (three
// regions, default theme, checks and search index) may reach, in MiB: 250
// up to 5,000 pages, 600 at 20,000, on the straight line between them and
// beyond.
func RSSBudget(pages int) float64 {
	if pages <= 5000 {
		return 250
	}
	return 250 + float64(pages-5000)*350/15000
}

// misses names the targets r is over, first the row its growth is measured
// from.
func (r Row) misses(first Row) []string {
	var over []string
	if mb(r.RSS) > RSSBudget(r.Pages) {
		over = append(over, "RSS")
	}
	if r.Floor > 0 && r.Ratio() > MaxFloorRatio {
		over = append(over, "×floor")
	}
	if r.growth(first) > MaxGrowth {
		over = append(over, "linearity")
	}
	return over
}

// growth is r's time per page-region over first's.
func (r Row) growth(first Row) float64 {
	if first.Jobs == 0 || r.Jobs == 0 || first.Build == 0 {
		return 1
	}
	return r.MsPerJob() / first.MsPerJob()
}

// PrintTargets writes each row against the build's targets: peak RSS
// against RSSBudget, wall time against MaxFloorRatio times the floor, and
// the time per page-region against the smallest corpus's (MaxGrowth).
func PrintTargets(w io.Writer, rows []Row) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "targets (issue 15): peak RSS ≤ 250 MB at 5,000 pages, ≤ 600 MB at 20,000 (MB = MiB, as above); build ≤ %.1f× the floor;\n", MaxFloorRatio)
	fmt.Fprintf(w, "time per page-region within %.0f%% of the %d-page corpus's\n", 100*(MaxGrowth-1), rows[0].Pages)
	fmt.Fprintf(w, "%7s %8s %8s %7s %8s %9s %8s  %s\n", "pages", "RSS MB", "budget", "×floor", "cpu×flr", "ms/pg×reg", "growth", "result")
	for _, r := range rows {
		res := "ok"
		if over := r.misses(rows[0]); len(over) > 0 {
			res = "OVER TARGET (" + strings.Join(over, ", ") + ")"
		}
		fmt.Fprintf(w, "%7d %8.0f %8.0f %7.2f %8.2f %9.3f %8.2f  %s\n", r.Pages, mb(r.RSS), RSSBudget(r.Pages), r.Ratio(), r.CPURatio(),
			r.MsPerJob(), r.growth(rows[0]), res)
	}
	fmt.Fprintln(w)
}
