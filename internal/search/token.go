// Package search builds, for one region, a static full-text index of that
// region's pages only, split into chunks so that a reader's query downloads
// a small manifest, the chunks holding its terms and the fragments of the
// top results. static/_theme/search.js reads it; query.go reads it the same
// way for tests and measurements.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxWord is the longest Latin term kept, in runes; longer words are cut so
// stray identifiers and URLs do not bloat the index. The client cuts the same.
const MaxWord = 32

// Normalize folds s the way both the index and the client do before
// tokenizing: NFKC (full-width ＡＢＣ becomes ABC, half-width katakana
// becomes full-width) then lower case. search.js does
// s.normalize("NFKC").toLowerCase().
func Normalize(s string) string {
	return fold(norm.NFKC.String(s))
}

// fold lowercases s, copying only when something changes.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return strings.ToLower(s)
		}
	}
	return s
}

// Kind is the class of a run of characters.
type Kind uint8

const (
	Sep  Kind = iota // spaces, punctuation, symbols: separate terms
	Word             // letters, digits and marks outside CJK: Latin, Cyrillic, …
	CJK              // Han, Hiragana, Katakana, Hangul: written without spaces
)

// KindOf classifies one rune of normalized text. The prolonged sound mark ー
// (script Common) belongs to the katakana word it lengthens.
func KindOf(r rune) Kind {
	switch {
	case r < utf8.RuneSelf:
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' {
			return Word
		}
		return Sep
	case r == 'ー' || unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
		return CJK
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
		return Word
	}
	return Sep
}

// Run is a maximal stretch of normalized text of one kind.
type Run struct {
	Kind Kind
	Text string
}

// Runs calls fn for each Word and CJK run of normalized text s, in order.
func Runs(s string, fn func(Run)) {
	start, kind := 0, Sep
	for i, r := range s {
		k := KindOf(r)
		if k == kind {
			continue
		}
		if kind != Sep {
			fn(Run{kind, s[start:i]})
		}
		start, kind = i, k
	}
	if kind != Sep {
		fn(Run{kind, s[start:]})
	}
}

// Terms calls fn with every index term of normalized text s: each Latin word
// (cut to MaxWord runes), each overlapping pair of characters of a CJK run,
// then the run's last character alone, so that a one-character query finds
// the character that ends a run (者 of 共通管理者), which starts no pair.
// Terms are substrings of s.
func Terms(s string, fn func(term string)) {
	Runs(s, func(r Run) {
		if r.Kind == Word {
			fn(cutWord(r.Text))
			return
		}
		bigrams(r.Text, fn)
		if _, w := utf8.DecodeLastRuneInString(r.Text); w < len(r.Text) {
			fn(r.Text[len(r.Text)-w:])
		}
	})
}

// bigrams calls fn with every pair of adjacent characters of a CJK run.
func bigrams(s string, fn func(string)) {
	_, w0 := utf8.DecodeRuneInString(s)
	if w0 == len(s) {
		fn(s)
		return
	}
	for i := 0; i+w0 < len(s); {
		_, w1 := utf8.DecodeRuneInString(s[i+w0:])
		fn(s[i : i+w0+w1])
		i += w0
		w0 = w1
	}
}

func cutWord(w string) string {
	n := 0
	for i := range w {
		if n == MaxWord {
			return w[:i]
		}
		n++
	}
	return w
}

// TermList returns the index terms of raw text, normalized, in order, for
// tests and tools.
func TermList(raw string) []string {
	var out []string
	Terms(Normalize(raw), func(t string) { out = append(out, t) })
	return out
}
