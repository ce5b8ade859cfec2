package content

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io/fs"
	"slices"
	"sync"

	"github.com/helpgen/helpgen/internal/shortcode"
)

// Pages' texts and body trees take about 2.4 bytes for every byte of
// Markdown (57 MB at 5,000 real-sized pages, a third of a build's live
// heap), and a one-shot build needs them only until the page is rendered in
// every region: after that only the checks read them, for the few pages they
// report on. Release lets go of both; Text and Tree read the file again
// through the site's file system and parse it again when asked, once the
// file is known to be the one rendered (same length and hash). A file that
// changed or went away since is a *ChangedError: what was rendered can no
// longer be shown, and positions in the new text would be wrong. The front
// matter is kept (it is small, and the title and description trees index
// it), so what the checks say about it never needs the file.

// source is a page's file and its body's tree (see Page.Release).
type source struct {
	mu        sync.Mutex
	text      []byte         // the whole file, BOM removed and line ends normalised; nil once released
	tree      *shortcode.Doc // the body's tree over text; nil once released
	head      []byte         // a copy of text[:bodyStart]: the front matter, kept
	bodyStart int
	from      *origin // where the page was read; nil: it cannot be released
	released  bool
	size      int    // len(text) when released
	sum       uint64 // text's hash when released
	err       error  // why the text cannot be had again, once known
}

// origin is where a site's pages are read from and how they were parsed.
type origin struct {
	fsys fs.FS
	opt  shortcode.Options
}

// seed hashes texts within this process only: the hash tells whether a file
// read again is the one read before, and is never stored.
var seed = maphash.MakeSeed()

// ChangedError says that a released page's file is no longer the one that
// was rendered: it changed or went away while the site was built.
type ChangedError struct {
	File string
	Err  error // the error reading it again; nil when it reads but differs
}

func (e *ChangedError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s cannot be read again: %v", e.File, e.Err)
	}
	return e.File + " changed while the site was built"
}

func (e *ChangedError) Unwrap() error { return e.Err }

// Text is the page's whole file as it was parsed: byte order mark removed,
// line ends normalised; offsets in the page's facts and trees index it. A
// page made without a file (a generated one) has none. After Release the
// file is read again and kept; an error is a *ChangedError.
func (p *Page) Text() ([]byte, error) {
	p.src.mu.Lock()
	defer p.src.mu.Unlock()
	if err := p.src.load(p.File); err != nil {
		return nil, err
	}
	return p.src.text, nil
}

// Tree is the body's shortcode tree; its Src is Text. After Release the
// file is read and parsed again and kept; an error is a *ChangedError.
func (p *Page) Tree() (*shortcode.Doc, error) {
	p.src.mu.Lock()
	defer p.src.mu.Unlock()
	s := &p.src
	if err := s.load(p.File); err != nil || s.tree != nil || !s.released {
		return s.tree, err
	}
	// The same text parsed without error when the page was loaded.
	tree, err := shortcode.Parse(p.File, s.text, s.bodyStart, s.from.opt)
	if err != nil {
		return nil, err
	}
	s.tree = tree
	return tree, nil
}

// FrontMatter is the file up to its body: the front matter block with its
// delimiters (nothing when the file has none). Release keeps it.
func (p *Page) FrontMatter() []byte { return p.src.head }

// Release lets go of the page's text and body tree, to be read again from
// its file when asked (see Text and Tree). It is for a build that renders
// each page once and keeps no site for later changes: serve's engine keeps
// them. It reports whether the page can be released: one not read from a
// file system keeps them.
func (p *Page) Release() bool {
	p.src.mu.Lock()
	defer p.src.mu.Unlock()
	s := &p.src
	if s.from == nil {
		return false
	}
	if s.text != nil {
		s.size, s.sum = len(s.text), maphash.Bytes(seed, s.text)
	}
	s.text, s.tree, s.released = nil, nil, true
	return true
}

// load reads a released page's file again, once; it must be the one the
// page was rendered from.
func (s *source) load(file string) error {
	if s.text != nil || !s.released {
		return nil
	}
	if s.err != nil {
		return s.err
	}
	data, err := fs.ReadFile(s.from.fsys, file)
	if err != nil {
		s.err = &ChangedError{File: file, Err: err}
		return s.err
	}
	text := Normalize(data)
	if len(text) != s.size || maphash.Bytes(seed, text) != s.sum {
		s.err = &ChangedError{File: file}
		return s.err
	}
	s.text = text
	return nil
}

// bodySummary is what the checks read of a body instead of its tree: whether
// it is white space alone, and the names of the variables it uses.
func bodySummary(d *shortcode.Doc) (blank bool, vars []string) {
	blank = true
	var walk func(nodes []shortcode.Node)
	walk = func(nodes []shortcode.Node) {
		for _, n := range nodes {
			switch n := n.(type) {
			case shortcode.Text:
				blank = blank && len(bytes.TrimSpace(d.Src[n.Start:n.End])) == 0
			case shortcode.Literal:
				blank = false
			case *shortcode.Call:
				blank = false
				if n.Kind == shortcode.Variable {
					if i, found := slices.BinarySearch(vars, n.Name); !found {
						vars = slices.Insert(vars, i, n.Name)
					}
				}
				walk(n.Children)
			}
		}
	}
	walk(d.Nodes)
	return blank, vars
}
