package search

import (
	"encoding/binary"
	"errors"

	"github.com/helpgen/helpgen/internal/wire"
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
	b = wire.AppendString(b, d.URL)
	b = wire.AppendString(b, d.Title)
	b = wire.AppendString(b, d.Description)
	b = binary.AppendUvarint(b, uint64(len(d.IDs)))
	for _, id := range d.IDs {
		b = wire.AppendString(b, id)
	}
	b = binary.AppendUvarint(b, uint64(len(d.Sections)))
	for _, s := range d.Sections {
		b = wire.AppendString(b, s.ID)
		b = wire.AppendString(b, s.Heading)
		b = wire.AppendString(b, s.Text)
	}
	return b
}

// errRecord is a record that does not decode: the spill's file changed
// under the build, or the disk returned other bytes.
var errRecord = errors.New("the record is corrupt")

// decodeRecord sets d to the Doc of rec, its strings parts of rec and its
// slices reusing d's.
func decodeRecord(rec string, d *Doc) error {
	r := wire.NewReader(rec)
	d.URL = r.String()
	d.Title = r.String()
	d.Description = r.String()
	d.IDs = d.IDs[:0]
	for n := count(r, 1); n > 0; n-- {
		d.IDs = append(d.IDs, r.String())
	}
	d.Sections = d.Sections[:0]
	for n := count(r, 3); n > 0; n-- {
		var s Section
		s.ID = r.String()
		s.Heading = r.String()
		s.Text = r.String()
		d.Sections = append(d.Sections, s)
	}
	return end(r)
}

// hashRecord adds the text of rec's Doc to h as versionHash.doc would,
// without decoding it into strings.
func hashRecord(rec []byte, h *versionHash) error {
	r := wire.NewReader(rec)
	for range 3 { // URL, title, description
		addText(h, r.String(), 0)
	}
	for n := count(r, 1); n > 0; n-- {
		addText(h, r.String(), 1)
	}
	for n := count(r, 3); n > 0; n-- {
		addText(h, r.String(), 2)
		addText(h, r.String(), 2)
		addText(h, r.String(), 3)
	}
	h.endDoc()
	return end(r)
}

// count reads the number of the parts that follow, each at least least
// bytes long.
func count[T string | []byte](r *wire.Reader[T], least int) int {
	n := r.Uvarint()
	if n > 1<<62 {
		r.Fail()
		return 0
	}
	return r.Count(int64(n), least)
}

// end is errRecord unless the record was read whole and nothing is left.
func end[T string | []byte](r *wire.Reader[T]) error {
	if !r.Done() {
		return errRecord
	}
	return nil
}
