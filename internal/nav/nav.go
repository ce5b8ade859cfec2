// Package nav is the reader's navigation model of one region: the section
// tree, breadcrumbs, previous/next within a section and section listings.
// A tree is built once per region in O(pages × depth); every per-page query
// is bounded by the page's depth and a fixed window, never by the site size.
package nav

import (
	"cmp"
	"html"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Entry is what navigation needs to know of a page.
type Entry struct {
	URL         string // root-relative: /a/b.html, or /a/ for a section
	Dir         string // the page's folder under content/; a section's own folder
	Section     bool   // an _index.md
	Weight      int    // 0 sorts after every weighted page, as in Hugo
	Title       string // already evaluated for the region
	Description string
}

// Node is one page in the tree.
type Node struct {
	Entry
	Parent   *Node
	Children []*Node // sections and pages, by weight, then title, then URL
	Virtual  bool    // the generated home page of a site without content/_index.md
	prev     *Node   // previous and next page (not section) in the parent
	next     *Node
}

// Tree is the navigation of one region.
type Tree struct {
	Root  *Node
	byURL map[string]*Node
}

// Build arranges a region's pages into a tree. Each page hangs under the
// section of its folder or, when that folder has no _index.md, the nearest
// ancestor folder that has one; the top is the home page. When no entry has
// URL "/", a virtual home titled home is the root.
func Build(entries []Entry, home string) *Tree {
	t := &Tree{byURL: make(map[string]*Node, len(entries)+1)}
	sections := map[string]*Node{}
	nodes := make([]*Node, 0, len(entries))
	for _, e := range entries {
		n := &Node{Entry: e}
		nodes = append(nodes, n)
		t.byURL[e.URL] = n
		if e.Section {
			sections[e.Dir] = n
		}
	}
	t.Root = sections[""]
	if t.Root == nil {
		t.Root = &Node{Entry: Entry{URL: "/", Section: true, Title: home}, Virtual: true}
		sections[""] = t.Root
		t.byURL["/"] = t.Root
	}
	for _, n := range nodes {
		if n == t.Root {
			continue
		}
		dir := n.Dir
		if n.Section {
			dir = parentDir(dir)
		}
		p := sections[dir]
		for p == nil {
			dir = parentDir(dir)
			p = sections[dir]
		}
		n.Parent = p
		p.Children = append(p.Children, n)
	}
	for _, n := range t.byURL {
		slices.SortFunc(n.Children, compare)
		var last *Node
		for _, c := range n.Children {
			if c.Section {
				continue
			}
			if last != nil {
				last.next, c.prev = c, last
			}
			last = c
		}
	}
	return t
}

// parentDir is the folder above dir; "" stays "".
func parentDir(dir string) string {
	if dir == "" || !strings.Contains(dir, "/") {
		return ""
	}
	return path.Dir(dir)
}

// compare orders siblings: weighted first by weight, then title, then URL.
func compare(a, b *Node) int {
	if (a.Weight == 0) != (b.Weight == 0) {
		if a.Weight == 0 {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(a.Weight, b.Weight), strings.Compare(a.Title, b.Title), strings.Compare(a.URL, b.URL))
}

// Node returns the node of a URL, or nil.
func (t *Tree) Node(url string) *Node {
	if t == nil {
		return nil
	}
	return t.byURL[url]
}

// Link is a titled URL for breadcrumbs, listings and previous/next.
type Link struct {
	Title       string
	URL         string
	Description string
	Section     bool
	Home        bool
}

func (n *Node) link() Link {
	return Link{Title: n.Title, URL: n.URL, Description: n.Description, Section: n.Section, Home: n.Parent == nil}
}

// Breadcrumbs are the ancestors of n from the home page down to its parent.
func (n *Node) Breadcrumbs() []Link {
	if n == nil {
		return nil
	}
	var out []Link
	for p := n.Parent; p != nil; p = p.Parent {
		out = append(out, p.link())
	}
	slices.Reverse(out)
	return out
}

// Prev is the page before n in its section, or nil.
func (n *Node) Prev() *Link {
	if n == nil || n.prev == nil {
		return nil
	}
	l := n.prev.link()
	return &l
}

// Next is the page after n in its section, or nil.
func (n *Node) Next() *Link {
	if n == nil || n.next == nil {
		return nil
	}
	l := n.next.link()
	return &l
}

// Listing is every child of a section, for its list page.
func (n *Node) Listing() []Link {
	if n == nil {
		return nil
	}
	out := make([]Link, len(n.Children))
	for i, c := range n.Children {
		out[i] = c.link()
	}
	return out
}

// Item is one entry of a rendered tree.
type Item struct {
	Title   string
	URL     string
	Section bool
	Current bool // the page being shown
	Active  bool // an ancestor of the page being shown
	Open    bool // its children are shown expanded
	// Lazy marks a section whose children are not written (class
	// tree-lazy): the reader's script gives it a closed toggle and fetches
	// its level when the reader opens it; without scripts it is its link.
	Lazy     bool
	Children []*Item
	More     *More // siblings left out of a long level
}

// More stands for the children of a section that a window left out; the
// section's own page lists them all.
type More struct {
	URL   string
	Count int
}

// Window is how many entries of one level the tree on a page shows at most.
// The page's HTML then holds at most Window entries per level of its depth,
// whatever the size of the site; each section's full level is a file of its
// own (Level).
const Window = 24

// Branch is the tree as a page shows it, as the home page's item: the
// top-level entries, and along the path from the top to current each level's
// entries, open. Every level holds at most window entries around the path; a
// level's More links to the section that lists the rest. current may be nil
// (a 404 page).
func (t *Tree) Branch(current *Node, window int) *Item {
	if t == nil {
		return nil
	}
	var path []*Node
	for n := current; n != nil; n = n.Parent {
		path = append(path, n)
	}
	onPath := func(n *Node) bool { return slices.Contains(path, n) }
	var fill func(it *Item, parent *Node)
	fill = func(it *Item, parent *Node) {
		kids := parent.Children
		focus := slices.IndexFunc(kids, onPath)
		shown, hidden := windowAround(kids, focus, window)
		// One allocation for a level's items: a branch is built for
		// every page of every region.
		items := make([]Item, len(shown))
		it.Children = make([]*Item, len(shown))
		for i, c := range shown {
			ci := &items[i]
			*ci = Item{Title: c.Title, URL: c.URL, Section: c.Section, Current: c == current, Active: onPath(c) && c != current}
			if onPath(c) && len(c.Children) > 0 {
				ci.Open = true
				fill(ci, c)
			} else {
				ci.Lazy = len(c.Children) > 0
			}
			it.Children[i] = ci
		}
		if hidden > 0 {
			it.More = &More{URL: parent.URL, Count: hidden}
		}
	}
	root := &Item{Title: t.Root.Title, URL: t.Root.URL, Section: true, Current: t.Root == current, Open: true}
	fill(root, t.Root)
	return root
}

// windowAround returns at most n entries of l centred on focus (-1: from the
// start), and how many were left out.
func windowAround(l []*Node, focus, n int) ([]*Node, int) {
	if n <= 0 || len(l) <= n {
		return l, 0
	}
	start := max(0, focus-n/2)
	start = min(start, len(l)-n)
	return l[start : start+n], len(l) - n
}

// Level is one section's children, all of them, every subsection closed
// with its own children left out (Lazy): the content of the section's tree
// file, which a page's script fetches when the reader opens that section.
func (t *Tree) Level(n *Node) *Item {
	if t == nil || n == nil {
		return nil
	}
	it := &Item{Title: n.Title, URL: n.URL, Section: n.Section, Children: make([]*Item, len(n.Children))}
	for i, c := range n.Children {
		it.Children[i] = &Item{Title: c.Title, URL: c.URL, Section: c.Section, Lazy: len(c.Children) > 0}
	}
	return it
}

// Sections calls f for every section of the tree that has children, the
// home page first, parents before their children.
func (t *Tree) Sections(f func(*Node)) {
	if t == nil {
		return
	}
	var walk func(n *Node)
	walk = func(n *Node) {
		if len(n.Children) == 0 {
			return
		}
		f(n)
		for _, c := range n.Children {
			if c.Section {
				walk(c)
			}
		}
	}
	walk(t.Root)
}

// WriteHTML writes the item's children as the nested lists of the section tree:
// a section with children as its link followed by a <details> holding only
// the toggle and its children, open along the current path (a Lazy section
// is its link alone, in <li class="tree-sec tree-lazy">); the current
// page marked with aria-current, and a level's left-out entries as one link
// labelled more (with their count) to the section that lists them all.
//
// The tree is written in Go rather than by a recursive template: it is on
// every page of every region, and a template partial per level costs more
// than converting the page's Markdown. Its markup is in the functions
// below.
func (it *Item) WriteHTML(w io.StringWriter, more string, root bool) {
	openList(w, root)
	for _, c := range it.Children {
		kids := len(c.Children) > 0
		openEntry(w, entry{title: c.Title, url: c.URL, section: c.Section, current: c.Current, active: c.Active,
			lazy: c.Lazy && !kids, details: kids, open: c.Open})
		if kids {
			c.WriteHTML(w, more, false)
		}
		closeEntry(w, kids)
	}
	if it.More != nil {
		writeMore(w, it.More.URL, more, it.More.Count)
	}
	w.WriteString("\n</ul>")
}

// entry is what the markup of one entry of the tree depends on.
type entry struct {
	title, url                     string
	section, current, active, lazy bool
	details, open                  bool // its children follow, in a <details> (open)
}

func openList(w io.StringWriter, root bool) {
	w.WriteString(`<ul class="tree-list`)
	if root {
		w.WriteString(` tree-root`)
	}
	w.WriteString(`">`)
}

// openEntry writes an entry's <li>, its link and, when its children
// follow, the opening of their <details> with its toggle.
func openEntry(w io.StringWriter, e entry) {
	w.WriteString("\n<li class=\"")
	if e.section {
		w.WriteString("tree-sec")
	} else {
		w.WriteString("tree-page")
	}
	if e.active {
		w.WriteString(" is-active")
	}
	if e.lazy {
		w.WriteString(" tree-lazy")
	}
	w.WriteString(`"><a href="`)
	escape(w, e.url)
	w.WriteString(`"`)
	if e.current {
		w.WriteString(` aria-current="page"`)
	}
	w.WriteString(">")
	escape(w, e.title)
	w.WriteString("</a>")
	if e.details {
		w.WriteString("<details")
		if e.open {
			w.WriteString(" open")
		}
		w.WriteString(">")
		writeSummary(w, e.title)
	}
}

// closeEntry closes what openEntry opened.
func closeEntry(w io.StringWriter, details bool) {
	if details {
		w.WriteString("\n</details>")
	}
	w.WriteString("</li>")
}

// writeMore writes the link standing for a level's count left-out entries.
func writeMore(w io.StringWriter, url, more string, count int) {
	w.WriteString("\n<li class=\"tree-more\"><a href=\"")
	escape(w, url)
	w.WriteString(`">`)
	escape(w, more)
	w.WriteString(" (")
	w.WriteString(strconv.Itoa(count))
	w.WriteString(")</a></li>")
}

// writeSummary writes a section's disclosure toggle, named by the section's
// title for screen readers. The section's link stands before the <details>,
// not inside <summary>, because a link inside the toggle is a control inside
// a control: keyboards and screen readers reach only one of them.
func writeSummary(w io.StringWriter, title string) {
	w.WriteString(`<summary><span class="visually-hidden">`)
	escape(w, title)
	w.WriteString("</span></summary>")
}

// escape writes s escaped for HTML text and attributes.
func escape(w io.StringWriter, s string) { w.WriteString(html.EscapeString(s)) }
