package build

import (
	"errors"
	"io/fs"
	"os"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/output"
)

// A one-shot build (Options.SpillDir set) does not keep every page's search
// text until its region's index is written: each page goes to the
// writers' spills (model.Spiller) once its Facts are final, and loses its
// Facts.Sections. Engine.Update compares a page's sections with the new
// ones, so an engine that is updated (serve) never spills.

// spill is a build's writers' spills.
type spill struct {
	dir     string
	writers []model.SpillWriter
}

// startSpill replaces opt's writers with their spills for this build when
// opt.SpillDir asks for it and every writer can spill: a writer that reads
// Facts.Sections at the end needs every page to keep them. The caller
// closes the spill.
func startSpill(opt *Options) *spill {
	if opt.SpillDir == "" || len(opt.Writers) == 0 {
		return nil
	}
	for _, w := range opt.Writers {
		if _, ok := w.(model.Spiller); !ok {
			return nil
		}
	}
	sp := &spill{dir: opt.SpillDir}
	writers := make([]RegionWriter, len(opt.Writers))
	for i, w := range opt.Writers {
		sw := w.(model.Spiller).Spill(opt.SpillDir)
		sp.writers = append(sp.writers, sw)
		writers[i] = sw
	}
	opt.Writers = writers
	return sp
}

// take hands pg, just rendered or reused, to the spills and drops its
// sections. A spill that fails (a full disk) fails the build as a full
// output would.
func (sp *spill) take(pg *Page) error {
	if sp == nil {
		return nil
	}
	for _, w := range sp.writers {
		if err := w.Take(pg); err != nil {
			var pe *fs.PathError
			if !errors.As(err, &pe) {
				return err
			}
			return &output.WriteError{Err: err, Diag: &diag.Error{File: sp.dir,
				Msg:  "cannot keep the search text of the pages until the index is written: " + err.Error(),
				Hint: "make room in the temporary folder, or name another folder in TMPDIR"}}
		}
	}
	// The page's own Facts: a rendered page's are new, a reused page's
	// decoded from its cache entry, which was encoded when it was put.
	pg.Facts.Sections = nil
	return nil
}

// close closes the spills, whose files are then gone; the build's
// outcome does not depend on it.
func (sp *spill) close() {
	if sp == nil {
		return
	}
	for _, w := range sp.writers {
		_ = w.Close()
	}
}

// spillDir is where a `helpgen build` keeps its pages' search text: the
// system's temporary folder ($TMPDIR). A folder where no file can be made
// (missing, read-only) is "": the build keeps the text in memory instead,
// and says so with -v.
func spillDir(opt RunOptions, logf func(string, ...any)) string {
	dir := opt.spillDir
	if dir == "" {
		dir = os.TempDir()
	}
	f, err := os.CreateTemp(dir, "helpgen-probe-*")
	if err != nil {
		logf("keeping the search text in memory: %v", err)
		return ""
	}
	f.Close()
	os.Remove(f.Name())
	return dir
}
