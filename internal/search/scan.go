package search

import (
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

// termList holds the terms of one text in the order scanTerms finds them:
// a CJK pair or a run's last character as its pairKey, a word as wordBit |
// start<<32 | end, its bytes words[start:end].
type termList struct {
	keys  []uint64
	words []byte
}

const wordBit = 1 << 63

func (t *termList) reset() { t.keys, t.words = t.keys[:0], t.words[:0] }

// word returns the bytes of the word key k.
func (t *termList) word(k uint64) []byte { return t.words[uint32(k>>32)&0x7fffffff : uint32(k)] }

// endWord ends the word that started at words[start:], if any.
func (t *termList) endWord(start int) {
	if start < len(t.words) {
		t.keys = append(t.keys, wordBit|uint64(start)<<32|uint64(len(t.words)))
	}
}

// scanTerms puts into t the terms of raw (not yet normalized) text, the
// same as Terms(Normalize(raw)), and reports whether raw took the fast
// path (then it is valid UTF-8, ASCII and fast-table runes only) and
// whether it also has nothing JSON must escape, so that the fragment
// writer can copy it without another pass.
func scanTerms(raw string, t *termList) (fast, plain bool) {
	fastOnce.Do(buildFastTable)
	t.reset()
	if plain, ok := scanFast(raw, t); ok {
		return true, plain
	}
	// A rune outside the fast table may combine with its neighbours, so
	// the whole text is normalized and scanned again from the start.
	t.reset()
	sc := scanner{t: t, prev: -1}
	for _, r := range Normalize(raw) {
		sc.feed(r, KindOf(r))
	}
	sc.feed(' ', Sep)
	return false, false
}

// scanFast is the scanner below written out for fast-table text, checking
// that the text is such as it goes: this loop runs for every character of
// every page of every region. It reports false, with t half filled, at the
// first rune that is not ASCII or a well-formed three-byte sequence with a
// fast entry.
func scanFast(raw string, t *termList) (plain, ok bool) {
	tbl := fastTable
	keys, words := t.keys, t.words
	wstart, nword := 0, 0
	wlast := rune(0) // last character of the current word
	prev, run := rune(-1), 0
	plain = true
	for i := 0; i < len(raw); {
		var e uint32
		if c := raw[i]; c < utf8.RuneSelf {
			e = tbl[c]
			i++
		} else {
			if c&0xf0 != 0xe0 || i+2 >= len(raw) {
				return false, false
			}
			c1, c2 := raw[i+1], raw[i+2]
			if c1&0xc0 != 0x80 || c2&0xc0 != 0x80 {
				return false, false
			}
			r := rune(c&0x0f)<<12 | rune(c1&0x3f)<<6 | rune(c2&0x3f)
			if e = tbl[r]; r < 0x800 || e == 0 {
				return false, false // overlong (invalid) or needs normalization
			}
			i += 3
		}
		k := Kind(e >> fastKindShift & 0x7f)
		r := rune(e & 0x1fffff)
		if k == CJK {
			if wstart < len(words) {
				keys = append(keys, wordBit|uint64(wstart)<<32|uint64(len(words)), pairKey(wlast, r))
				wstart, nword = len(words), 0
			}
			if run > 0 {
				keys = append(keys, pairKey(prev, r))
			}
			prev = r
			run++
			continue
		}
		if run > 0 {
			keys = append(keys, pairKey(prev, -1))
			if k == Word {
				keys = append(keys, pairKey(prev, r))
			}
			run = 0
		}
		if k == Word {
			if nword < MaxWord {
				words = utf8.AppendRune(words, r)
			}
			nword++
			wlast = r
			continue
		}
		// Only separators need JSON escaping: controls, '"' and '\\'.
		if r < 0x20 || r == '"' || r == '\\' {
			plain = false
		}
		if wstart < len(words) {
			keys = append(keys, wordBit|uint64(wstart)<<32|uint64(len(words)))
			wstart, nword = len(words), 0
		}
	}
	if run > 0 {
		keys = append(keys, pairKey(prev, -1))
	}
	t.keys, t.words = keys, words
	t.endWord(wstart)
	return plain, true
}

// scanner turns classified runes into terms.
type scanner struct {
	t      *termList
	wstart int // the current word is t.words[wstart:]
	nword  int
	wlast  rune // last character of the current word
	prev   rune // last character of the current CJK run
	run    int  // characters in the current CJK run
}

func (sc *scanner) feed(r rune, k Kind) {
	t := sc.t
	if k != CJK && sc.run > 0 {
		t.keys = append(t.keys, pairKey(sc.prev, -1))
		if k == Word {
			t.keys = append(t.keys, pairKey(sc.prev, r))
		}
		sc.prev, sc.run = -1, 0
	}
	if k != Word && sc.wstart < len(t.words) {
		t.endWord(sc.wstart)
		if k == CJK {
			t.keys = append(t.keys, pairKey(sc.wlast, r))
		}
		sc.wstart, sc.nword = len(t.words), 0
	}
	switch k {
	case CJK:
		if sc.run > 0 {
			t.keys = append(t.keys, pairKey(sc.prev, r))
		}
		sc.prev = r
		sc.run++
	case Word:
		if sc.nword < MaxWord {
			t.words = utf8.AppendRune(t.words, r)
		}
		sc.nword++
		sc.wlast = r
	}
}

// pairKey packs a CJK pair, the two characters where a word and a CJK run
// meet, or a single character (b < 0), into a number.
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
	slots []pairSlot
	n     int
	shift uint
}

// pairSlot keeps a key beside its id, so that a lookup touches one cache
// line.
type pairSlot struct {
	key uint64
	val int32
}

func newPairTable(size int) pairTable {
	shift := uint(64)
	for n := 1; n < size; n <<= 1 {
		shift--
	}
	return pairTable{slots: make([]pairSlot, 1<<(64-shift)), shift: shift}
}

// find returns the slot holding k, or the empty slot where it belongs.
func (t *pairTable) find(k uint64) int {
	mask := len(t.slots) - 1
	i := int((k * 0x9e3779b97f4a7c15) >> t.shift)
	for t.slots[i].key != 0 && t.slots[i].key != k {
		i = (i + 1) & mask
	}
	return i
}

// insert puts k at an empty slot found by find, growing the table at half full.
func (t *pairTable) insert(slot int, k uint64, v int32) {
	t.slots[slot] = pairSlot{k, v}
	t.n++
	if t.n*2 < len(t.slots) {
		return
	}
	old := *t
	*t = newPairTable(len(old.slots) * 2)
	for _, s := range old.slots {
		if s.key != 0 {
			t.slots[t.find(s.key)] = s
			t.n++
		}
	}
}
