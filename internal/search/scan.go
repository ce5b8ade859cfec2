package search

import (
	"encoding/binary"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Indexing a region's text is dominated by normalization and term lookup,
// so the indexer avoids both where it can: text made only of characters
// that NFKC leaves alone (or maps to one character) is folded one rune at a
// time through a table, and CJK pairs are looked up as numbers, not strings.
// The result is exactly that of Normalize then Terms (tested exhaustively
// for the table and by fuzzing for text).

// A fast entry holds the folded rune in its low 21 bits and its Kind above;
// zero means the rune needs the full normalization.
const (
	fastKindShift = 24
	fastOK        = 1 << 31
)

var (
	fastOnce  sync.Once
	fastTable []uint32 // indexed by rune, for runes below len(fastTable)
)

// fastRanges are where help text spends its characters: ASCII, CJK
// punctuation and kana, unified ideographs, Hangul syllables, full-width
// forms.
var fastRanges = [][2]rune{{0, 0x7f}, {0x3000, 0x30ff}, {0x4e00, 0x9fff}, {0xac00, 0xd7a3}, {0xff00, 0xffef}}

func buildFastTable() {
	fastTable = make([]uint32, 0x10000)
	for _, rg := range fastRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			s := string(r)
			p := norm.NFKC.PropertiesString(s)
			// A rune that may combine with a neighbour must go through
			// the full normalization together with it.
			if p.CCC() != 0 || !p.BoundaryBefore() {
				continue
			}
			n := Normalize(s)
			m, w := utf8.DecodeRuneInString(n)
			if w != len(n) || m == utf8.RuneError {
				continue
			}
			if q := norm.NFKC.PropertiesString(n); q.CCC() != 0 || !q.BoundaryBefore() {
				continue
			}
			fastTable[r] = fastOK | uint32(KindOf(m))<<fastKindShift | uint32(m)
		}
	}
}

// termSink receives the terms of a text: a pair of CJK runes (b < 0 for
// the last character of a run alone) or a word, whose bytes are only valid during the
// call.
type termSink interface {
	pair(a, b rune)
	word(w []byte)
}

// scanTerms feeds sink the terms of raw (not yet normalized) text, the
// same as Terms(Normalize(raw)), and reports whether raw took the fast
// path (then it is valid UTF-8, ASCII and fast-table runes only) and
// whether it also has nothing JSON must escape, so that the fragment
// writer can copy it without another pass.
func scanTerms(raw string, buf []byte, sink termSink) (_ []byte, fast, plain bool) {
	fastOnce.Do(buildFastTable)
	if !allFast(raw) {
		sc := scanner{sink: sink, word: buf[:0], prev: -1}
		for _, r := range Normalize(raw) {
			sc.feed(r, KindOf(r))
		}
		sc.feed(' ', Sep)
		return sc.word, false, false
	}
	plain = true
	// The scanner below, written out: this loop runs for every character
	// of every page of every region.
	tbl := fastTable
	word, nword := buf[:0], 0
	prev, run := rune(-1), 0
	for i := 0; i < len(raw); {
		var r rune
		if c := raw[i]; c < utf8.RuneSelf {
			r = rune(c)
			i++
		} else {
			r = rune(c&0x0f)<<12 | rune(raw[i+1]&0x3f)<<6 | rune(raw[i+2]&0x3f)
			i += 3
		}
		e := tbl[r]
		k := Kind(e >> fastKindShift & 0x7f)
		r = rune(e & 0x1fffff)
		if k == CJK {
			if len(word) > 0 {
				sink.word(word)
				word, nword = word[:0], 0
			}
			if run > 0 {
				sink.pair(prev, r)
			}
			prev = r
			run++
			continue
		}
		if run > 0 {
			sink.pair(prev, -1)
			run = 0
		}
		if k == Word {
			if nword < MaxWord {
				word = utf8.AppendRune(word, r)
			}
			nword++
			continue
		}
		// Only separators need JSON escaping: controls, '"' and '\\'.
		if r < 0x20 || r == '"' || r == '\\' {
			plain = false
		}
		if len(word) > 0 {
			sink.word(word)
			word, nword = word[:0], 0
		}
	}
	if run > 0 {
		sink.pair(prev, -1)
	}
	if len(word) > 0 {
		sink.word(word)
	}
	return word, true, plain
}

// allFast reports whether every rune of s is in the fast table: ASCII or
// a well-formed three-byte sequence with an entry.
func allFast(s string) bool {
	tbl := fastTable
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			// Runs of ASCII are skipped eight bytes at a time.
			for i+8 <= len(s) && binary.LittleEndian.Uint64([]byte(s[i:i+8]))&0x8080808080808080 == 0 {
				i += 8
			}
			continue
		}
		if c&0xf0 != 0xe0 || i+2 >= len(s) {
			return false
		}
		c1, c2 := s[i+1], s[i+2]
		if c1&0xc0 != 0x80 || c2&0xc0 != 0x80 {
			return false
		}
		r := rune(c&0x0f)<<12 | rune(c1&0x3f)<<6 | rune(c2&0x3f)
		if r < 0x800 || tbl[r] == 0 {
			return false // overlong (invalid) or needs normalization
		}
		i += 3
	}
	return true
}

// scanner turns classified runes into terms.
type scanner struct {
	sink  termSink
	word  []byte
	nword int
	prev  rune // last character of the current CJK run
	run   int  // characters in the current CJK run
}

func (sc *scanner) feed(r rune, k Kind) {
	if k != CJK && sc.run > 0 {
		sc.sink.pair(sc.prev, -1)
		sc.prev, sc.run = -1, 0
	}
	if k != Word && len(sc.word) > 0 {
		sc.sink.word(sc.word)
		sc.word, sc.nword = sc.word[:0], 0
	}
	switch k {
	case CJK:
		if sc.run > 0 {
			sc.sink.pair(sc.prev, r)
		}
		sc.prev = r
		sc.run++
	case Word:
		if sc.nword < MaxWord {
			sc.word = utf8.AppendRune(sc.word, r)
		}
		sc.nword++
	}
}

// pairKey packs a CJK pair, or a single character (b < 0), into a number.
func pairKey(a, b rune) uint64 {
	if b < 0 {
		return uint64(a)<<21 | 0x1fffff
	}
	return uint64(a)<<21 | uint64(b)
}

// pairString is the term a pair key stands for.
func pairString(k uint64) string {
	a, b := rune(k>>21), rune(k&0x1fffff)
	if b == 0x1fffff {
		return string(a)
	}
	return string([]rune{a, b})
}

// pairTable maps pair keys (never 0) to term ids by open addressing; it
// is several times faster than a map for the hottest lookup of indexing.
type pairTable struct {
	keys  []uint64
	vals  []int32
	n     int
	shift uint
}

func newPairTable(size int) pairTable {
	shift := uint(64)
	for n := 1; n < size; n <<= 1 {
		shift--
	}
	return pairTable{keys: make([]uint64, 1<<(64-shift)), vals: make([]int32, 1<<(64-shift)), shift: shift}
}

// find returns the slot holding k, or the empty slot where it belongs.
func (t *pairTable) find(k uint64) int {
	mask := len(t.keys) - 1
	i := int((k * 0x9e3779b97f4a7c15) >> t.shift)
	for t.keys[i] != 0 && t.keys[i] != k {
		i = (i + 1) & mask
	}
	return i
}

// insert puts k at an empty slot found by find, growing the table at half full.
func (t *pairTable) insert(slot int, k uint64, v int32) {
	t.keys[slot], t.vals[slot] = k, v
	t.n++
	if t.n*2 < len(t.keys) {
		return
	}
	old := *t
	*t = newPairTable(len(old.keys) * 2)
	for i, k := range old.keys {
		if k != 0 {
			j := t.find(k)
			t.keys[j], t.vals[j] = k, old.vals[i]
			t.n++
		}
	}
}
