package buildcache

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

type entry struct {
	Sum  [4]byte
	Text string
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := map[Key]entry{{1}: {Sum: [4]byte{9}, Text: "a"}, {2}: {Text: "b"}}
	if err := Save(dir, "owner", want); err != nil {
		t.Fatal(err)
	}
	got, err := Load[entry](dir, "owner")
	if err != nil || len(got) != 2 || got[Key{1}] != want[Key{1}] || got[Key{2}] != want[Key{2}] {
		t.Fatalf("Load = %v, %v; want %v", got, err, want)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// TestUnusable: every cache that cannot be trusted reads as empty, with
// the reason.
func TestUnusable(t *testing.T) {
	cases := []struct {
		name  string
		spoil func([]byte) []byte
		owner string
		want  error
	}{
		{"missing", nil, "owner", ErrMissing},
		{"empty", func([]byte) []byte { return nil }, "owner", ErrCorrupt},
		{"truncated", func(b []byte) []byte { return b[:len(b)-1] }, "owner", ErrCorrupt},
		{"header only", func(b []byte) []byte { return b[:len(magic)+2] }, "owner", ErrCorrupt},
		{"flipped byte", func(b []byte) []byte { b[len(b)-3] ^= 1; return b }, "owner", ErrCorrupt},
		{"other format", func(b []byte) []byte { b[len(magic)+3]++; return b }, "owner", ErrVersion},
		{"not a cache", func([]byte) []byte { return []byte("<!doctype html>") }, "owner", ErrCorrupt},
		{"foreign", func(b []byte) []byte { return b }, "another site", ErrForeign},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := Save(dir, "owner", map[Key]entry{{1}: {Text: "a"}}); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, FileName)
			if c.spoil == nil {
				os.Remove(file)
			} else {
				data, _ := os.ReadFile(file)
				os.WriteFile(file, c.spoil(data), 0o644)
			}
			got, err := Load[entry](dir, c.owner)
			if !errors.Is(err, c.want) || len(got) != 0 {
				t.Errorf("Load = %d entries, %v; want none, %v", len(got), err, c.want)
			}
		})
	}
}

// TestSaveUnwritable: a folder that cannot be made is an error, not a panic.
func TestSaveUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if err := Save(filepath.Join(file, "cache"), "owner", map[Key]entry{}); err == nil {
		t.Error("Save under a file succeeded")
	}
}
