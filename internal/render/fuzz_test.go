package render

import (
	"bytes"
	"context"
	"html/template"
	"testing"
	"testing/fstest"
	"time"

	"github.com/helpgen/helpgen/internal/diag"
)

// FuzzTemplateLimits: any template text either fails to load with
// positioned errors, or runs under the limits without panicking, ending by
// its deadline; when it succeeds, its output is what html/template writes
// for the same text without the checks.
func FuzzTemplateLimits(f *testing.F) {
	for _, s := range []string{
		"", "x", "{{ range 3 }}{{ . }}{{ end }}", "{{ range 1000000000000 }}{{ end }}",
		`{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}`,
		`<a href="{{ range .L }}{{ . }}{{ end }}">{{ with .L }}{{ range . }}<i>{{ . }}</i>{{ else }}none{{ end }}{{ end }}</a>`,
		`{{ block "b" . }}<script>var x = {{ .L }};</script>{{ end }}{{ range $i, $v := .L }}{{ if $i }}{{ break }}{{ end }}{{ continue }}{{ end }}`,
		`{{ partial "x.html" . }}`, `{{ range .L }}{{ _helpgen_leave }}{{ end }}`,
	} {
		f.Add(s)
	}
	data := map[string][]string{"L": {"a<b", "c"}}
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := Load(fstest.MapFS{"layouts/partials/x.html": {Data: []byte(src)}}, defaults)
		if err != nil {
			for _, e := range diag.Flatten(err) {
				if e.File == "" {
					t.Fatalf("unpositioned error %v", e)
				}
			}
			return
		}
		tpl.SetTimeout(20 * time.Millisecond)
		ctx, cancel := tpl.PageContext(context.Background())
		defer cancel()
		var got bytes.Buffer
		start := time.Now()
		err = tpl.Layout(ctx, &got, "partials/x.html", data)
		if time.Since(start) > 10*time.Second {
			t.Fatalf("ran %v past its deadline", time.Since(start))
		}
		if err != nil || ctx.Err() != nil {
			return
		}
		plain, perr := template.New("partials/x.html").Parse(src)
		if perr != nil {
			return // uses helpgen's functions
		}
		var want bytes.Buffer
		if plain.Execute(&want, data) == nil && got.String() != want.String() {
			t.Fatalf("output %q, html/template writes %q", got.String(), want.String())
		}
	})
}
