package check

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
)

// pageSource places findings in one page's file. Facts hold byte offsets;
// turning one into a line and column needs the page's text, so the text is
// indexed only when a finding needs it, and most pages have none. A
// position in the front matter is placed from the copy the page keeps
// (content.Page.FrontMatter); one in the body takes the page's text, which a
// one-shot build has released (content.Page.Release) and which is then read
// again from the file.
//
// A file that changed or went away after it was rendered cannot place a
// position of the version built: its findings in the body are not reported
// on a wrong line but replaced by one finding for the file (see unplaced).
type pageSource struct {
	c    *checker
	cp   *content.Page
	head *diag.Source // over the front matter, made when first needed
}

func (c *checker) source(cp *content.Page) *pageSource { return &pageSource{c: c, cp: cp} }

// front is the source of the front matter and how many of its lines are
// whole in it (a position on them is placed from it alone).
func (s *pageSource) front() (*diag.Source, int) {
	if s.head == nil {
		s.head = diag.NewSource(s.cp.File, s.cp.FrontMatter())
	}
	return s.head, bytes.Count(s.head.Text, []byte("\n"))
}

// inFront reports whether byte offset off is on a whole line of the front matter.
func (s *pageSource) inFront(off int) bool {
	head, _ := s.front()
	return off >= 0 && off <= bytes.LastIndexByte(head.Text, '\n')
}

// lineInFront reports whether 1-based line n is a whole line of the front matter.
func (s *pageSource) lineInFront(n int) bool {
	_, lines := s.front()
	return n >= 1 && n <= lines
}

// full is the source of the whole text, nil when the file is no longer the
// one rendered; it is made once per file for all regions.
func (s *pageSource) full() *diag.Source {
	c := s.c
	if src, ok := c.sources[s.cp.File]; ok {
		return src
	}
	var src *diag.Source
	if text, err := s.cp.Text(); err == nil {
		src = diag.NewSource(s.cp.File, text)
	}
	c.sources[s.cp.File] = src
	return src
}

// Errorf is a finding at byte offset off of the page's text.
func (s *pageSource) Errorf(off int, hint, format string, args ...any) *diag.Error {
	if s.inFront(off) {
		head, _ := s.front()
		return head.Errorf(off, hint, format, args...)
	}
	if src := s.full(); src != nil {
		return src.Errorf(off, hint, format, args...)
	}
	return s.c.unplace(s.cp.File, hint, fmt.Sprintf(format, args...))
}

// At is a finding at a 1-based line and column of the page's text.
func (s *pageSource) At(line, col int, hint, format string, args ...any) *diag.Error {
	if s.lineInFront(line) {
		head, _ := s.front()
		return head.At(line, col, hint, format, args...)
	}
	if src := s.full(); src != nil {
		return src.At(line, col, hint, format, args...)
	}
	return s.c.unplace(s.cp.File, hint, fmt.Sprintf(format, args...))
}

// LineCol is the line and column of byte offset off; 0, 0 when the file
// changed (a finding made from it is then unplaced too).
func (s *pageSource) LineCol(off int) (line, col int) {
	if s.inFront(off) {
		head, _ := s.front()
		return head.LineCol(off)
	}
	if src := s.full(); src != nil {
		return src.LineCol(off)
	}
	return 0, 0
}

// Line is the text of 1-based line n, "" when unknown.
func (s *pageSource) Line(n int) string {
	if s.lineInFront(n) {
		head, _ := s.front()
		return head.Line(n)
	}
	if src := s.full(); src != nil {
		return src.Line(n)
	}
	return ""
}

// changedFile gathers what the checks could not say about a file that
// changed after it was rendered.
type changedFile struct {
	checks  []string
	regions []string
	sev     diag.Severity
}

// unplace is a finding that cannot be placed in file; report turns it into
// part of the file's one finding (see changedFinding).
func (c *checker) unplace(file, hint, msg string) *diag.Error {
	e := &diag.Error{File: file, Msg: msg, Hint: hint}
	if c.unplaced == nil {
		c.unplaced = map[*diag.Error]bool{}
	}
	c.unplaced[e] = true
	return e
}

// unchecked records that check could not run on file in region code (or
// reported there what it could not place), with severity sev.
func (c *checker) unchecked(check, code, file string, sev diag.Severity) {
	if c.changed == nil {
		c.changed = map[string]*changedFile{}
	}
	f := c.changed[file]
	if f == nil {
		f = &changedFile{sev: sev}
		c.changed[file] = f
	}
	if !slices.Contains(f.checks, check) {
		f.checks = append(f.checks, check)
	}
	if code != "" && !slices.Contains(f.regions, code) {
		f.regions = append(f.regions, code)
	}
	f.sev = min(f.sev, sev) // SevError is the lesser
}

// changedFindings are the findings of the files that changed: one a file,
// as severe as the most severe finding it stands for, so that a build that
// would have failed on them still fails.
func (c *checker) changedFindings() {
	files := make([]string, 0, len(c.changed))
	for file := range c.changed {
		files = append(files, file)
	}
	slices.Sort(files)
	for _, file := range files {
		f := c.changed[file]
		slices.Sort(f.checks)
		e := &diag.Error{File: file, Severity: f.sev, Regions: f.regions,
			Msg: fmt.Sprintf("file changed while the site was built: the output is of the version read before, and what %s found in its text cannot be shown on the file's lines now",
				strings.Join(f.checks, ", ")),
			Hint: "build again to check the file as saved"}
		k := key{e.File, 0, 0, e.Msg}
		c.seen[k] = &Finding{Error: e, Check: "build"}
		c.order = append(c.order, k)
	}
	c.changed = nil
}
