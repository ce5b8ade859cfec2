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
	"text/template/parse"
)

// ErrFallback means the program stopped without finishing: the caller
// discards its output and runs the template.
var ErrFallback = errors.New("tplrun: run the template instead")

// Program is one compiled template.
type Program struct {
	name string
	root stmt
}

// Funcs are the functions a program calls, by name, as in a
// template.FuncMap. A program compiled with a set of names can run with
// any map that has those names (one bound to each execution's state).
type Funcs = template.FuncMap

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
	return &Program{name: tree.Name, root: root}, nil
}

// Execute runs p with dot data, appending its output to w and calling
// funcs. Unless it returns nil, what it appended must be discarded (see
// ErrFallback); limit is how many bytes it may append.
func (p *Program) Execute(w *bytes.Buffer, data any, funcs Funcs, limit int) (err error) {
	v, ok := data.(reflect.Value)
	if !ok {
		v = reflect.ValueOf(data)
	}
	s := &state{w: w, funcs: funcs, limit: w.Len() + limit, vars: []variable{{"$", v}}}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s panicked: %v", ErrFallback, p.name, r)
		}
	}()
	if err := p.root(s, v); err != nil {
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

// fallback is ErrFallback with the reason, for tests and debugging.
func fallback(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrFallback, fmt.Sprintf(format, a...))
}

// state is one execution.
type state struct {
	w       *bytes.Buffer
	scratch bytes.Buffer // an escaper's output that another escaper reads
	funcs   Funcs
	limit   int // w's length past which the program gives up
	vars    []variable
}

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
