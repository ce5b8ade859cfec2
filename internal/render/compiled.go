package render

import (
	"bytes"
	"maps"
	"slices"

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
	if err := p.Execute(w, data, s.fm, outputLimit); err != nil {
		w.Truncate(mark)
		s.t.fallbacks.Add(1)
		return false
	}
	return true
}

// Fallbacks is how many times a compiled layout gave up and its template
// ran instead: on the built-in layouts and ordinary pages, none.
func (t *Templates) Fallbacks() int64 { return t.fallbacks.Load() }

