package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/markdown"
	"github.com/helpgen/helpgen/internal/model"
)

// lists reports the blocks of a rendered page whose indentation and list
// structure disagree: the writer sees one structure in the source, the
// reader gets another.
func (c *checker) lists(pg *model.Page, src *pageSource, code string) {
	for _, p := range pg.Facts.Lists {
		item, _ := src.LineCol(p.Item)
		e := src.Errorf(p.Offset, listHint(p), "%s", listMessage(p, item))
		c.report(Lists, code, e)
		if c.listLines == nil {
			c.listLines = map[key]listLines{}
		}
		c.listLines[key{e.File, e.Line, e.Col, e.Msg}] = listLines{pg.Src, p.Lines}
	}
}

// listLines are the source lines a lists finding would move.
type listLines struct {
	page  *content.Page
	lines []int
}

// regionalLists rewrites the hint of a lists finding that only some of the
// regions publishing its page have, when another of them reads the lines
// it would move as they stand: --fix then leaves them (see Fixes).
func (c *checker) regionalLists() {
	published := map[string][]string{}
	for _, r := range c.regions {
		for _, pg := range r.Pages {
			published[pg.Src.File] = append(published[pg.Src.File], r.Config.Code)
		}
	}
	for _, k := range c.order {
		f := c.seen[k]
		if f.Check != Lists || !strings.Contains(f.Hint, "--fix does") || len(f.Regions) >= len(published[f.File]) {
			continue
		}
		var others []string
		ll := c.listLines[k]
		tree, err := ll.page.Tree() // read when placing the finding
		if err != nil {
			continue
		}
		for _, code := range published[f.File] {
			if !slices.Contains(f.Regions, code) && slices.ContainsFunc(ll.lines, func(off int) bool { return visible(tree, off, code) }) {
				others = append(others, code)
			}
		}
		if len(others) == 0 {
			continue
		}
		f.Hint = fmt.Sprintf("%s read these lines as they stand, so --fix leaves them: give %s its own lines in a conditional, indented to the item it means",
			strings.Join(others, ", "), strings.Join(f.Regions, ", "))
	}
}

func listMessage(p markdown.ListProblem, item int) string {
	switch p.Kind {
	case markdown.ListSibling:
		return fmt.Sprintf("list item indented %s, deeper than the item on line %d but less than its text (%d): Markdown makes it a sibling, not a nested item",
			spaces(p.Found), item, p.Need)
	case markdown.ListRestart:
		return fmt.Sprintf("ordered list starts again at %d instead of %d: a block above left the list of line %d and ended it",
			p.Number, p.Want, item)
	case markdown.ListCode:
		return fmt.Sprintf("text indented %s inside the item on line %d, 4 or more past its text (%d): Markdown makes it a code block",
			spaces(p.Found), item, p.Need)
	}
	if p.What == "bullet list" || p.What == "ordered list" {
		return fmt.Sprintf("%s indented %s leaves the item on line %d, whose text is indented %d: Markdown ends that item's list here and makes this list its sibling",
			p.What, spaces(p.Found), item, p.Need)
	}
	return fmt.Sprintf("%s indented %s leaves the item on line %d, whose text is indented %d: Markdown ends the item and its list before it",
		p.What, spaces(p.Found), item, p.Need)
}

func listHint(p markdown.ListProblem) string {
	switch p.Kind {
	case markdown.ListRestart:
		return "fix the indentation of the block above that left the list (helpgen check --fix does)"
	case markdown.ListCode:
		if len(p.Lines) == 0 {
			return fmt.Sprintf("indent it %s to keep it text of the item, or use a fenced code block for code", spaces(p.Need))
		}
		return fmt.Sprintf("indent it %s to keep it text of the item (helpgen check --fix does), or use a fenced code block for code", spaces(p.Need))
	}
	if len(p.Lines) == 0 {
		return fmt.Sprintf("indent it %s", spaces(p.Need))
	}
	for _, l := range p.Lines {
		if l < 0 {
			return fmt.Sprintf("indent it %s in every region", spaces(p.Need))
		}
	}
	return fmt.Sprintf("indent it %s (helpgen check --fix does)", spaces(p.Need))
}

func spaces(n int) string { return fmt.Sprintf("%d space%s", n, diag.Plural(n)) }
