package render

import (
	"text/template/parse"
)

// A shortcode template is region-free when its output depends only on the
// call (name, arguments, inner text) and on page fields that are the same in
// every region (language, front matter params, URL). The build then runs it
// once per page and reuses the output in the other regions. The analysis is
// conservative: anything it does not recognise (.Site, .Region, .Page.Title,
// .Ordinal, the whole context passed on, partials, {{ template }}) makes the
// template region-dependent, which only costs speed.

// regionFreeFields are the context fields whose value is the same in every
// region; "Page" lists the allowed second names.
var regionFreeFields = map[string][]string{
	"Name": nil, "Inner": nil, "InnerDeindent": nil, "IsNamedParams": nil, "Get": nil, "Params": nil,
	"Page": {"Lang", "Params", "RelPermalink"},
}

// regionFreeFuncs are the template functions whose result depends only on
// their arguments.
var regionFreeFuncs = map[string]bool{
	"markdownify": true, "markdownifyBlock": true, "safeHTML": true, "safeURL": true, "in": true,
	"upper": true, "lower": true, "i18n": true, "dict": true,
	"and": true, "or": true, "not": true, "len": true, "index": true, "slice": true, "print": true,
	"printf": true, "println": true, "html": true, "js": true, "urlquery": true,
	"eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
}

// regionFree reports whether a parsed template is region-free.
func regionFree(t *parse.Tree) bool {
	return t != nil && t.Root != nil && freeNode(t.Root, false)
}

// freeNode checks a node; dotFree says whether dot holds a region-free value
// (inside with or range over a region-free pipeline) rather than the context.
func freeNode(n parse.Node, dotFree bool) bool {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return true
		}
		for _, c := range n.Nodes {
			if !freeNode(c, dotFree) {
				return false
			}
		}
		return true
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
		return true
	case *parse.ActionNode:
		return freePipe(n.Pipe, dotFree)
	case *parse.IfNode:
		return freeBranch(&n.BranchNode, dotFree, dotFree)
	case *parse.WithNode:
		return freeBranch(&n.BranchNode, true, dotFree)
	case *parse.RangeNode:
		return freeBranch(&n.BranchNode, true, dotFree)
	}
	return false // {{ template }}, {{ block }} and anything newer
}

// freeBranch checks if/with/range: the body runs with dot bodyDot when the
// pipeline is region-free, the else branch with the outer dot.
func freeBranch(b *parse.BranchNode, bodyDot, elseDot bool) bool {
	return freePipe(b.Pipe, elseDot) && freeNode(b.List, bodyDot) && (b.ElseList == nil || freeNode(b.ElseList, elseDot))
}

func freePipe(p *parse.PipeNode, dotFree bool) bool {
	if p == nil {
		return true
	}
	for _, c := range p.Cmds {
		for _, a := range c.Args {
			if !freeArg(a, dotFree) {
				return false
			}
		}
	}
	return true
}

func freeArg(n parse.Node, dotFree bool) bool {
	switch n := n.(type) {
	case *parse.FieldNode:
		return dotFree || freeField(n.Ident)
	case *parse.VariableNode:
		// $ is the context itself; other variables hold values computed by
		// pipelines that were checked where they were declared.
		if n.Ident[0] == "$" {
			return len(n.Ident) > 1 && freeField(n.Ident[1:])
		}
		return true
	case *parse.DotNode:
		return dotFree
	case *parse.ChainNode:
		return freeArg(n.Node, dotFree)
	case *parse.IdentifierNode:
		return regionFreeFuncs[n.Ident]
	case *parse.PipeNode:
		return freePipe(n, dotFree)
	case *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
		return true
	}
	return false
}

// freeField reports whether a field chain of the shortcode context, such as
// .Page.Lang, is the same in every region.
func freeField(chain []string) bool {
	next, ok := regionFreeFields[chain[0]]
	if !ok {
		return false
	}
	if next == nil {
		return true
	}
	if len(chain) < 2 {
		return false
	}
	for _, f := range next {
		if f == chain[1] {
			return true
		}
	}
	return false
}
