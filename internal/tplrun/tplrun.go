// Package tplrun runs html/template's escaped parse trees without
// text/template's reflection on every action: a tree is compiled once into
// Go closures that look up fields through caches, call html/template's
// escapers directly (escape.go), and call functions with fixed signatures
// without reflect.Call.
//
// It is an accelerator, not a second template language. Compile refuses a
// tree that uses anything it does not follow exactly ({{ template }},
// functions it does not know, escapers of other contexts), and Execute
// gives up, returning ErrFallback, on any value whose handling might differ
// from text/template's (a missing value printed, a pointer escaped, a map
// ranged over) or on any error: the caller then discards what was written
// and runs the template itself, which gives the same output or the error
// text/template would give. So a compiled program writes what the template
// writes or nothing.
package tplrun

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"sync"
	ttemplate "text/template"
	"text/template/parse"
)

// ErrFallback means the program stopped without finishing: the caller
// discards its output and runs the template.
var ErrFallback = errors.New("tplrun: run the template instead")

// Program is one compiled template.
type Program struct {
	name string
	tree *parse.Tree // for the positions of errors
	root stmt
}

// Funcs are the functions a program calls, by name, as in a
// template.FuncMap. A program compiled with a set of names can run with
// any map that has those names (one bound to each execution's state).
type Funcs = template.FuncMap

// Env is what a program runs with: its functions, and for some of them a
// way to write their result straight into the output.
type Env struct {
	Funcs Funcs
	// Writers are functions of Funcs whose result is HTML written as it
	// is ({{ partial "x.html" . }} in text, where html/template's escaper
	// passes HTML through): a writer is given the arguments the function
	// would be, converted as for the function, and appends to w what the
	// function would return, so the result is not made as a string and
	// copied. It reports false, having written nothing, when it cannot
	// (a partial that returns a value), and the function is called.
	Writers map[string]func(w *bytes.Buffer, args []any) (bool, error)
}

// Compile turns the escaped tree of a html/template (see Escape) into a
// program. has reports whether the FuncMap the program will run with has
// a function name. The error names the first construct Compile does not
// handle.
func Compile(tree *parse.Tree, has func(name string) bool) (*Program, error) {
	if tree == nil || tree.Root == nil {
		return nil, errors.New("no tree")
	}
	c := &compiler{has: has}
	root, err := c.list(tree.Root)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tree.Name, err)
	}
	return &Program{name: tree.Name, tree: tree, root: root}, nil
}

// Execute runs p with dot data, appending its output to w and calling
// env's functions; limit is how many bytes it may append. Unless it
// returns nil, what it appended must be discarded. The error is either
// ErrFallback (the caller runs the template instead), or, when a function
// the template calls failed, the text/template.ExecError html/template
// would return at that point: the same text, position and cause.
func (p *Program) Execute(w *bytes.Buffer, data any, env *Env, limit int) (err error) {
	v, ok := data.(reflect.Value)
	if !ok {
		v = reflect.ValueOf(data)
	}
	if env == nil {
		env = &Env{}
	}
	s := states.Get().(*state)
	s.w, s.env, s.tree, s.limit = w, env, p.tree, w.Len()+limit
	s.vars = append(s.vars[:0], variable{"$", v})
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s panicked: %v", ErrFallback, p.name, r)
		}
		s.w, s.env, s.tree = nil, nil, nil
		clear(s.vars)
		clear(s.args)
		s.args = s.args[:0]
		states.Put(s)
	}()
	if err := p.root(s, v); err != nil {
		if _, ok := err.(ttemplate.ExecError); ok {
			return err
		}
		if !errors.Is(err, ErrFallback) {
			err = fmt.Errorf("%w: %w", ErrFallback, err)
		}
		return err
	}
	if w.Len() > s.limit {
		return ErrFallback
	}
	return nil
}

// callee is a function or method a template calls, and the node
// text/template places its error at: the command, or the field chain.
type callee struct {
	node parse.Node
	name string
}

// callError is the error html/template returns when a function the
// template calls fails.
func (s *state) callError(at callee, err error) error {
	location, context := s.tree.ErrorContext(at.node)
	return ttemplate.ExecError{Name: s.tree.Name,
		Err: fmt.Errorf("template: %s: executing %q at <%s>: error calling %s: %w", location, s.tree.Name, context, at.name, err)}
}

// fallback is ErrFallback with the reason, for tests and debugging.
func fallback(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrFallback, fmt.Sprintf(format, a...))
}

// state is one execution.
type state struct {
	w       *bytes.Buffer
	scratch bytes.Buffer // an escaper's output that another escaper reads
	env     *Env
	tree    *parse.Tree
	limit   int // w's length past which the program gives up
	vars    []variable
	args    []reflect.Value // the arguments of the calls being made, a stack
}

// states are reused from one execution to the next: a page's layout runs
// a dozen programs.
var states = sync.Pool{New: func() any { return new(state) }}

type variable struct {
	name  string
	value reflect.Value
}

// lookup is variable name's value.
func (s *state) lookup(name string) (reflect.Value, error) {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			return s.vars[i].value, nil
		}
	}
	return reflect.Value{}, fallback("undefined variable %s", name)
}

// set assigns to the innermost variable name ({{ $x = … }}).
func (s *state) set(name string, v reflect.Value) error {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			s.vars[i].value = v
			return nil
		}
	}
	return fallback("undefined variable %s", name)
}

// Escape makes html/template escape t (and the templates it calls) without
// running it, and returns its escaped tree. t's functions are replaced by
// ones that stop the run, so t must be a template of a clone made for
// this, never executed: names are every function t's namespace has.
func Escape(t *template.Template, names []string) (*parse.Tree, error) {
	stop := errors.New("stop")
	stub := template.FuncMap{}
	for _, n := range names {
		stub[n] = func(...any) (any, error) { return nil, stop }
	}
	t.Funcs(stub)
	err := t.Execute(failWriter{stop}, nil)
	var escErr *template.Error
	if errors.As(err, &escErr) {
		return nil, err
	}
	if t.Tree == nil {
		return nil, errors.New("no tree")
	}
	return t.Tree, nil
}

// failWriter fails every write, which stops an execution at its first
// output.
type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }
