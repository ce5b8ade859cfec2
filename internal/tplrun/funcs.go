package tplrun

import (
	"bytes"
	"fmt"
	"reflect"
	"text/template/parse"
)

// function compiles a command that calls a function: an escaper, a
// function of the FuncMap, or one of text/template's built-ins this
// package follows (and, or, not, eq, ne, len). A FuncMap's function takes
// precedence over a built-in of the same name, as in text/template.
func (c *compiler) function(name string, rest []parse.Node, node parse.Node) (expr, error) {
	if e, ok := escapers[name]; ok {
		if len(rest) > 0 {
			return nil, fmt.Errorf("%s with arguments", name)
		}
		return func(s *state, _, final reflect.Value, hasFinal bool) (reflect.Value, error) {
			if !hasFinal {
				return reflect.Value{}, fallback("%s without a value", name)
			}
			str, k, ok := stringify(final)
			var b bytes.Buffer
			if !ok || !e.escape(&b, str, k) {
				return reflect.Value{}, fallback("%s of a %s", name, final)
			}
			return reflect.ValueOf(b.String()), nil
		}, nil
	}
	args, err := c.args(rest)
	if err != nil {
		return nil, err
	}
	if c.has(name) {
		return func(s *state, dot, final reflect.Value, hasFinal bool) (reflect.Value, error) {
			fn, ok := s.env.Funcs[name]
			if !ok {
				return reflect.Value{}, fallback("no function %s", name)
			}
			return s.callFunc(dot, fn, callee{node, name}, args, final, hasFinal)
		}, nil
	}
	switch name {
	case "and", "or":
		or := name == "or"
		return func(s *state, dot, final reflect.Value, hasFinal bool) (reflect.Value, error) {
			return s.andOr(dot, or, args, final, hasFinal)
		}, nil
	case "not", "len", "eq", "ne":
		return c.builtin(name, args)
	}
	return nil, fmt.Errorf("function %s is not compiled", name)
}

// andOr is and (or): the first argument that is false (true), evaluated
// one at a time, else the last.
func (s *state) andOr(dot reflect.Value, or bool, args []arg, final reflect.Value, hasFinal bool) (reflect.Value, error) {
	if len(args) == 0 && !hasFinal {
		return reflect.Value{}, fallback("and or or without arguments")
	}
	var v reflect.Value
	for _, a := range args {
		var err error
		if v, err = a.raw(s, dot); err != nil {
			return v, err
		}
		if truth(v) == or {
			return v, nil
		}
	}
	if hasFinal {
		v = final
	}
	return v, nil
}

// raw is an argument's value where any value is accepted, as the
// built-ins take theirs.
func (a arg) raw(s *state, dot reflect.Value) (reflect.Value, error) {
	if a.eval != nil {
		return a.eval(s, dot)
	}
	switch n := a.lit.(type) {
	case *parse.StringNode:
		return reflect.ValueOf(n.Text), nil
	case *parse.BoolNode:
		return reflect.ValueOf(n.True), nil
	case *parse.NumberNode:
		return idealConstant(n)
	case *parse.NilNode:
		return reflect.Value{}, nil
	}
	return reflect.Value{}, fallback("%s", a.lit)
}

// truth is isTrue of what an interface holds.
func truth(v reflect.Value) bool {
	if v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	t, _ := isTrue(v)
	return t
}

// builtin compiles not, len, eq and ne.
func (c *compiler) builtin(name string, args []arg) (expr, error) {
	want := map[string]int{"not": 1, "len": 1, "eq": 2, "ne": 2}[name]
	return func(s *state, dot, final reflect.Value, hasFinal bool) (reflect.Value, error) {
		// text/template counts the arguments before it evaluates them.
		n := len(args)
		if hasFinal {
			n++
		}
		if n != want {
			return reflect.Value{}, fallback("%s with %d arguments", name, n)
		}
		vals := make([]reflect.Value, 0, want)
		for _, a := range args {
			v, err := a.raw(s, dot)
			if err != nil {
				return v, err
			}
			vals = append(vals, v)
		}
		if hasFinal {
			vals = append(vals, final)
		}
		switch name {
		case "not":
			return reflect.ValueOf(!truth(vals[0])), nil
		case "len":
			v, isNil := indirect(vals[0])
			switch v.Kind() {
			case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
				if !isNil {
					return reflect.ValueOf(v.Len()), nil
				}
			}
			return reflect.Value{}, fallback("len of %s", vals[0])
		}
		eq, ok := equal(vals[0], vals[1])
		if !ok {
			return reflect.Value{}, fallback("%s of %s and %s", name, vals[0], vals[1])
		}
		return reflect.ValueOf(eq == (name == "eq")), nil
	}, nil
}

// equal is eq of two values of the same basic kind (booleans, integers,
// floats or strings); ok is false for any other pair.
func equal(a, b reflect.Value) (eq, ok bool) {
	if a.Kind() == reflect.Interface {
		a = a.Elem()
	}
	if b.Kind() == reflect.Interface {
		b = b.Elem()
	}
	ka, kb := basicKind(a), basicKind(b)
	if ka != kb || ka == 0 {
		return false, false
	}
	switch ka {
	case reflect.Bool:
		return a.Bool() == b.Bool(), true
	case reflect.Int:
		return a.Int() == b.Int(), true
	case reflect.Uint:
		return a.Uint() == b.Uint(), true
	case reflect.Float64:
		return a.Float() == b.Float(), true
	}
	return a.String() == b.String(), true
}

// basicKind is the class of kinds eq compares a value by, or 0.
func basicKind(v reflect.Value) reflect.Kind {
	switch v.Kind() {
	case reflect.Bool, reflect.String:
		return v.Kind()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return reflect.Int
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return reflect.Uint
	case reflect.Float32, reflect.Float64:
		return reflect.Float64
	}
	return 0
}

// writer compiles {{ fn args | _html_template_htmlescaper }}, a function
// of the FuncMap whose value is written in text, to call fn's writer (see
// Env.Writers) when it has one; it is nil for any other action.
func (c *compiler) writer(cmds []*parse.CommandNode, escs []escaper) stmt {
	if len(cmds) != 1 || len(escs) != 1 || escs[0] != escHTML {
		return nil
	}
	id, ok := cmds[0].Args[0].(*parse.IdentifierNode)
	if !ok || !c.has(id.Ident) {
		return nil
	}
	name := id.Ident
	args, err := c.args(cmds[0].Args[1:])
	if err != nil {
		return nil
	}
	return func(s *state, dot reflect.Value) error {
		fn, ok := s.env.Funcs[name]
		if !ok {
			return fallback("no function %s", name)
		}
		at := callee{cmds[0], name}
		write := s.env.Writers[name]
		if write == nil {
			v, err := s.callFunc(dot, fn, at, args, reflect.Value{}, false)
			if err != nil {
				return err
			}
			return s.escape(v, escs)
		}
		fv := reflect.ValueOf(fn)
		if err := callable(fv.Type()); err != nil {
			return err
		}
		argv, err := s.argv(dot, fv.Type(), args, reflect.Value{}, false)
		if err != nil {
			return err
		}
		defer s.pop(argv)
		done, err := write(s.w, anys(argv))
		switch {
		case err != nil:
			return s.callError(at, err)
		case done:
			return s.checkLimit()
		}
		// The writer declined: the function is called with the same
		// arguments, not evaluated again.
		v, err := s.invoke(fn, fv, argv, at)
		if err != nil {
			return err
		}
		return s.escape(v, escs)
	}
}

// callFunc calls a function of the FuncMap. The signatures helpgen's
// layouts call on every page are called directly; any other through
// reflect, as text/template calls them all.
func (s *state) callFunc(dot reflect.Value, fn any, at callee, args []arg, final reflect.Value, hasFinal bool) (reflect.Value, error) {
	if f, ok := fn.(func() (string, error)); ok && len(args) == 0 && !hasFinal {
		out, err := f()
		return s.result(at, reflect.ValueOf(out), err)
	}
	fv := reflect.ValueOf(fn)
	if err := callable(fv.Type()); err != nil {
		return reflect.Value{}, err
	}
	argv, err := s.argv(dot, fv.Type(), args, final, hasFinal)
	if err != nil {
		return reflect.Value{}, err
	}
	defer s.pop(argv)
	return s.invoke(fn, fv, argv, at)
}

// invoke calls fn (fv) with its arguments evaluated, directly for the
// signatures helpgen's layouts call on every page.
func (s *state) invoke(fn any, fv reflect.Value, argv []reflect.Value, at callee) (reflect.Value, error) {
	var out any
	var err error
	switch f := fn.(type) {
	// The parameters of these types make argv's first value a string
	// where the first parameter is one.
	case func(string, ...any) (any, error):
		in := anys(argv)
		out, err = f(in[0].(string), in[1:]...)
	case func(string, any, ...any) (any, error):
		in := anys(argv)
		out, err = f(in[0].(string), in[1], in[2:]...)
	case func(any, ...any) (string, error):
		in := anys(argv)
		out, err = f(in[0], in[1:]...)
	default:
		return s.reflectCall(fv, argv, at)
	}
	return s.result(at, reflect.ValueOf(out), err)
}

func anys(vals []reflect.Value) []any {
	if len(vals) == 0 {
		return nil
	}
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v.Interface()
	}
	return out
}

// result is a call's value, or the error text/template gives for it.
func (s *state) result(at callee, v reflect.Value, err error) (reflect.Value, error) {
	if err != nil {
		return reflect.Value{}, s.callError(at, err)
	}
	return v, nil
}
