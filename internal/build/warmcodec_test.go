package build

import (
	"crypto/sha256"
	"reflect"
	"testing"
)

// fillAll sets every field of v, recursively, to a value that is not zero
// and differs from its neighbours', so a field the codec forgets fails the
// round trip.
func fillAll(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + string(rune('a'+*n%26)) + "é")
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int8, reflect.Int16:
		v.SetInt(int64(*n) * -37)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fillAll(v.Index(i), n)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem(), n)
	case reflect.Struct:
		for i := range v.NumField() {
			fillAll(v.Field(i), n)
		}
	default:
		panic("fill: no value for " + v.Type().String())
	}
}

// TestFactsCodec: facts with every field set, with none and with a nil
// section heading read back as they were written.
func TestFactsCodec(t *testing.T) {
	var full Facts
	n := 0
	fillAll(reflect.ValueOf(&full).Elem(), &n)
	partial := full
	partial.Sections = append(partial.Sections[:1:1], partial.Sections[1])
	partial.Sections[1].Heading = nil
	cases := []struct {
		name string
		f    *Facts
	}{
		{"every field", &full},
		{"none", &Facts{}},
		{"section without heading", &partial},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decodeFacts(string(appendFacts(nil, c.f)))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.f) {
				t.Errorf("decoded\n%+v\nwant\n%+v", got, c.f)
			}
		})
	}
}

// TestEntryHead: the head reads back, and a short entry is refused.
func TestEntryHead(t *testing.T) {
	sum := sha256.Sum256([]byte("page"))
	st := fileState{Size: 5120, ModTime: 1764650000123456789, Inode: 1 << 40, Dev: 2049}
	b := appendHead(nil, sum, st)
	if len(b) != entryHead {
		t.Fatalf("head is %d bytes, want %d", len(b), entryHead)
	}
	gotSum, gotSt, ok := readHead(string(b))
	if !ok || gotSum != sum || gotSt != st {
		t.Errorf("readHead = %x, %+v, %v", gotSum[:4], gotSt, ok)
	}
	if _, _, ok := readHead(string(b[:entryHead-1])); ok {
		t.Error("a short head was read")
	}
}

// FuzzDecodeFacts: no entry makes decodeFacts panic, and what it accepts
// encodes back to the same bytes.
func FuzzDecodeFacts(f *testing.F) {
	var full Facts
	n := 0
	fillAll(reflect.ValueOf(&full).Elem(), &n)
	f.Add(appendFacts(nil, &full))
	f.Add(appendFacts(nil, &Facts{}))
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := decodeFacts(string(data))
		if err != nil {
			return
		}
		if again, err := decodeFacts(string(appendFacts(nil, facts))); err != nil || !reflect.DeepEqual(again, facts) {
			t.Fatalf("re-encoded facts differ: %v", err)
		}
	})
}
