package search

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// spell returns the terms of t spelled the way Terms does.
func spell(t *termList) []string {
	var out []string
	for _, k := range t.keys {
		if k&wordBit != 0 {
			out = append(out, string(t.word(k)))
		} else {
			out = append(out, pairString(k))
		}
	}
	return out
}

func scanList(s string) []string {
	var t termList
	scanTerms(s, &t)
	return spell(&t)
}

// Every rune of the fast table folds exactly as Normalize does.
func TestFastTable(t *testing.T) {
	fastOnce.Do(buildFastTable)
	n := 0
	for r, e := range fastTable {
		if e == 0 {
			continue
		}
		n++
		want := Normalize(string(rune(r)))
		if got := string(rune(e & 0x1fffff)); got != want {
			t.Errorf("%U: fast %q, Normalize %q", r, got, want)
		}
		if k := Kind(e >> fastKindShift & 0x7f); k != KindOf([]rune(want)[0]) {
			t.Errorf("%U: fast kind %d, KindOf %d", r, k, KindOf([]rune(want)[0]))
		}
	}
	for r := rune(0); r < utf8.RuneSelf; r++ {
		if fastTable[r] == 0 {
			t.Errorf("ASCII %U is not in the fast table", r)
		}
	}
	if n < 30000 {
		t.Errorf("only %d fast runes", n)
	}
}

func TestScanTermsMatchesTerms(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aZ9 、。パスワードかが\u3099ﾊﾟｶﾞＡｂ０管理者한국어éﬁ①㍻ー・\t\n-_")
	inputs := []string{}
	for _, tc := range tokenCases {
		inputs = append(inputs, tc.in)
	}
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	inputs = append(inputs, "say \"hi\"", "a\\b", "tab\there", "ＡＢ＂Ｃ", "plain ascii text that is longer than eight bytes", "日本語とascii混じりのtext")
	for _, in := range inputs {
		if got, want := scanList(in), TermList(in); !slices.Equal(got, want) {
			t.Errorf("%q: scanTerms %q, Terms %q", in, got, want)
		}
		checkPlain(t, in)
	}
}

// checkPlain fails when scanTerms calls text plain but JSON would escape it.
func checkPlain(t *testing.T, s string) {
	t.Helper()
	if _, plain := scanTerms(s, &termList{}); plain {
		if want := appendString(nil, s); string(want) != `"`+s+`"` {
			t.Fatalf("%q: plain, but appendString writes %s", s, want)
		}
	}
}

func FuzzScanTerms(f *testing.F) {
	for _, tc := range tokenCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := scanList(s), TermList(s); !slices.Equal(got, want) {
			t.Fatalf("%q: scanTerms %q, Terms %q", s, got, want)
		}
		checkPlain(t, s)
		if fast, _ := scanTerms(s, &termList{}); fast {
			if a, b := appendASCIIEscaped(nil, s), appendString(nil, s); string(a) != string(b) {
				t.Fatalf("%q: ASCII escaper %s, appendString %s", s, a, b)
			}
		}
	})
}

// postingsIndex is an index of one term with the given postings, pairs
// (page, sections<<6 | fields).
func postingsIndex(in []uint32) (*Index, *term) {
	p := &part{start: []uint32{0, uint32(len(in) / 2)}}
	for i := 0; i < len(in); i += 2 {
		p.sorted = append(p.sorted, uint32(pack(0, in[i], in[i+1])))
	}
	ix := &Index{parts: []*part{p}}
	return ix, &term{text: "t", refs: []termRef{{0, 0}}}
}

func TestPostingsRoundTrip(t *testing.T) {
	var dense []uint32
	for d := range uint32(40) {
		dense = append(dense, d, uint32(1+d%3)<<6|FieldBody)
	}
	var w listWriter
	for name, in := range map[string][]uint32{
		"short": {
			0, 1<<6 | FieldTitle | FieldBody,
			1, 2<<6 | FieldHeading,
			3, 5<<6 | FieldID | FieldURL | FieldDescription | FieldHeading,
			70000, 32<<6 | FieldBody,
			70001, 63<<6 | FieldTitle | FieldHeading | FieldBody | FieldDescription | FieldURL | FieldID,
		},
		"table": append(slices.Clone(dense), 900, 63<<6|FieldTitle, 901, 1<<6|FieldBody),
		"first": {5, 1<<6 | FieldBody},
	} {
		enc := string(w.encode(postingsIndex(in)))
		out, err := DecodePostings(enc)
		if err != nil || !slices.Equal(out, in) {
			t.Fatalf("%s: round trip of %v: %v, %v (encoded %q)", name, in, out, err, enc)
		}
	}
	// A term in every page, in few sections, takes one digit a page after
	// its table.
	enc := w.encode(postingsIndex(dense))
	if len(enc) != 1+3*2+40 {
		t.Errorf("%d dense postings take %d digits (%q), want %d", len(dense)/2, len(enc), enc, 1+3*2+40)
	}
	for _, bad := range []string{"", "!", "Z", "1", "0Y", "03", "102", "11Y"} {
		if _, err := DecodePostings(bad); err == nil {
			t.Errorf("DecodePostings(%q): no error", bad)
		}
	}
}

// FuzzDecodePostings checks that any string decodes or fails, and that what
// decodes encodes back to postings that decode the same.
func FuzzDecodePostings(f *testing.F) {
	for _, s := range []string{"0", "02", "1202", "3K1W2042", "0Y0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := DecodePostings(s)
		if err != nil {
			return
		}
		var w listWriter
		again, err := DecodePostings(string(w.encode(postingsIndex(out))))
		if err != nil || !slices.Equal(again, out) {
			t.Fatalf("%q: %v, encoded again %v, %v", s, out, again, err)
		}
	})
}

func TestAppendString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain パスワード", "plain パスワード"},
		{"quote \" backslash \\ tab \t nl \n ctl \x01", "quote \" backslash \\ tab \t nl \n ctl \x01"},
		{"line\u2028para\u2029…→", "line\u2028para\u2029…→"},
		{"bad \xff\xfe utf8 \xe3\x81", "bad \ufffd\ufffd utf8 \ufffd\ufffd"},
	} {
		enc := appendString(nil, tc.in)
		var got string
		if err := json.Unmarshal(enc, &got); err != nil || got != tc.want {
			t.Errorf("appendString(%q) = %s → %q, %v; want %q", tc.in, enc, got, err, tc.want)
		}
		if strings.ContainsRune(string(enc), '\u2028') {
			t.Errorf("appendString(%q) left U+2028 raw", tc.in)
		}
	}
	// Text that takes the fast path is written the same by the escaper
	// that looks at ASCII only.
	for _, in := range append([]string{"tab\t\"q\" \\ \x01 パスワード、ＡＢＣ"}, benchText) {
		if fast, _ := scanTerms(in, &termList{}); !fast {
			t.Fatalf("%q did not take the fast path", in)
		}
		if a, b := appendASCIIEscaped(nil, in), appendString(nil, in); string(a) != string(b) {
			t.Errorf("%q: ASCII escaper %s, appendString %s", in, a, b)
		}
	}
}

// The files do not depend on how many workers built the index, so builds
// on different machines write the same bytes.
func TestFilesIndependentOfWorkers(t *testing.T) {
	var docs []*Doc
	for i := range 300 {
		docs = append(docs, &Doc{URL: "/p" + strings.Repeat("x", i%7) + ".html", Title: tokenCases[i%len(tokenCases)].in,
			Sections: []Section{{Text: benchText[:i%50*3]}, {ID: "h", Heading: "見出し", Text: tokenCases[(i+3)%len(tokenCases)].in}}})
	}
	var want []File
	for _, w := range []int{1, 2, 3, 7} {
		ix, err := NewIndex(docs, Options{ChunkBytes: 300, FragmentBytes: 500, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		files := ix.Files()
		if want == nil {
			want = files
			if len(files) < 10 {
				t.Fatalf("only %d files", len(files))
			}
			continue
		}
		if !slices.EqualFunc(files, want, func(a, b File) bool { return a.Path == b.Path && string(a.Data) == string(b.Data) }) {
			t.Errorf("%d workers: files differ from 1 worker", w)
		}
	}
}

func TestEmptyAndTinyIndexes(t *testing.T) {
	for _, docs := range [][]*Doc{nil, {{URL: "/a.html", Title: "ロック", Sections: []Section{{}}}}} {
		ix, err := NewIndex(docs, Options{})
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for _, f := range ix.Files() {
			files[strings.TrimPrefix(f.Path, Dir+"/")] = f.Data
		}
		s := NewSearcher(func(name string) ([]byte, error) { return files[name], nil })
		res, err := s.Search("ロック", 10)
		if err != nil || len(res) != len(docs) {
			t.Errorf("%d pages: results %+v, %v", len(docs), res, err)
		}
	}
}
