package corpus_test

import (
	"bytes"
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/output"
)

// digest hashes every file under dir with its path.
func digest(t *testing.T, dir string) [32]byte {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		h.Write([]byte(p[len(dir):]))
		h.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil))
}

func TestWriteIsDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []struct {
		dir  string
		seed int64
	}{{a, 3}, {b, 3}, {c, 4}} {
		if _, err := corpus.Write(d.dir, corpus.Options{Pages: 120, Seed: d.seed}); err != nil {
			t.Fatal(err)
		}
	}
	if digest(t, a) != digest(t, b) {
		t.Error("the same seed wrote different sites")
	}
	if digest(t, a) == digest(t, c) {
		t.Error("different seeds wrote the same site")
	}
}

// TestCorpusBuilds builds a generated site of each size in every region and
// checks it has the shape the benchmarks rely on: Real pages as long as the
// seed pages (4.9 and 5.3 KB), Small ones less than half that.
func TestCorpusBuilds(t *testing.T) {
	for _, tc := range []struct {
		size     corpus.Size
		min, max int64 // bytes of Markdown a page, on average
	}{
		{corpus.Small, 1800, 2800},
		{corpus.Real, 4500, 5500},
	} {
		t.Run(tc.size.String(), func(t *testing.T) {
			dir := t.TempDir()
			st, err := corpus.Write(dir, corpus.Options{Pages: 230, Seed: 1, PerSection: 50, Size: tc.size})
			if err != nil {
				t.Fatal(err)
			}
			if st.Pages != 230 || st.Sections != 3+5 || st.Images != corpus.Images {
				t.Errorf("stats %+v", st)
			}
			if per := st.Bytes / int64(st.Pages); per < tc.min || per > tc.max {
				t.Errorf("%d bytes of Markdown a page, want %d to %d", per, tc.min, tc.max)
			}
			checkBuild(t, dir)
		})
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want corpus.Size
		ok   bool
	}{{"small", corpus.Small, true}, {"real", corpus.Real, true}, {"large", corpus.Small, false}, {"", corpus.Small, false}} {
		got, err := corpus.ParseSize(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseSize(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tc.in)
		}
	}
}

// checkBuild builds the site in dir and checks its regions' pages.
func checkBuild(t *testing.T, dir string) {
	t.Helper()
	p, err := build.Load(os.DirFS(dir), helpgen.Defaults, build.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := output.NewMemOutput()
	rep, err := p.Build(out, build.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]int{}
	for _, s := range rep.Sites {
		pages[s.Config.Code] = len(s.Pages)
	}
	// Every 40th page is disabled in CN, every 97th only in JP.
	if pages["JP"] <= pages["US"] || pages["US"] <= pages["CN"] {
		t.Errorf("pages per region %v: want JP > US > CN", pages)
	}
	for _, want := range []struct{ region, file, text string }{
		{"jp", "general/ja/s0000/p000000.html", "cybozu.com"},
		{"us", "general/ja/s0000/p000000.html", "Kintone"},
		{"cn", "general/ja/s0000/p000000.html", "cybozu.cn"},
	} {
		b, ok := out.Get(want.region, want.file)
		if !ok {
			t.Errorf("%s/%s not written", want.region, want.file)
			continue
		}
		if !bytes.Contains(b, []byte(want.text)) {
			t.Errorf("%s/%s lacks %q", want.region, want.file, want.text)
		}
		for _, other := range []string{"サイボウズのサポート", "Kintone"} {
			if want.region == "cn" && strings.Contains(string(b), other) {
				t.Errorf("cn/%s holds %q", want.file, other)
			}
		}
	}
	if _, ok := out.Get("cn", "general/ja/s0000/p000017.html"); ok {
		t.Error("a page disabled in CN was written to cn")
	}
}
