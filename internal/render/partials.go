package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"text/template/parse"

	"github.com/helpgen/helpgen/internal/diag"
)

// Partials, as Hugo runs them: {{ partial "name" . }} finds
// layouts/partials/name or name.html, and a partial may return a value of
// any type with {{ return VALUE }}; partial then yields that value and the
// partial's output is dropped.
//
// As in Hugo v0.160, the first return with a value, wherever it stands in
// the partial (even inside an if), is moved to the end of the template at
// load: the whole partial runs, then the value is taken. Any later return
// in the partial does nothing.

// partialsDirs are where partials are, as in Hugo: layouts/partials/ and
// layouts/_partials/ (Hugo's newer place), first match wins.
var partialsDirs = [...]string{"partials/", "_partials/"}

func isPartial(name string) bool {
	return strings.HasPrefix(name, partialsDirs[0]) || strings.HasPrefix(name, partialsDirs[1])
}

// errReturnOutside is raised by a return with a value met outside a
// partial (a shortcode, a page layout, a render hook), Hugo's message.
var errReturnOutside = errors.New("return with a value is only supported in partials")

// hoistReturns moves each partial's first return to the end of its
// template and records which partials return a value.
func (t *Templates) hoistReturns(tpls []*template.Template, errs *diag.List) {
	t.returns = map[string]bool{}
	for _, tpl := range tpls {
		name := tpl.Name()
		if tpl.Tree == nil || !isPartial(name) {
			continue
		}
		ret, err := takeReturn(tpl.Tree, tpl.Tree.Root)
		if err != nil {
			*errs = append(*errs, t.templateError(err, t.files[name], nil))
			continue
		}
		if ret != nil {
			tpl.Tree.Root.Nodes = append(tpl.Tree.Root.Nodes, ret)
			t.returns[name] = true
		}
	}
}

// takeReturn removes from l, in document order, the first action that is a
// return with a value, and returns it.
func takeReturn(tr *parse.Tree, l *parse.ListNode) (*parse.ActionNode, error) {
	if l == nil {
		return nil, nil
	}
	for i, n := range l.Nodes {
		var ret *parse.ActionNode
		var err error
		switch n := n.(type) {
		case *parse.ActionNode:
			if isReturn(n.Pipe) {
				l.Nodes = append(l.Nodes[:i], l.Nodes[i+1:]...)
				return asOneValue(n), nil
			}
			err = returnInside(tr, n, n.Pipe)
		case *parse.IfNode:
			ret, err = takeReturnBranch(tr, n, &n.BranchNode)
		case *parse.WithNode:
			ret, err = takeReturnBranch(tr, n, &n.BranchNode)
		case *parse.RangeNode:
			ret, err = takeReturnBranch(tr, n, &n.BranchNode)
		}
		if ret != nil || err != nil {
			return ret, err
		}
	}
	return nil, nil
}

func takeReturnBranch(tr *parse.Tree, n parse.Node, b *parse.BranchNode) (*parse.ActionNode, error) {
	if err := returnInside(tr, n, b.Pipe); err != nil {
		return nil, err
	}
	if ret, err := takeReturn(tr, b.List); ret != nil || err != nil {
		return ret, err
	}
	return takeReturn(tr, b.ElseList)
}

// asOneValue makes {{ return f a b }} {{ return (f a b) }}, as Hugo takes
// the rest of the command as the value.
func asOneValue(n *parse.ActionNode) *parse.ActionNode {
	c := n.Pipe.Cmds[0]
	if len(c.Args) == 2 {
		return n
	}
	value := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: c.Args[1].Position(), Args: c.Args[1:]}
	pipe := &parse.PipeNode{NodeType: parse.NodePipe, Pos: value.Pos, Line: n.Line, Cmds: []*parse.CommandNode{value}}
	c.Args = []parse.Node{c.Args[0], pipe}
	return n
}

// isReturn reports whether an action's pipe is {{ return VALUE }}.
func isReturn(p *parse.PipeNode) bool {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 {
		return false
	}
	return isReturnCmd(p.Cmds[0])
}

func isReturnCmd(c *parse.CommandNode) bool {
	if len(c.Args) < 2 {
		return false
	}
	id, ok := c.Args[0].(*parse.IdentifierNode)
	return ok && id.Ident == "return"
}

// returnInside refuses a return with a value that is part of a larger
// pipeline ({{ $x := return 1 }}, {{ if return 1 }}): it cannot be moved.
func returnInside(tr *parse.Tree, n parse.Node, p *parse.PipeNode) error {
	if p == nil {
		return nil
	}
	for _, c := range p.Cmds {
		if isReturnCmd(c) {
			loc, _ := tr.ErrorContext(n)
			return fmt.Errorf("template: %s: return must stand alone, as {{ return VALUE }}", loc)
		}
	}
	return nil
}

// ret is the template function return: it keeps the value for the partial
// being executed.
func (st *execState) ret(v ...any) (string, error) {
	if len(v) == 0 {
		return "", nil
	}
	if len(st.rets) == 0 {
		return "", errReturnOutside
	}
	st.rets[len(st.rets)-1] = v[0]
	return "", nil
}

// partialName is the layout of partial name: partials/NAME or
// _partials/NAME, or NAME.html.
func (t *Templates) partialName(name string) (string, error) {
	if l, ok := t.partials.Load(name); ok {
		return l.(string), nil
	}
	l, err := t.findPartial(name)
	if err == nil {
		t.partials.Store(name, l)
	}
	return l, err
}

// findPartial is partialName, looked up in the files.
func (t *Templates) findPartial(name string) (string, error) {
	name = strings.TrimPrefix(strings.TrimPrefix(name, partialsDirs[0]), partialsDirs[1])
	for _, dir := range partialsDirs {
		for _, n := range []string{dir + name, dir + name + ".html"} {
			if _, ok := t.files[n]; ok {
				return n, nil
			}
		}
	}
	return "", fmt.Errorf("partial %q not found", name)
}

// partial is the template function partial (Hugo's partials.Include): the
// partial's output as HTML, or the value it returns.
func (st *execState) partial(name string, data ...any) (any, error) {
	t := st.set.t
	layout, err := t.partialName(name)
	if err != nil {
		return nil, err
	}
	var dot any
	if len(data) > 0 {
		dot = data[0]
	}
	b := partialPool.Get().(*bytes.Buffer)
	defer partialPool.Put(b)
	b.Reset()
	// An error of enter is positioned by the caller's execution, at this
	// call.
	if _, err := st.enter(t.files[layout]); err != nil {
		return nil, err
	}
	defer st.leave()
	st.rets = append(st.rets, nil)
	defer func() { st.rets = st.rets[:len(st.rets)-1] }()
	if err := st.set.layout(b, layout, dot); err != nil {
		return nil, err
	}
	if t.returns[layout] {
		return st.rets[len(st.rets)-1], nil
	}
	return template.HTML(b.String()), nil
}
