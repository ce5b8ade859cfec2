package tplrun

import (
	"errors"
	"reflect"
	"strings"
	"sync/atomic"
	"text/template/parse"
)

// command compiles one command of a pipeline.
func (c *compiler) command(cmd *parse.CommandNode) (expr, error) {
	rest := cmd.Args[1:]
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return c.fieldChain(n, n.Ident, rest, func(_ *state, dot reflect.Value) (reflect.Value, error) { return dot, nil })
	case *parse.VariableNode:
		name := n.Ident[0]
		get := func(s *state, _ reflect.Value) (reflect.Value, error) { return s.lookup(name) }
		if len(n.Ident) > 1 {
			return c.fieldChain(n, n.Ident[1:], rest, get)
		}
		return notAFunction(rest, get)
	case *parse.ChainNode:
		inner, err := c.operand(n.Node)
		if err != nil {
			return nil, err
		}
		return c.fieldChain(n, n.Field, rest, inner)
	case *parse.IdentifierNode:
		return c.function(n.Ident, rest, cmd)
	case *parse.PipeNode:
		p, err := c.pipe(n)
		if err != nil {
			return nil, err
		}
		return notAFunction(rest, p)
	case *parse.DotNode, *parse.StringNode, *parse.BoolNode, *parse.NumberNode:
		v, err := c.operand(n)
		if err != nil {
			return nil, err
		}
		return notAFunction(rest, v)
	}
	return nil, unsupported(cmd)
}

// operandFunc evaluates an operand: a value with no arguments.
type operandFunc func(s *state, dot reflect.Value) (reflect.Value, error)

// notAFunction is a command whose value takes no arguments: given one (the
// previous command's value), text/template fails, and so the program
// gives up.
func notAFunction(rest []parse.Node, v operandFunc) (expr, error) {
	if len(rest) > 0 {
		return nil, errors.New("arguments to a value")
	}
	return func(s *state, dot, _ reflect.Value, hasFinal bool) (reflect.Value, error) {
		if hasFinal {
			return reflect.Value{}, fallback("an argument to a value")
		}
		return v(s, dot)
	}, nil
}

// operand compiles a node evaluated as a value, as text/template's
// evalEmptyInterface does.
func (c *compiler) operand(n parse.Node) (operandFunc, error) {
	switch n := n.(type) {
	case *parse.DotNode:
		return func(_ *state, dot reflect.Value) (reflect.Value, error) { return dot, nil }, nil
	case *parse.StringNode:
		v := reflect.ValueOf(n.Text)
		return func(*state, reflect.Value) (reflect.Value, error) { return v, nil }, nil
	case *parse.BoolNode:
		v := reflect.ValueOf(n.True)
		return func(*state, reflect.Value) (reflect.Value, error) { return v, nil }, nil
	case *parse.NumberNode:
		v, err := idealConstant(n)
		if err != nil {
			return nil, err
		}
		return func(*state, reflect.Value) (reflect.Value, error) { return v, nil }, nil
	case *parse.IdentifierNode:
		e, err := c.function(n.Ident, nil, n)
		if err != nil {
			return nil, err
		}
		return func(s *state, dot reflect.Value) (reflect.Value, error) { return e(s, dot, reflect.Value{}, false) }, nil
	case *parse.FieldNode, *parse.VariableNode, *parse.ChainNode, *parse.PipeNode:
		e, err := c.command(&parse.CommandNode{NodeType: parse.NodeCommand, Args: []parse.Node{n}})
		if err != nil {
			return nil, err
		}
		return func(s *state, dot reflect.Value) (reflect.Value, error) { return e(s, dot, reflect.Value{}, false) }, nil
	}
	return nil, unsupported(n)
}

// idealConstant is a number literal's value where any type is accepted:
// an int, or a float64 when written as one.
func idealConstant(n *parse.NumberNode) (reflect.Value, error) {
	switch {
	case n.IsComplex:
		return reflect.Value{}, unsupported(n)
	case n.IsFloat && !strings.HasPrefix(n.Text, "'") && !isHexInt(n.Text) && strings.ContainsAny(n.Text, ".eEpP"):
		return reflect.ValueOf(n.Float64), nil
	case n.IsInt && int64(int(n.Int64)) == n.Int64:
		return reflect.ValueOf(int(n.Int64)), nil
	}
	return reflect.Value{}, unsupported(n)
}

func isHexInt(s string) bool {
	return len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !strings.ContainsAny(s, "pP")
}

// fieldChain compiles .A.B.C (or $x.A, (pipe).A), node, on the value recv
// yields; the arguments, if any, go to the last, which must then be a
// method.
func (c *compiler) fieldChain(node parse.Node, names []string, rest []parse.Node, recv operandFunc) (expr, error) {
	args, err := c.args(rest)
	if err != nil {
		return nil, err
	}
	steps := make([]*fieldStep, len(names))
	for i, n := range names {
		steps[i] = &fieldStep{name: n, node: node}
	}
	return func(s *state, dot, final reflect.Value, hasFinal bool) (reflect.Value, error) {
		v, err := recv(s, dot)
		if err != nil {
			return v, err
		}
		for i, st := range steps {
			if i < len(steps)-1 {
				v, err = st.eval(s, dot, v, nil, reflect.Value{}, false)
			} else {
				v, err = st.eval(s, dot, v, args, final, hasFinal)
			}
			if err != nil {
				return v, err
			}
		}
		return v, nil
	}, nil
}

// fieldStep is one name of a field chain, with what it was found to be
// on the last type it was looked up on.
type fieldStep struct {
	name  string
	node  parse.Node // the chain, where a method's error is
	cache atomic.Pointer[fieldInfo]
}

// fieldInfo is what a name is on a type: a method, a struct field or a
// map key.
type fieldInfo struct {
	typ    reflect.Type
	addr   bool  // the receiver was addressable: *T's methods count
	method int   // the method's index, or -1
	index  []int // the field's, when not a method
	isMap  bool
}

// eval is text/template's evalField for the values it handles alike.
func (f *fieldStep) eval(s *state, dot, recv reflect.Value, args []arg, final reflect.Value, hasFinal bool) (reflect.Value, error) {
	if !recv.IsValid() {
		return recv, nil // text/template's missing value, on which a chain goes on
	}
	r, isNil := indirect(recv)
	if isNil {
		return reflect.Value{}, fallback("%s of a nil %s", f.name, recv.Type())
	}
	info := f.lookup(r)
	hasArgs := len(args) > 0 || hasFinal
	switch {
	case info.method >= 0:
		ptr := r
		if info.addr {
			ptr = r.Addr()
		}
		return s.call(dot, ptr.Method(info.method), callee{f.node, f.name}, args, final, hasFinal)
	case hasArgs:
		return reflect.Value{}, fallback("arguments to field %s", f.name)
	case info.index != nil:
		return r.FieldByIndexErr(info.index)
	case info.isMap:
		return r.MapIndex(reflect.ValueOf(f.name)), nil
	}
	return reflect.Value{}, fallback("no field %s in %s", f.name, r.Type())
}

// lookup finds what f's name is on r's type, from the cache when r's
// type is the one last looked up.
func (f *fieldStep) lookup(r reflect.Value) *fieldInfo {
	typ, addr := r.Type(), r.CanAddr()
	if info := f.cache.Load(); info != nil && info.typ == typ && info.addr == addr {
		return info
	}
	info := &fieldInfo{typ: typ, addr: addr, method: -1}
	mt := typ
	if addr {
		mt = reflect.PointerTo(typ)
	}
	if m, ok := mt.MethodByName(f.name); ok {
		info.method = m.Index
	} else if typ.Kind() == reflect.Struct {
		if sf, ok := typ.FieldByName(f.name); ok && sf.IsExported() {
			info.index = sf.Index
		}
	} else if typ.Kind() == reflect.Map && stringType.AssignableTo(typ.Key()) {
		info.isMap = true
	}
	f.cache.Store(info)
	return info
}

// arg is a compiled argument: a value, or a literal whose type the
// parameter it is passed to gives.
type arg struct {
	eval operandFunc // nil for a literal
	lit  parse.Node
	str  reflect.Value // a string literal's value as a string
}

func (c *compiler) args(nodes []parse.Node) ([]arg, error) {
	out := make([]arg, len(nodes))
	for i, n := range nodes {
		switch n.(type) {
		case *parse.StringNode:
			out[i] = arg{lit: n, str: reflect.ValueOf(n.(*parse.StringNode).Text)}
			continue
		case *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
			out[i] = arg{lit: n}
			continue
		}
		e, err := c.operand(n)
		if err != nil {
			return nil, err
		}
		out[i] = arg{eval: e}
	}
	return out, nil
}

// value is a as a value of type typ, as text/template's evalArg makes it.
func (a arg) value(s *state, dot reflect.Value, typ reflect.Type) (reflect.Value, error) {
	if a.eval != nil {
		v, err := a.eval(s, dot)
		if err != nil {
			return v, err
		}
		return convert(v, typ)
	}
	switch n := a.lit.(type) {
	case *parse.NilNode:
		if canBeNil(typ) {
			return reflect.Zero(typ), nil
		}
	case *parse.StringNode:
		switch {
		case typ == stringType || isAny(typ):
			return a.str, nil
		case typ.Kind() == reflect.String:
			v := reflect.New(typ).Elem()
			v.SetString(n.Text)
			return v, nil
		}
	case *parse.BoolNode:
		switch {
		case typ.Kind() == reflect.Bool:
			v := reflect.New(typ).Elem()
			v.SetBool(n.True)
			return v, nil
		case isAny(typ):
			return reflect.ValueOf(n.True), nil
		}
	case *parse.NumberNode:
		return number(n, typ)
	}
	return reflect.Value{}, fallback("%s for a %s", a.lit, typ)
}

// number is a number literal as a value of type typ.
func number(n *parse.NumberNode, typ reflect.Type) (reflect.Value, error) {
	v := reflect.New(typ).Elem()
	switch typ.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n.IsInt && !v.OverflowInt(n.Int64) {
			v.SetInt(n.Int64)
			return v, nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if n.IsUint && !v.OverflowUint(n.Uint64) {
			v.SetUint(n.Uint64)
			return v, nil
		}
	case reflect.Float32, reflect.Float64:
		if n.IsFloat && !v.OverflowFloat(n.Float64) {
			v.SetFloat(n.Float64)
			return v, nil
		}
	case reflect.Interface:
		if isAny(typ) {
			return idealConstant(n)
		}
	}
	return reflect.Value{}, fallback("%s for a %s", n, typ)
}

func isAny(t reflect.Type) bool { return t.Kind() == reflect.Interface && t.NumMethod() == 0 }

// convert is text/template's validateType: v made a value a parameter of
// type typ takes.
func convert(v reflect.Value, typ reflect.Type) (reflect.Value, error) {
	if !v.IsValid() {
		if canBeNil(typ) {
			return reflect.Zero(typ), nil
		}
		return v, fallback("a missing value for a %s", typ)
	}
	if v.Type().AssignableTo(typ) {
		return v, nil
	}
	if v.Kind() == reflect.Interface && !v.IsNil() && v.Elem().Type().AssignableTo(typ) {
		return v.Elem(), nil
	}
	return v, fallback("a %s for a %s", v.Type(), typ)
}

func canBeNil(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return true
	}
	return false
}

// errorType is the type of the error a function may return second.
var errorType = reflect.TypeFor[error]()

// call calls fn with args and final, as text/template's evalCall does.
// Like text/template, it refuses a function it cannot call before it
// evaluates any argument, whose error would then come first.
func (s *state) call(dot, fn reflect.Value, at callee, args []arg, final reflect.Value, hasFinal bool) (reflect.Value, error) {
	typ := fn.Type()
	if err := callable(typ); err != nil {
		return reflect.Value{}, err
	}
	argv, err := s.argv(dot, typ, args, final, hasFinal)
	if err != nil {
		return reflect.Value{}, err
	}
	defer s.pop(argv)
	return s.reflectCall(fn, argv, at)
}

// callable is text/template's check of what a function returns: a value,
// and perhaps an error.
func callable(typ reflect.Type) error {
	switch typ.NumOut() {
	case 1:
	case 2:
		if typ.Out(1) != errorType {
			return fallback("%s returns two values", typ)
		}
	default:
		return fallback("%s returns %d values", typ, typ.NumOut())
	}
	if typ.Out(0) == reflectValueType {
		return fallback("%s returns a reflect.Value", typ)
	}
	return nil
}

// reflectCall calls fn with argv, evaluated.
func (s *state) reflectCall(fn reflect.Value, argv []reflect.Value, at callee) (reflect.Value, error) {
	out := fn.Call(argv)
	if len(out) == 2 && !out[1].IsNil() {
		return reflect.Value{}, s.callError(at, out[1].Interface().(error))
	}
	return out[0], nil
}

var reflectValueType = reflect.TypeFor[reflect.Value]()

// argv evaluates the arguments of a call to a function of type typ.
func (s *state) argv(dot reflect.Value, typ reflect.Type, args []arg, final reflect.Value, hasFinal bool) ([]reflect.Value, error) {
	n := len(args)
	if hasFinal {
		n++
	}
	in := typ.NumIn()
	if typ.IsVariadic() && n < in-1 || !typ.IsVariadic() && n != in {
		return nil, fallback("%d arguments for a %s", n, typ)
	}
	paramType := func(i int) reflect.Type {
		if typ.IsVariadic() && i >= in-1 {
			return typ.In(in - 1).Elem()
		}
		return typ.In(i)
	}
	// The arguments are evaluated onto the stack s.args, which an
	// argument that is itself a call uses above them; the caller pops
	// them once the call is made.
	base := len(s.args)
	for i, a := range args {
		v, err := a.value(s, dot, paramType(i))
		if err != nil {
			s.args = s.args[:base]
			return nil, err
		}
		s.args = append(s.args, v)
	}
	if hasFinal {
		v, err := convert(final, paramType(n-1))
		if err != nil {
			s.args = s.args[:base]
			return nil, err
		}
		s.args = append(s.args, v)
	}
	return s.args[base:len(s.args):len(s.args)], nil
}

// pop removes argv, the top of the stack of arguments.
func (s *state) pop(argv []reflect.Value) {
	clear(argv)
	s.args = s.args[:len(s.args)-len(argv)]
}
