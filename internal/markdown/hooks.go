package markdown

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Render hooks, as in Hugo: a site's template may replace how a link, an
// image, a heading or a fenced code block is written. They are node
// renderers registered above goldmark's own (and above the highlighter) on
// a second instance, hooked, used only for conversions that have hooks: a
// site without hook templates converts with md, byte for byte as before.

// HookKind is the kind of Markdown element a render hook writes.
type HookKind int

// The kinds of render hook.
const (
	HookLink HookKind = iota
	HookImage
	HookHeading
	HookCodeBlock
)

// HookContext is what a render hook is given for one element, the fields
// of Hugo's contexts; which are set depends on Kind.
type HookContext struct {
	Kind        HookKind
	Destination string        // link, image
	Title       string        // link, image
	Text        template.HTML // link, image, heading: the children as HTML
	PlainText   string        // link, image, heading
	Ordinal     int           // per kind, from 0, in document order
	Level       int           // heading
	Anchor      string        // heading: its id
	Type        string        // code block: the first word of the info string
	Inner       string        // code block: its text
	Attributes  map[string]any
	Options     map[string]any // code block: highlighting options
	// Offset is where the element starts in the Markdown.
	Offset int
}

// Hooks executes a site's render hook templates for one page in one region.
type Hooks interface {
	// Has reports whether a hook writes elements of kind k; lang is a code
	// block's language ("" for other kinds).
	Has(k HookKind, lang string) bool
	// Render writes the hook's output for c.
	Render(w *bytes.Buffer, c *HookContext) error
}

// HookOutput is what one hook wrote, kept so that the links, images and
// ids in it are facts of the page like those of raw HTML.
type HookOutput struct {
	Kind   HookKind
	HTML   string
	Offset int
	// Heading is the index in Doc.Headings of the heading written, or -1.
	Heading int
}

// hooked is helpgen's goldmark configuration with the hook renderer on top.
var hooked = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, shortcodeExt{}),
	goldmark.WithParserOptions(parser.WithAttribute(), parser.WithAutoHeadingID()),
	goldmark.WithRendererOptions(html.WithUnsafe(),
		renderer.WithNodeRenderers(util.Prioritized(newHighlighter(), 200), util.Prioritized(newHookRenderer(), 100))),
)

// hookState is one conversion's hooks and what they wrote; it travels in
// the document's meta, as the renderer is shared by all conversions.
type hookState struct {
	hooks    Hooks
	src      []byte
	ordinals [4]int // elements of each kind met so far
	out      []HookOutput
	err      error
}

const hookMeta = "helpgen.hooks"

func stateOf(n ast.Node) *hookState {
	d := n.OwnerDocument()
	if d == nil {
		return nil
	}
	st, _ := d.Meta()[hookMeta].(*hookState)
	return st
}

// hookRenderer renders the four hooked kinds: through the hook when the
// conversion has one for the element, otherwise as the renderers below it
// (goldmark's, the highlighter) would.
type hookRenderer struct {
	fallback map[ast.NodeKind]renderer.NodeRendererFunc
}

func newHookRenderer() *hookRenderer {
	h := &hookRenderer{fallback: map[ast.NodeKind]renderer.NodeRendererFunc{}}
	keep := registry(h.fallback)
	html.NewRenderer(html.WithUnsafe()).RegisterFuncs(keep)
	newHighlighter().RegisterFuncs(keep)
	return h
}

// registry keeps the functions renderers register, by kind.
type registry map[ast.NodeKind]renderer.NodeRendererFunc

func (r registry) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { r[k] = f }

func (h *hookRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	for _, k := range []ast.NodeKind{ast.KindLink, ast.KindAutoLink, ast.KindImage, ast.KindHeading, ast.KindFencedCodeBlock} {
		reg.Register(k, h.render)
	}
}

func (h *hookRenderer) render(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	st := stateOf(n)
	kind, lang := hookKind(n, src)
	if st != nil && entering {
		// Ordinals count every element of a kind, hooked or not (a code
		// block hook may be for one language), as Hugo's do.
		st.ordinals[kind]++
	}
	if st == nil || !st.hooks.Has(kind, lang) {
		return h.fallback[n.Kind()](w, src, n, entering)
	}
	if !entering {
		return ast.WalkContinue, nil
	}
	if st.err != nil {
		return ast.WalkStop, st.err
	}
	c := &HookContext{Kind: kind, Ordinal: st.ordinals[kind] - 1, Offset: offsetOf(n)}
	if err := st.fill(c, n); err != nil {
		st.err = err
		return ast.WalkStop, err
	}
	var out bytes.Buffer
	if err := st.hooks.Render(&out, c); err != nil {
		st.err = err
		return ast.WalkStop, err
	}
	o := HookOutput{Kind: kind, HTML: out.String(), Offset: c.Offset, Heading: -1}
	if kind == HookHeading {
		o.Heading = c.Ordinal
	}
	st.out = append(st.out, o)
	// A hook gets shortcode output as placeholders (in .Inner, .Text…),
	// as Hugo's hooks do; what it writes gets the output in their place.
	if sc := shortcodesOf(n); sc != nil && bytes.Contains(out.Bytes(), phOpenB) {
		return ast.WalkSkipChildren, writeExpanded(w, sc, out.Bytes(), 0)
	}
	_, _ = w.Write(out.Bytes())
	return ast.WalkSkipChildren, nil
}

func hookKind(n ast.Node, src []byte) (HookKind, string) {
	switch n := n.(type) {
	case *ast.Link, *ast.AutoLink:
		return HookLink, ""
	case *ast.Image:
		return HookImage, ""
	case *ast.Heading:
		return HookHeading, ""
	case *ast.FencedCodeBlock:
		return HookCodeBlock, string(n.Language(src))
	}
	return -1, ""
}

// fill sets the fields of c for node n.
func (st *hookState) fill(c *HookContext, n ast.Node) error {
	attrs := attributes(n)
	switch n := n.(type) {
	case *ast.Link:
		c.Destination, c.Title = string(n.Destination), string(n.Title)
	case *ast.AutoLink:
		label := string(n.Label(st.src))
		c.Destination, c.PlainText = string(n.URL(st.src)), label
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(c.Destination), "mailto:") {
			c.Destination = "mailto:" + c.Destination
		}
		c.Text = template.HTML(template.HTMLEscapeString(label))
		c.Attributes = attrs
		return nil
	case *ast.Image:
		c.Destination, c.Title = string(n.Destination), string(n.Title)
	case *ast.Heading:
		c.Level = n.Level
		if id, ok := attrs["id"].(string); ok {
			c.Anchor = id
		}
	case *ast.FencedCodeBlock:
		c.Type = string(n.Language(st.src))
		c.Attributes, c.Options = codeInfo(n, st.src)
		var b strings.Builder
		for i := range n.Lines().Len() {
			seg := n.Lines().At(i)
			b.Write(seg.Value(st.src))
		}
		c.Inner = b.String()
		return nil
	}
	c.Attributes = attrs
	c.PlainText = plainText(n, st.src)
	var b bytes.Buffer
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if err := hooked.Renderer().Render(&b, st.src, ch); err != nil {
			return err
		}
	}
	c.Text = template.HTML(b.String())
	return st.err
}

// attributes are a node's Markdown attributes ({#id .class key=value}).
func attributes(n ast.Node) map[string]any {
	m := map[string]any{}
	for _, a := range n.Attributes() {
		switch v := a.Value.(type) {
		case []byte:
			m[string(a.Name)] = string(v)
		default:
			m[string(a.Name)] = v
		}
	}
	return m
}

// codeInfo splits a fence's attributes ({class="x" lineNos=inline}) into
// generic attributes and highlighting options, as Hugo does.
func codeInfo(n *ast.FencedCodeBlock, src []byte) (attrs, opts map[string]any) {
	attrs, opts = map[string]any{}, map[string]any{}
	if n.Info == nil {
		return attrs, opts
	}
	info := n.Info.Segment.Value(src)
	i := bytes.IndexByte(info, '{')
	if i < 0 || !bytes.HasSuffix(bytes.TrimSpace(info), []byte("}")) {
		return attrs, opts
	}
	as, ok := parser.ParseAttributes(text.NewReader(bytes.TrimSpace(info[i:])))
	if !ok {
		return attrs, opts
	}
	for _, a := range as {
		name := string(a.Name)
		var v any = a.Value
		if b, ok := a.Value.([]byte); ok {
			v = string(b)
		}
		if highlightOptions[strings.ToLower(name)] {
			opts[name] = v
		} else {
			attrs[name] = v
		}
	}
	return attrs, opts
}

// highlightOptions are the info-string keys Hugo takes as options of its
// highlighter rather than as attributes of the block.
var highlightOptions = map[string]bool{
	"linenos": true, "anchorlinenos": true, "lineanchors": true, "linenostart": true,
	"hl_lines": true, "hl_inline": true, "noclasses": true, "nohl": true, "style": true,
	"tabwidth": true, "guesssyntax": true, "linenumbersintable": true, "codefences": true,
}
