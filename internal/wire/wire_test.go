package wire

import (
	"encoding/binary"
	"math"
	"testing"
)

// A record written with encoding/binary's Append functions and
// AppendString reads back part for part, from a string and from bytes.
func TestRoundTrip(t *testing.T) {
	var b []byte
	b = binary.AppendUvarint(b, math.MaxUint64)
	b = binary.AppendVarint(b, -5)
	b = binary.AppendVarint(b, math.MinInt64)
	b = AppendString(b, "一行目")
	b = AppendString(b, "")
	b = append(b, 1, 0)
	b = binary.AppendUvarint(b, 2)
	b = append(b, "ab"...)
	check := func(name string, u uint64, v, w int64, s1, s2 string, t1, t2 bool, n int, rest string, done bool) {
		t.Helper()
		if u != math.MaxUint64 || v != -5 || w != math.MinInt64 || s1 != "一行目" || s2 != "" || !t1 || t2 || n != 2 || rest != "ab" || !done {
			t.Errorf("%s: read %d %d %d %q %q %v %v %d %q done=%v", name, u, v, w, s1, s2, t1, t2, n, rest, done)
		}
	}
	r := NewReader(string(b))
	u, v, w, s1, s2, t1, t2 := r.Uvarint(), r.Varint(), r.Varint(), r.String(), r.String(), r.Bool(), r.Bool()
	n := r.Count(int64(r.Uvarint()), 1)
	check("string", u, v, w, s1, s2, t1, t2, n, r.Take(n), r.Done())
	rb := NewReader(b)
	u, v, w, bs1, bs2, t1, t2 := rb.Uvarint(), rb.Varint(), rb.Varint(), rb.String(), rb.String(), rb.Bool(), rb.Bool()
	n = rb.Count(int64(rb.Uvarint()), 1)
	check("bytes", u, v, w, string(bs1), string(bs2), t1, t2, n, string(rb.Take(n)), rb.Done())
}

// Every kind of damage makes the reader bad, never panics, and every read
// after it is zero.
func TestDamage(t *testing.T) {
	for _, tc := range []struct {
		name string
		rec  string
		read func(r *Reader[string])
	}{
		{"number cut short", "\x80", func(r *Reader[string]) { r.Uvarint() }},
		{"number too long", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", func(r *Reader[string]) { r.Uvarint() }},
		{"string past the end", "\x05abc", func(r *Reader[string]) { _ = r.String() }},
		{"huge string length", "\xff\xff\xff\xff\xff\xff\xff\xff\x7f", func(r *Reader[string]) { _ = r.String() }},
		{"bool not 0 or 1", "\x02", func(r *Reader[string]) { r.Bool() }},
		{"bool at the end", "", func(r *Reader[string]) { r.Bool() }},
		{"count the rest cannot hold", "ab", func(r *Reader[string]) { r.Count(2, 2) }},
		{"negative count", "ab", func(r *Reader[string]) { r.Count(-1, 1) }},
		{"negative take", "ab", func(r *Reader[string]) { r.Take(-1) }},
		{"bytes left over", "ab", func(r *Reader[string]) { r.Take(1) }},
	} {
		r := NewReader(tc.rec)
		tc.read(r)
		if r.Done() {
			t.Errorf("%s: the reader says the record was read whole", tc.name)
		}
		if tc.name != "bytes left over" && (!r.Bad() || r.Uvarint() != 0 || r.String() != "" || r.Bool()) {
			t.Errorf("%s: bad=%v, or a read after the damage is not zero", tc.name, r.Bad())
		}
	}
}

// FuzzReader: no input makes a read panic or go past the input, and what
// reads whole as strings reads whole as bytes.
func FuzzReader(f *testing.F) {
	f.Add([]byte("\x03abc\x01\x00\x02xy"))
	f.Add([]byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, rb := NewReader(string(data)), NewReader(data)
		for i := 0; i < len(data)+2; i++ {
			switch i % 5 {
			case 0:
				if a, b := rs.String(), rb.String(); a != string(b) {
					t.Fatalf("String: %q as a string, %q as bytes", a, b)
				}
			case 1:
				if a, b := rs.Varint(), rb.Varint(); a != b {
					t.Fatalf("Varint: %d, %d", a, b)
				}
			case 2:
				rs.Bool()
				rb.Bool()
			case 3:
				n := rs.Count(rs.Varint(), 2)
				if m := rb.Count(rb.Varint(), 2); n != m || n > len(data) {
					t.Fatalf("Count: %d, %d", n, m)
				}
			default:
				rs.Uvarint()
				rb.Uvarint()
			}
			if rs.Offset() > len(data) || rs.Offset() != rb.Offset() || rs.Bad() != rb.Bad() {
				t.Fatalf("offsets %d and %d of %d, bad %v and %v", rs.Offset(), rb.Offset(), len(data), rs.Bad(), rb.Bad())
			}
		}
	})
}
