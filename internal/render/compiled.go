package render

import (
	"bytes"
	"io"
	"maps"
	"slices"
	ttemplate "text/template"

	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/tplrun"
)

// The built-in layouts run on every page of every region, where
// html/template's reflection costs about a microsecond an action. Each is
// compiled once (internal/tplrun) from the tree html/template escaped, and
// runs as that program; whatever the program does not follow exactly
// makes it give up, and the template runs as written. A layout the site
// replaces always runs as written.

// compile makes the programs of the built-in layouts of m, which has
// never run. A layout that does not compile is noted in notCompiled with
// the reason, and runs as a template.
func (t *Templates) compile(m *set) {
	t.programs, t.notCompiled = map[string]*tplrun.Program{}, map[string]string{}
	scratch, err := m.layouts.Clone()
	if err != nil {
		return
	}
	fm := funcs(m.st)
	for _, n := range []string{fnTick, fnEnter, fnLeave} {
		fm[n] = m.st.tick
	}
	names := slices.Sorted(maps.Keys(fm))
	has := func(name string) bool { _, ok := fm[name]; return ok }
	for _, name := range slices.Sorted(maps.Keys(t.builtIn)) {
		tpl := scratch.Lookup(name)
		if !t.builtIn[name] || tpl == nil || t.returns[name] {
			continue
		}
		tree, err := tplrun.Escape(tpl, names)
		if err == nil {
			var p *tplrun.Program
			if p, err = tplrun.Compile(tree, has); err == nil {
				t.programs[name] = p
				continue
			}
		}
		t.notCompiled[name] = err.Error()
	}
}

// NotCompiled lists the built-in layouts that run as templates, each with
// the reason, for tests and the documentation.
func (t *Templates) NotCompiled() map[string]string { return maps.Clone(t.notCompiled) }

// runProgram runs layout name's program, if it has one, into w, reporting
// whether it did, with the error html/template would have given. When it
// gives up, w and the calls in progress are as they were, and the caller
// runs the template.
func (s *set) runProgram(w *bytes.Buffer, name string, data any) (bool, error) {
	p := s.t.programs[name]
	if p == nil || s.t.noPrograms {
		return false, nil
	}
	mark, calls, rets := w.Len(), len(s.st.calls), len(s.st.rets)
	err := p.Execute(w, data, &s.env, outputLimit)
	if err == nil {
		return true, nil
	}
	w.Truncate(mark)
	if _, ok := err.(ttemplate.ExecError); ok {
		// A function the layout called failed: html/template would
		// have stopped there with this error, so running the template
		// again would only spend the time twice (or, with the page's
		// time up, stop at an earlier place).
		return true, s.t.templateError(err, s.t.files[name], s.st)
	}
	s.st.calls, s.st.rets = s.st.calls[:calls], s.st.rets[:rets]
	s.t.fallbacks.Add(1)
	return false, nil
}

// Fallbacks is how many times a compiled layout gave up and its template
// ran instead: on the built-in layouts and ordinary pages, none.
func (t *Templates) Fallbacks() int64 { return t.fallbacks.Load() }

// partialTo is partial writing the partial's output into w instead of
// returning it (tplrun.Env.Writers): false, with nothing written, for a
// partial that returns a value or cannot be found, which partial then
// reports.
func (st *execState) partialTo(w *bytes.Buffer, args []any) (bool, error) {
	t := st.set.t
	name, _ := args[0].(string)
	layout, err := t.partialName(name)
	if err != nil || t.returns[layout] {
		return false, nil
	}
	var dot any
	if len(args) > 1 {
		dot = args[1]
	}
	if _, err := st.enter(t.files[layout]); err != nil {
		return true, err
	}
	defer st.leave()
	st.rets = append(st.rets, nil)
	defer func() { st.rets = st.rets[:len(st.rets)-1] }()
	return true, st.set.layout(w, layout, dot)
}

// writeTree is treeHTML: the nested lists of the tree under it.
func writeTree(w io.StringWriter, it *nav.Item, more string, root bool) {
	if it != nil {
		it.WriteHTML(w, more, root)
	}
}

// treeHTMLTo is treeHTML writing into w (tplrun.Env.Writers).
func treeHTMLTo(w *bytes.Buffer, args []any) (bool, error) {
	it, _ := args[0].(*nav.Item)
	more, _ := args[1].(string)
	root, _ := args[2].(bool)
	writeTree(w, it, more, root)
	return true, nil
}
