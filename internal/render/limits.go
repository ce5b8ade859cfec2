package render

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync/atomic"
	"text/template/parse"
	"time"
)

// Template executions are bounded, so that no template can hang a build or
// the preview: html/template cannot be cancelled, so every parsed template
// is instrumented instead. Each range body starts with a call that checks
// the page's context, and each {{ template }} call is wrapped in calls that
// count its depth; partials count theirs in the partial function. A page's
// templates together (shortcodes, layout, partials) stop at the page's
// deadline (timeout in helpgen.toml), when the build is stopped, or when
// calls nest deeper than MaxCallDepth.

// MaxCallDepth is how deep partial and {{ template }} calls may nest.
const MaxCallDepth = 100

// MaxOutput is how many bytes one execution of a template (a layout, a
// partial, a shortcode) may write: far more than any page, far less than
// would exhaust memory before the page's deadline.
const MaxOutput = 64 << 20

// outputLimit is MaxOutput, which tests lower to keep their strings small.
var outputLimit = MaxOutput

// boundedFuncs stand in for text/template's print, printf, println and js,
// which can make a string grow without end in a loop ($s = printf "%s%s" $s
// $s doubles it; so does js with backslashes): a result longer than
// MaxOutput is an error, and so is a width or precision past it, which
// fmt would allocate before any check.
func boundedFuncs() template.FuncMap {
	return template.FuncMap{
		"print":   func(a ...any) (string, error) { return bounded(argLen(a), func() string { return fmt.Sprint(a...) }) },
		"println": func(a ...any) (string, error) { return bounded(argLen(a), func() string { return fmt.Sprintln(a...) }) },
		"printf": func(format string, a ...any) (string, error) {
			if err := checkWidths(format, a); err != nil {
				return "", err
			}
			return bounded(len(format)+argLen(a), func() string { return fmt.Sprintf(format, a...) })
		},
		// An escaped character takes at most six bytes (\uXXXX).
		"js": func(a ...any) (string, error) {
			return bounded(6*argLen(a), func() string { return template.JSEscaper(a...) })
		},
	}
}

// bounded returns build() unless its result, which est bounds before it is
// made, or the result itself, passes MaxOutput.
func bounded(est int, build func() string) (string, error) {
	var s string
	if est <= outputLimit {
		s = build()
	}
	if est > outputLimit || len(s) > outputLimit {
		return "", &limitError{msg: fmt.Sprintf("a string of more than %d MB would be made; refused", outputLimit>>20),
			hint: "make the loop that grows the string end sooner"}
	}
	return s, nil
}

// argLen is the length of the text arguments.
func argLen(args []any) int {
	n := 0
	for _, a := range args {
		switch v := a.(type) {
		case string:
			n += len(v)
		case template.HTML:
			n += len(v)
		case []byte:
			n += len(v)
		}
	}
	return n
}

// checkWidths refuses a format whose widths or precisions (written in a
// verb, or given as * arguments) pass MaxOutput.
func checkWidths(format string, args []any) error {
	tooWide := &limitError{msg: fmt.Sprintf("printf width or precision over %d MB refused", outputLimit>>20), hint: "use a smaller width"}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		// The verb's flags, argument indexes, width and precision run up
		// to its letter (or the next %, for %%).
		n := 0
		for i++; i < len(format) && strings.IndexByte("+-# 0123456789.*[]", format[i]) >= 0; i++ {
			c := format[i]
			switch {
			case c >= '0' && c <= '9':
				if n = n*10 + int(c-'0'); n > outputLimit {
					return tooWide
				}
				continue
			case c == '*':
				for _, a := range args {
					if v, ok := a.(int); ok && (v > outputLimit || v < -outputLimit) {
						return tooWide
					}
				}
			}
			n = 0
		}
	}
	return nil
}

// limitWriter fails a write that would pass MaxOutput.
type limitWriter struct {
	w    io.Writer
	left int
}

func newLimitWriter(w io.Writer) *limitWriter { return &limitWriter{w: w, left: outputLimit} }

func (l *limitWriter) Write(p []byte) (int, error) {
	if len(p) > l.left {
		return 0, &limitError{msg: fmt.Sprintf("the template wrote more than %d MB and was stopped", outputLimit>>20),
			hint: "make the loop that writes the output end sooner"}
	}
	l.left -= len(p)
	return l.w.Write(p)
}

// Names of the functions the instrumentation calls. Templates are parsed
// without them, so a template that names one does not parse; they are added
// to each set's functions for execution only.
const (
	fnTick  = "_helpgen_tick"
	fnEnter = "_helpgen_enter"
	fnLeave = "_helpgen_leave"
)

// instrument adds the checks to every template of a parsed set.
func instrument(tpls []*template.Template) {
	for _, t := range tpls {
		if t.Tree != nil {
			instrumentList(t.Tree, t.Tree.Root)
		}
	}
}

func instrumentList(tr *parse.Tree, l *parse.ListNode) {
	if l == nil {
		return
	}
	out := make([]parse.Node, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.IfNode:
			instrumentList(tr, n.List)
			instrumentList(tr, n.ElseList)
		case *parse.WithNode:
			instrumentList(tr, n.List)
			instrumentList(tr, n.ElseList)
		case *parse.RangeNode:
			instrumentList(tr, n.List)
			instrumentList(tr, n.ElseList)
			if n.List != nil {
				n.List.Nodes = append([]parse.Node{call(tr, n.Pos, n.Line, fnTick)}, n.List.Nodes...)
			}
		case *parse.TemplateNode:
			out = append(out, call(tr, n.Pos, n.Line, fnEnter, fmt.Sprintf("template %q", n.Name)), n, call(tr, n.Pos, n.Line, fnLeave))
			continue
		}
		out = append(out, n)
	}
	l.Nodes = out
}

// call is {{ $_ := fn "arg"… }}: an assignment, so it writes nothing and
// html/template's escaper leaves it alone. Its position is that of the node
// it guards, so an error it raises points there.
func call(tr *parse.Tree, pos parse.Pos, line int, fn string, args ...string) *parse.ActionNode {
	cmd := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: pos,
		Args: []parse.Node{parse.NewIdentifier(fn).SetTree(tr).SetPos(pos)}}
	for _, a := range args {
		cmd.Args = append(cmd.Args, &parse.StringNode{NodeType: parse.NodeString, Pos: pos, Quoted: fmt.Sprintf("%q", a), Text: a})
	}
	decl := &parse.VariableNode{NodeType: parse.NodeVariable, Pos: pos, Ident: []string{"$_helpgen"}}
	pipe := &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Line: line, Decl: []*parse.VariableNode{decl}, Cmds: []*parse.CommandNode{cmd}}
	return &parse.ActionNode{NodeType: parse.NodeAction, Pos: pos, Line: line, Pipe: pipe}
}

// execState is what the executions running on one template set share: the
// context of the page being rendered and the calls in progress.
type execState struct {
	set *set
	ctx context.Context
	// lang and baseURL are the page's language and its region's baseURL,
	// which Hugo's i18n with one argument, relURL and absURL imply.
	lang, baseURL string
	region        string // the page's region, which partialCached's results are kept by
	done          <-chan struct{}
	calls         []string // templates being executed, outermost first, as files
	rets          []any    // the values returned by the partials being executed
}

// limitError is a template stopped by a limit.
type limitError struct {
	msg, hint string
	cause     error // context.DeadlineExceeded, context.Canceled or nil
}

func (e *limitError) Error() string { return e.msg }
func (e *limitError) Unwrap() error { return e.cause }

// tick is called at every iteration of every range.
func (st *execState) tick() (string, error) {
	select {
	case <-st.done:
		return "", st.stopped()
	default:
		return "", nil
	}
}

// stopped is the error of a page whose context is done.
func (st *execState) stopped() error {
	if pc, ok := st.ctx.(*pageContext); ok {
		pc.stopped.Store(true)
	}
	err := st.ctx.Err()
	if errors.Is(err, context.DeadlineExceeded) {
		d := st.set.t.timeout
		return &limitError{cause: err,
			msg:  fmt.Sprintf("the page's templates ran longer than timeout = %q and were stopped here", formatDuration(d)),
			hint: fmt.Sprintf("make the loop or the recursion end sooner, or raise timeout (now %q) in %s", formatDuration(d), "helpgen.toml")}
	}
	return &limitError{cause: err, msg: "rendering was stopped", hint: "rendering was stopped before this page was done"}
}

// enter is called before a template or partial runs: name is what the
// chain shows (a file, or template "name").
func (st *execState) enter(name string) (string, error) {
	if len(st.calls) >= MaxCallDepth {
		return "", &limitError{
			msg:  fmt.Sprintf("%s is called more than %d deep", name, MaxCallDepth),
			hint: "a template or partial that calls itself needs a condition that ends the recursion"}
	}
	st.calls = append(st.calls, name)
	return st.tick()
}

// leave is called after a template or partial returned.
func (st *execState) leave() (string, error) {
	if len(st.calls) > 0 {
		st.calls = st.calls[:len(st.calls)-1]
	}
	return "", nil
}

// chain is the calls in progress, innermost first: "layouts/partials/a.html
// called from layouts/_default/single.html"; a long one is shortened.
func (st *execState) chain() string {
	n := len(st.calls)
	var parts []string
	for i := n - 1; i >= 0; i-- {
		if n > 8 && i == n-5 {
			parts = append(parts, fmt.Sprintf("… (%d more calls)", n-7))
			i = 2
		}
		parts = append(parts, st.calls[i])
	}
	return strings.Join(parts, " called from ")
}

// formatDuration writes d as a writer would in helpgen.toml: "30s", "2m".
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// PageContext is the context all template executions of one page share:
// it ends at the page's deadline (timeout in helpgen.toml) or when parent
// does.
func (t *Templates) PageContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, t.timeout)
	return &pageContext{Context: ctx}, cancel
}

// pageContext remembers whether a template was stopped because it ended.
type pageContext struct {
	context.Context
	stopped atomic.Bool
}

// Stopped reports whether a template executed under ctx (a PageContext)
// was stopped because ctx ended, as opposed to failing on its own while
// the deadline passed.
func Stopped(ctx context.Context) bool {
	pc, ok := ctx.(*pageContext)
	return ok && pc.stopped.Load()
}

// SetTimeout sets what PageContext allows a page; it must be called before
// the templates are used.
func (t *Templates) SetTimeout(d time.Duration) {
	if d > 0 {
		t.timeout = d
	}
}
