package bench

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/helpgen/helpgen/internal/build"
)

// WarmTarget is the most a warm build after one page's body changed may
// take, as a share of a cold build (issue 15).
const WarmTarget = 0.15

// warmRun is one cold build, the build with the cache that followed it
// (which renders every page and writes the cache: what keeping the cache
// costs a cold build) and the warm build after one edit: wall and CPU time,
// peak RSS in bytes.
type warmRun struct {
	ColdWall, ColdCPU, WarmWall, WarmCPU time.Duration
	KeepCPU                              time.Duration
	KeepRSS, WarmRSS                     int64
}

// WarmShare is the median over runs of the warm build's share of the cold
// build of the same run, in wall and in CPU time: ratios of neighbouring
// builds, which a loaded machine disturbs less than either time alone.
func (r Row) WarmShare() (wall, cpu float64) {
	var ws, cs []float64
	for _, w := range r.Warm {
		ws = append(ws, float64(w.WarmWall)/float64(w.ColdWall))
		cs = append(cs, float64(w.WarmCPU)/float64(w.ColdCPU))
	}
	if len(ws) == 0 {
		return 0, 0
	}
	slices.Sort(ws)
	slices.Sort(cs)
	return ws[len(ws)/2], cs[len(cs)/2]
}

// editOnePage appends a paragraph to the body of the site's first regular
// page and returns what puts it back.
func editOnePage(site string, run int) (func(), error) {
	var file string
	err := filepath.WalkDir(filepath.Join(site, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || file != "" {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") && d.Name() != "_index.md" {
			file = p
		}
		return nil
	})
	if err != nil || file == "" {
		return nil, fmt.Errorf("no page to edit in %s: %v", site, err)
	}
	old, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	edited := fmt.Appendf(slices.Clone(old), "\nA paragraph added for warm build %d.\n", run+1)
	if err := os.WriteFile(file, edited, 0o644); err != nil {
		return nil, err
	}
	return func() { _ = os.WriteFile(file, old, 0o644) }, nil
}

// measureWarm builds dest once with the cache (which keeps the pages), edits
// one page, builds over dest with the cache again, and puts the page back.
// The warm build is compared with the default cold build.
func measureWarm(opt Options, site, dest string, run int, cold result, coldWall time.Duration) (warmRun, error) {
	if err := os.RemoveAll(filepath.Join(dest, build.CacheDirName)); err != nil {
		return warmRun{}, err
	}
	kr, _, keepRSS, err := child(opt.Exe, nil, "build-cache", site, dest)
	if err != nil {
		return warmRun{}, err
	}
	restore, err := editOnePage(site, run)
	if err != nil {
		return warmRun{}, err
	}
	defer restore()
	wr, wall, warmRSS, err := child(opt.Exe, nil, "build-cache", site, dest)
	if err != nil {
		return warmRun{}, err
	}
	return warmRun{ColdWall: coldWall, ColdCPU: time.Duration(cold.CPU), WarmWall: wall, WarmCPU: time.Duration(wr.CPU),
		KeepCPU: time.Duration(kr.CPU), KeepRSS: keepRSS, WarmRSS: warmRSS}, nil
}

// printWarm writes the warm builds' table: the warm build's share of the
// cold build, and what keeping the cache costs the cold build that writes
// it ("keep cpu": its CPU over the cold build's, less one).
func printWarm(w io.Writer, rows []Row) {
	fmt.Fprintf(w, "\nwarm builds (issue 15): a build over the previous output and its cache after one page's body changed,\n")
	fmt.Fprintf(w, "as a share of the cold build of the same run (median of the runs' ratios; target ≤ %.0f%%);\n", 100*WarmTarget)
	fmt.Fprintf(w, "keep: the cold build that writes the cache, its extra CPU over a cold build and its peak RSS\n")
	fmt.Fprintf(w, "%7s %8s %8s %8s %9s %9s %8s %8s %8s %8s\n", "pages", "cold s", "warm s", "wall %", "cold cpu", "warm cpu", "cpu %",
		"warm MB", "keep cpu", "keep MB")
	for _, r := range rows {
		if len(r.Warm) == 0 {
			continue
		}
		var cw, ww, cc, wc []time.Duration
		var keep []float64
		var keepRSS, warmRSS []int64
		for _, x := range r.Warm {
			cw, ww, cc, wc = append(cw, x.ColdWall), append(ww, x.WarmWall), append(cc, x.ColdCPU), append(wc, x.WarmCPU)
			keep = append(keep, float64(x.KeepCPU)/float64(x.ColdCPU)-1)
			keepRSS, warmRSS = append(keepRSS, x.KeepRSS), append(warmRSS, x.WarmRSS)
		}
		wall, cpu := r.WarmShare()
		flag := ""
		if cpu > WarmTarget || wall > WarmTarget {
			flag = fmt.Sprintf("  over the %.0f%% target", 100*WarmTarget)
		}
		slices.Sort(keep)
		slices.Sort(keepRSS)
		slices.Sort(warmRSS)
		fmt.Fprintf(w, "%7d %8.2f %8.2f %8.1f %9.2f %9.2f %8.1f %8d %+7.1f%% %8d%s\n", r.Pages, median(cw).Seconds(), median(ww).Seconds(), 100*wall,
			median(cc).Seconds(), median(wc).Seconds(), 100*cpu, warmRSS[len(warmRSS)/2]>>20, 100*keep[len(keep)/2], keepRSS[len(keepRSS)/2]>>20, flag)
	}
}
