package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/output"
)

// articleFacts is what the reference comparison looks at in an
// <article class="article">: visible text with white space folded, and link
// targets, image sources and alts, and heading ids, in document order.
type articleFacts struct {
	Text    string
	Links   []string
	Images  []string
	Heading []string
}

func extractArticle(t *testing.T, doc string) articleFacts {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var article *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if article != nil {
			return
		}
		if n.Type == html.ElementNode && n.Data == "article" && attr(n, "class") == "article" {
			article = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(root)
	if article == nil {
		t.Fatal("no <article class=\"article\">")
	}
	var f articleFacts
	var text strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			text.WriteString(n.Data)
			text.WriteByte(' ')
		case html.ElementNode:
			// The theme's label of a note or warning: Hugo's theme drew it with CSS.
			if strings.Contains(" "+attr(n, "class")+" ", " admonition-title ") {
				return
			}
			switch n.Data {
			case "a":
				f.Links = append(f.Links, attr(n, "href"))
			case "img":
				f.Images = append(f.Images, attr(n, "src")+" | "+attr(n, "alt"))
			case "h1", "h2", "h3", "h4", "h5", "h6":
				f.Heading = append(f.Heading, attr(n, "id"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(article)
	f.Text = strings.Join(strings.Fields(text.String()), " ")
	return f
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestHugoReference builds the two seed pages for every region and compares
// each article with what Hugo rendered for it (testdata/reference/hugo).
func TestHugoReference(t *testing.T) {
	proj, err := Load(os.DirFS("testdata/reference/site"), helpgen.Defaults, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := output.NewMemOutput()
	if _, err := proj.Build(out, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, region := range []string{"CN", "JP", "US"} {
		for _, page := range []string{"troubleshoot_first", "admin_account"} {
			t.Run(region+"/"+page, func(t *testing.T) {
				want, err := os.ReadFile(filepath.Join("testdata/reference/hugo", region, page+".html"))
				if err != nil {
					t.Fatal(err)
				}
				got, ok := out.Get(strings.ToLower(region), "general/ja/login/"+page+".html")
				if !ok {
					t.Fatal("page not built")
				}
				w, g := extractArticle(t, string(want)), extractArticle(t, string(got))
				if w.Text != g.Text {
					t.Errorf("visible text differs:\n got: %s\nwant: %s", g.Text, w.Text)
				}
				compareList(t, "links", g.Links, w.Links)
				compareList(t, "images", g.Images, w.Images)
				compareList(t, "heading ids", g.Heading, w.Heading)
			})
		}
	}
}

func compareList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s differ:\n got: %q\nwant: %q", what, got, want)
	}
}
