package search

import (
	"errors"
	"fmt"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/diag"
)

// Writer returns the build hook that writes a region's index into its site
// under _search/, from that region's evaluated pages only: nothing another
// region publishes can reach it.
func Writer(opt Options) build.RegionWriter {
	return func(_ *build.Project, r *build.Region, out build.Output) error {
		docs := make([]*Doc, len(r.Pages))
		for i, pg := range r.Pages {
			d, err := DocOf(pg)
			if err != nil {
				return err
			}
			docs[i] = d
		}
		ix, err := NewIndex(docs, opt)
		if err != nil {
			return &diag.Error{File: Dir, Msg: err.Error(), Regions: []string{r.Config.Code}}
		}
		return writeFiles(out, r.Config.Dir(), ix.Files(), opt.Workers)
	}
}

// writeFiles writes files on a few goroutines: an index is thousands of
// small files.
func writeFiles(out build.Output, dir string, files []File, workers int) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) || errs[w] != nil {
					return
				}
				errs[w] = out.WriteFile(dir, files[i].Path, files[i].Data)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// DocOf is the index's view of a rendered page: its region-evaluated title
// and description, the text under each heading, and the article ids of its
// aliases.
func DocOf(pg *build.Page) (*Doc, error) {
	if pg.Facts == nil {
		return nil, fmt.Errorf("search: page %s was not rendered before indexing", pg.Src.URL)
	}
	d := &Doc{URL: pg.Src.URL, Title: pg.Title, Description: pg.Description, Sections: make([]Section, 1, len(pg.Facts.Sections)+1)}
	for _, a := range pg.Src.Aliases {
		if id := ArticleID(a); id != "" {
			d.IDs = append(d.IDs, id)
		}
	}
	for _, s := range pg.Facts.Sections {
		if s.Heading == nil {
			d.Sections[0].Text = joinText(d.Sections[0].Text, s.Text)
			continue
		}
		d.Sections = append(d.Sections, Section{ID: s.Heading.ID, Heading: s.Heading.Text, Text: s.Text})
	}
	// Headings below level 3 do not start a section and their text is not
	// in it; add them to the text of the section they are in.
	sec := 0
	for _, h := range pg.Facts.Headings {
		if h.Level <= 3 {
			sec++
		} else if sec < len(d.Sections) {
			d.Sections[sec].Text = joinText(d.Sections[sec].Text, h.Text)
		}
	}
	return d, nil
}

// ArticleID is the id a reader may type for an alias: its last path
// element when that holds a digit (/ja/id/040150 → 040150). Other aliases
// are old addresses, not ids.
func ArticleID(alias string) string {
	base := path.Base(strings.TrimSuffix(strings.TrimSuffix(alias, "/"), ".html"))
	if base == "." || base == "/" || !strings.ContainsAny(base, "0123456789") {
		return ""
	}
	return base
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + " " + b
}
