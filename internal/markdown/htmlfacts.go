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

// ScanHTML tokenizes an HTML fragment with an HTML5 tokenizer.
func ScanHTML(fragment string) HTMLFacts {
	var f HTMLFacts
	var text strings.Builder
	z := html.NewTokenizer(strings.NewReader(fragment))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			f.Text = strings.Join(strings.Fields(text.String()), " ")
			return f
		case html.TextToken:
			if skip == 0 {
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
			if tt == html.EndTagToken {
				continue
			}
			var img Image
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch key := string(k); {
				case key == "id":
					f.IDs = append(f.IDs, string(v))
				case key == "href" && tag == "a":
					f.Links = append(f.Links, string(v))
				case key == "src" && tag == "img":
					img.Src = string(v)
				case key == "alt" && tag == "img":
					img.Alt = string(v)
				}
			}
			if tag == "img" && img.Src != "" {
				f.Images = append(f.Images, img)
			}
		}
	}
}

// ScanRefs is ScanHTML for callers that need links, images and ids but not
// the text. Most raw HTML in pages (<br>, <b>) has no attribute that could
// hold one, and skips the tokenizer, which allocates a buffer per call.
func ScanRefs(fragment string) HTMLFacts {
	if !containsFold(fragment, "id") && !containsFold(fragment, "href") && !containsFold(fragment, "src") {
		return HTMLFacts{}
	}
	f := ScanHTML(fragment)
	f.Text = ""
	return f
}

// containsFold reports whether s contains the lowercase ASCII word sub in
// any letter case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// htmlText is the visible text of an HTML fragment.
func htmlText(fragment string) string { return ScanHTML(fragment).Text }
