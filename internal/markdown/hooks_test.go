package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// fakeHooks writes each hooked element as a bracketed summary of its
// context and keeps the contexts it was given.
type fakeHooks struct {
	kinds map[HookKind]bool
	langs map[string]bool // code block languages with a hook of their own
	got   []HookContext
	err   error
}

func (h *fakeHooks) Has(k HookKind, lang string) bool {
	return h.kinds[k] || k == HookCodeBlock && h.langs[lang]
}

func (h *fakeHooks) Render(w *bytes.Buffer, c *HookContext) error {
	if h.err != nil {
		return h.err
	}
	h.got = append(h.got, *c)
	switch c.Kind {
	case HookLink, HookImage:
		fmt.Fprintf(w, "[%d %s %s|%s|%s]", c.Ordinal, c.Destination, c.Title, c.Text, c.PlainText)
	case HookHeading:
		fmt.Fprintf(w, "[h%d #%s %s|%s %v]\n", c.Level, c.Anchor, c.Text, c.PlainText, c.Attributes)
	case HookCodeBlock:
		fmt.Fprintf(w, "[code %d %s %q %v %v]\n", c.Ordinal, c.Type, c.Inner, c.Attributes, c.Options)
	}
	return nil
}

func TestHooks(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		kinds []HookKind
		langs []string
		html  string
		ctx   []HookContext // Text and Attributes of links are compared through html
	}{
		{"link", "a [*b* c](/x.html \"T\") [d](/y)\n", []HookKind{HookLink}, nil,
			"<p>a [0 /x.html T|<em>b</em> c|b c] [1 /y |d|d]</p>\n",
			[]HookContext{{Kind: HookLink, Destination: "/x.html", Title: "T", Text: "<em>b</em> c", PlainText: "b c", Offset: 4},
				{Kind: HookLink, Destination: "/y", Text: "d", PlainText: "d", Ordinal: 1, Offset: 24}}},
		{"autolink", "see https://example.com/a\n", []HookKind{HookLink}, nil,
			"<p>see [0 https://example.com/a |https://example.com/a|https://example.com/a]</p>\n", nil},
		{"image inside a hooked link", "[![alt *x*](/i.png)](/p.html)\n", []HookKind{HookLink, HookImage}, nil,
			"<p>[0 /p.html |[0 /i.png |alt <em>x</em>|alt x]|alt x]</p>\n", nil},
		{"image only", "[l](/l.html) ![a](/i.png \"t\")\n", []HookKind{HookImage}, nil,
			"<p><a href=\"/l.html\">l</a> [0 /i.png t|a|a]</p>\n", nil},
		{"heading", "## Go *now* {#go .big}\n\n# パスワード\n", []HookKind{HookHeading}, nil,
			"[h2 #go Go <em>now</em>|Go now map[class:big id:go]]\n[h1 #パスワード パスワード|パスワード map[id:パスワード]]\n",
			[]HookContext{{Kind: HookHeading, Level: 2, Anchor: "go", Text: "Go <em>now</em>", PlainText: "Go now",
				Attributes: map[string]any{"id": "go", "class": "big"}, Offset: 3},
				{Kind: HookHeading, Level: 1, Anchor: "パスワード", Text: "パスワード", PlainText: "パスワード", Ordinal: 1,
					Attributes: map[string]any{"id": "パスワード"}, Offset: 26}}},
		{"codeblock", "```sh {class=\"c\" lineNos=true}\necho 1\n```\n", []HookKind{HookCodeBlock}, nil,
			"[code 0 sh \"echo 1\\n\" map[class:c] map[lineNos:true]]\n",
			[]HookContext{{Kind: HookCodeBlock, Type: "sh", Inner: "echo 1\n", Attributes: map[string]any{"class": "c"},
				Options: map[string]any{"lineNos": true}, Offset: 31}}},
		{"codeblock for one language", "```mermaid\ngraph\n```\n\n```\nplain\n```\n", nil, []string{"mermaid"},
			"[code 0 mermaid \"graph\\n\" map[] map[]]\n<pre><code>plain\n</code></pre>\n", nil},
		{"ordinals count blocks no hook writes", "```\nplain\n```\n\n```mermaid\ng\n```\n", nil, []string{"mermaid"},
			"<pre><code>plain\n</code></pre>\n[code 1 mermaid \"g\\n\" map[] map[]]\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &fakeHooks{kinds: map[HookKind]bool{}, langs: map[string]bool{}}
			for _, k := range tt.kinds {
				h.kinds[k] = true
			}
			for _, l := range tt.langs {
				h.langs[l] = true
			}
			d, err := ConvertHooks([]byte(tt.src), nil, h)
			if err != nil {
				t.Fatal(err)
			}
			if string(d.HTML) != tt.html {
				t.Errorf("html\n got %q\nwant %q", d.HTML, tt.html)
			}
			if tt.ctx != nil {
				for i := range h.got {
					if h.got[i].Kind != HookCodeBlock && len(h.got[i].Attributes) == 0 {
						h.got[i].Attributes = nil
					}
				}
				if !reflect.DeepEqual(h.got, tt.ctx) {
					t.Errorf("contexts\n got %+v\nwant %+v", h.got, tt.ctx)
				}
			}
			if len(d.Hooked) != len(h.got) {
				t.Errorf("%d hook outputs kept, %d written", len(d.Hooked), len(h.got))
			}
		})
	}
}

// TestHookFacts: the links and images a hook writes are not taken from the
// AST (the hook's output is scanned instead); a heading keeps its facts.
func TestHookFacts(t *testing.T) {
	src := "## T\n\n[a](/a.html) ![i](/i.png)\n"
	h := &fakeHooks{kinds: map[HookKind]bool{HookLink: true, HookHeading: true}}
	d, err := ConvertHooks([]byte(src), nil, h)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Links) != 0 || len(d.Images) != 1 || len(d.Headings) != 1 || d.Headings[0].ID != "t" {
		t.Errorf("links %v images %v headings %v", d.Links, d.Images, d.Headings)
	}
	want := []HookOutput{{Kind: HookHeading, HTML: "[h2 #t T|T map[id:t]]\n", Offset: 3, Heading: 0},
		{Kind: HookLink, HTML: "[0 /a.html |a|a]", Offset: 7, Heading: -1}}
	if !reflect.DeepEqual(d.Hooked, want) {
		t.Errorf("hooked\n got %+v\nwant %+v", d.Hooked, want)
	}
}

// TestHookError: a hook's error ends the conversion and is returned as is.
func TestHookError(t *testing.T) {
	boom := errors.New("boom")
	h := &fakeHooks{kinds: map[HookKind]bool{HookLink: true}, err: boom}
	if _, err := ConvertHooks([]byte("[a](/a)\n"), nil, h); !errors.Is(err, boom) {
		t.Errorf("got %v, want %v", err, boom)
	}
}

// TestNoHookSameHTML: with hooks that write nothing of a page, the hooked
// renderer writes exactly what the plain one does.
func TestNoHookSameHTML(t *testing.T) {
	srcs, _ := seedBodies(t)
	srcs = append(srcs, []byte("# H {.x}\n\n[a](/a \"t\") ![i](/i.png) <https://x.y> a@b.example\n\n```go\nx := 1\n```\n\n```\nplain\n```\n"))
	for i, s := range srcs {
		want, err := Convert(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ConvertHooks(s, nil, &fakeHooks{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.HTML, want.HTML) {
			t.Errorf("source %d: html differs\n got %s\nwant %s", i, got.HTML, want.HTML)
		}
	}
}

// FuzzConvertHooks: any Markdown converts with every hook in place without
// a panic, each hooked element is written once, in order, at an offset
// inside the source, and hooks that write nothing change nothing.
func FuzzConvertHooks(f *testing.F) {
	for _, s := range []string{
		"[a](/a \"t\") ![i](/i.png) <https://x.y> a@b.example\n",
		"# H {#id .c key=\"v\" n=1 b=true}\n\n## [l](/l) ![i](/i)\n",
		"```sh {class=\"x\" lineNos=true hl_lines=[1,2] style=\"s\"}\necho\n```\n",
		"```go {\n```\n\n```{x}\n```\n",
		"[![a *b*](/i \"t\")](/p)\n\n> [q](/q)\n\n- ![](/e)\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4000 {
			return
		}
		all := &fakeHooks{kinds: map[HookKind]bool{HookLink: true, HookImage: true, HookHeading: true, HookCodeBlock: true}}
		d, err := ConvertHooks([]byte(src), nil, all)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Hooked) != len(all.got) {
			t.Fatalf("%d outputs kept, %d written", len(d.Hooked), len(all.got))
		}
		for _, o := range d.Hooked {
			if o.Offset < 0 || o.Offset > len(src) {
				t.Fatalf("offset %d outside the source", o.Offset)
			}
			if (o.Kind == HookHeading) != (o.Heading >= 0) || o.Heading >= len(d.Headings) {
				t.Fatalf("heading index %d of %d headings for kind %d", o.Heading, len(d.Headings), o.Kind)
			}
		}
		plain, err := Convert([]byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		none, err := ConvertHooks([]byte(src), nil, &fakeHooks{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(plain.HTML, none.HTML) {
			t.Fatalf("html differs\n got %q\nwant %q", none.HTML, plain.HTML)
		}
	})
}
