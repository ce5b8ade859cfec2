package markdown

import (
	"strings"

	"golang.org/x/net/html"
)

// HTMLFacts are the links, images, ids and text found in a fragment of HTML
// that did not come from Markdown (raw HTML, shortcode output).
type HTMLFacts struct {
	Links  []string
	Images []Image
	IDs    []string
	Text   string
}

// ScanHTML tokenizes an HTML fragment with an HTML5 tokenizer. Its text
// leaves out scripts, styles and admonition labels (see LabelClass).
func ScanHTML(fragment string) HTMLFacts {
	var f HTMLFacts
	var text strings.Builder
	z := html.NewTokenizer(strings.NewReader(fragment))
	skip := 0
	var label labelSkip
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			f.Text = strings.Join(strings.Fields(text.String()), " ")
			return f
		case html.TextToken:
			if skip == 0 && label.depth == 0 {
				text.Write(z.Text())
				text.WriteByte(' ')
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			if tag == "script" || tag == "style" {
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			}
			label.see(tag, tt)
			if tt == html.EndTagToken {
				continue
			}
			var img Image
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch key := string(k); {
				case key == "class" && tt == html.StartTagToken && label.depth == 0 && hasClass(string(v), LabelClass):
					label = labelSkip{tag: tag, depth: 1}
				case key == "id":
					f.IDs = append(f.IDs, string(v))
				case key == "href" && tag == "a":
					f.Links = append(f.Links, string(v))
				case key == "src" && tag == "img":
					img.Src = string(v)
				case key == "alt" && tag == "img":
					img.Alt = string(v)
				case key == "data-action" && tag == "img":
					img.Zoom = string(v) == "zoom"
				}
			}
			if tag == "img" && img.Src != "" {
				f.Images = append(f.Images, img)
			}
		}
	}
}

// LabelClass marks the label of an admonition (<p class="admonition-title">
// of shortcodes/note.html and its kin): furniture the theme adds, so its
// text is not the page's text (not indexed, not in search snippets).
const LabelClass = "admonition-title"

// labelSkip follows the element holding a label while its text is left out.
type labelSkip struct {
	tag   string
	depth int
}

// see counts the start and end tags named like the label's element.
func (l *labelSkip) see(tag string, tt html.TokenType) {
	if l.depth == 0 || tag != l.tag {
		return
	}
	switch tt {
	case html.StartTagToken:
		l.depth++
	case html.EndTagToken:
		l.depth--
	}
}

// hasClass reports whether the class attribute value list holds name.
func hasClass(list, name string) bool {
	for _, c := range strings.Fields(list) {
		if c == name {
			return true
		}
	}
	return false
}

// ScanRefs is ScanHTML for callers that need links, images and ids but not
// the text. It runs for every {{< >}} output and raw HTML fragment of every
// page; one without "id", "href" or "src" in any letter case has none and
// is not tokenized. A hand-written reader of simple fragments once stood
// beside the tokenizer; it was removed for one source, as its gain stayed
// under 10% of the build: the tokenizer is 2.8% of a 3,000-page build's CPU
// profile without it (0.20 s of 7.2 s, mostly the text of HTML blocks), and
// alternating full builds of 5,000 pages took 1.085× the CPU time without
// it (median of 5 pairs, 0.95–1.11 on a loaded machine), the tokenizer's
// 4 KB buffer per fragment adding collector work.
func ScanRefs(fragment string) HTMLFacts {
	if !containsFold(fragment, "id") && !containsFold(fragment, "href") && !containsFold(fragment, "src") {
		return HTMLFacts{}
	}
	f := ScanHTML(fragment)
	f.Text = ""
	return f
}

// HTMLText is the visible text of an HTML fragment, words separated by
// single spaces, as ScanHTML gives it, without admonition labels (see
// LabelClass).
func HTMLText(fragment string) string { return ScanHTML(fragment).Text }

// containsFold reports whether s contains the lowercase ASCII word sub in
// any letter case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
