package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// describe prints the problems of a document as line:col kind found→need.
func describe(src []byte, ps []ListProblem) string {
	var b strings.Builder
	lineCol := func(off int) (int, int) {
		line := bytes.Count(src[:off], []byte("\n")) + 1
		return line, off - (bytes.LastIndexByte(src[:off], '\n') + 1) + 1
	}
	for _, p := range ps {
		l, c := lineCol(p.Offset)
		il, _ := lineCol(p.Item)
		var lines []int
		for _, x := range p.Lines {
			n, _ := lineCol(x)
			lines = append(lines, n)
		}
		fmt.Fprintf(&b, "%d:%d %d %s %d→%d item %d lines %v", l, c, p.Kind, p.What, p.Found, p.Need, il, lines)
		if p.Kind == ListRestart {
			fmt.Fprintf(&b, " number %d want %d", p.Number, p.Want)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestListProblems(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"well indented", "1. a\n   - b\n1. c\n\n   text\n\n- x\n  - y\n", ""},
		{"a sibling list under a nested item, and the restart", "1. a\n\n    1. b\n      * c\n      * d\n\n    1. e\n",
			"4:7 1 bullet list 6→7 item 3 lines [4 5]\n7:5 3 ordered list 4→4 item 3 lines [] number 1 want 2\n"},
		{"two-space nesting under an ordered item", "1. a\n  1. b\n  1. c\n", "2:3 2 list item 2→3 item 1 lines [2 3]\n"},
		{"a paragraph after a blank line", "- a\n\n more\n", "3:2 1 paragraph 1→2 item 1 lines [3]\n"},
		{"a code block in an item", "- a\n\n      code\n      more\n", "3:7 4 code block 6→2 item 1 lines [3 4]\n"},
		{"a sibling on purpose at the marker column", "1. a\n- b\n", ""},
		{"a restart after an intended paragraph is no finding", "1. a\n\ntext\n\n1. b\n", ""},
		{"an explicit start number is kept", "1. a\n  - x\n2. b\n", "2:3 1 bullet list 2→3 item 1 lines [2]\n"},
		{"tabs count to the next stop of 4", "1. a\n\t- b\n", ""},
		{"inside a quote", "> 1. a\n>   - b\n", "2:5 1 bullet list 4→5 item 1 lines [2]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Convert([]byte(tt.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe([]byte(tt.src), d.Lists); got != tt.want {
				t.Errorf("got\n%swant\n%s", got, tt.want)
			}
		})
	}
}

// FuzzListProblems: any Markdown converts without panic, and every problem
// points inside the document, at non-blank line starts it may move.
func FuzzListProblems(f *testing.F) {
	for _, s := range []string{"1. a\n\n    1. b\n      * c\n\n    1. d\n", "- a\n\n      code\n", "1. a\n  1. b\n", "> - a\n>  b\n", "1.\n  -\n\t* x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		src := []byte(s)
		d, err := Convert(src, nil)
		if err != nil {
			return
		}
		for _, p := range d.Lists {
			if p.Offset < 0 || p.Offset > len(src) || p.Item < 0 || p.Item > len(src) || p.Found < 0 || p.Need < 0 {
				t.Fatalf("out of range: %+v in %q", p, s)
			}
			if (p.Kind == ListLeft || p.Kind == ListSibling) && p.Found >= p.Need {
				t.Fatalf("a block that left its item needs no more indentation: %+v in %q", p, s)
			}
			last := -1
			for _, l := range p.Lines {
				if l <= last || l >= len(src) || (l > 0 && src[l-1] != '\n') || len(bytes.TrimSpace(lineAt(src, l))) == 0 {
					t.Fatalf("line %d is not a non-blank line start after %d: %+v in %q", l, last, p, s)
				}
				last = l
			}
		}
	})
}

func lineAt(src []byte, l int) []byte {
	line := src[l:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return line
}
