package search

import (
	"encoding/binary"
	"errors"
)

// A record is a Doc as a spill keeps it (see spill.go): its strings in the
// order versionOf reads them, each as its length (a uvarint) and its bytes,
// and before the ids and the sections their number (uvarints):
//
//	URL TITLE DESCRIPTION #IDS ID… #SECTIONS (ID HEADING TEXT)…
//
// No reflection, no field names: a page's record is about as long as its
// text.

// appendRecord appends d's record to b.
func appendRecord(b []byte, d *Doc) []byte {
	b = appendField(b, d.URL)
	b = appendField(b, d.Title)
	b = appendField(b, d.Description)
	b = binary.AppendUvarint(b, uint64(len(d.IDs)))
	for _, id := range d.IDs {
		b = appendField(b, id)
	}
	b = binary.AppendUvarint(b, uint64(len(d.Sections)))
	for _, s := range d.Sections {
		b = appendField(b, s.ID)
		b = appendField(b, s.Heading)
		b = appendField(b, s.Text)
	}
	return b
}

func appendField(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// errRecord is a record that does not decode: the spill's file changed
// under the build, or the disk returned other bytes.
var errRecord = errors.New("the record is corrupt")

// decodeRecord sets d to the Doc of rec, its strings parts of rec and its
// slices reusing d's.
func decodeRecord(rec string, d *Doc) error {
	r := recordReader[string]{rec: rec}
	d.URL = r.text()
	d.Title = r.text()
	d.Description = r.text()
	d.IDs = d.IDs[:0]
	for n := r.count(1); n > 0; n-- {
		d.IDs = append(d.IDs, r.text())
	}
	d.Sections = d.Sections[:0]
	for n := r.count(3); n > 0; n-- {
		var s Section
		s.ID = r.text()
		s.Heading = r.text()
		s.Text = r.text()
		d.Sections = append(d.Sections, s)
	}
	return r.end()
}

// hashRecord adds the text of rec's Doc to h as versionHash.doc would,
// without decoding it into strings.
func hashRecord(rec []byte, h *versionHash) error {
	r := recordReader[[]byte]{rec: rec}
	for range 3 { // URL, title, description
		addText(h, r.text(), 0)
	}
	for n := r.count(1); n > 0; n-- {
		addText(h, r.text(), 1)
	}
	for n := r.count(3); n > 0; n-- {
		addText(h, r.text(), 2)
		addText(h, r.text(), 2)
		addText(h, r.text(), 3)
	}
	h.endDoc()
	return r.end()
}

// recordReader reads the parts of a record; after the first error every
// read is empty and end reports it.
type recordReader[T string | []byte] struct {
	rec T
	at  int
	bad bool
}

// uvarint reads a number of at most maxLen.
func (r *recordReader[T]) uvarint() int {
	var x uint64
	for shift := uint(0); shift < maxLenBits+7 && r.at < len(r.rec); shift += 7 {
		c := r.rec[r.at]
		r.at++
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			if x > maxLen {
				break
			}
			return int(x)
		}
	}
	r.bad = true
	return 0
}

// maxLen bounds the numbers of a record: no part of it is longer than
// the record itself.
const (
	maxLenBits = 40
	maxLen     = 1 << maxLenBits
)

// text reads a string.
func (r *recordReader[T]) text() T {
	n := r.uvarint()
	if r.bad || n > len(r.rec)-r.at {
		r.bad = true
		return r.rec[:0]
	}
	s := r.rec[r.at : r.at+n]
	r.at += n
	return s
}

// count reads the number of the parts that follow, each at least least
// bytes long, so that a corrupt count cannot ask for more than the record
// holds.
func (r *recordReader[T]) count(least int) int {
	n := r.uvarint()
	if r.bad || n > (len(r.rec)-r.at)/least {
		r.bad = true
		return 0
	}
	return n
}

// end reports whether the record was read whole and nothing is left.
func (r *recordReader[T]) end() error {
	if r.bad || r.at != len(r.rec) {
		return errRecord
	}
	return nil
}
