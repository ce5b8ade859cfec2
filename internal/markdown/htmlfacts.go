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
// page, and most of them are simple: a <br>, or an <img> with quoted
// attributes. Those are read directly; anything else (comments, entities,
// unquoted or repeated attributes, raw-text elements) goes to the HTML5
// tokenizer, which allocates a 4 KB buffer per call. FuzzScanRefs checks
// that both give the same facts.
func ScanRefs(fragment string) HTMLFacts {
	if !containsFold(fragment, "id") && !containsFold(fragment, "href") && !containsFold(fragment, "src") {
		return HTMLFacts{}
	}
	if f, ok := scanSimple(fragment, false); ok {
		return f
	}
	f := ScanHTML(fragment)
	f.Text = ""
	return f
}

// HTMLText is the visible text of an HTML fragment, words separated by
// single spaces, as ScanHTML gives it, without admonition labels (see
// LabelClass); simple fragments are read without the tokenizer.
func HTMLText(fragment string) string {
	if strings.Contains(fragment, LabelClass) {
		return ScanHTML(fragment).Text
	}
	if f, ok := scanSimple(fragment, true); ok {
		return f.Text
	}
	return ScanHTML(fragment).Text
}

// scanSimple reads fragments made of text and plain tags whose attribute
// values are double-quoted without entities; ok is false for anything else.
// With text it also collects the text between the tags.
func scanSimple(s string, text bool) (f HTMLFacts, ok bool) {
	if strings.ContainsAny(s, "&\r\x00'") {
		return f, false
	}
	var words []byte
	var seen [8]string // attribute names of the current tag
	for {
		i := strings.IndexByte(s, '<')
		if text {
			end := i
			if i < 0 {
				end = len(s)
			}
			words = append(append(words, s[:end]...), ' ')
		}
		if i < 0 {
			if text {
				f.Text = string(squashSpace(nil, words))
			}
			return f, true
		}
		s = s[i+1:]
		closing := strings.HasPrefix(s, "/")
		if closing {
			s = s[1:]
		}
		n := 0
		for n < len(s) && (isASCIILetter(s[n]) || n > 0 && (s[n] >= '0' && s[n] <= '9' || s[n] == '-')) {
			n++
		}
		if n == 0 || n == len(s) || !(isTagSpace(s[n]) || s[n] == '>' || s[n] == '/') {
			return f, false // "<" as text, "<!--", "</ ", a name running into other bytes
		}
		tag := strings.ToLower(s[:n])
		if rawTextTags[tag] {
			return f, false
		}
		s = s[n:]
		if closing {
			j := strings.IndexByte(s, '>')
			if j < 0 || strings.TrimLeft(s[:j], " \n\t\f") != "" {
				return f, false
			}
			s = s[j+1:]
			continue
		}
		var img Image
		names := seen[:0]
		for {
			k := 0
			for k < len(s) && isTagSpace(s[k]) {
				k++
			}
			s = s[k:]
			if strings.HasPrefix(s, "/>") {
				s = s[2:]
				break
			}
			if strings.HasPrefix(s, ">") {
				s = s[1:]
				break
			}
			if k == 0 {
				return f, false
			}
			n := 0
			for n < len(s) && (isASCIILetter(s[n]) || n > 0 && (s[n] >= '0' && s[n] <= '9' || s[n] == '-' || s[n] == '_' || s[n] == ':')) {
				n++
			}
			if n == 0 || !strings.HasPrefix(s[n:], `="`) {
				return f, false
			}
			key := strings.ToLower(s[:n])
			for _, prev := range names {
				if prev == key {
					return f, false // the tokenizer keeps only the first
				}
			}
			names = append(names, key)
			s = s[n+2:]
			end := strings.IndexByte(s, '"')
			if end < 0 {
				return f, false
			}
			val := s[:end]
			s = s[end+1:]
			switch {
			case key == "id":
				f.IDs = append(f.IDs, val)
			case key == "href" && tag == "a":
				f.Links = append(f.Links, val)
			case key == "src" && tag == "img":
				img.Src = val
			case key == "alt" && tag == "img":
				img.Alt = val
			case key == "data-action" && tag == "img":
				img.Zoom = val == "zoom"
			}
		}
		if tag == "img" && img.Src != "" {
			f.Images = append(f.Images, img)
		}
	}
}

// rawTextTags switch the tokenizer into raw text; scanSimple leaves them to it.
var rawTextTags = map[string]bool{
	"script": true, "style": true, "textarea": true, "title": true, "xmp": true, "iframe": true,
	"noembed": true, "noframes": true, "noscript": true, "plaintext": true,
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isTagSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\f' }

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

// htmlText is the visible text of an HTML fragment.
func htmlText(fragment string) string { return HTMLText(fragment) }
