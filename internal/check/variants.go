// The `helpgen regions` command's work: a page as each region renders it, as
// reviewable text, and the differences between two regions.

package check

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/aymanbagabas/go-udiff"
	"golang.org/x/net/html"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/model"
)

// Variant is one page as a reader of one region gets it.
type Variant struct {
	Region    string
	Published bool
	Title     string
	Text      string // the rendered body as plain text, one block per line
}

// FindPage returns the content page named by target: its file (relative to
// the site root or under content/) or its URL.
func FindPage(s model.Site, target string) (*content.Page, error) {
	t := filepath.ToSlash(strings.TrimPrefix(target, "./"))
	for _, cp := range s.Model().Pages {
		u := content.URLPath(content.PathOf("/" + strings.TrimPrefix(t, "/")))
		if cp.File == t || cp.Rel == t || cp.URL == u ||
			strings.HasSuffix(t, "/"+cp.File) {
			return cp, nil
		}
	}
	return nil, fmt.Errorf("no page %q (give a file such as content/a/b.md or a URL such as /a/b.html)", target)
}

// Variants renders cp in every selected region of p.
func Variants(p Renderer, cp *content.Page) ([]Variant, error) {
	var out []Variant
	for _, rc := range p.Model().Config.Regions {
		v := Variant{Region: rc.Code}
		if !cp.InRegion(rc.Code) {
			out = append(out, v)
			continue
		}
		r, errs := p.Prepare(rc)
		if len(errs) > 0 {
			return nil, errs
		}
		pg := r.ByURL[cp.URL]
		if err := p.RenderBody(pg); err != nil {
			return nil, err
		}
		v.Published, v.Title, v.Text = true, pg.Title, PlainText(string(pg.Content))
		out = append(out, v)
	}
	return out, nil
}

// Document is the variant as one text: title, then body.
func (v Variant) Document() string {
	if !v.Published {
		return ""
	}
	return "# " + v.Title + "\n\n" + v.Text
}

// Show renders every variant under a header naming its region.
func Show(cp *content.Page, vs []Variant) string {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "==== %s  %s ====\n", v.Region, cp.URL)
		if !v.Published {
			fmt.Fprintf(&b, "(not published in %s: see enabled/disabled in %s)\n", v.Region, cp.File)
			continue
		}
		b.WriteString(v.Document())
	}
	return b.String()
}

// Diff is a unified diff from region a's variant to region b's.
func Diff(cp *content.Page, vs []Variant, a, b string) (string, error) {
	var va, vb *Variant
	for i := range vs {
		switch vs[i].Region {
		case a:
			va = &vs[i]
		case b:
			vb = &vs[i]
		}
	}
	if va == nil || vb == nil {
		return "", fmt.Errorf("--diff needs two region codes of the site, as in --diff JP,US")
	}
	doc := func(v *Variant) string {
		if !v.Published {
			return fmt.Sprintf("(not published in %s: see enabled/disabled in %s)\n", v.Region, cp.File)
		}
		return v.Document()
	}
	return udiff.Unified(a+" "+cp.URL, b+" "+cp.URL, doc(va), doc(vb)), nil
}

// block elements start a new line in PlainText.
var block = map[string]bool{
	"p": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true, "table": true, "pre": true,
	"blockquote": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"figure": true, "figcaption": true, "section": true, "aside": true, "hr": true, "br": true, "dt": true, "dd": true,
}

// PlainText turns rendered body HTML into reviewable text: one line per
// block, headings as #, list items as -, links as [text](href) and images
// as [image: alt](src), so differences between regions show up in a diff.
func PlainText(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var w plainWriter
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			w.text(tok.Data)
		case html.StartTagToken, html.SelfClosingTagToken:
			w.start(tok)
		case html.EndTagToken:
			w.end(tok)
		}
	}
	var out []string
	for _, l := range strings.Split(w.b.String(), "\n") {
		l = strings.TrimRight(l, " \t")
		if strings.TrimSpace(l) == "" {
			continue
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

// plainWriter is PlainText's output as the tokens come.
type plainWriter struct {
	b     strings.Builder
	hrefs []string // of the open links
	pre   int      // open <pre> elements
	space bool     // white space seen since the last word
}

// line ends the current line, unless it is empty; a list item's first
// paragraph stays on the item's line.
func (w *plainWriter) line() {
	s := w.b.String()
	if s != "" && !strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, "\n- ") && s != "- " {
		w.b.WriteByte('\n')
	}
}

func (w *plainWriter) midLine() bool { return w.b.Len() > 0 && !strings.HasSuffix(w.b.String(), "\n") }

func (w *plainWriter) text(t string) {
	if w.pre > 0 {
		w.b.WriteString(t)
		return
	}
	words := strings.Fields(t)
	if len(words) == 0 {
		w.space = w.space || t != ""
		return
	}
	if (w.space || startsSpace(t)) && w.midLine() {
		w.b.WriteByte(' ')
	}
	w.b.WriteString(strings.Join(words, " "))
	w.space = strings.ContainsRune(" \t\n", rune(t[len(t)-1]))
}

func (w *plainWriter) start(tok html.Token) {
	if w.space && !block[tok.Data] && w.midLine() {
		w.b.WriteByte(' ')
	}
	w.space = false
	if block[tok.Data] {
		w.line()
	}
	switch tok.Data {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		w.b.WriteString(strings.Repeat("#", int(tok.Data[1]-'0')) + " ")
	case "li":
		w.b.WriteString("- ")
	case "pre":
		w.pre++
	case "a":
		w.hrefs = append(w.hrefs, attr(tok, "href"))
		w.b.WriteString("[")
	case "img":
		fmt.Fprintf(&w.b, "[image: %s](%s)", attr(tok, "alt"), attr(tok, "src"))
	}
}

func (w *plainWriter) end(tok html.Token) {
	switch tok.Data {
	case "pre":
		w.pre--
	case "a":
		if n := len(w.hrefs); n > 0 {
			fmt.Fprintf(&w.b, "](%s)", w.hrefs[n-1])
			w.hrefs = w.hrefs[:n-1]
		}
	}
	if block[tok.Data] {
		w.line()
	}
}

func startsSpace(s string) bool { return s != "" && strings.ContainsRune(" \t\n", rune(s[0])) }

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}
