package check

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/aymanbagabas/go-udiff"
	"golang.org/x/net/html"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/content"
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
func FindPage(p *build.Project, target string) (*content.Page, error) {
	t := filepath.ToSlash(strings.TrimPrefix(target, "./"))
	for _, cp := range p.Pages {
		u := content.URLPath(content.PathOf("/" + strings.TrimPrefix(t, "/")))
		if cp.File == t || cp.Rel == t || cp.URL == u ||
			strings.HasSuffix(t, "/"+cp.File) {
			return cp, nil
		}
	}
	return nil, fmt.Errorf("no page %q (give a file such as content/a/b.md or a URL such as /a/b.html)", target)
}

// Variants renders cp in every selected region of p.
func Variants(p *build.Project, cp *content.Page) ([]Variant, error) {
	var out []Variant
	for _, rc := range p.Config.Regions {
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
	var b strings.Builder
	var hrefs []string
	line := func() {
		s := b.String()
		// A list item's first paragraph stays on the item's line.
		if s != "" && !strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, "\n- ") && s != "- " {
			b.WriteByte('\n')
		}
	}
	pre := 0
	space := false // white space seen since the last word
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			t := tok.Data
			if pre > 0 {
				b.WriteString(t)
				continue
			}
			words := strings.Fields(t)
			if len(words) == 0 {
				space = space || t != ""
				continue
			}
			if (space || startsSpace(t)) && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte(' ')
			}
			b.WriteString(strings.Join(words, " "))
			space = strings.ContainsRune(" \t\n", rune(t[len(t)-1]))
		case html.StartTagToken, html.SelfClosingTagToken:
			if space && !block[tok.Data] && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte(' ')
			}
			space = false
			if block[tok.Data] {
				line()
			}
			switch tok.Data {
			case "h1", "h2", "h3", "h4", "h5", "h6":
				b.WriteString(strings.Repeat("#", int(tok.Data[1]-'0')) + " ")
			case "li":
				b.WriteString("- ")
			case "pre":
				pre++
			case "a":
				hrefs = append(hrefs, attr(tok, "href"))
				b.WriteString("[")
			case "img":
				fmt.Fprintf(&b, "[image: %s](%s)", attr(tok, "alt"), attr(tok, "src"))
			}
		case html.EndTagToken:
			switch tok.Data {
			case "pre":
				pre--
			case "a":
				if n := len(hrefs); n > 0 {
					fmt.Fprintf(&b, "](%s)", hrefs[n-1])
					hrefs = hrefs[:n-1]
				}
			}
			if block[tok.Data] {
				line()
			}
		}
	}
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
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

func startsSpace(s string) bool { return s != "" && strings.ContainsRune(" \t\n", rune(s[0])) }

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}
