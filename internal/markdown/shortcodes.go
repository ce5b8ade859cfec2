package markdown

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The output of {{< >}} shortcodes reaches the page through goldmark. The
// evaluated Markdown holds a placeholder (Placeholder(i)) for the output of
// each such call, which Markdown must not touch; an AST transformer turns
// the placeholders in text into Shortcode nodes, and a whole paragraph of
// one placeholder into a ShortcodeBlock (block output is not wrapped in a
// <p>); a node renderer writes the output there. Where goldmark keeps text
// as written rather than as inline nodes (raw HTML, code), the renderer
// writes that node as goldmark does with the output in place of its
// placeholders. Section text gets the output's visible text.

// Shortcodes is the output of a page's {{< >}} calls, by placeholder.
type Shortcodes struct {
	HTML []string
	// Text is the visible text of one output, for the sections; nil means
	// HTMLText.
	Text func(html string) string
}

func (s *Shortcodes) text(n int) (string, bool) {
	if n < 0 || n >= len(s.HTML) {
		return "", false
	}
	if s.Text == nil {
		return HTMLText(s.HTML[n]), true
	}
	return s.Text(s.HTML[n]), true
}

// KindShortcode and KindShortcodeBlock are the kinds of the nodes holding
// shortcode output.
var (
	KindShortcode      = ast.NewNodeKind("Shortcode")
	KindShortcodeBlock = ast.NewNodeKind("ShortcodeBlock")
)

// Shortcode is the output of one {{< >}} call within text.
type Shortcode struct {
	ast.BaseInline
	Index int // in Shortcodes.HTML
}

func (n *Shortcode) Kind() ast.NodeKind { return KindShortcode }

func (n *Shortcode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Index": strconv.Itoa(n.Index)}, nil)
}

// ShortcodeBlock is the output of a {{< >}} call that was a paragraph of
// its own.
type ShortcodeBlock struct {
	ast.BaseBlock
	Index int
}

func (n *ShortcodeBlock) Kind() ast.NodeKind { return KindShortcodeBlock }

func (n *ShortcodeBlock) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Index": strconv.Itoa(n.Index)}, nil)
}

// shortcodeExt adds the transformer and the renderer to a goldmark instance.
type shortcodeExt struct{}

func (shortcodeExt) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(shortcodeTransformer{}, 100)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(newShortcodeRenderer(), 500)))
}

// scKey carries a conversion's Shortcodes in the parser context, and
// scMeta in the document's meta for the renderer.
var scKey = parser.NewContextKey()

const scMeta = "helpgen.shortcodes"

var (
	phOpenB  = []byte(phOpen)
	phCloseB = []byte(phClose)
)

// placeholderAt returns the table index of the placeholder b starts with
// and its length, or ok false.
func placeholderAt(b []byte) (index, size int, ok bool) {
	if !bytes.HasPrefix(b, phOpenB) {
		return 0, 0, false
	}
	j := bytes.Index(b[len(phOpen):], phCloseB)
	if j < 0 {
		return 0, 0, false
	}
	n, err := strconv.Atoi(string(b[len(phOpen) : len(phOpen)+j]))
	if err != nil || n < 0 {
		return 0, 0, false
	}
	return n, len(phOpen) + j + len(phClose), true
}

// shortcodeTransformer splits text nodes at placeholders.
type shortcodeTransformer struct{}

func (shortcodeTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	sc, _ := pc.Get(scKey).(*Shortcodes)
	src := reader.Source()
	if sc == nil || !bytes.Contains(src, phOpenB) {
		return
	}
	doc.AddMeta(scMeta, sc)
	var texts []*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.CodeSpan:
			return ast.WalkSkipChildren, nil // written by the renderer
		case *ast.Text:
			if entering && bytes.Contains(n.Segment.Value(src), phOpenB) {
				texts = append(texts, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, t := range texts {
		splitText(t, src, len(sc.HTML))
	}
}

// splitText puts a Shortcode node in place of each placeholder of the
// table's n entries in t; t keeps the text after the last one and its line
// break. A paragraph holding nothing but one placeholder becomes a
// ShortcodeBlock. Other placeholders stay text.
func splitText(t *ast.Text, src []byte, entries int) {
	parent := t.Parent()
	seg := t.Segment
	for from := 0; ; {
		v := seg.Value(src)
		i := bytes.Index(v[from:], phOpenB)
		if i < 0 {
			break
		}
		i += from
		n, size, ok := placeholderAt(v[i:])
		if !ok || n >= entries {
			from = i + len(phOpen)
			continue
		}
		if i > 0 {
			before := ast.NewTextSegment(text.NewSegment(seg.Start, seg.Start+i))
			before.SetRaw(t.IsRaw())
			parent.InsertBefore(parent, t, before)
		}
		parent.InsertBefore(parent, t, &Shortcode{Index: n})
		seg, from = seg.WithStart(seg.Start+i+size), 0
	}
	t.Segment = seg
	if seg.Len() == 0 && !t.SoftLineBreak() && !t.HardLineBreak() {
		parent.RemoveChild(parent, t)
	}
	if p, ok := parent.(*ast.Paragraph); ok && p.ChildCount() == 1 {
		if s, ok := p.FirstChild().(*Shortcode); ok {
			p.Parent().ReplaceChild(p.Parent(), p, &ShortcodeBlock{Index: s.Index})
		}
	}
}

// shortcodeRenderer writes Shortcode nodes, and the nodes goldmark writes
// as they were written (raw HTML, code) with the output in place of their
// placeholders.
type shortcodeRenderer struct {
	asWritten map[ast.NodeKind]renderer.NodeRendererFunc // goldmark's
}

var asWrittenKinds = []ast.NodeKind{ast.KindHTMLBlock, ast.KindRawHTML, ast.KindCodeSpan, ast.KindCodeBlock}

func newShortcodeRenderer() *shortcodeRenderer {
	r := &shortcodeRenderer{asWritten: map[ast.NodeKind]renderer.NodeRendererFunc{}}
	html.NewRenderer(html.WithUnsafe()).RegisterFuncs(registry(r.asWritten))
	return r
}

func (r *shortcodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindShortcode, r.render)
	reg.Register(KindShortcodeBlock, r.render)
	for _, k := range asWrittenKinds {
		reg.Register(k, r.renderAsWritten)
	}
}

func shortcodesOf(n ast.Node) *Shortcodes {
	d := n.OwnerDocument()
	if d == nil {
		return nil
	}
	sc, _ := d.Meta()[scMeta].(*Shortcodes)
	return sc
}

func (r *shortcodeRenderer) render(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	sc := shortcodesOf(n)
	switch n := n.(type) {
	case *Shortcode:
		return ast.WalkContinue, writeOutput(w, sc, n.Index, 0)
	case *ShortcodeBlock:
		if err := writeOutput(w, sc, n.Index, 0); err != nil {
			return ast.WalkStop, err
		}
		_ = w.WriteByte('\n')
	}
	return ast.WalkContinue, nil
}

// renderAsWritten writes n as goldmark does, then with the output of the
// placeholders its text holds in their place.
func (r *shortcodeRenderer) renderAsWritten(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	fn := r.asWritten[n.Kind()]
	if !holdsPlaceholder(n, src) {
		return fn(w, src, n, entering)
	}
	sc := shortcodesOf(n)
	if sc == nil {
		return fn(w, src, n, entering)
	}
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	st, err := fn(bw, src, n, entering)
	if err != nil {
		return st, err
	}
	_ = bw.Flush()
	return st, writeExpanded(w, sc, b.Bytes(), 0)
}

// holdsPlaceholder reports whether the text of a node written as it was
// written holds a placeholder.
func holdsPlaceholder(n ast.Node, src []byte) bool {
	var segs *text.Segments
	switch n := n.(type) {
	case *ast.RawHTML:
		segs = n.Segments
	case *ast.CodeSpan:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok && bytes.Contains(t.Segment.Value(src), phOpenB) {
				return true
			}
		}
		return false
	case *ast.HTMLBlock:
		if n.HasClosure() && bytes.Contains(n.ClosureLine.Value(src), phOpenB) {
			return true
		}
		segs = n.Lines()
	default:
		segs = n.Lines()
	}
	for i := range segs.Len() {
		if s := segs.At(i); bytes.Contains(s.Value(src), phOpenB) {
			return true
		}
	}
	return false
}

// writeOutput writes the output of call n; a placeholder out of the table
// stays as it is.
func writeOutput(w util.BufWriter, sc *Shortcodes, n, depth int) error {
	if sc == nil || n >= len(sc.HTML) {
		_, _ = w.WriteString(Placeholder(n))
		return nil
	}
	if depth > 32 {
		return fmt.Errorf("shortcode output nests more than 32 levels deep")
	}
	return writeExpanded(w, sc, []byte(sc.HTML[n]), depth+1)
}

// writeExpanded writes b with the output of its placeholders in their place.
func writeExpanded(w util.BufWriter, sc *Shortcodes, b []byte, depth int) error {
	for {
		i := bytes.Index(b, phOpenB)
		if i < 0 {
			_, _ = w.Write(b)
			return nil
		}
		n, size, ok := placeholderAt(b[i:])
		if !ok {
			_, _ = w.Write(b[:i+len(phOpen)])
			b = b[i+len(phOpen):]
			continue
		}
		_, _ = w.Write(b[:i])
		if err := writeOutput(w, sc, n, depth); err != nil {
			return err
		}
		b = b[i+size:]
	}
}
