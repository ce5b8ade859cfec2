package search

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/output"
)

// recordDocs are docs whose records must decode to themselves.
var recordDocs = []Doc{
	{Sections: []Section{{}}},
	{URL: "/a.html", Title: "A", Sections: []Section{{Text: "top"}}},
	{URL: "/ja/b.html", Title: "方法1の手順", Description: "研究と開発", IDs: []string{"040150", "9"},
		Sections: []Section{{Text: "本文"}, {ID: "h", Heading: "見出し", Text: "text\x00with\x04separators"}, {ID: "e"}}},
	{URL: "/long.html", Title: strings.Repeat("t", 300), Sections: []Section{{Text: strings.Repeat("x", 70000)}}},
	{URL: "/bad.html", Title: "invalid \xff UTF-8", Sections: []Section{{Text: "\u2028"}}},
}

func docHash(d *Doc) uint32 {
	h := newTestHash()
	h.doc(d)
	return h.done()
}

func newTestHash() *versionHash { return newVersionHash() }

func (h *versionHash) done() uint32 {
	h.sum.Write(h.b)
	return h.sum.Sum32()
}

// A record decodes to the doc it was made of, and adds the same text to
// the index's version as the doc does.
func TestRecordRoundTrip(t *testing.T) {
	for _, d := range recordDocs {
		t.Run(d.URL, func(t *testing.T) {
			rec := appendRecord(nil, &d)
			var got Doc
			if err := decodeRecord(string(rec), &got); err != nil {
				t.Fatal(err)
			}
			if len(got.IDs) == 0 {
				got.IDs = d.IDs
			}
			if !reflect.DeepEqual(got, d) {
				t.Fatalf("decoded %+v\nwant %+v", got, d)
			}
			h := newTestHash()
			if err := hashRecord(rec, h); err != nil {
				t.Fatal(err)
			}
			if h.done() != docHash(&d) {
				t.Fatal("the record's hash differs from the doc's")
			}
		})
	}
}

// A record that is cut, padded or holds impossible numbers is an error.
func TestRecordCorrupt(t *testing.T) {
	good := appendRecord(nil, &recordDocs[2])
	tests := map[string][]byte{
		"empty":                    {},
		"cut in a string":          good[:10],
		"cut before the end":       good[:len(good)-1],
		"a byte too many":          append(good[:len(good):len(good)], 0),
		"length past the end":      {0x7f, 'a'},
		"overlong number":          {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
		"more ids than bytes":      {0, 0, 0, 0xff, 0xff, 0x03, 0},
		"more sections than bytes": {0, 0, 0, 0, 2, 0, 0, 0},
	}
	for name, rec := range tests {
		t.Run(name, func(t *testing.T) {
			var d Doc
			if err := decodeRecord(string(rec), &d); !errors.Is(err, errRecord) {
				t.Errorf("decode: got %v, want errRecord", err)
			}
			if err := hashRecord(rec, newTestHash()); !errors.Is(err, errRecord) {
				t.Errorf("hash: got %v, want errRecord", err)
			}
		})
	}
}

// FuzzDecodeRecord: no input makes the decoder panic or allocate more than
// its size allows; what decodes encodes to a record that decodes the same,
// and its hash is the decoded doc's.
func FuzzDecodeRecord(f *testing.F) {
	for _, d := range recordDocs {
		if d.size() < 1<<10 { // large inputs slow the fuzzer down
			f.Add(appendRecord(nil, &d))
		}
	}
	f.Add([]byte{0, 0, 0, 0xff, 0xff, 0x03, 0})
	f.Fuzz(func(t *testing.T, rec []byte) {
		var d Doc
		err := decodeRecord(string(rec), &d)
		herr := hashRecord(rec, newTestHash())
		if (err == nil) != (herr == nil) {
			t.Fatalf("decode says %v, hash says %v", err, herr)
		}
		if err != nil {
			return
		}
		var again Doc
		if err := decodeRecord(string(appendRecord(nil, &d)), &again); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again, d) {
			t.Fatalf("re-encoded %+v, decoded %+v", d, again)
		}
		h := newTestHash()
		_ = hashRecord(rec, h)
		if h.done() != docHash(&d) {
			t.Fatal("the record's hash differs from the doc's")
		}
	})
}

// buildBothWays builds site with the search index, its pages' text kept
// in memory and spilled, and returns both outputs and the spilled build's
// regions.
func buildBothWays(t *testing.T, site string, opt Options) (mem, spilled *output.MemOutput, regions []*build.Region) {
	t.Helper()
	tmp := t.TempDir()
	for _, spillDir := range []string{"", tmp} {
		proj, err := build.Load(os.DirFS(site), helpgen.Defaults, build.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out := output.NewMemOutput()
		rep, err := proj.Build(out, build.Options{Writers: []build.RegionWriter{Writer(opt)}, SpillDir: spillDir})
		if err != nil {
			t.Fatal(err)
		}
		if spillDir == "" {
			mem = out
		} else {
			spilled, regions = out, rep.Sites
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("the spill left %d files behind", len(left))
	}
	return mem, spilled, regions
}

// A build that spills its pages' text writes every file of every region
// byte for byte as one that keeps it in memory, the index's folder name
// included, and leaves no page's sections in memory.
func TestSpillMatchesMemory(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	if _, err := corpus.Write(site, corpus.Options{Pages: 400, Seed: 11, Size: corpus.Real}); err != nil {
		t.Fatal(err)
	}
	for name, opt := range map[string]Options{"default": DefaultOptions, "small files": {ChunkBytes: 300, ListBytes: 64, FragmentBytes: 500}} {
		t.Run(name, func(t *testing.T) {
			mem, spilled, regions := buildBothWays(t, site, opt)
			if len(mem.Files) != len(spilled.Files) {
				t.Fatalf("%d files in memory, %d spilled", len(mem.Files), len(spilled.Files))
			}
			index := 0
			for name, want := range mem.Files {
				got, ok := spilled.Files[name]
				if !ok {
					t.Fatalf("%s not written by the spilled build", name)
				}
				if string(got) != string(want) {
					t.Fatalf("%s differs", name)
				}
				if strings.Contains(name, "/"+Dir+"/") {
					index++
				}
			}
			if index < 3*20 {
				t.Fatalf("only %d files of the index compared", index)
			}
			for _, r := range regions {
				for _, pg := range r.Pages {
					if pg.Facts.Sections != nil {
						t.Fatalf("%s %s kept its sections", r.Config.Code, pg.Src.URL)
					}
				}
			}
		})
	}
}

// regionOf builds a small site and returns its first region, with its
// pages' sections.
func regionOf(t *testing.T) *build.Region {
	t.Helper()
	return builtCorpus(t, corpus.Options{Pages: 120, Seed: 5})[0]
}

// builtCorpus generates a site and builds it in memory: its regions, with
// their pages' Facts.
func builtCorpus(t testing.TB, opt corpus.Options) []*build.Region {
	t.Helper()
	site := filepath.Join(t.TempDir(), "site")
	if _, err := corpus.Write(site, opt); err != nil {
		t.Fatal(err)
	}
	proj, err := build.Load(os.DirFS(site), helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := proj.Build(output.NewMemOutput(), build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep.Sites
}

// failingFile is a spill's file whose writes fail past limit bytes (when
// not negative), whose reads return at most short bytes (when positive),
// and which lost its last cut bytes.
type failingFile struct {
	mu                sync.Mutex
	data              []byte
	limit, short, cut int
}

func (f *failingFile) Write(b []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.limit >= 0 && len(f.data)+len(b) > f.limit {
		return 0, errors.New("no space left on device")
	}
	f.data = append(f.data, b...)
	return len(b), nil
}

func (f *failingFile) ReadAt(b []byte, off int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	data := f.data[:len(f.data)-f.cut]
	if off >= int64(len(data)) {
		return 0, io.EOF
	}
	n := copy(b, data[off:])
	if f.short > 0 && n > f.short {
		return f.short, nil
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

func (f *failingFile) Close() error { return nil }
func (f *failingFile) Name() string { return "/tmp/helpgen-search-test" }

// spillTo is a spill of w whose files are file, or err.
func spillTo(w model.RegionWriter, file spillFile, err error) *spill {
	s := w.(model.Spiller).Spill("/tmp").(*spill)
	s.create = func(string) (spillFile, error) { return file, err }
	return s
}

// A spill that cannot write, read back or even make its file is an error
// naming the page or the file, never a panic nor an index written from
// part of the text.
func TestSpillErrors(t *testing.T) {
	r := regionOf(t)
	tests := []struct {
		name string
		file *failingFile
		err  error
		want string
	}{
		{"the disk fills while pages are taken", &failingFile{limit: 100 << 10}, nil, "no space left on device"},
		{"the disk fills at the last write", &failingFile{limit: 1}, nil, "no space left on device"},
		{"a read comes back short", &failingFile{limit: -1, short: 10}, nil, "cannot read back the text of page"},
		{"the file lost its end", &failingFile{limit: -1, cut: 1}, nil, "unexpected EOF"},
		{"no temporary file", nil, errors.New("permission denied"), "cannot make a temporary file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f spillFile
			if tt.file != nil {
				f = tt.file
			}
			s := spillTo(Writer(DefaultOptions), f, tt.err)
			defer s.Close()
			var err error
			for _, pg := range r.Pages {
				if err = s.Take(pg); err != nil {
					break
				}
			}
			out := &files{m: map[string]string{}}
			if err == nil {
				err = s.WriteRegion(r, out)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
			if _, ok := out.m[r.Config.Dir()+"/"+Dir+"/manifest.json"]; ok {
				t.Error("the manifest was written")
			}
		})
	}
}

// A warm build of `helpgen build`, whose reused pages give their text to
// the spill from the cache, writes the index a cold build writes.
func TestSpillWarmBuild(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	if _, err := corpus.Write(site, corpus.Options{Pages: 150, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	run := func(dest string, cache bool) *build.RunResult {
		res, err := build.Run(build.RunOptions{Site: site, Dest: dest, Defaults: helpgen.Defaults,
			Writers: []build.RegionWriter{Writer(DefaultOptions)}, Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	warm, cold := filepath.Join(root, "warm"), filepath.Join(root, "cold")
	run(warm, true)
	if res := run(warm, true); res.Reused == 0 {
		t.Fatal("the second build reused no page")
	}
	run(cold, false)
	for _, r := range []string{"jp", "us", "cn"} {
		want, got := dirFiles(t, filepath.Join(cold, r, Dir)), dirFiles(t, filepath.Join(warm, r, Dir))
		if len(want) < 10 || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: the warm build's index differs from the cold one's (%d files, %d)", r, len(got), len(want))
		}
	}
}

// dirFiles is every file under dir, by path.
func dirFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		m[strings.TrimPrefix(p, dir)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The spill's file is a temporary file that is gone once it is made (on
// systems that allow it) and at the latest once the spill is closed; a
// folder that does not exist is an error naming it.
func TestSpillTempFile(t *testing.T) {
	r := regionOf(t)
	dir := t.TempDir()
	s := Writer(DefaultOptions).(model.Spiller).Spill(dir)
	for _, pg := range r.Pages {
		if err := s.Take(pg); err != nil {
			t.Fatal(err)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 && runtime.GOOS != "windows" {
		t.Errorf("%s is not unlinked", left[0].Name())
	}
	if err := s.WriteRegion(r, &files{m: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("%s left behind", left[0].Name())
	}
	gone := filepath.Join(dir, "gone")
	s = Writer(DefaultOptions).(model.Spiller).Spill(gone)
	defer s.Close()
	if err := s.Take(r.Pages[0]); err == nil || !strings.Contains(err.Error(), gone) {
		t.Fatalf("got %v, want an error naming %s", err, gone)
	}
}
