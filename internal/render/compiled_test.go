package render

import (
	"bytes"
	"context"
	"testing"
	"testing/fstest"
	"time"

	helpgen "github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/diag"
)

// stoppingPage is a page's dot whose .Lang stops the page: the context
// ends in the middle of the layout.
type stoppingPage struct {
	Title, Kind string
	Site        *Site
	stop        func()
}

func (p stoppingPage) Lang() string { p.stop(); return "en" }

// TestCompiledErrorsMatchTemplates: a built-in layout that stops with an
// error, compiled, stops with the error html/template gives: the same
// file, position, message, hint and chain of calls. It neither gives up
// nor runs the template again (which, with the page's time up, would stop
// somewhere else).
func TestCompiledErrorsMatchTemplates(t *testing.T) {
	page := func(func()) any {
		return map[string]any{"Lang": "en", "Title": "T", "Kind": "page", "Site": &Site{}}
	}
	cases := []struct {
		name    string
		files   map[string]string
		timeout time.Duration
		data    func(stop func()) any
	}{
		{"time up in a site's partial", map[string]string{"layouts/partials/toc.html": "<p>\n  {{ range 1000000000000 }}{{ end }}"}, 150 * time.Millisecond, page},
		{"stopped while the layout runs", nil, 0, func(stop func()) any { return stoppingPage{Title: "T", Kind: "page", Site: &Site{}, stop: stop} }},
		{"an error in a site's partial", map[string]string{"layouts/partials/toc.html": "<p>\n{{ .Title.Nope }}"}, 0, page},
		{"a site's partial calls a missing one", map[string]string{"layouts/partials/prevnext.html": "x\n{{ partial \"nope.html\" . }}"}, 0, page},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			site := fstest.MapFS{}
			for name, text := range tc.files {
				site[name] = &fstest.MapFile{Data: []byte(text)}
			}
			run := func(compiled bool) (diag.List, int64) {
				tpl, err := Load(site, helpgen.Defaults)
				if err != nil {
					t.Fatal(err)
				}
				if !compiled {
					tpl.RunAsTemplates()
				}
				if tc.timeout > 0 {
					tpl.SetTimeout(tc.timeout)
				}
				ctx, cancel := tpl.PageContext(context.Background())
				defer cancel()
				var b bytes.Buffer
				err = tpl.Layout(ctx, &b, "_default/single.html", tc.data(cancel))
				if err == nil {
					t.Fatal("no error")
				}
				return diag.Flatten(err), tpl.Fallbacks()
			}
			want, _ := run(false)
			got, fallbacks := run(true)
			if fallbacks != 0 {
				t.Errorf("the compiled layouts gave up %d times", fallbacks)
			}
			if len(got) != len(want) {
				t.Fatalf("%d errors, want %d:\n%v\n%v", len(got), len(want), got, want)
			}
			for i := range want {
				g, w := got[i], want[i]
				if g.File != w.File || g.Line != w.Line || g.Col != w.Col || g.Msg != w.Msg || g.Hint != w.Hint || g.Trace != w.Trace {
					t.Errorf("compiled:\n %s:%d:%d %s (%s) [%s]\nhtml/template:\n %s:%d:%d %s (%s) [%s]",
						g.File, g.Line, g.Col, g.Msg, g.Hint, g.Trace, w.File, w.Line, w.Col, w.Msg, w.Hint, w.Trace)
				}
			}
		})
	}
}
