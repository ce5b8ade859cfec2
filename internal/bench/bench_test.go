package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/helpgen/helpgen/internal/search/searchbench"
)

// Rows over issue 6's budgets are flagged in the search index table.
func TestPrintFlagsOverBudget(t *testing.T) {
	q := func(kb int) []searchbench.QueryCost { return []searchbench.QueryCost{{Bytes: kb << 10}} }
	rows := []Row{
		{Pages: 1000, Floor: time.Second, Build: time.Second, Inside: 1150 * time.Millisecond, Index: 150 * time.Millisecond, Queries: q(100)},
		{Pages: 5000, Floor: time.Second, Build: time.Second, Inside: 1200 * time.Millisecond, Index: 200 * time.Millisecond, Queries: q(100)},
		{Pages: 20000, Floor: time.Second, Build: time.Second, Inside: 1100 * time.Millisecond, Index: 100 * time.Millisecond, Queries: q(301)},
	}
	var b strings.Builder
	Print(&b, Options{Runs: 1, OutDir: t.TempDir()}, rows)
	lines := map[string]string{}
	for _, l := range strings.Split(b.String(), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines[f[0]] = l
		}
	}
	// The index tables' rows come after the build table's, so the map keeps them.
	for pages, want := range map[string]string{"1000": "", "5000": "OVER BUDGET (index %)", "20000": "OVER BUDGET (KB)"} {
		l := lines[pages]
		if want == "" && strings.Contains(l, "OVER BUDGET") || want != "" && !strings.Contains(l, want) {
			t.Errorf("%s pages: %q, want %q", pages, l, want)
		}
	}
}

// The build table shows the Markdown bytes a page of the measured corpus.
func TestPrintBytesPerPage(t *testing.T) {
	rows := []Row{{Pages: 1000, Jobs: 3000, Floor: time.Second, Build: time.Second, CorpusSize: 4_900_000}}
	var b strings.Builder
	Print(&b, Options{Runs: 1, OutDir: t.TempDir()}, rows)
	for _, l := range strings.Split(b.String(), "\n") {
		f := strings.Fields(l)
		if len(f) > 2 && f[0] == "1000" && f[2] == "3000" {
			if f[1] != "4900" {
				t.Errorf("bytes a page %q, want 4900 in %q", f[1], l)
			}
			return
		}
	}
	t.Errorf("no row for 1000 pages in\n%s", b.String())
}
