package search

import (
	"errors"
	"fmt"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
)

// Writer returns the writer of a region's index into its site under
// _search/, from that region's evaluated pages only: nothing another region
// publishes can reach it.
//
// The writer keeps its dictionaries and buffers from one region to the next
// (see keep) for as long as it lives, and starts afresh at a region it has
// already written; make one for each build or refresh. It is a
// model.Spiller: a one-shot build hands it each page's text as the page is
// rendered (see spill.go).
func Writer(opt Options) model.RegionWriter {
	return &writer{opt: opt, done: map[string]bool{}}
}

// writer is the RegionWriter of Writer.
type writer struct {
	opt  Options
	mu   sync.Mutex
	k    *keep
	done map[string]bool // regions written with k
}

func (w *writer) WriteRegion(r *model.Region, out model.FileWriter) error {
	docs, err := docsOf(r.Pages)
	if err != nil {
		return err
	}
	return w.write(r, memDocs(docs), out)
}

// write writes r's index from its docs in src.
func (w *writer) write(r *model.Region, src docSource, out model.FileWriter) error {
	// Regions written at the same time do not share buffers.
	if !w.mu.TryLock() {
		return writeIndex(out, r, src, w.opt, nil)
	}
	defer w.mu.Unlock()
	code := r.Config.Code
	if w.k == nil || w.done[code] {
		w.k, w.done = &keep{}, map[string]bool{}
	}
	w.done[code] = true
	return writeIndex(out, r, src, w.opt, w.k)
}

func writeIndex(out model.FileWriter, r *model.Region, src docSource, opt Options, k *keep) error {
	dir := r.Config.Dir()
	// The groups of fragments, most of the index, go out as they are
	// written.
	ix, err := newIndex(src, opt, k, func(rel string, data []byte) error { return out.WriteFile(dir, rel, data) })
	var limit limitError
	if errors.As(err, &limit) {
		return &diag.Error{File: Dir, Msg: err.Error(), Regions: []string{r.Config.Code}}
	}
	if err != nil {
		return err
	}
	return writeFiles(out, dir, ix.Files(), opt.Workers)
}

// writeFiles writes files on a few goroutines: an index is thousands of
// small files.
func writeFiles(out model.FileWriter, dir string, files []File, workers int) error {
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
func DocOf(pg *model.Page) (*Doc, error) {
	d := &Doc{}
	if _, err := docOf(pg, d, nil); err != nil {
		return nil, err
	}
	return d, nil
}

// docsOf is DocOf for every page of a region, the docs and their sections
// each in one allocation.
func docsOf(pages []*model.Page) ([]*Doc, error) {
	n := 0
	for _, pg := range pages {
		if pg.Facts != nil {
			n += len(pg.Facts.Sections) + 1
		}
	}
	slab := make([]Doc, len(pages))
	secs := make([]Section, 0, n)
	docs := make([]*Doc, len(pages))
	for i, pg := range pages {
		var err error
		if secs, err = docOf(pg, &slab[i], secs); err != nil {
			return nil, err
		}
		docs[i] = &slab[i]
	}
	return docs, nil
}

// docOf fills d from pg, its sections appended to secs.
func docOf(pg *model.Page, d *Doc, secs []Section) ([]Section, error) {
	if pg.Facts == nil {
		return secs, fmt.Errorf("search: page %s was not rendered before indexing", pg.Src.URL)
	}
	from := len(secs)
	if cap(secs)-from < len(pg.Facts.Sections)+1 {
		secs, from = make([]Section, 0, len(pg.Facts.Sections)+1), 0
	}
	*d = Doc{URL: pg.Src.URL, Title: pg.Title, Description: pg.Description}
	d.Sections = secs[from : from+1]
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
	d.Sections = d.Sections[:len(d.Sections):len(d.Sections)]
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
	return secs[:from+len(d.Sections)], nil
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
