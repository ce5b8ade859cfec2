package render

import (
	"bytes"
	"io"
	"maps"
	"slices"

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
// whether it did; when it gives up, w is as it was.
func (s *set) runProgram(w *bytes.Buffer, name string, data any) bool {
	p := s.t.programs[name]
	if p == nil || s.t.noPrograms {
		return false
	}
	mark := w.Len()
	if err := p.Execute(w, data, &s.env, outputLimit); err != nil {
		w.Truncate(mark)
		s.t.fallbacks.Add(1)
		return false
	}
	return true
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
