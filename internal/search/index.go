package search

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/helpgen/helpgen/internal/content"
)

// Doc is one page of a region as the index sees it.
type Doc struct {
	URL         string
	Title       string
	Description string
	IDs         []string  // article ids from the page's aliases (040150)
	Sections    []Section // [0] is the top of the page, before any heading
}

// Section is the text under one heading; ID is the heading's anchor.
type Section struct {
	ID, Heading, Text string
}

// Fields a term was found in, as bits of a posting. Title, description, URL
// and ids belong to section 0.
const (
	FieldTitle = 1 << iota
	FieldHeading
	FieldBody
	FieldDescription
	FieldURL
	FieldID
	fieldBits = iota
)

// Format is the version of the files; search.js refuses any other.
const Format = 2

// Dir is the folder of the index inside a region's site.
const Dir = "_search"

// Options size the files of an index.
type Options struct {
	// ChunkBytes is the size at which a chunk of the term dictionary is cut.
	ChunkBytes int
	// ListBytes is the length over which a term's postings are kept in a
	// file of their own, shared by the terms with the same postings.
	ListBytes int
	// FragmentBytes is about the size of a group of result fragments:
	// groups hold a fixed number of pages, as many as fit on average.
	FragmentBytes int
	// Workers bounds parallelism; 0 means GOMAXPROCS.
	Workers int
}

func (o Options) withDefaults() Options {
	if o.ChunkBytes <= 0 {
		o.ChunkBytes = DefaultOptions.ChunkBytes
	}
	if o.ListBytes <= 0 {
		o.ListBytes = DefaultOptions.ListBytes
	}
	if o.FragmentBytes <= 0 {
		o.FragmentBytes = DefaultOptions.FragmentBytes
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// size estimates the bytes of a page's fragment.
func (d *Doc) size() int {
	n := 48 + len(d.URL) + len(d.Title) + len(d.Description)
	for _, id := range d.IDs {
		n += 3 + len(id)
	}
	for _, s := range d.Sections {
		n += 10 + len(s.ID) + len(s.Heading) + len(s.Text)
	}
	return n
}

// DefaultOptions keep the first results of a query on 5,000 and 20,000
// real-sized pages under 150 and 200 KB (see cmd/helpgen-searchbench): a
// reader fetches one group of fragments per result shown, so groups hold
// one or two pages' text; one small chunk of the dictionary per term; and
// the postings of the terms that have many, once for all terms that share
// them.
var DefaultOptions = Options{ChunkBytes: 4 << 10, ListBytes: 512, FragmentBytes: 3 << 10}

// Index holds the postings of a region's pages, built in parts over
// consecutive ranges of documents, one part per worker.
type Index struct {
	opt      Options
	perGroup int // pages a fragment group holds
	n        int // documents
	parts    []*part
	terms    []term // sorted by text
	// version names the folder of the files: a checksum of what they
	// are made of (see versionOf).
	version string
	keep    *keep // buffers to reuse, nil for an index of its own
}

// keep is what a Writer carries from one region to the next of a build:
// the regions are mostly the same text, so each indexing goroutine keeps
// its dictionary of terms (each then hashed and spelled once) and every
// large buffer (so they are not allocated and collected once per region).
// The files of a region's index are only valid until the next one is built.
type keep struct {
	workers []*worker
	chunks  []byte
	global  map[string]int32
	terms   []term
}

// worker is one indexing goroutine's dictionary and buffers.
type worker struct {
	pairs pairTable
	words map[string]int32
	keys  []uint64 // term id → pair key; words have 0
	texts []string // term id → term; pairs are spelled when first merged
	list  termList
	ids   []uint32 // of list
	// buffers of part
	blocks              [][]uint64 // of postings, reused in order
	last                []uint64
	sorted, start, fill []uint32
	frags               []byte
}

func newWorker() *worker {
	return &worker{pairs: newPairTable(1 << 12), words: make(map[string]int32, 1<<10)}
}

// text returns the term of id.
func (w *worker) text(id int) string {
	if w.texts[id] == "" {
		w.texts[id] = pairString(w.keys[id])
	}
	return w.texts[id]
}

// grow returns b emptied, with room for n. A new buffer has room for half
// as much again, so that the next regions fit (on the corpus the largest
// region has a third more text than the smallest, which comes first).
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, 0, n+n/2)
	}
	return b[:0]
}

// zeroed returns b with length n, all zero.
func zeroed[T uint32 | uint64](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n, n+n/4)
	}
	b = b[:n]
	clear(b)
	return b
}

// term is one distinct term and where each part keeps its postings.
type term struct {
	text string
	refs []termRef // in part order, so documents increase
}

type termRef struct{ part, id int32 }

// part indexes documents [first, end), with the dictionary and buffers of
// its worker.
type part struct {
	first, end int
	w          *worker
	// Postings are appended as they are found, packed into one number
	// each (see pack), then grouped by term in sorted. A term found again
	// in the same page only gains a field bit: last[id] holds 1 + the
	// page of its last posting in its high half and where that posting is
	// in its low half, so that one load finds both. The postings are kept
	// in blocks of a fixed size, so that none is allocated for nothing
	// and none is copied to grow.
	blocks [][]uint64
	n      int // postings in blocks
	last   []uint64
	sorted []uint32 // the low half of each posting: the term is its position
	start  []uint32 // term id → its postings in sorted: [start[id], start[id+1])
	// frags holds the part's fragment groups, each a JSON array of its
	// pages' fragments, one after the other; groupEnd[g] ends group g.
	// With a sink, frags holds only the open group: each is handed to the
	// sink when complete, as group firstGroup+written.
	frags      []byte
	groups     []int // first document of each group
	groupEnd   []int
	doc        uint32 // the page being indexed
	sink       Sink
	version    string
	firstGroup int
	written    int
	fragBytes  int
	err        error // the sink's first error
}

// Sink receives a file of an index (path relative to the region root) as
// soon as it is complete; data is only valid during the call. It may be
// called from several goroutines at once.
type Sink func(rel string, data []byte) error

// limitError is an input too large for the index.
type limitError string

func (e limitError) Error() string { return string(e) }

func tooManyDocs(n int) error {
	return limitError(fmt.Sprintf("search: %d pages in one region; the index holds at most %d", n, maxDocs-1))
}

// Limits of the packed postings; NewIndex refuses larger inputs.
const (
	maxDocs  = 1 << 20
	maxTerms = 1 << 31
)

// A posting also records which sections of the page hold the term, as
// bits: section s sets bit s mod sectionBits. A query for a CJK phrase
// needs all its pairs in one section, which keeps pages that merely hold
// the pairs far apart out of the candidates.
const sectionBits = 6

// pack puts a posting into one number: term (32 bits), document (20),
// sections (6), fields (6). Sorting by it groups by term, then document.
func pack(term, doc, bits uint32) uint64 {
	return uint64(term)<<32 | uint64(doc)<<(sectionBits+fieldBits) | uint64(bits)
}

// NewIndex indexes docs, numbered in order, on up to opt.Workers
// goroutines.
func NewIndex(docs []*Doc, opt Options) (*Index, error) {
	return newIndex(memDocs(docs), opt, nil, nil)
}

// newIndex is NewIndex reusing what k keeps, when not nil, and handing the
// groups of fragments to out as they are written, when not nil, instead
// of keeping them for Files: they are most of an index's bytes.
func newIndex(src docSource, opt Options, k *keep, out Sink) (*Index, error) {
	n := src.count()
	if n >= maxDocs {
		return nil, tooManyDocs(n)
	}
	opt = opt.withDefaults()
	// Fragment groups hold a fixed number of pages, so that a reader finds
	// a page's group without a table, and do not depend on the number of
	// workers; each worker takes whole groups and writes them straight
	// into the files' bytes.
	size := 0
	for i := range n {
		size += src.size(i)
	}
	perGroup := 1
	if size > 0 {
		perGroup = max(1, (opt.FragmentBytes*n+size/2)/size)
	}
	var starts []int
	for i := 0; i < n; i += perGroup {
		starts = append(starts, i)
	}
	workers := max(1, min(opt.Workers, n/64))
	version, err := versionOf(src, opt, perGroup)
	if err != nil {
		return nil, err
	}
	ix := &Index{n: n, opt: opt, keep: k, perGroup: perGroup, version: version}
	var wg sync.WaitGroup
	for w := range workers {
		g0, g1 := len(starts)*w/workers, len(starts)*(w+1)/workers
		if g0 == g1 {
			continue
		}
		end := n
		if g1 < len(starts) {
			end = starts[g1]
		}
		var wk *worker
		if k != nil {
			for len(k.workers) <= w {
				k.workers = append(k.workers, newWorker())
			}
			wk = k.workers[w]
		} else {
			wk = newWorker()
		}
		p := &part{first: starts[g0], end: end, groups: starts[g0:g1], w: wk,
			sink: out, version: ix.version, firstGroup: g0, fragBytes: opt.FragmentBytes}
		ix.parts = append(ix.parts, p)
		wg.Go(p.run(src))
	}
	wg.Wait()
	for _, p := range ix.parts {
		if p.err != nil {
			return nil, p.err
		}
		if len(p.w.keys) >= maxTerms {
			return nil, limitError(fmt.Sprintf("search: more than %d distinct terms in one region", maxTerms))
		}
	}
	ix.merge()
	return ix, nil
}

// run indexes the part's documents, read one at a time from src; a
// document that cannot be read ends it with the error.
func (p *part) run(src docSource) func() {
	return func() {
		// With a sink, frags holds one group at a time; without, all of
		// them, sized from the text up front: growing a large buffer would
		// copy it again and again.
		size := 2 * p.fragBytes
		if p.sink == nil {
			size = 0
			for i := p.first; i < p.end; i++ {
				size += src.size(i)
			}
		}
		w := p.w
		p.frags = grow(w.frags, size)
		p.last = zeroed(w.last, len(w.keys))
		g := 0
		var scratch docScratch
		for i := p.first; i < p.end; i++ {
			d, err := src.doc(i, &scratch)
			if err != nil {
				p.err = err
				return
			}
			if g < len(p.groups) && p.groups[g] == i {
				if g > 0 {
					p.endGroup()
				}
				p.frags = append(p.frags, '[')
				g++
			} else {
				p.frags = append(p.frags, ',')
			}
			p.doc = uint32(i)
			p.appendDoc(d)
		}
		p.endGroup()
		p.group()
		if len(p.blocks) > len(w.blocks) {
			w.blocks = p.blocks
		}
		w.frags, w.last = p.frags, p.last
		p.blocks, p.last = nil, nil
	}
}

// endGroup closes the open group of fragments and hands it to the sink,
// if there is one.
func (p *part) endGroup() {
	p.frags = append(p.frags, ']')
	if p.sink == nil {
		p.groupEnd = append(p.groupEnd, len(p.frags))
		return
	}
	if p.err == nil {
		p.err = p.sink(fragmentPath(p.version, p.firstGroup+p.written), p.frags)
	}
	p.written++
	p.frags = p.frags[:0]
}

// appendDoc indexes a page and writes its fragment in the same pass:
// {"t":TITLE,"d":DESC,"u":URL,"a":[IDS],"s":[[ID,HEADING,TEXT],…]}.
func (p *part) appendDoc(d *Doc) {
	p.frags = append(p.frags, `{"t":`...)
	p.text(0, FieldTitle, d.Title)
	if d.Description != "" {
		p.frags = append(p.frags, `,"d":`...)
		p.text(0, FieldDescription, d.Description)
	}
	p.frags = append(p.frags, `,"u":`...)
	p.frags = appendString(p.frags, d.URL)
	p.index(0, FieldURL, urlText(d.URL))
	if len(d.IDs) > 0 {
		p.frags = append(p.frags, `,"a":[`...)
		for i, id := range d.IDs {
			if i > 0 {
				p.frags = append(p.frags, ',')
			}
			p.text(0, FieldID, id)
		}
		p.frags = append(p.frags, ']')
	}
	p.frags = append(p.frags, `,"s":[`...)
	for i, sec := range d.Sections {
		if i > 0 {
			p.frags = append(p.frags, ',')
		}
		p.frags = append(p.frags, '[')
		p.frags = appendString(p.frags, sec.ID)
		p.frags = append(p.frags, ',')
		p.text(i, FieldHeading, sec.Heading)
		p.frags = append(p.frags, ',')
		p.text(i, FieldBody, sec.Text)
		p.frags = append(p.frags, ']')
	}
	p.frags = append(p.frags, "]}"...)
}

// index adds the terms of raw, found in field of section sec, and reports
// whether raw took the fast path (so it is valid UTF-8 with nothing to
// escape but ASCII) and whether it has nothing to escape at all.
func (p *part) index(sec int, field uint32, raw string) (fast, plain bool) {
	if raw == "" {
		return true, true
	}
	w := p.w
	fast, plain = scanTerms(raw, &w.list)
	// Terms become ids first, since a new term grows last; the
	// postings are then added with everything in registers.
	ids := w.ids[:0]
	for _, k := range w.list.keys {
		if k&wordBit != 0 {
			ids = append(ids, p.word(w.list.word(k)))
		} else {
			ids = append(ids, p.pair(k))
		}
	}
	w.ids = ids
	bits := uint64(1<<(fieldBits+sec%sectionBits) | field)
	doc := p.doc
	last := p.last
	for _, id := range ids {
		if l := last[id]; uint32(l>>32) == doc+1 {
			i := uint32(l)
			p.blocks[i>>blockShift][i&(blockLen-1)] |= bits
			continue
		}
		if p.n&(blockLen-1) == 0 {
			p.newBlock()
		}
		last[id] = uint64(doc+1)<<32 | uint64(p.n)
		p.blocks[p.n>>blockShift][p.n&(blockLen-1)] = pack(id, doc, uint32(bits))
		p.n++
	}
	return fast, plain
}

// Postings are kept in blocks of blockLen.
const (
	blockShift = 16
	blockLen   = 1 << blockShift
)

// newBlock adds a block of postings, the worker's next one if it has it.
func (p *part) newBlock() {
	if b := len(p.blocks); b < len(p.w.blocks) {
		p.blocks = append(p.blocks, p.w.blocks[b])
	} else {
		p.blocks = append(p.blocks, make([]uint64, blockLen))
	}
}

// posts returns the postings of block b.
func (p *part) posts(b int) []uint64 {
	return p.blocks[b][:min(blockLen, p.n-b<<blockShift)]
}

// text indexes raw and writes it to the fragment as a JSON string.
func (p *part) text(sec int, field uint32, raw string) {
	switch fast, plain := p.index(sec, field, raw); {
	case plain:
		p.frags = append(append(append(p.frags, '"'), raw...), '"')
	case fast:
		p.frags = appendASCIIEscaped(p.frags, raw)
	default:
		p.frags = appendString(p.frags, raw)
	}
}

// pair returns the id of the pair key k.
func (p *part) pair(k uint64) uint32 {
	t := &p.w.pairs
	slot := t.find(k)
	if t.slots[slot].key == 0 {
		id := p.newTerm(k, "")
		t.insert(slot, k, id)
		return uint32(id)
	}
	return uint32(t.slots[slot].val)
}

// word returns the id of word b.
func (p *part) word(b []byte) uint32 {
	id, ok := p.w.words[string(b)]
	if !ok {
		s := string(b)
		id = p.newTerm(0, s)
		p.w.words[s] = id
	}
	return uint32(id)
}

func (p *part) newTerm(key uint64, text string) int32 {
	w := p.w
	w.keys = append(w.keys, key)
	w.texts = append(w.texts, text)
	p.last = append(p.last, 0)
	return int32(len(w.keys) - 1)
}

// group orders the part's postings by term with a counting sort, keeping
// each term's postings in document order.
func (p *part) group() {
	w := p.w
	n := len(w.keys)
	p.start = zeroed(w.start, n+1)
	for b := range p.blocks {
		for _, x := range p.posts(b) {
			p.start[x>>32+1]++
		}
	}
	for i := 1; i < len(p.start); i++ {
		p.start[i] += p.start[i-1]
	}
	next := append(grow(w.fill, n), p.start[:n]...)
	p.sorted = grow(w.sorted, p.n)[:p.n]
	for b := range p.blocks {
		for _, x := range p.posts(b) {
			t := x >> 32
			p.sorted[next[t]] = uint32(x)
			next[t]++
		}
	}
	w.start, w.fill, w.sorted = p.start, next, p.sorted
}

// merge gives every term one entry across parts and sorts them.
func (ix *Index) merge() {
	var global map[string]int32
	if ix.keep != nil && ix.keep.global != nil {
		global = ix.keep.global
		clear(global)
		ix.terms = ix.keep.terms[:0]
	} else {
		global = make(map[string]int32, 1<<14)
	}
	for pi, p := range ix.parts {
		for id := range len(p.start) - 1 {
			// A kept dictionary also holds terms only other regions use.
			if p.start[id] == p.start[id+1] {
				continue
			}
			text := p.w.text(id)
			g, ok := global[text]
			if !ok {
				g = int32(len(ix.terms))
				global[text] = g
				var refs []termRef
				if int(g) < cap(ix.terms) {
					refs = ix.terms[:g+1][g].refs[:0]
				}
				ix.terms = append(ix.terms, term{text: text, refs: refs})
			}
			ix.terms[g].refs = append(ix.terms[g].refs, termRef{int32(pi), int32(id)})
		}
	}
	slices.SortFunc(ix.terms, func(a, b term) int { return strings.Compare(a.text, b.text) })
	if ix.keep != nil {
		ix.keep.global, ix.keep.terms = global, ix.terms
	}
}

// appendASCIIEscaped writes s, valid UTF-8 without U+2028/U+2029, as a
// JSON string: only ASCII needs escaping.
func appendASCIIEscaped(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			b = append(b, s[start:i]...)
			b = appendEscape(b, c)
			start = i + 1
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, `\n`...)
	case '\t':
		return append(b, `\t`...)
	}
	return fmt.Appendf(b, `\u%04x`, c)
}

// appendString writes s as a JSON string. It escapes only what JSON
// requires, plus U+2028/U+2029, and replaces invalid UTF-8.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	valid := utf8.ValidString(s)
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0xe2 && (c < utf8.RuneSelf || valid) {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, w := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && w == 1:
				b = append(b, s[start:i]...)
				b = append(b, `\ufffd`...)
			case r == '\u2028' || r == '\u2029':
				b = append(b, s[start:i]...)
				b = fmt.Appendf(b, `\u%04x`, r)
			default:
				i += w
				continue
			}
			i += w
			start = i
			continue
		}
		b = append(b, s[start:i]...)
		b = appendEscape(b, c)
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// urlText is the part of a URL worth finding: its path words, no extension.
func urlText(u string) string {
	// The words of the path, not its escapes.
	return strings.TrimSuffix(content.PathOf(u), ".html")
}
