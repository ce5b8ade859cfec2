// Package search builds, for one region, a static full-text index of that
// region's pages only, split into files so that a reader's query downloads
// a small manifest, the chunks of the dictionary holding its terms, the
// postings lists too long to keep in a chunk and the fragments of the top
// results. static/_theme/search.js reads it; query.go reads it the same
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
// becomes full-width), lower case, then katakana to hiragana, so that
// ろぐいん finds ログイン. search.js's normalize does the same.
func Normalize(s string) string {
	return fold(norm.NFKC.String(s))
}

// fold lowercases s and folds its katakana, copying only when something
// changes.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return strings.Map(foldRune, s)
		}
	}
	return s
}

// foldRune is fold for one rune: lower case, and a katakana letter or
// iteration mark becomes its hiragana (ァ…ヶ → ぁ…ゖ, ヽヾ → ゝゞ). ー and
// the katakana without a hiragana twin (ヷ…ヺ) stay.
func foldRune(r rune) rune {
	if 0x30a1 <= r && r <= 0x30f6 || r == 0x30fd || r == 0x30fe {
		return r - 0x60
	}
	return unicode.ToLower(r)
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

// Run is a maximal stretch of normalized text of one kind. Joined is set
// when it follows the previous run with no separator between them, as ログ
// and url do in ログurl.
type Run struct {
	Kind   Kind
	Text   string
	Joined bool
}

// Runs calls fn for each Word and CJK run of normalized text s, in order.
func Runs(s string, fn func(Run)) {
	start, kind, joined := 0, Sep, false
	for i, r := range s {
		k := KindOf(r)
		if k == kind {
			continue
		}
		if kind != Sep {
			fn(Run{kind, s[start:i], joined})
		}
		joined = kind != Sep
		start, kind = i, k
	}
	if kind != Sep {
		fn(Run{kind, s[start:], joined})
	}
}

// Terms calls fn with every index term of normalized text s: each Latin word
// (cut to MaxWord runes), each overlapping pair of characters of a CJK run,
// then the run's last character alone, so that a one-character query finds
// the character that ends a run (者 of 共通管理者), which starts no pair.
// Where a word and a CJK run touch, the two characters that meet are a
// term too (法1 of 方法1, どu of パスワードURL, mす of comストア), so that a
// query keeps its scripts adjacent. Terms are substrings of s.
func Terms(s string, fn func(term string)) {
	prev := ""
	Runs(s, func(r Run) {
		if r.Joined {
			fn(junction(prev, r.Text))
		}
		prev = r.Text
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

// junction is the term where run b, joined to a, meets it: a's last
// character and b's first.
func junction(a, b string) string {
	_, w := utf8.DecodeLastRuneInString(a)
	_, w1 := utf8.DecodeRuneInString(b)
	return a[len(a)-w:] + b[:w1]
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
