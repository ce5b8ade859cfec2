package search

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
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
}

// DefaultOptions keep the first results of a query on the 5,000-page corpus
// well under 300 KB (see searchbench).
var DefaultOptions = Options{ChunkBytes: 16 << 10, FragmentBytes: 8 << 10}

// Index collects the postings of a region's pages.
type Index struct {
	docs  []*Doc
	dict  map[string]int32
	terms []string
	// posts[t] holds, for term t, pairs (doc, section<<fieldBits|fields)
	// in increasing order.
	posts [][]uint32
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{dict: make(map[string]int32, 1<<14)}
}

// Add indexes d as the next document.
func (ix *Index) Add(d *Doc) {
	doc := uint32(len(ix.docs))
	ix.docs = append(ix.docs, d)
	ix.field(doc, 0, FieldTitle, d.Title)
	ix.field(doc, 0, FieldDescription, d.Description)
	ix.field(doc, 0, FieldURL, urlText(d.URL))
	for _, id := range d.IDs {
		ix.field(doc, 0, FieldID, id)
	}
	for i, s := range d.Sections {
		ix.field(doc, uint32(i), FieldHeading, s.Heading)
		ix.field(doc, uint32(i), FieldBody, s.Text)
	}
}

// urlText is the part of a URL worth finding: its path words, no extension.
func urlText(u string) string {
	return strings.TrimSuffix(u, ".html")
}

func (ix *Index) field(doc, sec uint32, bit uint32, raw string) {
	if raw == "" {
		return
	}
	key := sec<<fieldBits | bit
	Terms(Normalize(raw), func(term string) {
		id, ok := ix.dict[term]
		if !ok {
			id = int32(len(ix.terms))
			term = strings.Clone(term)
			ix.dict[term] = id
			ix.terms = append(ix.terms, term)
			ix.posts = append(ix.posts, make([]uint32, 0, 4))
		}
		p := ix.posts[id]
		if n := len(p); n > 0 && p[n-2] == doc && p[n-1]>>fieldBits == sec {
			p[n-1] |= bit
			return
		}
		ix.posts[id] = append(p, doc, key)
	})
}

// Docs is the number of documents added.
func (ix *Index) Docs() int { return len(ix.docs) }

// Terms is the number of distinct terms.
func (ix *Index) Terms() int { return len(ix.terms) }

// File is one file of a written index, path relative to the region root.
type File struct {
	Path string
	Data []byte
}

// Manifest is the first file a reader fetches: where every chunk of the
// dictionary and every group of fragments is.
type Manifest struct {
	Format    int
	Docs      int
	Chunks    []ChunkRef // sorted by First
	Fragments []FragRef  // sorted by First
}

// ChunkRef names the chunk whose terms start at First.
type ChunkRef struct {
	First string
	Name  string
}

// FragRef names the fragment group whose documents start at First.
type FragRef struct {
	First int
	Name  string
}

// Files encodes the index: the manifest, the chunks and the fragments,
// each named by its content so a stale copy is never mixed with a new one.
func (ix *Index) Files(opt Options) ([]File, error) {
	if opt.ChunkBytes <= 0 || opt.FragmentBytes <= 0 {
		opt = DefaultOptions
	}
	var files []File
	names := map[string]bool{}
	name := func(kind string, data []byte) (string, error) {
		sum := sha256.Sum256(data)
		n := kind + "/" + hex.EncodeToString(sum[:6]) + ".json"
		if names[n] {
			// Equal contents are impossible for distinct chunks; a clash of
			// the short name would silently mix two files.
			return "", fmt.Errorf("search index: two files named %s", n)
		}
		names[n] = true
		files = append(files, File{Path: Dir + "/" + n, Data: data})
		return n, nil
	}
	m := Manifest{Format: Format, Docs: len(ix.docs)}

	order := make([]int32, len(ix.terms))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(ix.terms[a], ix.terms[b]) })
	var chunk, enc []byte
	var first string
	flush := func() error {
		if first == "" {
			return nil
		}
		chunk = append(chunk, "]}"...)
		n, err := name("c", chunk)
		if err != nil {
			return err
		}
		m.Chunks = append(m.Chunks, ChunkRef{First: first, Name: n})
		chunk, first = nil, ""
		return nil
	}
	for _, id := range order {
		enc = encodePostings(enc[:0], ix.posts[id])
		if first == "" {
			first = ix.terms[id]
			chunk = append(make([]byte, 0, opt.ChunkBytes+len(enc)+64), `{"t":[`...)
		} else {
			chunk = append(chunk, ',')
		}
		chunk = appendString(chunk, ix.terms[id])
		chunk = append(chunk, ',', '"')
		chunk = append(chunk, enc...)
		chunk = append(chunk, '"')
		if len(chunk) >= opt.ChunkBytes {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}

	var group []byte
	start := 0
	for i, d := range ix.docs {
		if group == nil {
			start = i
			group = append(make([]byte, 0, opt.FragmentBytes+4096), '[')
		} else {
			group = append(group, ',')
		}
		group = appendDoc(group, d)
		if len(group) >= opt.FragmentBytes || i == len(ix.docs)-1 {
			group = append(group, ']')
			n, err := name("f", group)
			if err != nil {
				return nil, err
			}
			m.Fragments = append(m.Fragments, FragRef{First: start, Name: n})
			group = nil
		}
	}
	return append([]File{{Path: Dir + "/manifest.json", Data: m.encode()}}, files...), nil
}

// encode writes the manifest as
// {"v":1,"n":DOCS,"c":[[FIRST,NAME],…],"f":[[FIRST,NAME],…]}.
func (m *Manifest) encode() []byte {
	b := fmt.Appendf(nil, `{"v":%d,"n":%d,"c":[`, m.Format, m.Docs)
	for i, c := range m.Chunks {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendString(b, c.First)
		b = append(b, ',')
		b = appendString(b, c.Name)
		b = append(b, ']')
	}
	b = append(b, `],"f":[`...)
	for i, f := range m.Fragments {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(f.First), 10)
		b = append(b, ',')
		b = appendString(b, f.Name)
		b = append(b, ']')
	}
	return append(b, "]}"...)
}

// appendDoc writes a fragment:
// {"u":URL,"t":TITLE,"d":DESC,"a":[IDS],"s":[[ID,HEADING,TEXT],…]}.
func appendDoc(b []byte, d *Doc) []byte {
	b = append(b, `{"u":`...)
	b = appendString(b, d.URL)
	b = append(b, `,"t":`...)
	b = appendString(b, d.Title)
	if d.Description != "" {
		b = append(b, `,"d":`...)
		b = appendString(b, d.Description)
	}
	if len(d.IDs) > 0 {
		b = append(b, `,"a":[`...)
		for i, id := range d.IDs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, id)
		}
		b = append(b, ']')
	}
	b = append(b, `,"s":[`...)
	for i, s := range d.Sections {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendString(b, s.ID)
		b = append(b, ',')
		b = appendString(b, s.Heading)
		b = append(b, ',')
		b = appendString(b, s.Text)
		b = append(b, ']')
	}
	return append(b, "]}"...)
}

// The postings of a term are written as a string of base-64 digits: each
// number in groups of five bits, low bits first, a digit ≥ 32 meaning more
// groups follow. Numbers alternate: document (the first absolute, then the
// difference from the previous) and section<<6|fields. Three digits per
// posting is typical, against eight or more as JSON numbers.
const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

func encodePostings(b []byte, p []uint32) []byte {
	prev := uint32(0)
	for i := 0; i < len(p); i += 2 {
		b = appendVarint(b, p[i]-prev)
		prev = p[i]
		b = appendVarint(b, p[i+1])
	}
	return b
}

func appendVarint(b []byte, v uint32) []byte {
	for v >= 32 {
		b = append(b, digits[32|v&31])
		v >>= 5
	}
	return append(b, digits[v])
}

// DecodePostings reverses encodePostings.
func DecodePostings(s string) ([]uint32, error) {
	var out []uint32
	var v, shift uint32
	doc := uint32(0)
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(digits, s[i])
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
			v = doc
		}
		out = append(out, v)
		v, shift = 0, 0
	}
	if shift != 0 || len(out)%2 != 0 {
		return nil, fmt.Errorf("truncated postings")
	}
	return out, nil
}

// appendString writes s as a JSON string. It escapes only what JSON
// requires, plus U+2028/U+2029, and replaces invalid UTF-8.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, `\n`...)
			case '\t':
				b = append(b, `\t`...)
			default:
				b = fmt.Appendf(b, `\u%04x`, c)
			}
			i++
			start = i
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = fmt.Appendf(b, `\u%04x`, r)
			}
			i += w
			start = i
			continue
		}
		i += w
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
