package shortcode

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/helpgen/helpgen/internal/diag"
)

// Kind says how a shortcode name behaves.
type Kind int

const (
	// Conditional keeps or drops its inner text per region (enabled, disabled).
	Conditional Kind = iota
	// Variable expands to a region parameter.
	Variable
	// Template runs a template and takes no inner content.
	Template
	// BlockTemplate runs a template with inner content and needs a closing tag.
	BlockTemplate
)

// Names resolves shortcode names while parsing.
type Names interface {
	// Lookup reports how name behaves, and false when no such shortcode exists.
	Lookup(name string) (Kind, bool)
	// Known lists all names, for error messages.
	Known() []string
}

// Options configure a parse.
type Options struct {
	Names   Names
	Regions []string // region codes a conditional may name, sorted
}

// Node is a piece of a parsed document.
type Node interface{ node() }

// Text is source text between shortcodes: the byte range [Start, End).
type Text struct{ Start, End int }

// Literal is an escaped shortcode printed as written, without the comment marks.
type Literal struct {
	Pos   int
	Value string
}

// Arg is one shortcode argument; Name is empty for positional ones.
type Arg struct {
	Name   string
	Value  string // as written, without quotes (escapes applied)
	Quoted bool   // written in quotes or backquotes: always a string
	Pos    int
}

var (
	boolRe  = regexp.MustCompile(`^(true|false)$`)
	intRe   = regexp.MustCompile(`^[-+]?[0-9]+$`)
	floatRe = regexp.MustCompile(`^[-+]?[0-9]*\.[0-9]+$`)
)

// Typed is the argument's value as Hugo types it: a quoted value is a
// string; an unquoted true or false a bool, digits an int, digits with a
// decimal point a float64, anything else a string.
func (a Arg) Typed() any {
	switch s := a.Value; {
	case a.Quoted:
		return s
	case boolRe.MatchString(s):
		return s == "true"
	case intRe.MatchString(s):
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	case floatRe.MatchString(s):
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return a.Value
}

// Call is one shortcode use with its arguments and, for paired kinds, its children.
type Call struct {
	Name     string
	Kind     Kind
	Markdown bool // {{% %}} rather than {{< >}}
	Args     []Arg
	Named    bool // arguments are key="value"
	Pos      int  // offset of the opening "{{"
	End      int  // offset just after the closing tag (or the tag itself)
	Inner    [2]int
	Children []Node
}

func (Text) node()    {}
func (Literal) node() {}
func (*Call) node()   {}

// Doc is a parsed source. Offsets in its nodes index Src.
type Doc struct {
	Src   []byte
	Nodes []Node
}

// Get returns the positional argument i or the named argument key.
func (c *Call) Get(key any) (string, bool) {
	switch k := key.(type) {
	case int:
		if c.Named || k < 0 || k >= len(c.Args) {
			return "", false
		}
		return c.Args[k].Value, true
	case string:
		for _, a := range c.Args {
			if a.Name == k {
				return a.Value, true
			}
		}
	}
	return "", false
}

// tag is one lexed shortcode tag.
type tag struct {
	pos, end    int
	broken      bool // did not lex: reported already, paired but not run
	name        string
	markdown    bool
	closing     bool
	selfClosing bool
	args        []Arg
	named       bool
}

// piece is either text, a literal or a tag, in source order.
type piece struct {
	text    *Text
	literal *Literal
	tag     *tag
}

// Parse parses src[start:] (start skips front matter, so positions stay
// those of the whole file). Every problem found is returned as a diag.List
// of positioned errors; the Doc is nil when there are any.
func Parse(file string, src []byte, start int, opt Options) (*Doc, error) {
	p := &parser{src: diag.NewSource(file, src), opt: opt}
	// A tag that does not lex is left out and the rest is still parsed, so
	// the writer sees every problem of the file at once.
	pieces := p.pieces(lex(src, start))
	p.trimStandalone(pieces)
	nodes := p.tree(pieces)
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, p.errs
	}
	return &Doc{Src: src, Nodes: nodes}, nil
}

type parser struct {
	src  *diag.Source
	opt  Options
	errs diag.List
}

func (p *parser) errorf(pos int, hint, format string, args ...any) {
	p.errs = append(p.errs, p.src.Errorf(pos, hint, format, args...))
}

// pieces groups the item stream into text, literals and whole tags.
func (p *parser) pieces(items []item) []piece {
	var out []piece
	for i := 0; i < len(items); i++ {
		it := items[i]
		switch it.typ {
		case itemEOF:
			return out
		case itemError:
			p.errorf(it.pos, it.hint, "%s", it.val)
		case itemText:
			out = append(out, piece{text: &Text{it.pos, it.end}})
		case itemEscaped:
			out = append(out, piece{literal: &Literal{Pos: it.pos, Value: it.val}})
		case itemOpen:
			t := &tag{pos: it.pos, markdown: it.markdown}
			ok := true
		tag:
			for i++; i < len(items); i++ {
				it := items[i]
				switch it.typ {
				case itemCloseMark:
					t.closing = true
				case itemName:
					t.name = it.val
				case itemParamName:
					if len(t.args) > 0 && !t.named {
						p.errorf(it.pos, "use either positional or named arguments in one shortcode", "cannot mix positional and named arguments in %q", t.name)
					}
					t.named = true
					if i+1 < len(items) && items[i+1].typ == itemValue {
						i++
						t.args = append(t.args, Arg{Name: it.val, Value: items[i].val, Quoted: items[i].quoted, Pos: it.pos})
					}
					continue
				case itemValue:
					if t.named {
						p.errorf(it.pos, "use either positional or named arguments in one shortcode", "cannot mix positional and named arguments in %q", t.name)
					}
					t.args = append(t.args, Arg{Value: it.val, Quoted: it.quoted, Pos: it.pos})
				case itemSelfClose:
					t.selfClosing = true
				case itemRightDelim:
					t.end = it.end
				case itemError:
					p.errorf(it.pos, it.hint, "%s", it.val)
					ok = false
					break tag
				default:
					p.errorf(it.pos, "", "unexpected %s in shortcode", it.typ)
					ok = false
					break tag
				}
				if it.typ == itemRightDelim {
					break
				}
			}
			if !ok {
				// Kept in place so that its partner tag pairs with it and
				// adds no second error.
				t.broken = true
				out = append(out, piece{tag: t})
				continue
			}
			if t.closing && len(t.args) > 0 {
				p.errorf(t.args[0].Pos, "remove the arguments from the closing tag", "closing tag %s takes no arguments", t)
			}
			out = append(out, piece{tag: t})
		}
	}
	return out
}

func delimChar(markdown bool) string {
	if markdown {
		return "%"
	}
	return "<"
}

func (t *tag) String() string {
	d := delimChar(t.markdown)
	rd := map[string]string{"%": "%", "<": ">"}[d]
	if t.closing {
		return fmt.Sprintf("{{%s /%s %s}}", d, t.name, rd)
	}
	return fmt.Sprintf("{{%s %s %s}}", d, t.name, rd)
}

// trimStandalone makes conditional tags that stand alone on their line (one,
// or several side by side) take that line with it: the indentation before
// them and the line end after them are cut from the neighbouring text, so
// lists around them stay well formed.
func (p *parser) trimStandalone(pieces []piece) {
	src := p.src.Text
	for i := 0; i < len(pieces); i++ {
		if !p.isConditional(pieces[i]) {
			continue
		}
		// The run of conditional tags, with only spaces between them.
		last := i
		for j := i + 1; j < len(pieces); j++ {
			if p.isConditional(pieces[j]) {
				last = j
				continue
			}
			if t := pieces[j].text; t != nil && isBlank(src[t.Start:t.End]) {
				continue
			}
			break
		}
		first, end := pieces[i].tag, pieces[last].tag
		next := last
		// Whitespace only between the line start and the first tag?
		ls := first.pos
		for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
			ls--
		}
		le := end.end
		for le < len(src) && (src[le] == ' ' || src[le] == '\t' || src[le] == '\r') {
			le++
		}
		if (ls > 0 && src[ls-1] != '\n') || (le < len(src) && src[le] != '\n') {
			i = next
			continue
		}
		if le < len(src) {
			le++
		}
		if i > 0 && pieces[i-1].text != nil && pieces[i-1].text.End == first.pos {
			pieces[i-1].text.End = ls
		}
		for j := i + 1; j < last; j++ {
			if t := pieces[j].text; t != nil {
				t.End = t.Start
			}
		}
		if last+1 < len(pieces) && pieces[last+1].text != nil && pieces[last+1].text.Start == end.end {
			pieces[last+1].text.Start = le
		}
		i = next
	}
}

func (p *parser) isConditional(pc piece) bool {
	if pc.tag == nil || pc.tag.broken {
		return false
	}
	k, ok := p.lookup(pc.tag.name)
	return ok && k == Conditional
}

// isBlank reports whether b holds only spaces and tabs (no line end).
func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

func (p *parser) lookup(name string) (Kind, bool) {
	if p.opt.Names == nil {
		return 0, false
	}
	return p.opt.Names.Lookup(name)
}

// MaxTemplateDepth is how many template shortcodes with inner content may
// enclose one another. Each one renders the output of all those inside it
// again (markdownifyBlock parses the inner HTML), so a page's cost grows
// with its size times this depth: 2,000 nested notes took 32 s.
const MaxTemplateDepth = 16

// frame is an open paired shortcode waiting for its closing tag.
type frame struct {
	call *Call
	tag  *tag
	// templates is how many template shortcodes are open, this one included.
	templates int
}

// tree nests calls by matching opening and closing tags.
func (p *parser) tree(pieces []piece) []Node {
	var root []Node
	var stack []frame
	add := func(n Node) {
		if len(stack) == 0 {
			root = append(root, n)
			return
		}
		c := stack[len(stack)-1].call
		c.Children = append(c.Children, n)
	}
	for _, pc := range pieces {
		switch {
		case pc.text != nil:
			if pc.text.End > pc.text.Start {
				add(*pc.text)
			}
		case pc.literal != nil:
			add(*pc.literal)
		default:
			t := pc.tag
			kind, ok := p.lookup(t.name)
			if !ok {
				if !t.broken {
					p.errorf(t.pos, p.unknownHint(t.name), "unknown shortcode %q", t.name)
				}
				continue
			}
			if t.closing {
				p.close(t, kind, &stack)
				continue
			}
			c := &Call{Name: t.name, Kind: kind, Markdown: t.markdown, Args: t.args, Named: t.named, Pos: t.pos, End: t.end}
			c.Inner = [2]int{t.end, t.end}
			if !t.broken {
				p.validate(c)
				p.validateSelfClose(c, t)
				add(c)
			}
			if (kind == Conditional || kind == BlockTemplate) && !t.selfClosing {
				stack = append(stack, p.open(stack, c, t))
			}
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		f := stack[i]
		if f.tag.broken {
			continue
		}
		close := *f.tag
		close.closing = true
		p.errorf(f.tag.pos, fmt.Sprintf("add %s where its content ends", close.String()), "%s is never closed", f.tag)
	}
	return root
}

// open is the frame of an opening tag. A template shortcode nested deeper
// than MaxTemplateDepth is an error, said once where the limit is crossed.
func (p *parser) open(stack []frame, c *Call, t *tag) frame {
	f := frame{call: c, tag: t}
	if len(stack) > 0 {
		f.templates = stack[len(stack)-1].templates
	}
	if c.Kind != BlockTemplate {
		return f
	}
	f.templates++
	if f.templates == MaxTemplateDepth+1 && !t.broken {
		p.errorf(t.pos, fmt.Sprintf("close some of the enclosing shortcodes first: at most %d block shortcodes (note, warning…) may enclose one another", MaxTemplateDepth),
			"%s is nested %d deep in block shortcodes", t, f.templates)
	}
	return f
}

// close matches a closing tag against the open frames.
func (p *parser) close(t *tag, kind Kind, stack *[]frame) {
	s := *stack
	if kind == Variable || kind == Template {
		if !t.broken {
			p.errorf(t.pos, fmt.Sprintf("remove %s; %q takes no inner content", t, t.name), "stray closing tag %s", t)
		}
		return
	}
	if len(s) > 0 && s[len(s)-1].call.Name == t.name {
		top := s[len(s)-1].call
		if open := s[len(s)-1].tag; open.markdown != t.markdown && !t.broken && !open.broken {
			line, col := p.src.LineCol(open.pos)
			want := *open
			want.closing = true
			p.errorf(t.pos, fmt.Sprintf("write %s: a closing tag uses the delimiters of its opening tag (%d:%d)", want.String(), line, col),
				"closing tag %s does not match the delimiters of its opening tag %s", t, open)
		}
		top.Inner[1] = t.pos
		top.End = t.end
		*stack = s[:len(s)-1]
		return
	}
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].call.Name == t.name {
			top := s[len(s)-1]
			if !t.broken && !top.tag.broken {
				line, col := p.src.LineCol(top.tag.pos)
				want := *top.tag
				want.closing = true
				p.errorf(t.pos, fmt.Sprintf("close %s (opened at %d:%d) first with %s", top.tag, line, col, want.String()),
					"closing tag %s does not match the open %s", t, top.tag)
			}
			// Recover: close everything down to the match.
			*stack = s[:i]
			return
		}
	}
	if t.broken {
		return
	}
	open := *t
	open.closing = false
	p.errorf(t.pos, fmt.Sprintf("remove it, or add the opening %s before it", open.String()), "stray closing tag %s has no opening tag", t)
}

// validateSelfClose rejects a self-closing tag for a shortcode that takes no
// inner content, as Hugo does: "/" there is a closing tag it cannot have.
func (p *parser) validateSelfClose(c *Call, t *tag) {
	if !t.selfClosing || (c.Kind != Template && c.Kind != Variable) {
		return
	}
	d := delimChar(c.Markdown)
	open := *t
	open.selfClosing = false
	p.errorf(c.Pos, fmt.Sprintf("write %s without the /: %q does not use .Inner, so it takes no closing tag", open.String(), c.Name),
		"shortcode %q takes no inner content, so it cannot be self-closing {{%s … /%s}}", c.Name, d, map[string]string{"%": "%", "<": ">"}[d])
}

// validate checks a call's arguments against its kind.
func (p *parser) validate(c *Call) {
	if c.Kind == Variable && len(c.Args) > 0 {
		d := delimChar(c.Markdown)
		p.errorf(c.Args[0].Pos, fmt.Sprintf("write {{%s %s %s}}: a region variable stands for its value and takes no arguments", d, c.Name, map[string]string{"%": "%", "<": ">"}[d]),
			"region variable %q takes no arguments", c.Name)
		return
	}
	if c.Kind != Conditional {
		return
	}
	if len(c.Args) == 0 || c.Named {
		p.errorf(c.Pos, fmt.Sprintf("write the region codes it applies to, e.g. {{%% %s %s %%}}", c.Name, strings.Join(p.opt.Regions, " ")),
			"%s needs one or more region codes", c.Name)
		return
	}
	for _, a := range c.Args {
		if !slices.Contains(p.opt.Regions, a.Value) {
			hint := "use one of the codes under [regions] in helpgen.toml"
			if up := strings.ToUpper(a.Value); slices.Contains(p.opt.Regions, up) {
				hint = fmt.Sprintf("region codes are uppercase: write %s", up)
			}
			p.errorf(a.Pos, hint, "unknown region %q in %s (known: %s)", a.Value, c.Name, strings.Join(p.opt.Regions, ", "))
		}
	}
}

func (p *parser) unknownHint(name string) string {
	if p.opt.Names == nil {
		return ""
	}
	known := p.opt.Names.Known()
	if base, ok := strings.CutSuffix(name, ".inline"); ok {
		return fmt.Sprintf("inline shortcodes are not supported: put the template in layouts/shortcodes/%s.html and write {{< %s >}}", base, base)
	}
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return fmt.Sprintf("names are case-sensitive: did you mean %q?", k)
		}
	}
	return fmt.Sprintf("known shortcodes: %s; add shortcodes/%s.html to define it", strings.Join(known, ", "), name)
}
