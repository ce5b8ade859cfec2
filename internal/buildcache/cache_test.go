package buildcache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	cases := []struct {
		name    string
		entries map[Key]string
	}{
		{"none", map[Key]string{}},
		{"one empty entry", map[Key]string{{1}: ""}},
		{"several", map[Key]string{{1}: "a", {2}: "bb", {3}: strings.Repeat("long entry ", 1000)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := Save(dir, "owner", c.entries); err != nil {
				t.Fatal(err)
			}
			got, err := Load(dir, "owner")
			if err != nil || got.Len() != len(c.entries) {
				t.Fatalf("Load = %d entries, %v; want %d", got.Len(), err, len(c.entries))
			}
			for k, want := range c.entries {
				if e, ok := got.Get(k); !ok || e != want {
					t.Errorf("entry %x = %.20q, %v; want %.20q", k[:1], e, ok, want)
				}
			}
			if got.ModTime().IsZero() {
				t.Error("no modification time")
			}
			if tmp := leftovers(t, dir); len(tmp) > 0 {
				t.Errorf("temporary files left: %v", tmp)
			}
		})
	}
}

func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != FileName {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestPutConcurrent: entries put from many goroutines, in parts, are all
// kept whole.
func TestPutConcurrent(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, "owner")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() { w.Put(Key{byte(i), byte(i >> 8)}, []byte("head "+fmt.Sprint(i)), strings.Repeat("x", i)) })
	}
	wg.Wait()
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir, "owner")
	if err != nil || c.Len() != 200 {
		t.Fatalf("Load = %d entries, %v", c.Len(), err)
	}
	for i := range 200 {
		if e, _ := c.Get(Key{byte(i), byte(i >> 8)}); e != "head "+fmt.Sprint(i)+strings.Repeat("x", i) {
			t.Errorf("entry %d = %.30q", i, e)
		}
	}
}

// TestAbortKeepsOld: a cache that is not committed leaves the old one and
// no temporary file.
func TestAbortKeepsOld(t *testing.T) {
	dir := t.TempDir()
	if err := Save(dir, "owner", map[Key]string{{1}: "old"}); err != nil {
		t.Fatal(err)
	}
	w, err := Create(dir, "owner")
	if err != nil {
		t.Fatal(err)
	}
	w.Put(Key{2}, []byte("new"), "")
	w.Abort()
	c, err := Load(dir, "owner")
	if e, _ := c.Get(Key{1}); err != nil || c.Len() != 1 || e != "old" {
		t.Errorf("after Abort: %d entries, %v", c.Len(), err)
	}
	if tmp := leftovers(t, dir); len(tmp) > 0 {
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
		{"trailer cut", func(b []byte) []byte { return b[:len(b)-trailer] }, "owner", ErrCorrupt},
		{"header only", func(b []byte) []byte { return b[:len(magic)+2] }, "owner", ErrCorrupt},
		{"flipped byte", func(b []byte) []byte { b[len(b)-trailer-3] ^= 1; return b }, "owner", ErrCorrupt},
		{"other format", func(b []byte) []byte { b[len(magic)+3]++; return b }, "owner", ErrVersion},
		{"not a cache", func([]byte) []byte { return []byte("<!doctype html>") }, "owner", ErrCorrupt},
		{"foreign", func(b []byte) []byte { return b }, "another site", ErrForeign},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := Save(dir, "owner", map[Key]string{{1}: "a"}); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, FileName)
			if c.spoil == nil {
				os.Remove(file)
			} else {
				data, _ := os.ReadFile(file)
				os.WriteFile(file, c.spoil(data), 0o644)
			}
			got, err := Load(dir, c.owner)
			if !errors.Is(err, c.want) || got.Len() != 0 {
				t.Errorf("Load = %d entries, %v; want none, %v", got.Len(), err, c.want)
			}
		})
	}
}

// TestSaveUnwritable: a folder that cannot be made is an error, not a panic.
func TestSaveUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if err := Save(filepath.Join(file, "cache"), "owner", map[Key]string{}); err == nil {
		t.Error("Save under a file succeeded")
	}
}

// FuzzParse: no file makes parse panic, and what it accepts it indexes
// within the file.
func FuzzParse(f *testing.F) {
	dir := f.TempDir()
	if err := Save(dir, "owner", map[Key]string{{1}: "a", {2}: "bcd"}); err != nil {
		f.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, FileName))
	f.Add(data)
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := parse(string(data), "owner")
		if err != nil && entries != nil {
			t.Fatalf("entries with error %v", err)
		}
		total := 0
		for _, e := range entries {
			total += len(e)
		}
		if total > len(data) {
			t.Fatalf("entries hold %d bytes of a %d-byte file", total, len(data))
		}
	})
}

// TestRemoveAbandoned: an unfinished cache a killed build left is removed
// by the next Create once it is old; a recent one (perhaps a running
// build's) and other files stay.
func TestRemoveAbandoned(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * abandonedAfter)
	files := []struct {
		name  string
		old   bool
		stays bool
	}{
		{tempPrefix + "123456", true, false},
		{tempPrefix + "789", false, true},
		{tempPrefix + "12x", true, true},
		{"notes.txt", true, true},
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if f.old {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	w, err := Create(dir, "owner")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, f := range files {
		_, err := os.Stat(filepath.Join(dir, f.name))
		if stays := err == nil; stays != f.stays {
			t.Errorf("%s: stays = %v, want %v", f.name, stays, f.stays)
		}
	}
}
