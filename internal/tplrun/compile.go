package tplrun

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"text/template/parse"
)

// stmt runs a node of a template's list.
type stmt func(s *state, dot reflect.Value) error

// expr evaluates a command of a pipeline; final is the previous command's
// value, if hasFinal.
type expr func(s *state, dot, final reflect.Value, hasFinal bool) (reflect.Value, error)

// Sentinels of {{ break }} and {{ continue }}, caught by the range they
// are in.
var (
	errBreak    = errors.New("break")
	errContinue = errors.New("continue")
)

// compiler compiles one tree.
type compiler struct {
	has func(name string) bool
}

func (c *compiler) list(l *parse.ListNode) (stmt, error) {
	if l == nil {
		return func(*state, reflect.Value) error { return nil }, nil
	}
	stmts := make([]stmt, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		st, err := c.node(n)
		if err != nil {
			return nil, err
		}
		if st != nil {
			stmts = append(stmts, st)
		}
	}
	return func(s *state, dot reflect.Value) error {
		for _, st := range stmts {
			if err := st(s, dot); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

func (c *compiler) node(n parse.Node) (stmt, error) {
	switch n := n.(type) {
	case *parse.TextNode:
		text := bytes.Clone(n.Text)
		return func(s *state, _ reflect.Value) error {
			s.w.Write(text)
			return s.checkLimit()
		}, nil
	case *parse.ActionNode:
		return c.action(n.Pipe)
	case *parse.IfNode:
		return c.branch(&n.BranchNode, false)
	case *parse.WithNode:
		return c.branch(&n.BranchNode, true)
	case *parse.RangeNode:
		return c.rangeNode(n)
	case *parse.BreakNode:
		return func(*state, reflect.Value) error { return errBreak }, nil
	case *parse.ContinueNode:
		return func(*state, reflect.Value) error { return errContinue }, nil
	case *parse.CommentNode:
		return nil, nil
	}
	return nil, unsupported(n)
}

func unsupported(n parse.Node) error {
	return fmt.Errorf("%s is not compiled", strings.TrimSpace(n.String()))
}

func (s *state) checkLimit() error {
	if s.w.Len() > s.limit {
		return fallback("output past its limit")
	}
	return nil
}

// action is {{ pipeline }}: a value written, or a variable set.
func (c *compiler) action(p *parse.PipeNode) (stmt, error) {
	if len(p.Decl) > 0 {
		eval, err := c.pipe(p)
		if err != nil {
			return nil, err
		}
		return func(s *state, dot reflect.Value) error {
			_, err := eval(s, dot)
			return err
		}, nil
	}
	// The escapers html/template appended write straight into the output.
	n := len(p.Cmds)
	var escs []escaper
	for n > 1 {
		e, ok := escaperOf(p.Cmds[n-1])
		if !ok {
			break
		}
		escs = append([]escaper{e}, escs...)
		n--
	}
	if len(escs) == 0 {
		return nil, fmt.Errorf("%s: an action html/template did not escape", p)
	}
	if w := c.writer(p.Cmds[:n], escs); w != nil {
		return w, nil
	}
	head, err := c.commands(p.Cmds[:n])
	if err != nil {
		return nil, err
	}
	return func(s *state, dot reflect.Value) error {
		v, err := head(s, dot)
		if err != nil {
			return err
		}
		return s.escape(v, escs)
	}, nil
}

// escaperOf reports whether cmd is a bare escaper, as html/template
// appends them.
func escaperOf(cmd *parse.CommandNode) (escaper, bool) {
	if len(cmd.Args) != 1 {
		return 0, false
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	if !ok {
		return 0, false
	}
	e, ok := escapers[id.Ident]
	return e, ok
}

// escape writes v through the escapers escs.
func (s *state) escape(v reflect.Value, escs []escaper) error {
	str, k, ok := stringify(v)
	if !ok {
		return fallback("cannot escape a %s", v.Kind())
	}
	for i, e := range escs {
		if i == len(escs)-1 {
			if !e.escape(s.w, str, k) {
				return fallback("escaper %d", e)
			}
			break
		}
		s.scratch.Reset()
		if !e.escape(&s.scratch, str, k) {
			return fallback("escaper %d", e)
		}
		str, k = s.scratch.String(), plain
	}
	return s.checkLimit()
}

// pipe compiles a pipeline with its declarations: its value, and the
// variables it declares or assigns set to it.
func (c *compiler) pipe(p *parse.PipeNode) (func(s *state, dot reflect.Value) (reflect.Value, error), error) {
	eval, err := c.commands(p.Cmds)
	if err != nil {
		return nil, err
	}
	if len(p.Decl) == 0 {
		return eval, nil
	}
	if len(p.Decl) > 1 {
		return nil, fmt.Errorf("%s: more than one variable", p)
	}
	name, assign := p.Decl[0].Ident[0], p.IsAssign
	return func(s *state, dot reflect.Value) (reflect.Value, error) {
		v, err := eval(s, dot)
		if err != nil {
			return v, err
		}
		if assign {
			return v, s.set(name, v)
		}
		s.vars = append(s.vars, variable{name, v})
		return v, nil
	}, nil
}

// commands compiles the commands of a pipeline, each one's value the last
// argument of the next.
func (c *compiler) commands(cmds []*parse.CommandNode) (func(s *state, dot reflect.Value) (reflect.Value, error), error) {
	if len(cmds) == 0 {
		return nil, errors.New("an empty pipeline")
	}
	exprs := make([]expr, len(cmds))
	for i, cmd := range cmds {
		e, err := c.command(cmd)
		if err != nil {
			return nil, err
		}
		exprs[i] = e
	}
	return func(s *state, dot reflect.Value) (reflect.Value, error) {
		var v reflect.Value
		for i, e := range exprs {
			var err error
			if v, err = e(s, dot, v, i > 0); err != nil {
				return v, err
			}
		}
		// As text/template does, an empty interface is looked into.
		if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
			v = reflect.ValueOf(v.Interface())
		}
		return v, nil
	}, nil
}

// lists compiles the body of an if, with or range and its else.
func (c *compiler) lists(body, orElse *parse.ListNode) (stmt, stmt, error) {
	b, err := c.list(body)
	if err != nil {
		return nil, nil, err
	}
	e, err := c.list(orElse)
	return b, e, err
}

// branch is {{ if }} or {{ with }}, with its else.
func (c *compiler) branch(b *parse.BranchNode, with bool) (stmt, error) {
	cond, err := c.pipe(b.Pipe)
	if err != nil {
		return nil, err
	}
	then, els, err := c.lists(b.List, b.ElseList)
	if err != nil {
		return nil, err
	}
	return func(s *state, dot reflect.Value) error {
		mark := len(s.vars)
		defer func() { s.vars = s.vars[:mark] }()
		v, err := cond(s, dot)
		if err != nil {
			return err
		}
		// As text/template does, an interface's truth is its value's.
		cv := v
		if cv.Kind() == reflect.Interface {
			cv = cv.Elem()
		}
		truth, ok := isTrue(cv)
		if !ok {
			return fallback("if or with on a %s", v.Type())
		}
		if !truth {
			return els(s, dot)
		}
		if with {
			dot = v
		}
		return then(s, dot)
	}, nil
}

// rangeNode is {{ range }} over an array or a slice; anything else makes
// the program give up when it is met.
func (c *compiler) rangeNode(r *parse.RangeNode) (stmt, error) {
	if r.Pipe.IsAssign || len(r.Pipe.Decl) > 2 {
		return nil, unsupported(r)
	}
	var names []string
	for _, d := range r.Pipe.Decl {
		names = append(names, d.Ident[0])
	}
	val, err := c.commands(r.Pipe.Cmds)
	if err != nil {
		return nil, err
	}
	body, els, err := c.lists(r.List, r.ElseList)
	if err != nil {
		return nil, err
	}
	return func(s *state, dot reflect.Value) error {
		mark := len(s.vars)
		defer func() { s.vars = s.vars[:mark] }()
		v, err := val(s, dot)
		if err != nil {
			return err
		}
		// Variables the pipeline declared (in parentheses) stay for
		// every iteration.
		inner := len(s.vars)
		// The else sees the variables set to the whole value; a break
		// in it ends this range, as text/template's walkRange catches it.
		whole := v
		orElse := func() error {
			for _, n := range names {
				s.vars = append(s.vars, variable{n, whole})
			}
			if err := els(s, dot); err != errBreak {
				return err
			}
			return nil
		}
		v, _ = indirect(v)
		switch v.Kind() {
		case reflect.Invalid:
			return orElse()
		case reflect.Array, reflect.Slice:
		default:
			return fallback("range over a %s", v.Type())
		}
		if v.Len() == 0 {
			return orElse()
		}
		for i := range v.Len() {
			elem := v.Index(i)
			switch len(names) {
			case 1:
				s.vars = append(s.vars, variable{names[0], elem})
			case 2:
				s.vars = append(s.vars, variable{names[0], reflect.ValueOf(i)}, variable{names[1], elem})
			}
			err := body(s, elem)
			s.vars = s.vars[:inner]
			switch err {
			case nil, errContinue:
			case errBreak:
				return nil
			default:
				return err
			}
		}
		return nil
	}, nil
}

// isTrue is text/template's truth: ok is false for a kind it has none for.
func isTrue(v reflect.Value) (truth, ok bool) {
	if !v.IsValid() {
		return false, true
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0, true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() != 0, true
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		return !v.IsNil(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0, true
	case reflect.Float32, reflect.Float64:
		return v.Float() != 0, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0, true
	case reflect.Struct:
		return true, true
	}
	return false, false
}

// indirect follows pointers and interfaces to the value they hold, or to
// the nil one that ends them (isNil).
func indirect(v reflect.Value) (rv reflect.Value, isNil bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return v, true
		}
	}
	return v, false
}
