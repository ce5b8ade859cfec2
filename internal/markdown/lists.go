package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
)

// ListKind says how a block's indentation made Markdown build another list
// structure than the indentation suggests.
type ListKind int

const (
	// ListLeft: a block indented past an item's marker but not to its text
	// left the item (a nested list became a sibling of the item's list).
	ListLeft ListKind = iota + 1
	// ListSibling: a list item indented deeper than the item above, but not
	// to its text, became that item's sibling instead of nesting under it.
	ListSibling
	// ListRestart: an ordered list starts again at its first number because
	// a block of ListLeft ended the list above it.
	ListRestart
	// ListCode: a block indented 4 or more columns past an item's text
	// became a code block inside the item.
	ListCode
)

// ListProblem is one such block. Offsets are in the converted Markdown.
type ListProblem struct {
	Kind   ListKind
	What   string // the block as Markdown made it: "bullet list", "paragraph"…
	Offset int    // the block's first non-space byte: the first wrong line
	Found  int    // its indentation in columns
	Need   int    // the indentation that puts it where its indentation points
	Item   int    // the marker of the item it was meant for (ListRestart: the list above)
	// Number and Want are the number a restarted list shows and the one the
	// list above would have continued with.
	Number, Want int
	// Lines are the starts of the non-blank lines that move with the block
	// by Need-Found columns; none for ListRestart.
	Lines []int
}

// listProblems walks the block containers of the document for blocks whose
// indentation and structure disagree.
func listProblems(root ast.Node, src []byte) []ListProblem {
	a := &listAnalysis{src: src}
	a.container(root)
	return a.out
}

type listAnalysis struct {
	src []byte
	out []ListProblem
}

// container checks the children of n, then descends into every child that
// holds blocks.
func (a *listAnalysis) container(n ast.Node) {
	left := map[ast.Node]bool{}
	var run *ListProblem // a ListSibling problem later items at its indentation join
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Type() != ast.TypeBlock {
			continue
		}
		if run != nil && c.Kind() == ast.KindListItem && a.indent(c.Pos()) == run.Found {
			run.Lines = append(run.Lines, a.lines(c)...)
			continue
		}
		run = nil
		if p, ok := a.misplaced(c); ok {
			a.out = append(a.out, p)
			if p.Kind == ListSibling {
				run = &a.out[len(a.out)-1]
			}
			left[c] = true
		} else if l, ok := c.(*ast.List); ok && l.IsOrdered() {
			a.restart(l, left)
		}
		if code, ok := c.(*ast.CodeBlock); ok && n.Kind() == ast.KindListItem {
			a.code(code, n)
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.Kind() {
		case ast.KindList, ast.KindListItem, ast.KindBlockquote:
			a.container(c)
		}
	}
}

// misplaced reports a block whose indentation lies past the marker and
// short of the text of an item that is open just before it.
func (a *listAnalysis) misplaced(b ast.Node) (ListProblem, bool) {
	prev := b.PreviousSibling()
	if prev == nil || b.Pos() < 0 {
		return ListProblem{}, false
	}
	var chain []*ast.ListItem
	for n := prev; n != nil; {
		switch x := n.(type) {
		case *ast.ListItem:
			chain = append(chain, x)
			n = x.LastChild()
			continue
		case *ast.List:
			n = x.LastChild()
			continue
		}
		break
	}
	found := a.indent(b.Pos())
	for i := len(chain) - 1; i >= 0; i-- {
		it := chain[i]
		marker, text := a.indent(it.Pos()), a.textColumn(it)
		if marker < found && found < text {
			kind := ListLeft
			if b.Kind() == ast.KindListItem {
				kind = ListSibling
			}
			return ListProblem{Kind: kind, What: a.what(b), Offset: a.firstNonSpace(b.Pos()), Found: found, Need: text,
				Item: it.Pos(), Lines: a.lines(b)}, true
		}
		if found >= text {
			break
		}
	}
	return ListProblem{}, false
}

// restart reports an ordered list that follows another of the same kind
// with only blocks that left their item between them.
func (a *listAnalysis) restart(l *ast.List, left map[ast.Node]bool) {
	p := l.PreviousSibling()
	if p == nil || !left[p] {
		return
	}
	for p != nil && left[p] {
		p = p.PreviousSibling()
	}
	above, ok := p.(*ast.List)
	if !ok || !above.CanContinue(l.Marker, true) {
		return
	}
	want := above.Start + above.ChildCount()
	if l.Start >= want {
		return
	}
	a.out = append(a.out, ListProblem{Kind: ListRestart, What: "ordered list", Offset: a.firstNonSpace(l.Pos()),
		Found: a.indent(l.Pos()), Need: a.indent(l.Pos()), Item: above.Pos(), Number: l.Start, Want: want})
}

// code reports an indented code block inside item it.
func (a *listAnalysis) code(c *ast.CodeBlock, it ast.Node) {
	if c.Lines().Len() == 0 {
		return
	}
	start := lineStart(a.src, c.Lines().At(0).Start)
	found := a.indent(a.firstNonSpace(start))
	a.out = append(a.out, ListProblem{Kind: ListCode, What: "code block", Offset: a.firstNonSpace(start), Found: found,
		Need: a.textColumn(it.(*ast.ListItem)), Item: it.Pos(), Lines: a.lines(c)})
}

func (a *listAnalysis) what(b ast.Node) string {
	switch x := b.(type) {
	case *ast.List:
		if x.IsOrdered() {
			return "ordered list"
		}
		return "bullet list"
	case *ast.ListItem:
		return "list item"
	case *ast.Paragraph, *ast.TextBlock:
		return "paragraph"
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		return "code block"
	case *ast.Heading:
		return "heading"
	case *ast.Blockquote:
		return "quote"
	case *ast.HTMLBlock:
		return "HTML block"
	}
	return "block"
}

// textColumn is the column where the text of item it starts: after its
// marker and the spaces that follow it (one when there are more than four,
// or none and the item starts with a blank line).
func (a *listAnalysis) textColumn(it *ast.ListItem) int {
	p := a.firstNonSpace(it.Pos())
	col := a.indent(p)
	i := p
	for i < len(a.src) && a.src[i] >= '0' && a.src[i] <= '9' {
		i++
	}
	if i < len(a.src) {
		i++ // the bullet, or the '.' or ')' after the number
	}
	col += i - p
	pad := 0
	for j := i; j < len(a.src) && (a.src[j] == ' ' || a.src[j] == '\t'); j++ {
		if a.src[j] == '\t' {
			pad += 4 - (col+pad)%4
		} else {
			pad++
		}
	}
	if pad == 0 || pad > 4 || i+pad >= len(a.src) || a.src[i+pad] == '\n' {
		pad = 1
	}
	return col + pad
}

// indent is the column of offset p in its line, tabs stopping every 4.
func (a *listAnalysis) indent(p int) int {
	p = a.firstNonSpace(p)
	col := 0
	for i := lineStart(a.src, p); i < p; i++ {
		if a.src[i] == '\t' {
			col += 4 - col%4
		} else if a.src[i] < 0x80 || a.src[i] >= 0xC0 {
			col++
		}
	}
	return col
}

// firstNonSpace skips spaces and tabs from p on its line.
func (a *listAnalysis) firstNonSpace(p int) int {
	for p < len(a.src) && (a.src[p] == ' ' || a.src[p] == '\t') {
		p++
	}
	return p
}

// lines are the starts of the non-blank lines of block b: from its first
// line to the line before the next block in document order.
func (a *listAnalysis) lines(b ast.Node) []int {
	end := len(a.src)
	for n := b; n != nil; n = n.Parent() {
		if next := n.NextSibling(); next != nil && next.Pos() >= 0 {
			end = lineStart(a.src, next.Pos())
			break
		}
	}
	var out []int
	for i := lineStart(a.src, b.Pos()); i < end; {
		j := i
		for j < len(a.src) && a.src[j] != '\n' {
			j++
		}
		if len(bytes.TrimSpace(a.src[i:j])) > 0 {
			out = append(out, i)
		}
		i = j + 1
	}
	return out
}

func lineStart(src []byte, p int) int {
	if p > len(src) {
		p = len(src)
	}
	for p > 0 && src[p-1] != '\n' {
		p--
	}
	return p
}
