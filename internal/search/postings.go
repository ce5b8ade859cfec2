package search

import (
	"fmt"
	"slices"
)

// The postings of a term are written as a string of base-64 digits (see
// digits): numbers in groups of five bits, low bits first, a digit ≥ 32
// meaning more groups follow. A posting says which fields and sections of
// a page hold the term, as one code: the sections (see sectionBits) × 64 +
// the fields, renumbered so that the common ones are small: body 1,
// heading 2, title 4, description 8, URL 16, id 32.
//
// A list starts with the number of codes in its table, then the table: the
// codes of its postings, the most frequent first. Each posting is then one
// number, its code's place in the table × 2, plus 1 when the page is not
// the one after the previous posting's (the first posting's previous page
// is −1); then the number of pages skipped follows (the difference − 2). A
// list without a table (a short one) writes the code itself in place of
// its place. A term in most pages, with one of its 16 commonest codes,
// thus takes one digit a page.
const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// codeBits is the width of a posting's code.
const codeBits = sectionBits + fieldBits

// tableMin is the length from which a list has a table of codes.
const tableMin = 8

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

// listWriter encodes postings lists, keeping its buffers from one to the
// next.
type listWriter struct {
	docs, codes []uint32
	table       []uint32
	count, at   [1 << codeBits]uint32
	buf         []byte
}

// encode writes the postings of t from every part, in document order; the
// result is valid until the next call.
func (w *listWriter) encode(ix *Index, t *term) []byte {
	w.docs, w.codes = w.docs[:0], w.codes[:0]
	for _, r := range t.refs {
		p := ix.parts[r.part]
		for _, x := range p.sorted[p.start[r.id]:p.start[r.id+1]] {
			w.docs = append(w.docs, x>>codeBits)
			w.codes = append(w.codes, x>>fieldBits&(1<<sectionBits-1)<<fieldBits|fieldCode[x&(1<<fieldBits-1)])
		}
	}
	w.table = w.table[:0]
	if len(w.docs) >= tableMin {
		for _, c := range w.codes {
			if w.count[c] == 0 {
				w.table = append(w.table, c)
			}
			w.count[c]++
		}
		slices.SortFunc(w.table, func(a, b uint32) int {
			if w.count[a] != w.count[b] {
				return int(w.count[b]) - int(w.count[a])
			}
			return int(a) - int(b)
		})
		for i, c := range w.table {
			w.at[c], w.count[c] = uint32(i), 0
		}
	}
	b := appendVarint(w.buf[:0], uint32(len(w.table)))
	for _, c := range w.table {
		b = appendVarint(b, c)
	}
	next := uint32(0) // the page after the previous posting's
	for i, doc := range w.docs {
		x := w.codes[i]
		if len(w.table) > 0 {
			x = w.at[x]
		}
		if doc == next {
			b = appendVarint(b, x<<1)
		} else {
			b = appendVarint(appendVarint(b, x<<1|1), doc-next-1)
		}
		next = doc + 1
	}
	w.buf = b
	return b
}

// readNumbers decodes a string of numbers.
func readNumbers(s string) ([]uint32, error) {
	var out []uint32
	var v, shift uint32
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
		out = append(out, v)
		v, shift = 0, 0
	}
	if shift != 0 {
		return nil, fmt.Errorf("truncated postings")
	}
	return out, nil
}

// DecodePostings reverses the encoding into pairs (page,
// sections<<6 | fields).
func DecodePostings(s string) ([]uint32, error) {
	nums, err := readNumbers(s)
	if err != nil {
		return nil, err
	}
	if len(nums) == 0 || uint64(nums[0]) >= uint64(len(nums)) {
		return nil, fmt.Errorf("bad postings table")
	}
	table, nums := nums[1:1+nums[0]], nums[1+nums[0]:]
	out := make([]uint32, 0, len(nums)*2)
	next := uint64(0)
	for i := 0; i < len(nums); i++ {
		x, skip := nums[i]>>1, nums[i]&1 != 0
		if len(table) > 0 {
			if x >= uint32(len(table)) {
				return nil, fmt.Errorf("bad postings code")
			}
			x = table[x]
		}
		if skip {
			if i++; i == len(nums) {
				return nil, fmt.Errorf("truncated postings")
			}
			next += uint64(nums[i]) + 1
		}
		if x >= 1<<codeBits || next >= maxDocs {
			return nil, fmt.Errorf("bad posting")
		}
		out = append(out, uint32(next), x>>fieldBits<<fieldBits|fieldOf[x&(1<<fieldBits-1)])
		next++
	}
	return out, nil
}
