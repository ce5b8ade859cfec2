package tplrun

import (
	"bytes"
	"html/template"
	"sync"
	"testing"
)

// Two types whose fields of the same names sit at other indexes, one with
// a method where the other has a field: a field cache that is not
// per-type and atomic mixes them up.
type concA struct {
	Title string
	Items []node
}

type concB struct {
	N     int
	Items []struct {
		X    int
		Name template.HTML
	}
}

func (concB) Title() string { return "b&b" }

// TestConcurrentUse runs one program from many goroutines on data of
// both types alternately; run with -race.
func TestConcurrentUse(t *testing.T) {
	src := `<h1 title="{{ .Title }}">{{ .Title }}</h1>{{ range $i, $e := .Items }}{{ $i }}{{ .Name }}{{ $e.Name }};{{ end }}`
	a := concA{Title: "a<a>", Items: []node{{Name: "x"}, {Name: "y&"}}}
	b := &concB{N: 1}
	b.Items = append(b.Items, struct {
		X    int
		Name template.HTML
	}{1, "<b>z</b>"})
	data := []any{a, b}
	want := make([]string, len(data))
	for i, d := range data {
		var w bytes.Buffer
		if err := template.Must(template.New("t").Parse(src)).Execute(&w, d); err != nil {
			t.Fatal(err)
		}
		want[i] = w.String()
	}
	p := compile(t, src, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			var w bytes.Buffer
			for i := range 200 {
				k := (g + i) % 2
				w.Reset()
				if err := p.Execute(&w, data[k], nil, 1<<20); err != nil {
					t.Errorf("goroutine %d, run %d: %v", g, i, err)
					return
				}
				if w.String() != want[k] {
					t.Errorf("goroutine %d, run %d:\n got %q\nwant %q", g, i, w.String(), want[k])
					return
				}
			}
		})
	}
	wg.Wait()
}
