package check

import (
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen/internal/model"
)

// TestPagesMemo: with a Memo kept from one call to the next, Pages finds
// exactly what it finds without one, also after a page not checked again
// changed what it links to (its Facts are new).
func TestPagesMemo(t *testing.T) {
	p := load(t, fstest.MapFS{
		"helpgen.toml":        {Data: []byte(config)},
		"content/a.md":        {Data: []byte("---\ntitle: A\n---\n![i](/img/used.png)\n")},
		"content/b.md":        {Data: []byte("---\ntitle: B\n---\n[pdf](/doc.pdf) [a](a.html)\n")},
		"static/img/used.png": {Data: []byte("png")},
		"static/doc.pdf":      {Data: []byte("pdf")},
		"static/old.png":      {Data: []byte("png")},
	})
	rs, err := Render(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	onlyA := func(f string) bool { return f == "content/a.md" }
	memo := &Memo{}
	same := func(step string) []Finding {
		t.Helper()
		want := Pages(p, rs, onlyA, nil)
		got := Pages(p, rs, onlyA, memo)
		if !reflect.DeepEqual(findingTexts(got), findingTexts(want)) {
			t.Errorf("%s: with a memo\n%v\nwithout\n%v", step, findingTexts(got), findingTexts(want))
		}
		return got
	}
	same("first")
	if len(memo.uses) == 0 {
		t.Fatal("the memo kept nothing")
	}
	before := findingTexts(same("again"))
	for _, r := range rs {
		for _, pg := range r.Pages {
			if pg.Src.File == "content/b.md" {
				f := *pg.Facts
				f.Links = []model.Ref{{Dest: "/old.png"}}
				pg.Facts = &f
			}
		}
	}
	after := findingTexts(same("after b changed"))
	if reflect.DeepEqual(before, after) {
		t.Errorf("b's new link changed nothing: %v", after)
	}
}

func findingTexts(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Error.Error()
	}
	return out
}
