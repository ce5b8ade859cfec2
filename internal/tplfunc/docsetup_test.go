package tplfunc

import (
	"strings"
	"testing"
)

// TestHugoDocExamplesWithSetup runs the examples of Hugo's function
// documentation (v0.160) that need variables set first, or html/template's
// escaping, which testdata/hugo-doc-examples.tsv cannot hold: each case is
// the page's template on one line and the output it shows.
func TestHugoDocExamplesWithSetup(t *testing.T) {
	tests := []struct{ fn, src, want string }{
		{"strings/ReplaceRE", "{{ $s := \"a-b--c---d\" }}{{ replaceRE `(-{2,})` \"-\" $s }}", "a-b-c-d"},
		{"strings/ReplaceRE", "{{ $s := \"a-b--c---d\" }}{{ replaceRE `(-{2,})` \"-\" $s 1 }}", "a-b-c---d"},
		{"strings/ReplaceRE", `{{ $s := "http://gohugo.io/docs" }}{{ replaceRE "^https?://([^/]+).*" "$1" $s }}`, "gohugo.io"},
		{"strings/FindRE", `{{ findRE "<h2.*?>(.|\n)*?</h2>" "<h1>a</h1><h2 id=\"x\">b</h2><h2>c</h2>" 1 }}`, `[&lt;h2 id=&#34;x&#34;&gt;b&lt;/h2&gt;]`},
		{"collections/Append", `{{ $s := slice "a" "b" }}{{ $s }} {{ $s = $s | append "c" }}{{ $s }}`, "[a b] [a b c]"},
		{"collections/Append", `{{ $s := slice "a" "b" }}{{ $s = $s | append "c" "d" }}{{ $s }}`, "[a b c d]"},
		{"collections/Append", `{{ $s := slice "a" "b" }}{{ $s = $s | append (slice "c" "d") }}{{ $s }}`, "[a b c d]"},
		{"collections/Append", `{{ $s := slice }}{{ $s }} {{ $s = $s | append "a" }}{{ $s }} {{ $s = $s | append "b" "c" }}{{ $s }} {{ $s = $s | append (slice "d" "e") }}{{ $s }}`, "[] [a] [a b c] [a b c d e]"},
		{"collections/After", `{{ $data := slice "one" "two" "three" "four" }}<ul>{{ range after 2 $data }}<li>{{ . }}</li>{{ end }}</ul>`, "<ul><li>three</li><li>four</li></ul>"},
		{"collections/Union", `{{ union (slice 1 2 3) (slice 3 4 5) }} {{ union (slice 1 2 3) nil }} {{ union nil (slice 1 2 3) }} {{ union nil nil }}`, "[1 2 3 4 5] [1 2 3] [1 2 3] []"},
		{"collections/Intersect", `{{ intersect (slice 1 2 3 4) (slice 2 4 6) }}`, "[2 4]"},
		{"collections/Complement", `{{ $c1 := slice 3 }}{{ $c2 := slice 4 5 }}{{ $c3 := slice 1 2 3 4 5 }}{{ complement $c1 $c2 $c3 }} {{ $c3 | complement $c1 $c2 }}`, "[1 2] [1 2]"},
		{"collections/Delimit", `{{ $s := slice "b" "a" "c" }}{{ delimit $s ", " }}|{{ delimit $s ", " " and "}}`, "b, a, c|b, a and c"},
		{"collections/Delimit", `{{ $m := dict "b" 2 "a" 1 "c" 3 }}{{ delimit $m ", " }}|{{ delimit $m ", " " and "}}`, "1, 2, 3|1, 2 and 3"},
		{"collections/In", `{{ $s := slice "a" "b" "c" }}{{ in $s "b" }} {{ $t := "abc" }}{{ in $t "b" }}`, "true true"},
		{"collections/Dictionary", `{{ $m := dict (slice "a" "b" "c") "value" }}{{ $m.a.b.c }} {{ len (dict) }}`, "value 0"},
		{"collections/Merge", `{{ $m1 := dict "x" "foo" }}{{ $m2 := dict "x" "bar" "y" "wibble" }}{{ $m3 := dict "x" "baz" "y" "wobble" "z" (dict "a" "huey") }}{{ $merged := merge $m1 $m2 $m3 }}{{ $merged.x }} {{ $merged.y }} {{ $merged.z.a }}`, "baz wobble huey"},
		{"collections/Merge", `{{ $m1 := dict "x" "foo" }}{{ $m2 := dict "x" "bar" "y" "wibble" }}{{ $m3 := dict "x" "baz" "y" "wobble" "z" (dict "a" "huey") }}{{ $merged := merge $m3 $m2 $m1 }}{{ $merged.x }} {{ $merged.y }} {{ $merged.z.a }}`, "foo wibble huey"},
		{"collections/Merge", `{{ $m1 := dict "x" "foo" }}{{ $m2 := dict "x" "bar" "y" "wibble" }}{{ $m3 := dict "x" "baz" "y" "wobble" "z" (dict "a" "huey") }}{{ $merged := merge $m1 $m3 $m2 }}{{ $merged.x }} {{ $merged.y }} {{ $merged.z.a }}`, "bar wibble huey"},
		{"collections/Querify", `{{ collections.Querify (dict "a" 1 "b" 2) }} {{ collections.Querify (slice "a" 1 "b" 2) }} {{ collections.Querify "a" 1 "b" 2 }}`, "a=1&amp;b=2 a=1&amp;b=2 a=1&amp;b=2"},
		{"collections/Querify", `{{ $qs := collections.Querify (dict "a" 1 "b" 2) }}{{ $href := printf "https://example.org?%s" $qs }}<a href="{{ $href }}">Link</a>`, `<a href="https://example.org?a=1&amp;b=2">Link</a>`},
		{"compare/Conditional", `{{ $qty := 42 }}{{ cond (le $qty 3) "few" "many" }}`, "many"},
		{"time/Format", `{{ $t := time.AsTime "2023-10-15T13:18:50-07:00" }}{{ time.Format "2 Jan 2006" $t }}`, "15 Oct 2023"},
		{"time/Format", `{{ $t := "15 Oct 2023" }}{{ time.Format "January 2, 2006" $t }}`, "October 15, 2023"},
		{"urls/Parse", `{{ $u := urls.Parse "https://example.org:123/foo?a=6&b=7#bar" }}{{ $u.String }}|{{ $u.IsAbs }}|{{ $u.Scheme }}|{{ $u.Host }}|{{ $u.Hostname }}|{{ $u.RequestURI }}|{{ $u.Path }}|{{ $u.RawQuery }}|{{ $u.Query }}|{{ $u.Query.a }}|{{ $u.Query.Get "a" }}|{{ $u.Query.Has "b" }}|{{ $u.Fragment }}`,
			"https://example.org:123/foo?a=6&amp;b=7#bar|true|https|example.org:123|example.org|/foo?a=6&amp;b=7|/foo|a=6&amp;b=7|map[a:[6] b:[7]]|[6]|6|true|bar"},
		{"safe/JS", `{{ $js := "x + y" }}<script>const a = {{ $js }}</script>`, `<script>const a = "x + y"</script>`},
		{"safe/JS", `{{ $js := "x + y" }}<script>const a = {{ $js | safeJS }}</script>`, `<script>const a = x + y</script>`},
		{"safe/CSS", `{{ $style := "color: red;" }}<p style="{{ $style }}">foo</p>`, `<p style="ZgotmplZ">foo</p>`},
		{"safe/CSS", `{{ $style := "color: red;" }}<p style="{{ $style | safeCSS }}">foo</p>`, `<p style="color: red;">foo</p>`},
		{"safe/URL", `{{ $href := "irc://irc.freenode.net/#golang" }}<a href="{{ $href }}">IRC</a>`, `<a href="#ZgotmplZ">IRC</a>`},
		{"safe/URL", `{{ $href := "irc://irc.freenode.net/#golang" }}<a href="{{ $href | safeURL }}">IRC</a>`, `<a href="irc://irc.freenode.net/#golang">IRC</a>`},
		{"safe/HTMLAttr", `{{ $d := time.AsTime "2024-05-26T07:19:55+02:00" }}{{ $m := time.Format "2006-01-02T15:04:05-07:00" $d }}<time datetime="{{ $m }}">{{ time.Format "2 Jan 2006" $d }}</time>`, `<time datetime="2024-05-26T07:19:55&#43;02:00">26 May 2024</time>`},
		{"safe/HTMLAttr", `{{ $d := time.AsTime "2024-05-26T07:19:55+02:00" }}{{ $m := time.Format "2006-01-02T15:04:05-07:00" $d }}<time {{ printf "datetime=%q" $m | safeHTMLAttr }}>{{ time.Format "2 Jan 2006" $d }}</time>`, `<time datetime="2024-05-26T07:19:55+02:00">26 May 2024</time>`},
		{"encoding/Jsonify", `{{ dict "title" "T" "content" "C" | jsonify }}`, `{"content":"C","title":"T"}`},
		{"encoding/Jsonify", `{{ dict "title" "T" "content" "C" | jsonify (dict "prefix" " " "indent" "  ") }}`, "{\n   \"content\": \"C\",\n   \"title\": \"T\"\n }"},
	}
	for _, tt := range tests {
		got, err := execHTML(tt.src, nil, Env{})
		if err != nil || got != tt.want {
			t.Errorf("%s: %s = %q, %v; want %q", tt.fn, tt.src, got, err, tt.want)
		}
	}
	if len(tests) < 30 || !strings.Contains(tests[0].fn, "/") {
		t.Fatal("cases lost")
	}
}
