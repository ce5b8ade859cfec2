package markdown

import (
	"strings"
	"testing"
)

// TestRefs: links and images in a shortcode's inner text are found with
// their offsets in the text as given, indented or not.
func TestRefs(t *testing.T) {
	for _, tc := range []struct {
		inner string
		dests []string // each found at the text after its "[" (or at "http" for an autolink)
	}{
		{"See [one](/one.html).", []string{"/one.html"}},
		{"\n    See [two](/two.html)\n    and ![img](/i.png)\n", []string{"/two.html", "/i.png"}},
		{"  * item [three](/three.html)\n  * https://example.com/x\n", []string{"/three.html", "https://example.com/x"}},
		{"\tcode? no: [four](/four.html)\n", []string{"/four.html"}},
		{"\n\n", nil},
	} {
		links, images := Refs([]byte(tc.inner))
		var got []string
		for _, l := range links {
			got = append(got, l.Dest)
			want := strings.Index(tc.inner, l.Dest) // an autolink
			if end := strings.Index(tc.inner, "]("+l.Dest); end >= 0 {
				want = strings.LastIndex(tc.inner[:end], "[") + 1
			}
			if l.Offset != want {
				t.Errorf("%q: %s at %d, want %d", tc.inner, l.Dest, l.Offset, want)
			}
		}
		for _, im := range images {
			got = append(got, im.Src)
			if want := strings.LastIndex(tc.inner[:strings.Index(tc.inner, "]("+im.Src)], "[") + 1; im.Offset != want {
				t.Errorf("%q: %s at %d, want %d", tc.inner, im.Src, im.Offset, want)
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.dests, " ") {
			t.Errorf("%q: found %v, want %v", tc.inner, got, tc.dests)
		}
	}
}
