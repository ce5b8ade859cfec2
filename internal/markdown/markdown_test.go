package markdown

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestConvertFacts(t *testing.T) {
	src := "intro [a](/a.html) and ![shot](/i.png)\n\n## 方法1 パスワード {#m1}\n\ntext <a href=\"/raw.html\" id=\"r\">raw</a>\n\n### Sub Heading\n\nmore https://example.com\n"
	d, err := Convert([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Headings) != 2 || d.Headings[0].ID != "m1" || d.Headings[0].Text != "方法1 パスワード" || d.Headings[1].ID != "sub-heading" || d.Headings[1].Level != 3 {
		t.Errorf("headings: %+v", d.Headings)
	}
	var links []string
	for _, l := range d.Links {
		links = append(links, l.Dest)
	}
	if strings.Join(links, " ") != "/a.html https://example.com" {
		t.Errorf("links: %v", links)
	}
	if len(d.Images) != 1 || d.Images[0].Src != "/i.png" || d.Images[0].Alt != "shot" {
		t.Errorf("images: %+v", d.Images)
	}
	if src[d.Links[0].Offset:d.Links[0].Offset+1] != "a" {
		t.Errorf("link offset %d points at %q", d.Links[0].Offset, src[d.Links[0].Offset:])
	}
	var raw []string
	for _, r := range d.RawHTML {
		raw = append(raw, r.HTML)
	}
	if f := ScanHTML(strings.Join(raw, "")); len(f.Links) != 1 || f.Links[0] != "/raw.html" || f.IDs[0] != "r" {
		t.Errorf("raw html facts: %+v from %q", f, raw)
	}
	if len(d.Sections) != 3 || d.Sections[0].Heading != nil || !strings.Contains(d.Sections[1].Text, "text raw") || d.Sections[2].Heading.ID != "sub-heading" {
		t.Errorf("sections: %+v", d.Sections)
	}
}

func TestAnchorize(t *testing.T) {
	tests := map[string]string{
		"パスワードを変更する":          "パスワードを変更する",
		"Reset the Password!": "reset-the-password",
		"  方法1 　ログイン  ":       "方法1-ログイン",
		"a_b-c  d":            "a_b-c-d",
		"x" + Placeholder(3):  "x",
	}
	for in, want := range tests {
		if got := Anchorize(in); got != want {
			t.Errorf("Anchorize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestShortcodeOutput: the output of {{< >}} calls is written where their
// placeholders stand, through goldmark: a placeholder alone in a paragraph
// loses the <p> (block output is not nested in a paragraph), output may
// hold placeholders itself, one out of the table stays as it is, and a
// placeholder in raw HTML or code gets the output as well. Sections count
// the output's text.
func TestShortcodeOutput(t *testing.T) {
	table := []string{`<img src="a">`, `<aside>` + Placeholder(0) + `</aside>`, `<span class="c">text <b>bold</b></span>`}
	for _, tc := range []struct{ md, html, text string }{
		{Placeholder(1) + "\n\nx " + Placeholder(0) + " y\n\n" + Placeholder(9) + "\n",
			`<aside><img src="a"></aside>` + "\n<p>x <img src=\"a\"> y</p>\n<p>" + Placeholder(9) + "</p>\n", "x y"},
		{"a" + Placeholder(7) + Placeholder(2) + "b\nnext " + Placeholder(2) + "\n", "<p>a" + Placeholder(7) + "<span class=\"c\">text <b>bold</b></span>b\nnext <span class=\"c\">text <b>bold</b></span></p>\n", "a text bold b next text bold"},
		{"* item\n\n  " + Placeholder(0) + "\n", "<ul>\n<li>\n<p>item</p>\n<img src=\"a\">\n</li>\n</ul>\n", "item"},
		{"`" + Placeholder(2) + "` and <i title=\"" + Placeholder(0) + "\">i</i>\n", "<p><code><span class=\"c\">text <b>bold</b></span></code> and <i title=\"<img src=\"a\">\">i</i></p>\n", ""},
		{"<div>\n" + Placeholder(2) + "\n</div>\n", "<div>\n<span class=\"c\">text <b>bold</b></span>\n</div>\n", "text bold"},
		{"```\n<" + Placeholder(0) + "\n```\n\n    " + Placeholder(0) + "\n", "<pre><code>&lt;<img src=\"a\">\n</code></pre>\n<pre><code><img src=\"a\">\n</code></pre>\n", ""},
		{"## Title " + Placeholder(2) + "\n\nbody\n", "<h2 id=\"title\">Title <span class=\"c\">text <b>bold</b></span></h2>\n<p>body</p>\n", "body"},
	} {
		d, err := ConvertPage([]byte(tc.md), nil, nil, &Shortcodes{HTML: table})
		if err != nil {
			t.Fatalf("%q: %v", tc.md, err)
		}
		if string(d.HTML) != tc.html {
			t.Errorf("%q:\ngot  %q\nwant %q", tc.md, d.HTML, tc.html)
		}
		var text []string
		for _, s := range d.Sections {
			if s.Text != "" {
				text = append(text, s.Text)
			}
		}
		if tc.text != "" && strings.Join(text, " ") != tc.text {
			t.Errorf("%q: sections %+v, want text %q", tc.md, d.Sections, tc.text)
		}
	}
	loop := &Shortcodes{HTML: []string{Placeholder(0)}}
	if _, err := ConvertPage([]byte(Placeholder(0)), nil, nil, loop); err == nil {
		t.Error("self-referencing placeholder did not fail")
	}
}

func TestSquashSpace(t *testing.T) {
	for _, s := range []string{
		"", " ", "a", "  a  b\t\nc  ", "パスワード\u3000を　変更\u00a0する", "x\u2028y\u205fz\u0085w", "\xe3\x80 bad\xff utf8 ",
		"a " + Placeholder(0) + " b", "\u1680x\u2000\u200a\u200by\u2029\u202f\u3000\u3001z\u00a0\u0085\u00a1", Placeholder(1) + "tail", "open \uE000 no close", "a\uE001b", "\uE0003\uE001\uE0004\uE001",
	} {
		want := strings.Join(strings.Fields(s), " ")
		got := string(squashSpace(nil, []byte(s)))
		if got != want {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	}
}

// Every rune's space-ness must agree with unicode.IsSpace.
func TestSpaceLen(t *testing.T) {
	for r := rune(0); r <= 0x10FFFF; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		b := utf8.AppendRune(nil, r)
		if got, want := spaceLen(b) > 0, unicode.IsSpace(r); got != want {
			t.Errorf("%U: space %v, want %v", r, got, want)
		}
	}
}

func FuzzSquashSpace(f *testing.F) {
	f.Add("  a  b\t\nc  パス\u3000ワード " + Placeholder(2))
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Join(strings.Fields(s), " ")
		if got := string(squashSpace(nil, []byte(s))); got != want {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	})
}

func TestScanRefs(t *testing.T) {
	for _, tc := range []struct {
		in                 string
		links, images, ids int
	}{
		{"<br>", 0, 0, 0},
		{"<b>bold</b>", 0, 0, 0},
		{`<a HREF="/x.html">x</a>`, 1, 0, 0},
		{`<a href>x</a>`, 1, 0, 0},
		{`<IMG Src="/i.png" alt="a">`, 0, 1, 0},
		{`<span ID=top>`, 0, 0, 1},
	} {
		f := ScanRefs(tc.in)
		if len(f.Links) != tc.links || len(f.Images) != tc.images || len(f.IDs) != tc.ids || f.Text != "" {
			t.Errorf("%s: %+v", tc.in, f)
		}
		g := ScanHTML(tc.in)
		if len(g.Links) != len(f.Links) || len(g.Images) != len(f.Images) || len(g.IDs) != len(f.IDs) {
			t.Errorf("%s: ScanRefs %+v disagrees with ScanHTML %+v", tc.in, f, g)
		}
	}
}

// FuzzScanRefs: ScanRefs, which skips fragments that cannot hold a link,
// an image or an id, finds the same ones as ScanHTML; HTMLText gives
// ScanHTML's text.
func FuzzScanRefs(f *testing.F) {
	for _, s := range []string{
		`<img class="screenshot" src="/a.png" alt="ログイン画面" data-action="zoom" loading="lazy">`,
		`<a href="/x.html" id="top">x</a><br/>`, `<A HREF="/x">`, `<img src="a" src="b">`, `<img src=a>`,
		`<a href='/q'>`, `<p id="a"><!-- <a href="/c"> --></p>`, `<script><a href="/s"></script>`, `x < y <a href="/z">`,
		`<a href="/&amp;">`, `<img alt="" src="">`, `<a\nhref="/n"\n>`, `<a href="/x"/>`, `</a href="/y">`, `<a  id="q"id="r">`,
		`<div><p class="admonition-title">Note<p>in</p>out</p>text</div>`, `<p class="admonition-title"/>text`, `<P CLASS="a admonition-title">x</P>y`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := ScanHTML(s)
		got := ScanRefs(s)
		if !slices.Equal(got.Links, want.Links) || !slices.Equal(got.IDs, want.IDs) || !slices.Equal(got.Images, want.Images) || HTMLText(s) != want.Text {
			t.Errorf("%q:\nScanRefs %+v, HTMLText %q\nScanHTML %+v", s, got, HTMLText(s), want)
		}
	})
}

func TestExpandText(t *testing.T) {
	table := []string{"注意 inner " + Placeholder(1), "nested", "unused"}
	text := func(n int) (string, bool) {
		if n < 0 || n >= len(table) {
			return "", false
		}
		return table[n], true
	}
	for _, tc := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"before " + Placeholder(0) + " after", "before 注意 inner nested after"},
		{"x" + Placeholder(9) + "y", "xy"},
		{"cut " + "\uE000" + "1", "cut"},
	} {
		if got := ExpandText(tc.in, text); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Section and heading text is what the reader sees: entities and
// backslash escapes resolved as the HTML shows them, code as written.
func TestShownText(t *testing.T) {
	for _, tc := range []struct{ md, heading, text string }{
		{"# A &amp; B\n\nC&amp;D &copy; 2026&nbsp;x &#x41;\n", "A & B", "C&D © 2026 x A"}, // a no-break space separates like a space
		{"# h\n\n\\*not em\\* \\&amp; `&amp;` &unknown;\n", "h", "*not em* &amp; &amp; &unknown;"},
		{"# h\n\n```\n&amp;\n```\n", "h", "&amp;"},
		{"# h\n\n<p>x &amp; y</p>\n", "h", "x & y"},
	} {
		d, err := Convert([]byte(tc.md), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Headings) != 1 || d.Headings[0].Text != tc.heading {
			t.Errorf("%q: headings %+v, want %q", tc.md, d.Headings, tc.heading)
		}
		if len(d.Sections) != 1 || d.Sections[0].Text != tc.text {
			t.Errorf("%q: text %+v, want %q", tc.md, d.Sections, tc.text)
		}
	}
}

// An admonition's label is the theme's furniture, not the page's text.
func TestHTMLTextWithoutLabels(t *testing.T) {
	for in, want := range map[string]string{
		`<div class="admonition note" role="note"><p class="admonition-title">メモ</p><div class="admonition-content"><p>本文 &amp; 続き</p></div></div>`: "本文 & 続き",
		`<div class="admonition"><p class="x admonition-title">Note <p>nested</p> still</p><p>text</p></div>`:                                       "text",
		`<p class="admonition-titles">kept</p>`: "kept",
		`<p>plain</p>`:                          "plain",
	} {
		if got := HTMLText(in); got != want {
			t.Errorf("HTMLText(%q) = %q, want %q", in, got, want)
		}
	}
}
