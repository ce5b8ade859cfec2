package searchbench

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/search"
)

func TestPhases(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	writeCorpus(site, 5000, 1)
	proj, _ := build.Load(os.DirFS(site), helpgen.Defaults, build.LoadOptions{})
	rep, _ := proj.Build(build.NewMemOutput(), build.Options{})
	for range 3 {
		var tDoc, tIx, tFiles, tWrite time.Duration
		nfiles, nbytes := 0, 0
		for _, r := range rep.Sites {
			t0 := time.Now()
			docs := make([]*search.Doc, len(r.Pages))
			for i, pg := range r.Pages {
				docs[i], _ = search.DocOf(pg)
			}
			t1 := time.Now()
			ix, _ := search.NewIndex(docs, search.DefaultOptions)
			t2 := time.Now()
			files := ix.Files()
			t3 := time.Now()
			dest := filepath.Join("/dev/shm", "phase-"+r.Config.Dir())
			out, _ := build.NewDirOutput(dest)
			for _, f := range files {
				out.WriteFile(r.Config.Dir(), f.Path, f.Data)
				nbytes += len(f.Data)
			}
			nfiles += len(files)
			t4 := time.Now()
			out.Abort()
			tDoc += t1.Sub(t0)
			tIx += t2.Sub(t1)
			tFiles += t3.Sub(t2)
			tWrite += t4.Sub(t3)
		}
		t.Logf("docs %v index %v files %v write %v (%d files, %d MB)", tDoc, tIx, tFiles, tWrite, nfiles, nbytes>>20)
	}
}
