package build

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"

	"github.com/helpgen/helpgen/internal/markdown"
	"github.com/helpgen/helpgen/internal/wire"
)

// A page's cache entry is a fixed head (entryHead bytes: the hash of the
// page's bytes and the state of its output file, see fileState) and its
// Facts, encoded by appendFacts. The head comes first and has a fixed size
// so that a reused page's entry is copied to the next cache with a new
// head and its Facts as they were, without decoding them.
const entryHead = sha256.Size + 4*8

// fileState is what stat says of an output file: when all of it is what was
// recorded, and the file was not modified in the tick of the file system's
// clock it was recorded in, the file holds the bytes it held then.
type fileState struct {
	Size, ModTime int64 // bytes; nanoseconds since 1970
	Inode, Dev    uint64
}

// appendHead appends the head of an entry.
func appendHead(b []byte, sum [sha256.Size]byte, st fileState) []byte {
	b = append(b, sum[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(st.Size))
	b = binary.BigEndian.AppendUint64(b, uint64(st.ModTime))
	b = binary.BigEndian.AppendUint64(b, st.Inode)
	return binary.BigEndian.AppendUint64(b, st.Dev)
}

// readHead reads the head of entry e.
func readHead(e string) (sum [sha256.Size]byte, st fileState, ok bool) {
	if len(e) < entryHead {
		return sum, st, false
	}
	copy(sum[:], e)
	u := func(i int) uint64 {
		var v uint64
		for _, c := range []byte(e[sha256.Size+8*i : sha256.Size+8*i+8]) {
			v = v<<8 | uint64(c)
		}
		return v
	}
	st = fileState{Size: int64(u(0)), ModTime: int64(u(1)), Inode: u(2), Dev: u(3)}
	return sum, st, true
}

// appendFacts appends f, in the order of its fields; decodeFacts reads it
// back. A field added to Facts must be added to both (TestFactsCodec fails
// until it is) and the cache's format raised.
func appendFacts(b []byte, f *Facts) []byte {
	e := factsEncoder{b: b}
	e.int(len(f.Headings))
	for _, h := range f.Headings {
		e.heading(h)
	}
	e.int(len(f.IDs))
	for _, id := range f.IDs {
		e.str(id)
	}
	e.ints(f.IDPos)
	e.refs(f.Links)
	e.refs(f.Images)
	e.int(len(f.Blocks))
	for _, bl := range f.Blocks {
		e.str(bl.Name)
		e.int(bl.Pos)
		e.bool(bl.Empty)
	}
	e.int(len(f.Sections))
	for _, s := range f.Sections {
		e.bool(s.Heading != nil)
		if s.Heading != nil {
			e.heading(*s.Heading)
		}
		e.str(s.Text)
	}
	e.bool(f.Empty)
	e.int(len(f.Lists))
	for _, l := range f.Lists {
		e.int(int(l.Kind))
		e.str(l.What)
		for _, v := range []int{l.Offset, l.Found, l.Need, l.Item, l.Number, l.Want} {
			e.int(v)
		}
		e.ints(l.Lines)
	}
	return e.b
}

type factsEncoder struct{ b []byte }

func (e *factsEncoder) int(v int) { e.b = binary.AppendVarint(e.b, int64(v)) }

func (e *factsEncoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *factsEncoder) str(s string) { e.b = wire.AppendString(e.b, s) }

func (e *factsEncoder) ints(vs []int) {
	e.int(len(vs))
	for _, v := range vs {
		e.int(v)
	}
}

func (e *factsEncoder) heading(h markdown.Heading) {
	e.int(h.Level)
	e.str(h.ID)
	e.str(h.Text)
}

func (e *factsEncoder) refs(rs []Ref) {
	e.int(len(rs))
	for _, r := range rs {
		e.str(r.Dest)
		e.str(r.Alt)
		e.int(r.Pos)
		e.bool(r.Zoom)
	}
}

var errBadFacts = errors.New("damaged facts")

// decodeFacts reads what appendFacts wrote. Its strings are substrings of
// s, which they keep alive.
func decodeFacts(s string) (*Facts, error) {
	d := factsDecoder{*wire.NewReader(s)}
	f := &Facts{}
	f.Headings = make([]markdown.Heading, d.count())
	for i := range f.Headings {
		f.Headings[i] = d.heading()
	}
	f.IDs = make([]string, d.count())
	for i := range f.IDs {
		f.IDs[i] = d.str()
	}
	f.IDPos = d.ints()
	f.Links, f.Images = d.refs(), d.refs()
	f.Blocks = make([]Block, d.count())
	for i := range f.Blocks {
		f.Blocks[i] = Block{Name: d.str(), Pos: d.Int(), Empty: d.Bool()}
	}
	d.sections(f)
	f.Empty = d.Bool()
	f.Lists = make([]markdown.ListProblem, d.count())
	for i := range f.Lists {
		l := &f.Lists[i]
		l.Kind, l.What = markdown.ListKind(d.Int()), d.str()
		l.Offset, l.Found, l.Need, l.Item, l.Number, l.Want = d.Int(), d.Int(), d.Int(), d.Int(), d.Int(), d.Int()
		l.Lines = d.ints()
	}
	if !d.Done() {
		return nil, errBadFacts
	}
	nilEmpty(f)
	return f, nil
}

// nilEmpty makes f's empty lists nil, as the conversion leaves them.
func nilEmpty(f *Facts) {
	if len(f.Headings) == 0 {
		f.Headings = nil
	}
	if len(f.IDs) == 0 {
		f.IDs = nil
	}
	if len(f.Blocks) == 0 {
		f.Blocks = nil
	}
	if len(f.Sections) == 0 {
		f.Sections = nil
	}
	if len(f.Lists) == 0 {
		f.Lists = nil
	}
}

// factsDecoder reads what factsEncoder wrote.
type factsDecoder struct{ wire.Reader[string] }

// count reads a list's length, which cannot exceed the bytes left.
func (d *factsDecoder) count() int { return d.Count(d.Varint(), 1) }

func (d *factsDecoder) str() string { return d.String() }

func (d *factsDecoder) ints() []int {
	n := d.count()
	if n == 0 {
		return nil
	}
	vs := make([]int, n)
	for i := range vs {
		vs[i] = d.Int()
	}
	return vs
}

func (d *factsDecoder) heading() markdown.Heading {
	return markdown.Heading{Level: d.Int(), ID: d.str(), Text: d.str()}
}

func (d *factsDecoder) refs() []Ref {
	n := d.count()
	if n == 0 {
		return nil
	}
	rs := make([]Ref, n)
	for i := range rs {
		rs[i] = Ref{Dest: d.str(), Alt: d.str(), Pos: d.Int(), Zoom: d.Bool()}
	}
	return rs
}

// sections reads the sections, their headings in one allocation.
func (d *factsDecoder) sections(f *Facts) {
	f.Sections = make([]markdown.Section, d.count())
	var heads []markdown.Heading
	for i := range f.Sections {
		if d.Bool() {
			if heads == nil {
				heads = make([]markdown.Heading, 0, len(f.Sections)-i)
			}
			heads = append(heads, d.heading())
			f.Sections[i].Heading = &heads[len(heads)-1]
		}
		f.Sections[i].Text = d.str()
	}
}
