package render

import (
	"strings"
	"testing"
)

// TestHighlightOptions: highlight's third argument, as Hugo's string or as
// a code block hook's map, numbers lines (in a table or inline, from
// linenostart) and marks hl_lines, as Hugo v0.160 does with the same calls.
func TestHighlightOptions(t *testing.T) {
	const code = "x := 1\ny := 2\nz := 3"
	tests := []struct {
		name    string
		opts    []any
		want    []string
		notWant []string
	}{
		{"none", nil, []string{`<span class="nx">x</span>`}, []string{"lntable", `class="ln"`, " hl"}},
		{"table and a line", []any{"linenos=table,hl_lines=2"},
			[]string{`<table class="lntable">`, `<span class="hl"><span class="lnt">2`, `<span class="line hl"><span class="cl"><span class="nx">y</span>`}, nil},
		{"inline from 5", []any{"linenos=inline,linenostart=5"},
			[]string{`<span class="ln">5</span>`, `<span class="ln">7</span>`}, []string{"lntable"}},
		{"map as a hook's .Options", []any{map[string]any{"lineNos": true, "hl_lines": "1-2"}},
			[]string{`<table class="lntable">`, `<span class="line hl"><span class="cl"><span class="nx">x</span>`, `<span class="line hl"><span class="cl"><span class="nx">y</span>`}, []string{`<span class="line hl"><span class="cl"><span class="nx">z</span>`}},
		{"lines as a list", []any{map[string]any{"hl_lines": []any{3}}},
			[]string{`<span class="line hl"><span class="cl"><span class="nx">z</span>`}, nil},
		{"linenos false", []any{"linenos=false"}, nil, []string{"lntable", `class="ln"`}},
		{"nonsense ignored", []any{"hl_lines=a-b,linenostart=x,linenos"}, []string{`<span class="nx">x</span>`}, []string{"lntable", " hl", `class="ln"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := highlight(code, "go", tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("lacks %s in\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(string(out), w) {
					t.Errorf("holds %s in\n%s", w, out)
				}
			}
		})
	}
}
