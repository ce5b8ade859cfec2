package nav

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

func sec(dir, title string, w int) Entry {
	u := "/" + dir + "/"
	if dir == "" {
		u = "/"
	}
	return Entry{URL: u, Dir: dir, Section: true, Title: title, Weight: w}
}

func page(dir, name, title string, w int) Entry {
	u := "/" + name + ".html"
	if dir != "" {
		u = "/" + dir + "/" + name + ".html"
	}
	return Entry{URL: u, Dir: dir, Title: title, Weight: w}
}

func titles(items []*Item) string {
	var b []string
	for _, it := range items {
		s := it.Title
		if it.Current {
			s += "*"
		}
		if it.Open {
			s += "[" + titles(it.Children) + "]"
		}
		b = append(b, s)
	}
	return strings.Join(b, " ")
}

func TestTreeShapeAndOrder(t *testing.T) {
	tree := Build([]Entry{
		sec("", "Home", 0),
		sec("a", "A", 20),
		sec("b", "B", 10),
		page("a", "x", "X", 0),        // unweighted: after weighted ones
		page("a", "y", "Y", 5),        //
		page("a", "z", "Z", 5),        // same weight: by title
		page("a", "w", "W", 0),        // unweighted, by title before X
		sec("a/deep/er", "Deeper", 1), // a/deep has no _index.md: hangs under A
		page("a/deep/er", "p", "P", 1),
		page("", "top", "Top", 30),
	}, "unused")
	for _, tt := range []struct {
		url, want string
	}{
		{"/a/x.html", "B A[Deeper Y Z W X*] Top"},
		{"/a/deep/er/p.html", "B A[Deeper[P*] Y Z W X] Top"},
		{"/b/", "B* A Top"},
		{"/", "B A Top"},
	} {
		if got := titles(tree.Branch(tree.Node(tt.url), Window).Children); got != tt.want {
			t.Errorf("%s: tree %q, want %q", tt.url, got, tt.want)
		}
	}
	var crumbs []string
	for _, l := range tree.Node("/a/deep/er/p.html").Breadcrumbs() {
		crumbs = append(crumbs, l.Title)
	}
	if strings.Join(crumbs, " › ") != "Home › A › Deeper" {
		t.Errorf("breadcrumbs %v", crumbs)
	}
	// Previous/next skip sections and stay inside the section.
	n := tree.Node("/a/y.html")
	if n.Prev() != nil || n.Next().Title != "Z" {
		t.Errorf("Y: prev %v next %v", n.Prev(), n.Next())
	}
	if n := tree.Node("/a/x.html"); n.Prev().Title != "W" || n.Next() != nil {
		t.Errorf("X: prev %v next %v", n.Prev(), n.Next())
	}
	if n := tree.Node("/top.html"); n.Prev() != nil || n.Next() != nil {
		t.Errorf("Top has neighbours outside its section")
	}
	if l := tree.Node("/a/").Listing(); len(l) != 5 || l[0].Title != "Deeper" || l[0].Section != true {
		t.Errorf("listing %+v", l)
	}
}

func TestVirtualHome(t *testing.T) {
	tree := Build([]Entry{sec("a", "A", 0), page("a", "p", "P", 0)}, "Site title")
	if !tree.Root.Virtual || tree.Root.Title != "Site title" || tree.Node("/") != tree.Root {
		t.Fatalf("root %+v", tree.Root)
	}
	if c := tree.Node("/a/p.html").Breadcrumbs(); len(c) != 2 || !c[0].Home || c[0].URL != "/" {
		t.Errorf("breadcrumbs %+v", c)
	}
}

// TestBranchBounded shows that a page's tree holds at most Window entries per
// level however large the site, and links to the section for the rest.
func TestBranchBounded(t *testing.T) {
	for _, n := range []int{10, 100, 10000} {
		entries := []Entry{sec("", "Home", 0), sec("s", "S", 0)}
		for i := range n {
			entries = append(entries, page("s", fmt.Sprintf("p%05d", i), fmt.Sprintf("P%05d", i), 0))
			entries = append(entries, sec(fmt.Sprintf("t%05d", i), "T", 0))
		}
		tree := Build(entries, "")
		cur := tree.Node(fmt.Sprintf("/s/p%05d.html", n/2))
		root := tree.Branch(cur, Window)
		s := root.Children[0]
		if s.Title != "S" || !s.Open {
			t.Fatalf("n=%d: section S not first and open: %+v", n, s)
		}
		wantLen := min(n, Window)
		if len(root.Children) != min(n+1, Window) || len(s.Children) != wantLen {
			t.Errorf("n=%d: %d top entries, %d in S; want at most %d", n, len(root.Children), len(s.Children), Window)
		}
		if !containsCurrent(s.Children) {
			t.Errorf("n=%d: current page not in its window", n)
		}
		if n > Window && (s.More == nil || s.More.Count != n-Window || s.More.URL != "/s/") {
			t.Errorf("n=%d: more = %+v", n, s.More)
		}
		if n > Window && (root.More == nil || root.More.URL != "/") {
			t.Errorf("n=%d: top more = %+v", n, root.More)
		}
		if top := tree.Level(tree.Root); len(top.Children) != n+1 || !top.Children[0].Lazy || len(top.Children[0].Children) != 0 {
			t.Errorf("n=%d: top level incomplete, or S not closed and left out", n)
		}
		if lv := tree.Level(tree.Node("/s/")); len(lv.Children) != n {
			t.Errorf("n=%d: level of S has %d entries", n, len(lv.Children))
		}
	}
}

func containsCurrent(items []*Item) bool {
	for _, it := range items {
		if it.Current {
			return true
		}
	}
	return false
}

func TestWindowEdges(t *testing.T) {
	l := make([]*Node, 10)
	for i := range l {
		l[i] = &Node{Entry: Entry{Weight: i}}
	}
	for _, tt := range []struct{ focus, first, hidden int }{{-1, 0, 6}, {0, 0, 6}, {5, 3, 6}, {9, 6, 6}} {
		got, hidden := windowAround(l, tt.focus, 4)
		if got[0].Weight != tt.first || hidden != tt.hidden || len(got) != 4 {
			t.Errorf("focus %d: first %d hidden %d", tt.focus, got[0].Weight, hidden)
		}
	}
}

// A section's link sits beside its disclosure toggle, never inside it: the
// <summary> holds only the toggle's hidden name, and the pages' branches and
// the sections' level files are written the same way. A section off the
// current path is its link, marked for the script to give it a toggle.
func TestTreeSectionMarkup(t *testing.T) {
	tree := Build([]Entry{
		sec("", "Home", 0),
		sec("a", "A & B", 1),
		sec("a/b", "Deep", 1),
		page("a/b", "p", "P", 1),
		page("a", "q", "Q", 2),
		sec("c", "C", 2),
		page("c", "r", "R", 1),
	}, "")
	cur := tree.Node("/a/b/p.html")
	var branch strings.Builder
	tree.Branch(cur, Window).WriteHTML(&branch, "more", true)
	var full strings.Builder
	tree.Level(tree.Root).WriteHTML(&full, "more", true)
	for name, s := range map[string]string{"branch": branch.String(), "full": full.String()} {
		doc, err := xhtml.Parse(strings.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		sections := 0
		var walk func(n *xhtml.Node)
		walk = func(n *xhtml.Node) {
			if n.Type == xhtml.ElementNode && n.Data == "summary" {
				for c := range n.Descendants() {
					if c.Type == xhtml.ElementNode && c.Data != "span" {
						t.Errorf("%s: <%s> inside <summary>", name, c.Data)
					}
				}
			}
			if n.Type == xhtml.ElementNode && n.Data == "details" {
				sections++
				prev := n.PrevSibling
				if prev == nil || prev.Data != "a" || n.Parent.Data != "li" {
					t.Errorf("%s: <details> not preceded by its section's link inside <li>", name)
				} else if got := n.FirstChild.FirstChild.FirstChild.Data; got != prev.FirstChild.Data {
					t.Errorf("%s: toggle named %q, link %q", name, got, prev.FirstChild.Data)
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		if want := map[string]int{"branch": 2, "full": 0}[name]; sections != want {
			t.Errorf("%s: %d sections with a toggle, want %d:\n%s", name, sections, want, s)
		}
	}
	if n := strings.Count(full.String(), `class="tree-sec tree-lazy"`); n != 2 {
		t.Errorf("top level: %d sections marked for a toggle, want 2:\n%s", n, full.String())
	}
	if !strings.Contains(branch.String(), `<a href="/a/b/p.html" aria-current="page">P</a>`) ||
		!strings.Contains(branch.String(), `<li class="tree-sec is-active"><a href="/a/">A &amp; B</a><details open><summary>`) ||
		!strings.Contains(branch.String(), `<li class="tree-sec tree-lazy"><a href="/c/">C</a></li>`) {
		t.Errorf("branch:\n%s", branch.String())
	}
}

// Sections visits every section with children once, parents first.
func TestSections(t *testing.T) {
	tree := Build([]Entry{
		sec("", "Home", 0), sec("a", "A", 1), sec("a/b", "B", 1), page("a/b", "p", "P", 1),
		sec("c", "C", 2), sec("e", "Empty", 3),
	}, "")
	var got []string
	tree.Sections(func(n *Node) { got = append(got, n.URL) })
	if want := []string{"/", "/a/", "/a/b/"}; !slices.Equal(got, want) {
		t.Errorf("sections %q, want %q", got, want)
	}
}
