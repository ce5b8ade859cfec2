package search

import (
	"fmt"
	"hash/crc32"
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
const Format = 1

// Dir is the folder of the index inside a region's site.
const Dir = "_search"

// Options size the files of an index.
type Options struct {
	// ChunkBytes is the size at which a chunk of the term dictionary is cut.
	ChunkBytes int
	// FragmentBytes is the size at which a group of result fragments is cut.
	FragmentBytes int
	// Workers bounds parallelism; 0 means GOMAXPROCS.
	Workers int
}

func (o Options) withDefaults() Options {
	if o.ChunkBytes <= 0 {
		o.ChunkBytes = DefaultOptions.ChunkBytes
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

// DefaultOptions keep the first results of a query on the 5,000-page corpus
// under 150 KB (see cmd/helpgen-searchbench): a reader fetches one group of
// fragments per result shown, so groups hold one or two pages' text, and
// about one chunk per term, so chunks stay small beside common terms.
var DefaultOptions = Options{ChunkBytes: 8 << 10, FragmentBytes: 3 << 10}

// Index holds the postings of a region's pages, built in parts over
// consecutive ranges of documents, one part per worker.
type Index struct {
	opt   Options
	docs  []*Doc
	parts []*part
	terms []term // sorted by text
	keep  *keep  // buffers to reuse, nil for an index of its own
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
	posts, last         []uint64
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
	// in its low half, so that one load finds both.
	posts  []uint64
	last   []uint64
	sorted []uint32 // the low half of each posting: the term is its position
	start  []uint32 // term id → its postings in sorted: [start[id], start[id+1])
	// frags holds the part's fragment groups, each a JSON array of its
	// pages' fragments, one after the other; groupEnd[g] ends group g.
	frags    []byte
	groups   []int // first document of each group
	groupEnd []int
	doc      uint32 // the page being indexed
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
	return newIndex(docs, opt, nil)
}

// newIndex is NewIndex reusing what k keeps, when not nil.
func newIndex(docs []*Doc, opt Options, k *keep) (*Index, error) {
	if len(docs) >= maxDocs {
		return nil, fmt.Errorf("search: %d pages in one region; the index holds at most %d", len(docs), maxDocs-1)
	}
	opt = opt.withDefaults()
	// Fragment groups are cut by the size of the pages' text, so they do
	// not depend on the number of workers; each worker takes whole groups
	// and writes them straight into the files' bytes.
	var starts []int
	size := 0
	for i, d := range docs {
		if size == 0 {
			starts = append(starts, i)
		}
		if size += d.size(); size >= opt.FragmentBytes {
			size = 0
		}
	}
	workers := max(1, min(opt.Workers, len(docs)/64))
	ix := &Index{docs: docs, opt: opt, keep: k}
	var wg sync.WaitGroup
	for w := range workers {
		g0, g1 := len(starts)*w/workers, len(starts)*(w+1)/workers
		if g0 == g1 {
			continue
		}
		end := len(docs)
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
		p := &part{first: starts[g0], end: end, groups: starts[g0:g1], w: wk}
		ix.parts = append(ix.parts, p)
		wg.Go(p.run(docs))
	}
	wg.Wait()
	for _, p := range ix.parts {
		if len(p.w.keys) >= maxTerms {
			return nil, fmt.Errorf("search: more than %d distinct terms in one region", maxTerms)
		}
	}
	ix.merge()
	return ix, nil
}

func (p *part) run(docs []*Doc) func() {
	return func() {
		// Sized from the text up front: growing these large buffers
		// would copy them again and again.
		size := 0
		for _, d := range docs[p.first:p.end] {
			size += d.size()
		}
		w := p.w
		p.frags = grow(w.frags, size)
		// About one posting per 7.5 bytes of text on the corpus; a
		// smaller guess grows once, a larger one is allocated for nothing.
		p.posts = grow(w.posts, size/7)
		p.last = zeroed(w.last, len(w.keys))
		g := 0
		for i := p.first; i < p.end; i++ {
			if g < len(p.groups) && p.groups[g] == i {
				if g > 0 {
					p.frags = append(p.frags, ']')
					p.groupEnd = append(p.groupEnd, len(p.frags))
				}
				p.frags = append(p.frags, '[')
				g++
			} else {
				p.frags = append(p.frags, ',')
			}
			p.doc = uint32(i)
			p.appendDoc(docs[i])
		}
		p.frags = append(p.frags, ']')
		p.groupEnd = append(p.groupEnd, len(p.frags))
		p.group()
		w.frags, w.posts, w.last = p.frags, p.posts, p.last
		p.posts, p.last = nil, nil
	}
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
	last, posts := p.last, p.posts
	for _, id := range ids {
		if l := last[id]; uint32(l>>32) == doc+1 {
			posts[uint32(l)] |= bits
			continue
		}
		last[id] = uint64(doc+1)<<32 | uint64(len(posts))
		posts = append(posts, pack(id, doc, uint32(bits)))
	}
	p.posts = posts
	return fast, plain
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
	for _, x := range p.posts {
		p.start[x>>32+1]++
	}
	for i := 1; i < len(p.start); i++ {
		p.start[i] += p.start[i-1]
	}
	next := append(grow(w.fill, n), p.start[:n]...)
	p.sorted = grow(w.sorted, len(p.posts))[:len(p.posts)]
	for _, x := range p.posts {
		t := x >> 32
		p.sorted[next[t]] = uint32(x)
		next[t]++
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

// entrySize estimates the bytes of a term's entry in a chunk: its text and
// about three digits a posting.
func (ix *Index) entrySize(t *term) int {
	n := len(t.text) + 4
	for _, r := range t.refs {
		p := ix.parts[r.part]
		n += 3 * int(p.start[r.id+1]-p.start[r.id])
	}
	return n
}

// appendPostings writes a term's postings from every part in document order.
func (ix *Index) appendPostings(b []byte, t *term) []byte {
	last := uint32(0)
	for _, r := range t.refs {
		p := ix.parts[r.part]
		for _, x := range p.sorted[p.start[r.id]:p.start[r.id+1]] {
			doc := x >> (sectionBits + fieldBits)
			b = appendVarint(b, doc-last)
			b = appendVarint(b, x>>fieldBits&(1<<sectionBits-1)<<fieldBits|fieldCode[x&(1<<fieldBits-1)])
			last = doc
		}
	}
	return b
}

// Docs is the number of documents indexed.
func (ix *Index) Docs() int { return len(ix.docs) }

// Terms is the number of distinct terms.
func (ix *Index) Terms() int { return len(ix.terms) }

// File is one file of a written index, path relative to the region root.
type File struct {
	Path string
	Data []byte
}

// Files encodes the index: the manifest, the chunks of the dictionary and
// the groups of fragments. Chunks and groups live in a folder named by a
// checksum of them all, so a reader never mixes files of two builds; only
// the manifest keeps its name.
func (ix *Index) Files() []File {
	opt := ix.opt
	var chunks, groups [][]byte
	var firsts []string
	// Every chunk is written into one buffer, ends[i] ending chunk i: a
	// term's entry is "TERM","POSTINGS", and a posting takes about three
	// digits.
	size := 0
	for i := range ix.terms {
		size += ix.entrySize(&ix.terms[i]) + 4
	}
	var all []byte
	if ix.keep != nil {
		all = ix.keep.chunks[:0]
	}
	all = grow(all, size+size/8+64)
	var ends []int
	from := -1
	for i := range ix.terms {
		// A term whose postings would take the open chunk past its size
		// starts a chunk of its own, so that a query reading a common
		// term does not also download the rare terms beside it.
		if from >= 0 && len(all)-from+ix.entrySize(&ix.terms[i]) > opt.ChunkBytes {
			all = append(all, "]}"...)
			ends = append(ends, len(all))
			from = -1
		}
		if from < 0 {
			from = len(all)
			firsts = append(firsts, ix.terms[i].text)
			all = append(all, `{"t":[`...)
		} else {
			all = append(all, ',')
		}
		all = appendString(all, ix.terms[i].text)
		all = append(all, ',', '"')
		all = ix.appendPostings(all, &ix.terms[i])
		all = append(all, '"')
		if len(all)-from >= opt.ChunkBytes || i == len(ix.terms)-1 {
			all = append(all, "]}"...)
			ends = append(ends, len(all))
			from = -1
		}
	}
	if ix.keep != nil {
		ix.keep.chunks = all
	}
	from = 0
	for _, end := range ends {
		chunks = append(chunks, all[from:end:end])
		from = end
	}
	var starts []byte // first document of each group, as differences
	prev := 0
	for _, p := range ix.parts {
		from := 0
		for g, end := range p.groupEnd {
			starts = appendVarint(starts, uint32(p.groups[g]-prev))
			prev = p.groups[g]
			groups = append(groups, p.frags[from:end:end])
			from = end
		}
	}
	sum := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	for _, b := range append(slices.Clip(chunks), groups...) {
		sum.Write(b)
		sum.Write([]byte{0})
	}
	version := fmt.Sprintf("%08x", sum.Sum32())

	m := fmt.Appendf(nil, `{"v":%d,"n":%d,"h":"%s","c":[`, Format, len(ix.docs), version)
	for i, f := range firsts {
		if i > 0 {
			m = append(m, ',')
		}
		m = appendString(m, f)
	}
	m = append(m, `],"f":"`...)
	m = append(m, starts...)
	m = append(m, `"}`...)
	files := []File{{Path: Dir + "/manifest.json", Data: m}}
	for i, c := range chunks {
		files = append(files, File{Path: fmt.Sprintf("%s/%s/c/%d.json", Dir, version, i), Data: c})
	}
	for i, g := range groups {
		files = append(files, File{Path: fmt.Sprintf("%s/%s/f/%d.json", Dir, version, i), Data: g})
	}
	return files
}

// The postings of a term are written as a string of base-64 digits: each
// number in groups of five bits, low bits first, a digit ≥ 32 meaning more
// groups follow. A posting is two numbers: the page (the first absolute,
// then the difference from the previous one), and the sections (see
// sectionBits) × 64 + the fields the term is in, renumbered so that the
// common ones are small: body 1, heading 2, title 4, description 8, URL 16,
// id 32. A posting is three digits unless it is far from the previous page
// or in one of the page's later sections.
const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// fieldCode and fieldOf translate between the field bits and the written
// numbers.
var fieldCode, fieldOf = func() (code, of [1 << fieldBits]uint32) {
	order := []uint32{FieldBody, FieldHeading, FieldTitle, FieldDescription, FieldURL, FieldID}
	for m := range uint32(1 << fieldBits) {
		c := uint32(0)
		for i, f := range order {
			if m&f != 0 {
				c |= 1 << i
			}
		}
		code[m], of[c] = c, m
	}
	return
}()

func appendVarint(b []byte, v uint32) []byte {
	for v >= 32 {
		b = append(b, digits[32|v&31])
		v >>= 5
	}
	return append(b, digits[v])
}

var digitValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := range len(digits) {
		t[digits[i]] = int8(i)
	}
	return t
}()

// readVarint decodes the number at the start of b and its length.
func readVarint(b []byte) (uint32, int) {
	var v uint32
	for i, shift := 0, 0; i < len(b); i, shift = i+1, shift+5 {
		d := digitValue[b[i]]
		v |= uint32(d&31) << shift
		if d < 32 {
			return v, i + 1
		}
	}
	return v, len(b)
}

// DecodePostings reverses the encoding into pairs (page,
// sections<<6 | fields).
func DecodePostings(s string) ([]uint32, error) {
	var out []uint32
	var v, shift uint32
	doc := uint32(0)
	for i := 0; i < len(s); i++ {
		d := digitValue[s[i]]
		if d < 0 || shift > 30 {
			return nil, fmt.Errorf("bad postings at %d", i)
		}
		v |= uint32(d&31) << shift
		shift += 5
		if d >= 32 {
			continue
		}
		if len(out)%2 == 0 {
			doc += v
			out = append(out, doc)
		} else {
			if v >= 1<<(sectionBits+fieldBits) {
				return nil, fmt.Errorf("bad fields at %d", i)
			}
			out = append(out, v>>fieldBits<<fieldBits|fieldOf[v&(1<<fieldBits-1)])
		}
		v, shift = 0, 0
	}
	if shift != 0 || len(out)%2 != 0 {
		return nil, fmt.Errorf("truncated postings")
	}
	return out, nil
}

// DecodeStarts reverses the manifest's list of first documents.
func DecodeStarts(s string) ([]int, error) {
	var out []int
	prev := 0
	for len(s) > 0 {
		v, n := readVarint([]byte(s))
		if digitValue[s[n-1]] < 0 || digitValue[s[n-1]] >= 32 {
			return nil, fmt.Errorf("bad fragment starts")
		}
		prev += int(v)
		out = append(out, prev)
		s = s[n:]
	}
	return out, nil
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
