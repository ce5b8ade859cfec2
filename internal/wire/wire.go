// Package wire reads the length-prefixed binary records of helpgen's own
// files (the warm-build cache, the search index's spill): numbers as
// varints (encoding/binary's Append functions write them), strings as their
// length and their bytes. A Reader never reads past its input and never
// panics on any input: after the first problem every read is zero and Bad
// reports it, so a decoder reads a whole record and checks once.
package wire

import "encoding/binary"

// Reader reads the parts of one record held in a string or a byte slice;
// what it returns of that kind shares the record's memory.
type Reader[T string | []byte] struct {
	buf T
	at  int
	bad bool
}

// NewReader returns a Reader at the start of buf.
func NewReader[T string | []byte](buf T) *Reader[T] { return &Reader[T]{buf: buf} }

// Uvarint reads an unsigned varint.
func (r *Reader[T]) Uvarint() uint64 {
	var x uint64
	for shift := 0; shift < 64 && !r.bad && r.at < len(r.buf); shift += 7 {
		c := r.buf[r.at]
		r.at++
		if c < 0x80 {
			if shift == 63 && c > 1 {
				break
			}
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
	}
	r.bad = true
	return 0
}

// Varint reads a signed (zig-zag) varint.
func (r *Reader[T]) Varint() int64 {
	u := r.Uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// Int reads a signed varint as an int.
func (r *Reader[T]) Int() int { return int(r.Varint()) }

// Bool reads one byte, 0 or 1.
func (r *Reader[T]) Bool() bool {
	if r.bad || r.at >= len(r.buf) || r.buf[r.at] > 1 {
		r.bad = true
		return false
	}
	r.at++
	return r.buf[r.at-1] == 1
}

// Take reads the next n bytes.
func (r *Reader[T]) Take(n int) T {
	if r.bad || n < 0 || n > len(r.buf)-r.at {
		r.bad = true
		return r.buf[:0]
	}
	s := r.buf[r.at : r.at+n]
	r.at += n
	return s
}

// String reads a length (an unsigned varint) and that many bytes.
func (r *Reader[T]) String() T {
	n := r.Uvarint()
	if n > uint64(len(r.buf)-r.at) {
		r.bad = true
		return r.buf[:0]
	}
	return r.Take(int(n))
}

// Count checks n, the number of parts that follow, each at least least
// bytes long: a count the rest of the record cannot hold is a problem, so
// that a corrupt count never asks for more memory than the record's size.
func (r *Reader[T]) Count(n int64, least int) int {
	if r.bad || n < 0 || n > int64((len(r.buf)-r.at)/max(least, 1)) {
		r.bad = true
		return 0
	}
	return int(n)
}

// Fail marks the record as bad.
func (r *Reader[T]) Fail() { r.bad = true }

// Bad reports whether a read went wrong.
func (r *Reader[T]) Bad() bool { return r.bad }

// Offset is how many bytes were read.
func (r *Reader[T]) Offset() int { return r.at }

// Rest is what is left to read.
func (r *Reader[T]) Rest() T { return r.buf[r.at:] }

// Done reports whether the record was read whole, without a problem and
// with nothing left.
func (r *Reader[T]) Done() bool { return !r.bad && r.at == len(r.buf) }

// AppendString appends s as String reads it.
func AppendString[T string | []byte](b []byte, s T) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}
