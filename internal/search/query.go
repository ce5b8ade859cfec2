package search

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// This file reads an index the way static/_theme/search.js does, step for
// step, so ranking can be unit-tested and the bytes a reader downloads can
// be measured without a browser. The browser test checks that both agree.

// weight is the worth of the best field a query term was found in, so that
// title > heading > body; an article id beats everything.
func weight(mask uint32) int {
	switch {
	case mask&FieldID != 0:
		return 1000
	case mask&FieldTitle != 0:
		return 100
	case mask&FieldHeading != 0:
		return 30
	case mask&FieldDescription != 0:
		return 10
	case mask&FieldURL != 0:
		return 5
	case mask&FieldBody != 0:
		return 3
	}
	return 0
}

const (
	// MaxQueryTerms and MaxPairs bound what a pasted paragraph can make a
	// reader download: the first terms of the query, and for a long CJK
	// run pairs spread over it (the text check still confirms all of it).
	MaxQueryTerms = 8
	MaxPairs      = 6
	// MaxPrefixChunks bounds how many chunks a prefix may pull in.
	MaxPrefixChunks = 2
	// Batches bounds how many rounds of fragments one page of results may
	// fetch while dropping candidates whose text lacks the query.
	Batches = 3
)

// Fetcher returns the file at a path relative to the index folder
// (manifest.json, VERSION/c/N.json, VERSION/p/N.json, VERSION/f/N.json).
type Fetcher func(name string) ([]byte, error)

// Searcher runs queries against one region's index, fetching and caching
// files as a reader's browser would.
type Searcher struct {
	fetch    Fetcher
	manifest *manifestJSON
	chunks   map[int]map[string]string
	lists    map[string]string
	frags    map[int][]fragJSON
	// Fetched lists the files fetched so far, in order, and Bytes their size.
	Fetched []string
	Bytes   int
}

type manifestJSON struct {
	V int      `json:"v"`
	N int      `json:"n"`
	H string   `json:"h"`
	K int      `json:"k"` // pages a fragment group holds
	C []string `json:"c"`
}

type fragJSON struct {
	U string      `json:"u"`
	T string      `json:"t"`
	D string      `json:"d"`
	A []string    `json:"a"`
	S [][3]string `json:"s"`
}

// NewSearcher returns a searcher that reads files through fetch.
func NewSearcher(fetch Fetcher) *Searcher {
	return &Searcher{fetch: fetch, chunks: map[int]map[string]string{}, lists: map[string]string{}, frags: map[int][]fragJSON{}}
}

func (s *Searcher) get(name string, v any) error {
	b, err := s.fetch(name)
	if err != nil {
		return err
	}
	s.Fetched = append(s.Fetched, name)
	s.Bytes += len(b)
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func (s *Searcher) loadManifest() error {
	if s.manifest != nil {
		return nil
	}
	m := &manifestJSON{}
	if err := s.get("manifest.json", m); err != nil {
		return err
	}
	if m.V != Format {
		return fmt.Errorf("index format %d, want %d", m.V, Format)
	}
	if m.K < 1 {
		return fmt.Errorf("manifest.json: %d pages a fragment group", m.K)
	}
	s.manifest = m
	return nil
}

// chunkFor is the chunk that holds term t if any does: the last one whose
// first term is ≤ t, or -1.
func (s *Searcher) chunkFor(t string) int {
	c := s.manifest.C
	i, _ := slices.BinarySearchFunc(c, t, func(e string, t string) int {
		if e <= t {
			return -1
		}
		return 1
	})
	return i - 1
}

func (s *Searcher) chunk(i int) (map[string]string, error) {
	if m, ok := s.chunks[i]; ok {
		return m, nil
	}
	var c struct {
		T []string `json:"t"`
	}
	if err := s.get(fmt.Sprintf("%s/c/%d.json", s.manifest.H, i), &c); err != nil {
		return nil, err
	}
	m := make(map[string]string, len(c.T)/2)
	for j := 0; j+1 < len(c.T); j += 2 {
		m[c.T[j]] = c.T[j+1]
	}
	s.chunks[i] = m
	return m, nil
}

// Query is a parsed query: one term per phrase of the normalized text.
type Query struct {
	Terms []QueryTerm
}

// QueryTerm is one phrase of a query: a stretch of its normalized text
// without separators, which may mix scripts (方法1, ipあどれす). A page
// matches the phrase when its normalized text holds the phrase where a
// Latin word starts if the phrase starts with one, and where one ends if
// the phrase ends with one, unless Prefix is set (see Matches).
type QueryTerm struct {
	Text   string   // normalized phrase, checked against the result's text
	Keys   []string // index terms, all of which must be in one field and section
	Prefix bool     // the phrase may end inside a word: its last key also finds longer terms it starts
	// Exact is set when the keys alone decide a match: one word, or one
	// or two CJK characters. Other phrases are confirmed on the page's text.
	Exact bool
}

// MaxPhraseKeys bounds the keys of one phrase that mixes scripts.
const MaxPhraseKeys = 12

// ParseQuery splits a reader's query into phrases at its separators. The
// last phrase, while it is being typed (no space after it), may end inside
// a word: it is a prefix when it ends with a Latin word of two letters or
// more or joins scripts (方法1 finds 方法12). A single CJK character is a
// prefix of the terms it starts. A query naming an article by its alias or
// an id label is a search for the id.
func ParseQuery(q string) Query {
	nq := Normalize(q)
	if id := articleQuery(nq); id != "" {
		nq = id
	}
	var phrases [][]Run
	Runs(nq, func(r Run) {
		if r.Joined {
			phrases[len(phrases)-1] = append(phrases[len(phrases)-1], r)
		} else {
			phrases = append(phrases, []Run{r})
		}
	})
	var out Query
	for i, runs := range phrases {
		t := phrase(runs)
		if slices.ContainsFunc(out.Terms, func(x QueryTerm) bool { return x.Text == t.Text }) {
			continue
		}
		last := runs[len(runs)-1]
		open := i == len(phrases)-1 && strings.HasSuffix(nq, last.Text)
		switch {
		case last.Kind == Word:
			t.Prefix = open && (len(runs) > 1 || utf8.RuneCountInString(last.Text) >= 2)
		case len(runs) == 1 && utf8.RuneCountInString(last.Text) == 1:
			t.Prefix = true
		}
		out.Terms = append(out.Terms, t)
		if len(out.Terms) == MaxQueryTerms {
			break
		}
	}
	return out
}

// phrase is the term of one phrase's runs: its text, and as keys each
// word, the covering pairs of each CJK run and each junction where runs
// meet. A lone CJK character is its own key; one between other runs is
// already in the junctions.
func phrase(runs []Run) QueryTerm {
	var t QueryTerm
	for i, r := range runs {
		t.Text += r.Text
		if i > 0 {
			t.Keys = append(t.Keys, junction(runs[i-1].Text, r.Text))
		}
		switch n := utf8.RuneCountInString(r.Text); {
		case r.Kind == Word:
			t.Keys = append(t.Keys, cutWord(r.Text))
			t.Exact = len(runs) == 1 && n < MaxWord
		case n == 1:
			if len(runs) == 1 {
				t.Keys = append(t.Keys, r.Text)
			}
			t.Exact = len(runs) == 1
		default:
			t.Keys = append(t.Keys, coveringBigrams(r.Text)...)
			t.Exact = len(runs) == 1 && n == 2
		}
	}
	if n := len(t.Keys); n > MaxPhraseKeys {
		t.Keys = append(t.Keys[:MaxPhraseKeys-1], t.Keys[n-1])
	}
	return t
}

// Matches reports whether normalized text holds the phrase: at an offset
// where a word starts, if the phrase starts with a word character, and
// ending where a word ends, if it ends with one and is not a prefix. CJK
// characters need no boundary, as they are written without spaces.
func (t QueryTerm) Matches(text string) bool {
	first, _ := utf8.DecodeRuneInString(t.Text)
	last, _ := utf8.DecodeLastRuneInString(t.Text)
	left, right := KindOf(first) == Word, KindOf(last) == Word && !t.Prefix
	for from := 0; from <= len(text); {
		i := strings.Index(text[from:], t.Text)
		if i < 0 {
			return false
		}
		at := from + i
		end := at + len(t.Text)
		before, _ := utf8.DecodeLastRuneInString(text[:at])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (!left || at == 0 || KindOf(before) != Word) && (!right || end == len(text) || KindOf(after) != Word) {
			return true
		}
		_, w := utf8.DecodeRuneInString(text[at:])
		from = at + w
	}
	return false
}

// articleQuery is the article id that normalized query nq names, or "":
// the last element of an alias path or address (/ja/id/040150,
// https://…/ja/id/040150.html) or what follows an id label (ID 040150,
// ID:040150); search.js's articleQuery is the same.
func articleQuery(nq string) string {
	q := strings.TrimSpace(nq)
	if rest, ok := strings.CutPrefix(q, "id"); ok {
		id := strings.TrimLeft(rest, " :#/-")
		if id != "" && (id != rest || '0' <= id[0] && id[0] <= '9') && isArticleID(id) {
			return id
		}
	}
	if !strings.Contains(q, "/") || strings.ContainsAny(q, " \t\n") {
		return ""
	}
	if strings.HasPrefix(q, "/") || strings.Contains(q, "://") || strings.Contains(q, "id/") {
		if id := ArticleID(q); isArticleID(id) {
			return id
		}
	}
	return ""
}

// isArticleID reports whether s can be an article id: one token holding a
// digit, as ArticleID keeps them.
func isArticleID(s string) bool {
	return s != "" && strings.ContainsAny(s, "0123456789") && !strings.ContainsAny(s, " \t\n/")
}

// coveringBigrams picks the pairs of a CJK run to look up: every adjacent
// pair while there are at most MaxPairs, so a page must hold the run's
// pairs in sequence to be a candidate. A longer run gets the pairs that
// cover all of its characters (positions 0, 2, 4 … and the last) plus joins
// spread between them, or when even those are too many, covering pairs
// spread over it; the text check then confirms the whole run.
func coveringBigrams(s string) []string {
	var all []string
	bigrams(s, func(b string) { all = append(all, b) })
	n := len(all)
	if n <= MaxPairs {
		return all
	}
	var cover, joins []int
	for i := range n {
		if i%2 == 0 || i == n-1 {
			cover = append(cover, i)
		} else {
			joins = append(joins, i)
		}
	}
	pick := cover
	if len(cover) > MaxPairs {
		pick = make([]int, MaxPairs)
		for i := range pick {
			pick[i] = cover[i*(len(cover)-1)/(MaxPairs-1)]
		}
	} else {
		rest := MaxPairs - len(cover)
		for k := range rest {
			pick = append(pick, joins[(2*k+1)*len(joins)/(2*rest)])
		}
		slices.Sort(pick)
	}
	out := make([]string, len(pick))
	for i, p := range pick {
		out[i] = all[p]
	}
	return out
}

// Result is one page found.
type Result struct {
	Doc     int
	URL     string // with the matching heading's anchor
	Title   string
	Heading string // the matching heading, if the result targets one
	Score   int
	Section int
}

// hit is what one query term found in one page: the fields holding an
// exact key (worth double), those holding only a longer term it starts,
// and the section bits.
type hit struct {
	exact, prefix, sections uint32
}

// fieldScale puts the field weights above the section bonus: at most
// (sectionBits−1) × MaxQueryTerms, so the bonus only orders pages whose
// terms are in the same fields.
const fieldScale = 64

// score is the worth of the best field, then a point for each further
// section (modulo sectionBits) holding the term, so that among pages that
// mention it only in the body, those that mention it more often come first.
func (h hit) score() int {
	return fieldScale*max(2*weight(h.exact), weight(h.prefix)) + max(0, bits.OnesCount32(h.sections)-1)
}

// Found is the answer to a query.
type Found struct {
	Results []Result
	// Total counts the pages found: those confirmed, and those the index
	// gives that were not checked yet. It is exact when Exact is set: the
	// index alone decides every phrase of the query, or every candidate
	// was checked.
	Total int
	Exact bool
	// More is set when a prefix stands for more terms than a query reads
	// (MaxPrefixChunks): pages holding only the others are not counted.
	More bool
}

// Search returns up to limit results for q.
func (s *Searcher) Search(q string, limit int) ([]Result, error) {
	f, err := s.Find(q, limit)
	return f.Results, err
}

// Find returns up to limit results for q and how many pages hold it.
func (s *Searcher) Find(q string, limit int) (Found, error) {
	var f Found
	query := ParseQuery(q)
	if len(query.Terms) == 0 {
		return f, nil
	}
	if err := s.loadManifest(); err != nil {
		return f, err
	}
	ranked, more, err := s.rank(query)
	f.More = more
	if err != nil || len(ranked) == 0 {
		f.Exact = true
		return f, err
	}
	checked := 0
	for b := 0; b < Batches && len(f.Results) < limit && checked < len(ranked); b++ {
		batch := ranked[checked:min(checked+limit, len(ranked))]
		for _, r := range batch {
			if _, err := s.fragment(r.Doc); err != nil {
				return f, err
			}
		}
		for _, r := range batch {
			checked++
			fr, _ := s.fragment(r.Doc)
			if !contains(fr, query) {
				f.Total--
				continue
			}
			r.URL, r.Title = fr.U, fr.T
			r.Section = section(fr, query)
			if r.Section > 0 {
				r.URL += "#" + fr.S[r.Section][0]
				r.Heading = fr.S[r.Section][1]
			}
			f.Results = append(f.Results, r)
			if len(f.Results) == limit {
				break
			}
		}
	}
	f.Total += len(ranked)
	f.Exact = checked == len(ranked) || !slices.ContainsFunc(query.Terms, func(t QueryTerm) bool { return !t.Exact })
	return f, nil
}

// rank scores the pages holding every phrase of query, best first, and
// reports whether a prefix read fewer chunks than it spans.
func (s *Searcher) rank(query Query) ([]Result, bool, error) {
	var scores map[uint32]int
	more := false
	for ti, t := range query.Terms {
		docs, m, err := s.lookup(t)
		if err != nil {
			return nil, false, err
		}
		more = more || m
		next := map[uint32]int{}
		for d, h := range docs {
			if prev, ok := scores[d]; ok || ti == 0 {
				next[d] = prev + h.score()
			}
		}
		// Every phrase is looked up even when none is left to find, as
		// search.js does (it reads them all at once), so the downloads
		// measured here are the browser's.
		scores = next
	}
	if len(scores) == 0 {
		return nil, more, nil
	}
	ranked := make([]Result, 0, len(scores))
	for d, sc := range scores {
		ranked = append(ranked, Result{Doc: int(d), Score: sc})
	}
	slices.SortFunc(ranked, func(a, b Result) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return a.Doc - b.Doc
	})
	return ranked, more, nil
}

// lookup finds the pages holding every key of phrase t in one field and
// one section, with what it found in each, and reports whether its prefix
// spans more chunks than were read.
func (s *Searcher) lookup(t QueryTerm) (map[uint32]hit, bool, error) {
	var res map[uint32]hit
	more := false
	for ki, key := range t.Keys {
		prefix := t.Prefix && ki == len(t.Keys)-1
		found := map[uint32]hit{}
		lo := s.chunkFor(key)
		hi := lo
		if prefix {
			lo = max(lo, 0)
			end := s.chunkFor(key + string(utf8.MaxRune))
			hi = min(end, lo+MaxPrefixChunks-1)
			more = end > hi
		}
		// A CJK character found in the pairs it starts, or alone at the
		// end of a run, is an exact match.
		single := utf8.RuneCountInString(key) == 1 && KindOf([]rune(key)[0]) == CJK
		for c := lo; c >= 0 && c <= hi; c++ {
			chunk, err := s.chunk(c)
			if err != nil {
				return nil, false, err
			}
			for term, post := range chunk {
				exact := term == key
				if !exact && !(prefix && strings.HasPrefix(term, key)) {
					continue
				}
				p, err := s.postings(post)
				if err != nil {
					return nil, false, fmt.Errorf("term %q: %w", term, err)
				}
				for i := 0; i < len(p); i += 2 {
					h := found[p[i]]
					fields := p[i+1] & (1<<fieldBits - 1)
					if exact || single {
						h.exact |= fields
					} else {
						h.prefix |= fields
					}
					h.sections |= p[i+1] >> fieldBits
					found[p[i]] = h
				}
			}
		}
		if ki == 0 {
			res = found
			continue
		}
		for d, h := range res {
			if h = h.and(found[d]); h.exact|h.prefix == 0 || h.sections == 0 {
				delete(res, d)
			} else {
				res[d] = h
			}
		}
	}
	return res, more, nil
}

// and is what two keys of one phrase found together in a page: the fields
// and sections holding both, exact where both are.
func (h hit) and(o hit) hit {
	all := (h.exact | h.prefix) & (o.exact | o.prefix)
	exact := h.exact & o.exact
	return hit{exact: exact, prefix: all &^ exact, sections: h.sections & o.sections}
}

// section picks the part of a result to point at: the section whose
// heading holds the most query terms, then whose text does; the title
// counts as the heading of the top of the page (0), so a page found by
// its title opens at its top unless a heading matches more. Ties go to
// the earlier section.
func section(f fragJSON, q Query) int {
	best, bestScore := 0, 0
	for i, s := range f.S {
		heading, text := Normalize(s[1]), Normalize(s[2])
		if i == 0 {
			heading = Normalize(f.T)
		}
		sc := 0
		for _, t := range q.Terms {
			switch {
			case t.Matches(heading):
				sc += weight(FieldHeading)
			case t.Matches(text):
				sc += weight(FieldBody)
			}
		}
		if sc > bestScore {
			best, bestScore = i, sc
		}
	}
	return best
}

// postings decodes a term's postings from its entry in a chunk: the
// postings, or "@N" for list N, fetched once for all terms that share it.
func (s *Searcher) postings(ref string) ([]uint32, error) {
	if name, ok := strings.CutPrefix(ref, "@"); ok {
		list, ok := s.lists[name]
		if !ok {
			if err := s.get(fmt.Sprintf("%s/p/%s.json", s.manifest.H, name), &list); err != nil {
				return nil, err
			}
			s.lists[name] = list
		}
		ref = list
	}
	return DecodePostings(ref)
}

// fragment returns the stored text of document d, fetching its group.
func (s *Searcher) fragment(d int) (fragJSON, error) {
	g := d / s.manifest.K
	if d < 0 || d >= s.manifest.N {
		return fragJSON{}, fmt.Errorf("no fragment for document %d", d)
	}
	docs, ok := s.frags[g]
	if !ok {
		if err := s.get(fmt.Sprintf("%s/f/%d.json", s.manifest.H, g), &docs); err != nil {
			return fragJSON{}, err
		}
		s.frags[g] = docs
	}
	i := d - g*s.manifest.K
	if i >= len(docs) {
		return fragJSON{}, fmt.Errorf("fragment group %d lacks document %d", g, d)
	}
	return docs[i], nil
}

// contains reports whether every phrase of q is in the page's text (see
// QueryTerm.Matches), so pages that hold a phrase's keys apart are dropped.
func contains(f fragJSON, q Query) bool {
	var b strings.Builder
	for _, s := range []string{f.T, f.D, urlText(f.U)} {
		b.WriteString(s)
		b.WriteByte('\n')
	}
	for _, a := range f.A {
		b.WriteString(a)
		b.WriteByte('\n')
	}
	for _, s := range f.S {
		b.WriteString(s[1])
		b.WriteByte('\n')
		b.WriteString(s[2])
		b.WriteByte('\n')
	}
	text := Normalize(b.String())
	for _, t := range q.Terms {
		if !t.Matches(text) {
			return false
		}
	}
	return true
}

// Stats reads the whole index and counts its documents and terms, for tools.
func (s *Searcher) Stats() (docs, terms int, err error) {
	if err := s.loadManifest(); err != nil {
		return 0, 0, err
	}
	for i := range s.manifest.C {
		c, err := s.chunk(i)
		if err != nil {
			return 0, 0, err
		}
		terms += len(c)
	}
	return s.manifest.N, terms, nil
}
