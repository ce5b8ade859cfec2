package shortcode

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/helpgen/helpgen/internal/diag"
)

// Env is what evaluation needs to know about one region.
type Env struct {
	Region string
	Vars   map[string]string
	// Exec runs a template shortcode with its region-evaluated inner text and
	// returns its output. It is nil when templates are not allowed (titles).
	Exec func(c *Call, inner []byte) (string, error)
	// Protect stores HTML that must reach the page untouched by Markdown and
	// returns the placeholder that stands for it.
	Protect func(html string) string
	// VarToken, when set, may return a stand-in for a variable used in the
	// page's own text (not in a shortcode's inner text), which the caller
	// replaces by the value after converting the Markdown, so that regions
	// differing only in such values can share one conversion. prev is the
	// output so far, next the source after the variable; false means the
	// value is written as usual.
	VarToken func(name, value string, prev, next []byte) (string, bool)
	// Halted, when set, is asked after a template shortcode failed: true
	// ends the evaluation there (the page ran out of time, or the build was
	// stopped), so that the calls after it add no errors of their own.
	Halted func() bool
}

// Keeps reports whether a conditional call keeps its inner text in region.
func (c *Call) Keeps(region string) bool {
	listed := false
	for _, a := range c.Args {
		if a.Value == region {
			listed = true
			break
		}
	}
	switch c.Name {
	case "disabled", "disabled2":
		return !listed
	default:
		return listed
	}
}

// Segment maps a run of evaluated output back to the source offset it came from.
type Segment struct{ Out, Src, Len int }

// Result is a document evaluated for one region.
type Result struct {
	Markdown []byte
	Map      []Segment // sorted by Out; text from the source only
	Calls    []Ran     // template calls that ran, in the order they ran
}

// Ran is a template call that ran, with the source map of its output and
// inner text, so that what its output holds can be traced to the source.
type Ran struct {
	*Call
	// Out and End delimit the call's output in Result.Markdown; both are -1
	// for a call in another call's inner text.
	Out, End int
	// Inner maps the inner text the template got back to the source,
	// sorted by Out like Result.Map.
	Inner []Segment
}

// SourceOffset maps an offset of the evaluated Markdown back to the source.
func (r *Result) SourceOffset(out int) int { return sourceOffset(r.Map, out) }

// InnerOffset maps an offset of the inner text the call got back to the
// source.
func (c *Ran) InnerOffset(out int) int { return sourceOffset(c.Inner, out) }

func sourceOffset(m []Segment, out int) int {
	i, _ := slices.BinarySearchFunc(m, out, func(s Segment, o int) int {
		switch {
		case s.Out+s.Len <= o:
			return -1
		case s.Out > o:
			return 1
		}
		return 0
	})
	if i < len(m) && m[i].Out <= out {
		return m[i].Src + out - m[i].Out
	}
	if i > 0 {
		s := m[i-1]
		return s.Src + s.Len
	}
	return 0
}

// Eval produces the Markdown a reader in env.Region gets. file names the
// source in errors.
func (d *Doc) Eval(file string, env *Env) (*Result, error) {
	e := &evaluator{doc: d, env: env, file: file, res: &Result{}}
	var buf bytes.Buffer
	buf.Grow(len(d.Src))
	e.nodes(&buf, d.Nodes, &e.res.Map)
	if len(e.errs) > 0 {
		return nil, e.errs
	}
	e.res.Markdown = buf.Bytes()
	return e.res, nil
}

type evaluator struct {
	doc    *Doc
	env    *Env
	file   string
	res    *Result
	errs   diag.List
	srcs   *diag.Source
	halted bool
}

func (e *evaluator) errorf(pos int, hint, format string, args ...any) {
	if e.srcs == nil {
		e.srcs = diag.NewSource(e.file, e.doc.Src)
	}
	err := e.srcs.Errorf(pos, hint, format, args...)
	err.Regions = []string{e.env.Region}
	e.errs = append(e.errs, err)
}

// nodes writes evaluated nodes to buf, recording in *m where the source's
// text went; m is nil where no map is kept (a title's inner text).
func (e *evaluator) nodes(buf *bytes.Buffer, nodes []Node, m *[]Segment) {
	for _, n := range nodes {
		if e.halted {
			return
		}
		switch n := n.(type) {
		case Text:
			if m != nil {
				*m = append(*m, Segment{Out: buf.Len(), Src: n.Start, Len: n.End - n.Start})
			}
			buf.Write(e.doc.Src[n.Start:n.End])
		case Literal:
			buf.WriteString(n.Value)
		case *Call:
			e.call(buf, n, m)
		}
	}
}

// call writes the output of c; m is the source map of buf (see nodes).
func (e *evaluator) call(buf *bytes.Buffer, c *Call, m *[]Segment) {
	top := m == &e.res.Map
	switch c.Kind {
	case Conditional:
		if c.Keeps(e.env.Region) {
			e.nodes(buf, c.Children, m)
		}
	case Variable:
		v, ok := e.env.Vars[c.Name]
		if !ok {
			e.errorf(c.Pos, fmt.Sprintf("add %s = \"…\" under [regions.%s.params] in helpgen.toml", c.Name, e.env.Region),
				"variable %q has no value in region %s", c.Name, e.env.Region)
			return
		}
		if top && e.env.VarToken != nil {
			if tok, ok := e.env.VarToken(c.Name, v, buf.Bytes(), e.doc.Src[c.End:]); ok {
				buf.WriteString(tok)
				return
			}
		}
		buf.WriteString(v)
	case Template, BlockTemplate:
		if v, ok := e.env.Vars[c.Name]; ok && e.env.Exec == nil && len(c.Args) == 0 {
			// A template named like a region variable, where templates
			// cannot run: the variable's value, which is what such a
			// template prints.
			buf.WriteString(v)
			return
		}
		if e.env.Exec == nil {
			e.errorf(c.Pos, "only region variables and enabled/disabled may be used here", "shortcode %q cannot be used here", c.Name)
			return
		}
		e.template(buf, c, top)
	}
}

// template runs template call c and writes its output to buf; top says
// whether buf is the page itself.
func (e *evaluator) template(buf *bytes.Buffer, c *Call, top bool) {
	var inner bytes.Buffer
	ran := Ran{Call: c, Out: -1, End: -1}
	e.nodes(&inner, c.Children, &ran.Inner)
	if e.halted {
		return
	}
	out, err := e.env.Exec(c, inner.Bytes())
	if err != nil {
		e.execError(c, err)
		e.halted = e.env.Halted != nil && e.env.Halted()
		return
	}
	// Output kept from Markdown is protected in the page's own text;
	// in another shortcode's inner text it is given as written, as
	// Hugo does, so that the outer template reads the HTML itself.
	if !c.Markdown && top {
		out = e.env.Protect(out)
	}
	if top {
		ran.Out = buf.Len()
	}
	writeIndented(buf, out, lineIndent(e.doc.Src, c.Pos))
	if top {
		ran.End = buf.Len()
	}
	e.res.Calls = append(e.res.Calls, ran)
}

// execError records a template shortcode's failure. An error positioned in
// the template keeps its position, and its trace gains this call.
func (e *evaluator) execError(c *Call, err error) {
	var te *diag.Error
	if !errors.As(err, &te) || te.File == "" || te.File == e.file {
		e.errorf(c.Pos, "fix the shortcode template or its arguments", "%s: %v", c.Name, err)
		return
	}
	if e.srcs == nil {
		e.srcs = diag.NewSource(e.file, e.doc.Src)
	}
	line, col := e.srcs.LineCol(c.Pos)
	d := *te
	d.Regions = []string{e.env.Region}
	at := fmt.Sprintf("%s:%d:%d", e.file, line, col)
	if d.Trace == "" {
		d.Trace = te.File + " called from " + at
	} else {
		d.Trace += " called from " + at
	}
	e.errs = append(e.errs, &d)
}

// lineIndent returns the leading white space of the line holding pos, when
// only white space precedes pos on it.
func lineIndent(src []byte, pos int) []byte {
	ls := pos
	for ls > 0 && src[ls-1] != '\n' {
		ls--
	}
	for i := ls; i < pos; i++ {
		if src[i] != ' ' && src[i] != '\t' {
			return src[ls:i]
		}
	}
	return src[ls:pos]
}

// writeIndented writes s, indenting every line after the first by indent so
// that multi-line output stays inside the list item or block it was used in.
func writeIndented(buf *bytes.Buffer, s string, indent []byte) {
	if len(indent) == 0 {
		buf.WriteString(s)
		return
	}
	for {
		i := indexByte(s, '\n')
		if i < 0 {
			buf.WriteString(s)
			return
		}
		buf.WriteString(s[:i+1])
		s = s[i+1:]
		if s != "" && s[0] != '\n' {
			buf.Write(indent)
		}
	}
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// Deindent removes the indentation common to all non-blank lines of s, and
// the blank lines around it, so inner text written inside a list item can be
// rendered as Markdown on its own.
func Deindent(s []byte) []byte {
	lines := bytes.Split(s, []byte("\n"))
	minIndent := -1
	for _, l := range lines {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		n := 0
		for n < len(l) && (l[n] == ' ' || l[n] == '\t') {
			n++
		}
		if minIndent < 0 || n < minIndent {
			minIndent = n
		}
	}
	if minIndent <= 0 {
		return bytes.Trim(s, "\n")
	}
	var out bytes.Buffer
	for i, l := range lines {
		if i > 0 {
			out.WriteByte('\n')
		}
		if len(l) >= minIndent {
			out.Write(l[minIndent:])
		} else {
			out.Write(bytes.TrimLeft(l, " \t"))
		}
	}
	return bytes.Trim(out.Bytes(), "\n")
}
