package search

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sync"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
)

// A one-shot build does not keep every page's text until the index of its
// region is written: the writer's spill takes each page's Doc as soon as
// the page is rendered and appends its record (record.go) to a temporary
// file of the page's region; the index then reads the docs back one at a
// time (spilledDocs). What stays in memory is where each record is.

// Spill starts a spill for one build, its files in folder dir (see
// model.Spiller).
func (w *writer) Spill(dir string) model.SpillWriter {
	return &spill{w: w, dir: dir, create: createTemp, regions: map[string]*regionSpill{}}
}

// spill is a writer's spill for one build: one file per region.
type spill struct {
	w      *writer
	dir    string
	create func(dir string) (spillFile, error)

	mu      sync.Mutex
	regions map[string]*regionSpill // by region code
}

// spillFile is where a region's records go: a temporary file, or in
// tests one that fails.
type spillFile interface {
	io.Writer
	io.ReaderAt
	io.Closer
	Name() string
}

// spillBuffer is the size of the writes to a spill's file.
const spillBuffer = 64 << 10

// regionSpill is the spill of one region's pages.
type regionSpill struct {
	f spillFile

	mu  sync.Mutex
	buf *bufio.Writer
	end int64 // bytes written, the buffered ones included
	at  map[*model.Page]recordRef
	err error // the first failure: the spill is unusable after it
}

// recordRef is where a page's record is in its region's file.
type recordRef struct {
	off  int64
	n    int32 // bytes
	size int32 // the Doc's size estimate
}

// Take appends pg's Doc to its region's file.
func (s *spill) Take(pg *model.Page) error {
	var d Doc
	if _, err := docOf(pg, &d, nil); err != nil {
		return err
	}
	rs, err := s.region(pg.Region.Config.Code)
	if err != nil {
		return err
	}
	return rs.add(pg, &d)
}

// region is the spill of region code, its file created on first use.
func (s *spill) region(code string) (*regionSpill, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rs := s.regions[code]; rs != nil {
		return rs, nil
	}
	f, err := s.create(s.dir)
	if err != nil {
		return nil, fmt.Errorf("search: cannot make a temporary file for the text of region %s: %w", code, err)
	}
	rs := &regionSpill{f: f, buf: bufio.NewWriterSize(f, spillBuffer), at: map[*model.Page]recordRef{}}
	s.regions[code] = rs
	return rs, nil
}

func (rs *regionSpill) add(pg *model.Page, d *Doc) error {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.err != nil {
		return rs.err
	}
	rec := appendRecord(rs.buf.AvailableBuffer(), d)
	size := d.size()
	if len(rec) > math.MaxInt32 || size > math.MaxInt32 {
		return fmt.Errorf("search: page %s has more than 2 GB of text", pg.Src.URL)
	}
	if _, err := rs.buf.Write(rec); err != nil {
		rs.err = fmt.Errorf("search: cannot write the text of page %s to %s: %w", pg.Src.URL, rs.f.Name(), err)
		return rs.err
	}
	rs.at[pg] = recordRef{off: rs.end, n: int32(len(rec)), size: int32(size)}
	rs.end += int64(len(rec))
	return nil
}

// WriteRegion writes r's index from the docs its pages spilled; a region
// none of whose pages was taken is read from memory.
func (s *spill) WriteRegion(r *model.Region, out model.FileWriter) error {
	s.mu.Lock()
	rs := s.regions[r.Config.Code]
	s.mu.Unlock()
	if rs == nil {
		return s.w.WriteRegion(r, out)
	}
	src, err := rs.docs(r.Pages)
	if err != nil {
		return &diag.Error{File: rs.f.Name(), Msg: err.Error(), Regions: []string{r.Config.Code}}
	}
	err = s.w.write(r, src, out)
	if re := (*readError)(nil); errors.As(err, &re) {
		return &diag.Error{File: rs.f.Name(), Msg: err.Error(), Regions: []string{r.Config.Code}}
	}
	return err
}

// docs are the spilled docs of pages, in their order.
func (rs *regionSpill) docs(pages []*model.Page) (*spilledDocs, error) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.err != nil {
		return nil, rs.err
	}
	if err := rs.buf.Flush(); err != nil {
		rs.err = fmt.Errorf("search: cannot write the pages' text to %s: %w", rs.f.Name(), err)
		return nil, rs.err
	}
	src := &spilledDocs{f: rs.f, pages: pages, refs: make([]recordRef, len(pages))}
	for i, pg := range pages {
		ref, ok := rs.at[pg]
		if !ok {
			return nil, fmt.Errorf("search: page %s was not rendered before indexing", pg.Src.URL)
		}
		src.refs[i] = ref
	}
	return src, nil
}

// Close closes every region's file (which is then gone).
func (s *spill) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, rs := range s.regions {
		errs = append(errs, rs.f.Close())
	}
	clear(s.regions)
	return errors.Join(errs...)
}

// spilledDocs are a region's docs as its spill holds them.
type spilledDocs struct {
	f     io.ReaderAt
	pages []*model.Page
	refs  []recordRef
}

// readError is a record that could not be read back.
type readError struct {
	url string
	err error
}

func (e *readError) Error() string {
	return fmt.Sprintf("search: cannot read back the text of page %s: %v", e.url, e.err)
}

func (e *readError) Unwrap() error { return e.err }

func (sd *spilledDocs) count() int     { return len(sd.refs) }
func (sd *spilledDocs) size(i int) int { return int(sd.refs[i].size) }

// read reads record i into buf.
func (sd *spilledDocs) read(i int, buf []byte) ([]byte, error) {
	ref := sd.refs[i]
	buf = slices.Grow(buf[:0], int(ref.n))[:ref.n]
	n, err := sd.f.ReadAt(buf, ref.off)
	if n == len(buf) {
		return buf, nil // ReadAt may say io.EOF with the last byte
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return buf, &readError{sd.pages[i].Src.URL, err}
}

func (sd *spilledDocs) doc(i int, s *docScratch) (*Doc, error) {
	var err error
	if s.rec, err = sd.read(i, s.rec); err != nil {
		return nil, err
	}
	// The Doc's strings share one allocation; the index copies what it
	// keeps of them.
	if err := decodeRecord(string(s.rec), &s.doc); err != nil {
		return nil, &readError{sd.pages[i].Src.URL, err}
	}
	return &s.doc, nil
}

func (sd *spilledDocs) hash(h *versionHash) error {
	var buf []byte
	for i := range sd.refs {
		var err error
		if buf, err = sd.read(i, buf); err != nil {
			return err
		}
		if err := hashRecord(buf, h); err != nil {
			return &readError{sd.pages[i].Src.URL, err}
		}
	}
	return nil
}

// tempFile is a spill's file, removed as soon as it is made where the
// system allows it (so that a build that is killed leaves nothing), else
// when it is closed.
type tempFile struct {
	*os.File
	removed bool
}

func createTemp(dir string) (spillFile, error) {
	f, err := os.CreateTemp(dir, "helpgen-search-*")
	if err != nil {
		return nil, err
	}
	return &tempFile{File: f, removed: os.Remove(f.Name()) == nil}, nil
}

func (t *tempFile) Close() error {
	err := t.File.Close()
	if !t.removed {
		if rerr := os.Remove(t.Name()); err == nil {
			err = rerr
		}
	}
	return err
}
