package render

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"testing/fstest"
)

// cachedPage is a layout's data with a region, as a page's is.
type cachedPage struct {
	Title, Kind, Region string
}

func (p cachedPage) TemplateRegion() string { return p.Region }

// TestPartialCached runs a partial through partialCached on a sequence of
// pages: each row's output is what the first call with the same region,
// name and variants made, or the partial run afresh.
func TestPartialCached(t *testing.T) {
	site := fstest.MapFS{
		"layouts/_default/none.html":    {Data: []byte(`{{ partialCached "who.html" . }}`)},
		"layouts/_default/kind.html":    {Data: []byte(`{{ partialCached "who.html" . .Kind }}`)},
		"layouts/_default/two.html":     {Data: []byte(`{{ partialCached "who.html" . .Kind 1 }}`)},
		"layouts/_default/typed.html":   {Data: []byte(`{{ partialCached "who.html" . "1" }}|{{ partialCached "who.html" . 1 }}`)},
		"layouts/_default/plain.html":   {Data: []byte(`{{ partial "who.html" . }}`)},
		"layouts/_default/other.html":   {Data: []byte(`{{ partialCached "other.html" . }}`)},
		"layouts/_default/missing.html": {Data: []byte(`{{ partialCached "nope.html" . }}`)},
		"layouts/partials/who.html":     {Data: []byte(`{{ .Region }}:{{ .Title }}`)},
		"layouts/partials/other.html":   {Data: []byte(`other {{ .Title }}`)},
	}
	tpl, err := Load(site, fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		layout string
		page   cachedPage
		reset  bool
		want   string
	}{
		{"none", cachedPage{"a", "page", "JP"}, false, "JP:a"},
		{"none", cachedPage{"b", "page", "JP"}, false, "JP:a"},
		// Never another region's result.
		{"none", cachedPage{"c", "page", "US"}, false, "US:c"},
		{"none", cachedPage{"d", "page", "JP"}, false, "JP:a"},
		// Variants make results of their own.
		{"kind", cachedPage{"e", "home", "JP"}, false, "JP:e"},
		{"kind", cachedPage{"f", "page", "JP"}, false, "JP:f"},
		{"kind", cachedPage{"g", "home", "JP"}, false, "JP:e"},
		{"kind", cachedPage{"h", "home", "US"}, false, "US:h"},
		{"two", cachedPage{"i", "home", "JP"}, false, "JP:i"},
		{"typed", cachedPage{"j", "page", "JP"}, false, "JP:j|JP:j"},
		{"typed", cachedPage{"k", "page", "JP"}, false, "JP:j|JP:j"},
		// Another partial, and partial itself, are not answered from
		// the cache.
		{"other", cachedPage{"l", "page", "JP"}, false, "other l"},
		{"plain", cachedPage{"m", "page", "JP"}, false, "JP:m"},
		// A reset forgets every result.
		{"none", cachedPage{"n", "page", "JP"}, true, "JP:n"},
		{"kind", cachedPage{"o", "home", "JP"}, false, "JP:o"},
	} {
		if tc.reset {
			tpl.ResetCache()
		}
		var b bytes.Buffer
		if err := tpl.Layout(context.Background(), &b, "_default/"+tc.layout+".html", tc.page); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%s %+v: got %q, want %q", tc.layout, tc.page, b.String(), tc.want)
		}
	}
	var b bytes.Buffer
	err = tpl.Layout(context.Background(), &b, "_default/missing.html", cachedPage{"p", "page", "JP"})
	if err == nil {
		t.Error("a missing partial: no error")
	}
}

func TestVariantKey(t *testing.T) {
	seen := map[string]string{}
	for _, v := range [][]any{nil, {"1"}, {1}, {true}, {"true"}, {"a", "b"}, {"a1:b"}, {"s1:a"}, {"1:a1:b"}, {1.5}, {"1.5"}, {[]string{"x"}}} {
		k := variantKey(v)
		if prev, ok := seen[k]; ok {
			t.Errorf("%#v and %s have the same key %q", v, prev, k)
		}
		seen[k] = fmt.Sprintf("%#v", v)
	}
}
