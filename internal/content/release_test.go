package content

import (
	"bytes"
	"errors"
	"io/fs"
	"reflect"
	"slices"
	"sync"
	"testing"
	"testing/fstest"
)

const releasePage = "---\ntitle: \"{{%service%}} T\"\ndescription: d\naliases: [\"/ja/id/1\"]\n---\n\xef\xbb\xbfa {{% enabled JP %}}{{%service%}}{{% /enabled %}}\r\nb\n"

// loadOne loads the one page of fsys.
func loadOne(t *testing.T, fsys fs.FS) *Page {
	t.Helper()
	pages, err := Load(fsys, testSite(t), Options{Names: names{}})
	if err != nil || len(pages) != 1 {
		t.Fatalf("Load: %d pages, %v", len(pages), err)
	}
	return pages[0]
}

// TestReleaseReadsAgain: a released page gives back the text and tree it
// had, read and parsed again from its file, and keeps its front matter.
func TestReleaseReadsAgain(t *testing.T) {
	m := fstest.MapFS{"content/p.md": {Data: []byte(releasePage)}}
	p := loadOne(t, m)
	text, err := p.Text()
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := p.Tree()
	text = bytes.Clone(text)
	front := bytes.Clone(p.FrontMatter())
	if !bytes.HasPrefix(text, front) || !bytes.HasSuffix(front, []byte("---\n")) {
		t.Fatalf("front matter %q is not the head of %q", front, text)
	}
	if !p.Release() {
		t.Fatal("a page read from a file system is released")
	}
	if p.src.text != nil || p.src.tree != nil {
		t.Fatal("Release kept the text or the tree")
	}
	if !bytes.Equal(p.FrontMatter(), front) {
		t.Errorf("front matter after Release = %q, want %q", p.FrontMatter(), front)
	}
	again, err := p.Tree() // before Text: Tree reads the file itself
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, tree) {
		t.Errorf("tree read again = %+v, want %+v", again, tree)
	}
	got, err := p.Text()
	if err != nil || !bytes.Equal(got, text) {
		t.Errorf("Text after Release = %q, %v; want %q", got, err, text)
	}
	if &got[0] != &again.Src[0] {
		t.Error("Text and Tree read the file twice")
	}
	// Released again, read again: still the same.
	p.Release()
	if got, err := p.Text(); err != nil || !bytes.Equal(got, text) {
		t.Errorf("Text after a second Release = %q, %v", got, err)
	}
}

// TestReleaseKeepsNoText: what a released page keeps (title, description
// and region title trees) does not hold on to the file's text.
func TestReleaseKeepsNoText(t *testing.T) {
	m := fstest.MapFS{"content/p.md": {Data: []byte("---\ntitle: \"{{%service%}} T\"\ntitle_us: \"{{%service%}} U\"\ndescription: \"{{%service%}} d\"\n---\nbody\n")}}
	p := loadOne(t, m)
	text, _ := p.Text()
	for name, d := range map[string][]byte{"title": p.Title.Src, "description": p.Desc.Src, "title_us": p.RegionTitles["US"].Src, "front matter": p.FrontMatter()} {
		if len(d) == 0 || !bytes.HasPrefix(text, d) {
			t.Errorf("%s tree's text %q is not the head of the file", name, d)
			continue
		}
		if &d[:1][0] == &text[:1][0] {
			t.Errorf("%s tree indexes the file's own bytes: releasing the page would keep them", name)
		}
	}
}

// TestReleaseChangedFile: a file that changed or went away after its page
// was released is an error, never another text or an empty one.
func TestReleaseChangedFile(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(m fstest.MapFS)
		same   bool // the text as read is the one rendered
		gone   bool
	}{
		{"a byte order mark added", func(m fstest.MapFS) {
			m["content/p.md"].Data = append([]byte("\xef\xbb\xbf"), m["content/p.md"].Data...)
		}, true, false},
		{"one byte changed", func(m fstest.MapFS) { m["content/p.md"].Data[len(releasePage)-2] = 'c' }, false, false},
		{"longer", func(m fstest.MapFS) { m["content/p.md"].Data = append(m["content/p.md"].Data, 'x') }, false, false},
		{"removed", func(m fstest.MapFS) { delete(m, "content/p.md") }, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := fstest.MapFS{"content/p.md": {Data: []byte(releasePage)}}
			p := loadOne(t, m)
			want, _ := p.Text()
			want = bytes.Clone(want)
			p.Release()
			tc.change(m)
			if tc.same {
				if got, err := p.Text(); err != nil || !bytes.Equal(got, want) {
					t.Fatalf("Text = %q, %v; want %q", got, err, want)
				}
				return
			}
			got, err := p.Text()
			var ce *ChangedError
			if !errors.As(err, &ce) || got != nil || ce.File != "content/p.md" {
				t.Fatalf("Text = %q, %v; want a ChangedError", got, err)
			}
			if tc.gone != errors.Is(err, fs.ErrNotExist) {
				t.Errorf("error %v: gone = %v", err, errors.Is(err, fs.ErrNotExist))
			}
			if tree, err2 := p.Tree(); tree != nil || err2 != err {
				t.Errorf("Tree = %v, %v; want nil and the same error", tree, err2)
			}
		})
	}
}

// TestReleaseWithoutFile: a page not read through Load or LoadFile has no
// file to read again, so it keeps its text.
func TestReleaseWithoutFile(t *testing.T) {
	p, errs := loadPage("content/p.md", []byte(releasePage), testSite(t), Options{Names: names{}})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if p.Release() {
		t.Error("released a page that cannot be read again")
	}
	if text, err := p.Text(); err != nil || len(text) == 0 {
		t.Errorf("Text = %q, %v", text, err)
	}
	var generated Page
	if generated.Release() {
		t.Error("released a page without a file")
	}
	if text, err := generated.Text(); text != nil || err != nil {
		t.Errorf("a page without a file: Text = %q, %v", text, err)
	}
}

// TestReleaseConcurrent: readers and releasers of one page at once always
// get the page's text and tree (run with -race).
func TestReleaseConcurrent(t *testing.T) {
	m := fstest.MapFS{"content/p.md": {Data: []byte(releasePage)}}
	p := loadOne(t, m)
	text, _ := p.Text()
	want := bytes.Clone(text)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				if (g+i)%5 == 0 {
					p.Release()
					continue
				}
				got, err := p.Text()
				tree, err2 := p.Tree()
				if err != nil || err2 != nil || !bytes.Equal(got, want) || !bytes.Equal(tree.Src, want) {
					errs <- string(got)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("read %q, want %q", e, want)
	}
}

// TestBodySummary: what checks read of a body instead of its tree.
func TestBodySummary(t *testing.T) {
	for _, tc := range []struct {
		body  string
		blank bool
		vars  []string
	}{
		{"", true, nil},
		{"\n  \n\t\n", true, nil},
		{"text", false, nil},
		{"{{% enabled JP %}} {{% /enabled %}}", false, nil},
		{"a {{%service%}} b {{% disabled US %}}{{%service%}}{{% /disabled %}}", false, []string{"service"}},
		{"{{% enabled JP %}}{{% disabled US %}}{{%service%}}{{% /disabled %}}{{% /enabled %}}", false, []string{"service"}},
	} {
		m := fstest.MapFS{"content/p.md": {Data: []byte("---\ntitle: T\n---\n" + tc.body)}}
		p := loadOne(t, m)
		if p.BodyBlank != tc.blank || !slices.Equal(p.BodyVars, tc.vars) {
			t.Errorf("%q: blank %v vars %q, want %v %q", tc.body, p.BodyBlank, p.BodyVars, tc.blank, tc.vars)
		}
	}
}

// TestLoadReleases: with Options.Release every page comes back released,
// and reads and parses again to what a Load keeping them holds.
func TestLoadReleases(t *testing.T) {
	m := fstest.MapFS{
		"content/p.md":   {Data: []byte(releasePage)},
		"content/a/q.md": {Data: []byte("---\ntitle: Q\n---\nq {{% disabled US %}}not US{{% /disabled %}}\n")},
	}
	kept, err := Load(m, testSite(t), Options{Names: names{}})
	if err != nil {
		t.Fatal(err)
	}
	released, err := Load(m, testSite(t), Options{Names: names{}, Release: true})
	if err != nil || len(released) != len(kept) {
		t.Fatalf("Load with Release: %d pages, %v", len(released), err)
	}
	for i, p := range released {
		if !p.src.released || p.src.text != nil || p.src.tree != nil {
			t.Errorf("%s: loaded with Release, still holds its text or tree", p.File)
		}
		want, _ := kept[i].Tree()
		got, err := p.Tree()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: tree read again = %+v, %v; want %+v", p.File, got, err, want)
		}
	}
}
