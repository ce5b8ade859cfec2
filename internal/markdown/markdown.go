// Package markdown holds helpgen's one goldmark configuration and collects,
// from the parsed AST, the facts later stages need: headings with their ids,
// links, images and text.
package markdown

import (
	"bufio"
	"bytes"
	stdhtml "html"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Heading is one heading of a page.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Link is one link target with the offset in the Markdown where it was written.
type Link struct {
	Dest   string
	Text   string
	Offset int
}

// Image is one image with the offset in the Markdown where it was written.
type Image struct {
	Src    string
	Alt    string
	Offset int
	Zoom   bool // an <img data-action="zoom">: a screenshot the reader can enlarge
}

// Section is the plain text of a page under one heading (the first has none).
type Section struct {
	Heading *Heading
	Text    string
}

// Doc is a converted Markdown document and what was found in it.
type Doc struct {
	HTML     []byte
	Headings []Heading
	// HeadingOffsets holds where each heading's text starts in the Markdown.
	HeadingOffsets []int
	Links          []Link
	Images         []Image
	RawHTML        []RawHTML // raw HTML written in the Markdown, for facts beyond the AST
	Sections       []Section
	// Lists are blocks whose indentation and list structure disagree.
	Lists []ListProblem
	// Hooked holds what render hooks wrote, in document order.
	Hooked []HookOutput
	// VarInID is set when a heading id was generated from text holding a
	// variable token; such a conversion cannot be shared between regions.
	VarInID bool
	// A conversion with shortcode output keeps its AST and its sections'
	// text with placeholders, to be written again with other output (see
	// WithShortcodes).
	root    ast.Node
	src     []byte
	secText []string
}

// RawHTML is a fragment of raw HTML and where it stands.
type RawHTML struct {
	HTML   string
	Offset int
}

// md is the one goldmark instance: GFM tables, strikethrough and autolinks,
// heading attributes, raw HTML passed through, no typographer; fenced code
// in a known language highlighted (highlight.go).
var md = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, shortcodeExt{}),
	goldmark.WithParserOptions(parser.WithAttribute(), parser.WithAutoHeadingID()),
	goldmark.WithRendererOptions(html.WithUnsafe(),
		renderer.WithNodeRenderers(util.Prioritized(newHighlighter(), 200))),
)

// Goldmark returns the configured instance, so the benchmark floor converts
// with exactly helpgen's extensions and options.
func Goldmark() goldmark.Markdown { return md }

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Convert parses src once, collects its facts and renders it to HTML.
// Generated heading ids avoid reserved, the ids the page around the body
// already gives its elements.
func Convert(src []byte, reserved []string) (*Doc, error) {
	return ConvertHooks(src, reserved, nil)
}

// ConvertHooks is Convert with a page's render hooks (nil for none). The
// links and images a hook writes are not taken from the AST: they are in
// Doc.Hooked, to be scanned like raw HTML.
func ConvertHooks(src []byte, reserved []string, hooks Hooks) (*Doc, error) {
	return ConvertPage(src, reserved, hooks, nil)
}

// ConvertPage is ConvertHooks for a page whose Markdown holds placeholders
// for the output of its {{< >}} shortcodes, sc (nil for none): the HTML has
// the output in their place, the sections its text. sc.Text, when set, also
// gives the text of the HTML blocks.
func ConvertPage(src []byte, reserved []string, hooks Hooks, sc *Shortcodes) (*Doc, error) {
	ids := newIDs()
	ids.reserved = reserved
	ctx := parser.NewContext(parser.WithIDs(ids))
	written := sc != nil && len(sc.HTML) > 0
	if written {
		ctx.Set(scKey, sc)
	}
	root := md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	d := &Doc{VarInID: ids.varInID}
	collect(root, src, d, hooks, sc)
	d.Lists = listProblems(root, src)
	r := md.Renderer()
	var st *hookState
	if hooks != nil {
		r, st = hooked.Renderer(), &hookState{hooks: hooks, src: src}
		root.OwnerDocument().AddMeta(hookMeta, st)
	}
	var err error
	if d.HTML, err = renderHTML(r, src, root); err != nil {
		return nil, err
	}
	if st != nil {
		d.Hooked = st.out
	}
	if written && hooks == nil {
		d.root, d.src = root, src
		d.secText = make([]string, len(d.Sections))
		for i, s := range d.Sections {
			d.secText[i] = s.Text
		}
	}
	if written {
		d.expandSections(sc)
	}
	return d, nil
}

func renderHTML(r renderer.Renderer, src []byte, root ast.Node) ([]byte, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := r.Render(buf, src, root); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// expandSections puts the text of shortcode output into the sections.
func (d *Doc) expandSections(sc *Shortcodes) {
	if sc == nil {
		return
	}
	for i := range d.Sections {
		d.Sections[i].Text = ExpandText(d.Sections[i].Text, sc.text)
	}
}

// WithShortcodes is d written with other output for its shortcodes' placeholders
// (another region's), sharing the parse: the Markdown is parsed once
// for all the regions whose Markdown it is. It returns nil when d cannot be
// written again (it had no shortcode output, or render hooks wrote part of
// it).
func (d *Doc) WithShortcodes(sc *Shortcodes) (*Doc, error) {
	if d.root == nil || sc == nil {
		return nil, nil
	}
	d.root.OwnerDocument().AddMeta(scMeta, sc)
	html, err := renderHTML(md.Renderer(), d.src, d.root)
	if err != nil {
		return nil, err
	}
	c := *d
	c.HTML = html
	c.Headings, c.Sections = slices.Clone(d.Headings), slices.Clone(d.Sections)
	for i := range c.Sections {
		c.Sections[i].Text = d.secText[i]
	}
	c.expandSections(sc)
	return &c, nil
}

// ToHTML renders Markdown to HTML with no facts collected; it backs the
// markdownify template function, which runs inside shortcodes of every
// page, so it skips the facts walk.
func ToHTML(src []byte) ([]byte, error) {
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
	root := md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := md.Renderer().Render(buf, src, root); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// textBufs are the scratch buffers of a factWalk.
type textBufs struct{ cur, squashed []byte }

var textPool = sync.Pool{New: func() any { return new(textBufs) }}

// factWalk gathers, in one walk of the AST, a page's headings, links,
// images, raw HTML and the text of its sections.
type factWalk struct {
	src          []byte
	d            *Doc
	hookedLinks  bool // links and images a hook writes are found
	hookedImages bool // in its output (Doc.Hooked), not here
	htmlText     func(string) string
	// Section text is gathered in reused byte slices and squashed into a
	// single string per section: this runs for every conversion.
	tb         *textBufs
	curHeading *Heading
	// A heading's text is its section's title, not section text; its
	// links, images and raw HTML are still facts of the page.
	inHeading ast.Node
}

// collect walks the AST once for headings, links, images and text.
func collect(root ast.Node, src []byte, d *Doc, hooks Hooks, sc *Shortcodes) {
	tb := textPool.Get().(*textBufs)
	defer textPool.Put(tb)
	tb.cur, tb.squashed = tb.cur[:0], tb.squashed[:0]
	f := &factWalk{src: src, d: d, tb: tb, htmlText: HTMLText,
		hookedLinks:  hooks != nil && hooks.Has(HookLink, ""),
		hookedImages: hooks != nil && hooks.Has(HookImage, ""),
	}
	if sc != nil && sc.Text != nil {
		f.htmlText = sc.Text
	}
	_ = ast.Walk(root, f.visit)
	f.flush()
}

// flush ends the current section.
func (f *factWalk) flush() {
	tb := f.tb
	tb.squashed = squashSpace(tb.squashed[:0], tb.cur)
	if len(tb.squashed) > 0 || f.curHeading != nil {
		// Placeholders stay: the conversion puts in the text of the
		// shortcode output they stand for (expandSections).
		f.d.Sections = append(f.d.Sections, Section{Heading: f.curHeading, Text: string(tb.squashed)})
	}
	tb.cur = tb.cur[:0]
}

func (f *factWalk) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		if n == f.inHeading {
			f.inHeading = nil
		}
		if n.Type() == ast.TypeBlock && n.Kind() != ast.KindDocument {
			f.tb.cur = append(f.tb.cur, ' ')
		}
		return ast.WalkContinue, nil
	}
	switch n := n.(type) {
	case *ast.Heading:
		f.heading(n)
	case *ast.Link:
		if !f.hookedLinks {
			f.d.Links = append(f.d.Links, Link{Dest: string(n.Destination), Text: plainText(n, f.src), Offset: offsetOf(n)})
		}
	case *ast.AutoLink:
		if n.AutoLinkType == ast.AutoLinkURL && !f.hookedLinks {
			f.d.Links = append(f.d.Links, Link{Dest: string(n.URL(f.src)), Offset: offsetOf(n)})
		}
	case *ast.Image:
		if !f.hookedImages {
			f.d.Images = append(f.d.Images, Image{Src: string(n.Destination), Alt: plainText(n, f.src), Offset: offsetOf(n)})
		}
	case *ast.RawHTML:
		f.d.RawHTML = append(f.d.RawHTML, RawHTML{HTML: segmentsText(n.Segments, nil, f.src), Offset: segStart(n.Segments)})
	case *ast.HTMLBlock:
		var closure *text.Segment
		if n.HasClosure() {
			closure = &n.ClosureLine
		}
		raw := segmentsText(n.Lines(), closure, f.src)
		f.d.RawHTML = append(f.d.RawHTML, RawHTML{HTML: raw, Offset: segStart(n.Lines())})
		f.tb.cur = append(f.tb.cur, f.htmlText(raw)...)
	case *ast.CodeSpan:
		if f.inHeading == nil {
			f.tb.cur = append(f.tb.cur, plainText(n, f.src)...)
		}
		return ast.WalkSkipChildren, nil
	default:
		f.text(n)
	}
	return ast.WalkContinue, nil
}

// text adds the text a node shows to the section.
func (f *factWalk) text(n ast.Node) {
	cur := f.tb.cur
	switch n := n.(type) {
	case *ast.Text:
		if f.inHeading != nil {
			break
		}
		cur = appendShown(cur, n, f.src)
		if n.SoftLineBreak() || n.HardLineBreak() {
			cur = append(cur, ' ')
		}
	case *ast.String:
		if f.inHeading == nil {
			cur = appendShownString(cur, n)
		}
	case *Shortcode:
		// The placeholder stays until the section is complete (flush).
		if f.inHeading == nil {
			cur = append(cur, Placeholder(n.Index)...)
		}
	case *ShortcodeBlock:
		cur = append(cur, Placeholder(n.Index)...)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			s := lines.At(i)
			cur = append(cur, s.Value(f.src)...)
		}
	case *extast.TableCell:
		cur = append(cur, ' ')
	}
	f.tb.cur = cur
}

// heading records a heading; levels 1 to 3 start a section.
func (f *factWalk) heading(n *ast.Heading) {
	id := ""
	if v, ok := n.AttributeString("id"); ok {
		if b, ok := v.([]byte); ok {
			id = string(b)
		}
	}
	h := Heading{Level: n.Level, ID: id, Text: StripPlaceholders(plainText(n, f.src))}
	f.d.Headings = append(f.d.Headings, h)
	f.d.HeadingOffsets = append(f.d.HeadingOffsets, idOffset(f.src, offsetOf(n), id))
	if n.Level <= 3 {
		f.flush()
		f.curHeading = &h
	}
	f.inHeading = n
}

// segmentsText is the text of segs and, when not nil, a closing line.
func segmentsText(segs *text.Segments, closure *text.Segment, src []byte) string {
	var b strings.Builder
	for i := 0; i < segs.Len(); i++ {
		s := segs.At(i)
		b.Write(s.Value(src))
	}
	if closure != nil {
		b.Write(closure.Value(src))
	}
	return b.String()
}

// squashSpace appends to dst the words of text separated by single spaces,
// exactly as strings.Join(strings.Fields(text), " ") would, but copying
// whole words at once and without the word list: it runs over the text of
// every page in every region.
func squashSpace(dst, text []byte) []byte {
	word := -1 // start of the current word
	for i := 0; i < len(text); {
		c := text[i]
		n := 0
		switch {
		case c < utf8.RuneSelf:
			if asciiSpace[c] {
				n = 1
			}
		case c == 0xC2 || c >= 0xE1 && c <= 0xE3: // lead bytes of non-ASCII spaces
			n = spaceLen(text[i:])
		}
		if n == 0 {
			if word < 0 {
				word = i
			}
			i++
			continue
		}
		if word >= 0 {
			if len(dst) > 0 {
				dst = append(dst, ' ')
			}
			dst = append(dst, text[word:i]...)
			word = -1
		}
		i += n
	}
	if word >= 0 {
		if len(dst) > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, text[word:]...)
	}
	return dst
}

// spaceLen is the length of the white space character (unicode.IsSpace) at
// the start of b, or 0. Non-ASCII spaces are matched on their UTF-8 bytes,
// so Japanese text (lead byte 0xE3, like U+3000) is not decoded rune by rune.
func spaceLen(b []byte) int {
	c := b[0]
	if c < utf8.RuneSelf {
		if asciiSpace[c] {
			return 1
		}
		return 0
	}
	if len(b) < 2 {
		return 0
	}
	switch c {
	case 0xC2: // U+0085, U+00A0
		if b[1] == 0x85 || b[1] == 0xA0 {
			return 2
		}
	case 0xE1: // U+1680
		if len(b) >= 3 && b[1] == 0x9A && b[2] == 0x80 {
			return 3
		}
	case 0xE2: // U+2000–U+200A, U+2028, U+2029, U+202F, U+205F
		if len(b) >= 3 && (b[1] == 0x80 && (b[2] <= 0x8A && b[2] >= 0x80 || b[2] == 0xA8 || b[2] == 0xA9 || b[2] == 0xAF) || b[1] == 0x81 && b[2] == 0x9F) {
			return 3
		}
	case 0xE3: // U+3000
		if len(b) >= 3 && b[1] == 0x80 && b[2] == 0x80 {
			return 3
		}
	}
	return 0
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

func segStart(lines *text.Segments) int {
	if lines.Len() == 0 {
		return 0
	}
	return lines.At(0).Start
}

// offsetOf finds the first source offset under n, for positions.
func offsetOf(n ast.Node) int {
	for c := n; c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			return c.Lines().At(0).Start
		}
	}
	// An inline with no text of its own ([](/x.html)) starts where the
	// text before it stops.
	if t, ok := n.PreviousSibling().(*ast.Text); ok && n.Type() == ast.TypeInline {
		return t.Segment.Stop
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

// idOffset is where a heading whose text starts at off sets its id with
// {#id} on the same line, or off when the id was generated.
func idOffset(src []byte, off int, id string) int {
	if off < 0 || off > len(src) || id == "" {
		return off
	}
	line := src[off:]
	if end := bytes.IndexByte(line, '\n'); end >= 0 {
		line = line[:end]
	}
	if i := bytes.LastIndex(line, []byte("{#"+id)); i >= 0 {
		return off + i
	}
	return off
}

// appendShown appends the text a reader sees for a text node: its
// backslash escapes and entity references resolved (A &amp; B shows A & B,
// \* shows *) exactly as goldmark's renderer resolves them. A raw node is
// shown as written.
func appendShown(dst []byte, n *ast.Text, src []byte) []byte {
	v := n.Segment.Value(src)
	if n.IsRaw() || bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\\') < 0 {
		return append(dst, v...)
	}
	return appendRendered(dst, v)
}

// appendShownString is appendShown for a String node, whose value the
// renderer writes as HTML unless it is code.
func appendShownString(dst []byte, n *ast.String) []byte {
	if n.IsCode() || bytes.IndexByte(n.Value, '&') < 0 {
		return append(dst, n.Value...)
	}
	if n.IsRaw() {
		return append(dst, stdhtml.UnescapeString(string(n.Value))...)
	}
	return appendRendered(dst, n.Value)
}

// appendRendered appends what goldmark's writer makes of v, unescaped back
// from HTML to text.
func appendRendered(dst, v []byte) []byte {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	html.DefaultWriter.Write(w, v)
	_ = w.Flush()
	return append(dst, stdhtml.UnescapeString(b.String())...)
}

// plainText is the text content of an inline subtree.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(appendShown(nil, c, src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(appendShownString(nil, c))
		case *ast.CodeSpan:
			for x := c.FirstChild(); x != nil; x = x.NextSibling() {
				if t, ok := x.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *Shortcode:
			b.WriteString(Placeholder(c.Index))
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// ids generates heading ids that keep letters of every script, so Japanese
// headings get readable ids: "パスワードを変更する" stays as it is.
type ids struct {
	used     map[string]bool
	reserved []string
	varInID  bool
}

func newIDs() *ids { return &ids{used: map[string]bool{}} }

// Anchorize turns heading text into an id: letters and digits of any script
// lowercased, spaces and dashes to "-", everything else dropped.
func Anchorize(s string) string {
	s = StripPlaceholders(s)
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(unicode.ToLower(r))
			dash = false
		case r == '_':
			b.WriteRune(r)
			dash = false
		case unicode.IsSpace(r) || r == '-':
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimRight(b.String(), "-")
}

func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	if HasVars(value) {
		s.varInID = true
	}
	base := Anchorize(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; s.used[id] || slices.Contains(s.reserved, id); i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

func (s *ids) Put(value []byte) { s.used[string(value)] = true }

// Placeholders stand in the Markdown for HTML that must reach the page
// untouched (the output of {{< >}} shortcodes), until the conversion writes
// it there (shortcodes.go). They use private-use characters, which Markdown
// leaves alone.
const (
	phOpen  = "\uE000"
	phClose = "\uE001"
)

// Placeholder returns the token for table entry i.
func Placeholder(i int) string { return phOpen + strconv.Itoa(i) + phClose }

// StripPlaceholders removes placeholder tokens from plain text.
func StripPlaceholders(s string) string {
	for {
		i := strings.Index(s, phOpen)
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], phClose)
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + s[i+j+len(phClose):]
	}
}

// ExpandText replaces the placeholder tokens in plain text s by text(n),
// the text of table entry n (the {{< >}} output it stands for, which may
// itself hold tokens), so that text is searchable and counted like the rest.
func ExpandText(s string, text func(n int) (string, bool)) string {
	if !strings.Contains(s, phOpen) {
		return s
	}
	return string(squashSpace(nil, expandText(nil, s, text, 0)))
}

func expandText(dst []byte, s string, text func(int) (string, bool), depth int) []byte {
	for {
		i := strings.Index(s, phOpen)
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		j := strings.Index(s[i:], phClose)
		if j < 0 {
			return dst
		}
		if n, err := strconv.Atoi(s[i+len(phOpen) : i+j]); err == nil && depth < 32 {
			if t, ok := text(n); ok {
				dst = append(dst, ' ')
				dst = expandText(dst, t, text, depth+1)
				dst = append(dst, ' ')
			}
		}
		s = s[i+j+len(phClose):]
	}
}
