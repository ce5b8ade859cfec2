package markdown

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Code blocks are highlighted at build time with chroma, through goldmark's
// highlighting extension, and only when the fence names a language chroma
// knows: a block without one is written as goldmark writes it, so pages
// without code in a known language pay nothing. Tokens get classes, never
// inline styles; their colours are the theme's (HighlightCSS), light and
// dark. A block holding a shortcode placeholder or a variable token is not
// highlighted either: the lexer could split the token between two spans, and
// the value could not be put back.

// Light and dark are the chroma styles the theme's colours come from.
const (
	lightStyle = "github"
	darkStyle  = "github-dark"
)

// highlighter renders fenced code blocks: the highlighting extension's
// renderer for blocks it may colour, goldmark's plain form for the others.
type highlighter struct {
	html.Config
	colour renderer.NodeRendererFunc
}

func newHighlighter() renderer.NodeRenderer {
	h := &highlighter{Config: html.NewConfig()}
	hl := highlighting.NewHTMLRenderer(
		highlighting.WithStyle(lightStyle),
		highlighting.WithGuessLanguage(false),
		highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
	)
	hl.RegisterFuncs(capture{ast.KindFencedCodeBlock, &h.colour})
	return h
}

// capture keeps the function a renderer registers for one node kind.
type capture struct {
	kind ast.NodeKind
	fn   *renderer.NodeRendererFunc
}

func (c capture) Register(k ast.NodeKind, f renderer.NodeRendererFunc) {
	if k == c.kind {
		*c.fn = f
	}
}

func (h *highlighter) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, h.render)
}

func (h *highlighter) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.FencedCodeBlock)
	if n.Info != nil && !holdsToken(n, src) {
		if !entering {
			return ast.WalkContinue, nil
		}
		return ast.WalkContinue, h.cached(w, src, n)
	}
	if !entering {
		return ast.WalkContinue, nil
	}
	w.WriteString("<pre><code")
	if lang := n.Language(src); lang != nil {
		w.WriteString(` class="language-`)
		h.Writer.Write(w, lang)
		w.WriteByte('"')
	}
	w.WriteByte('>')
	sc := shortcodesOf(n)
	for i := range n.Lines().Len() {
		line := n.Lines().At(i)
		if err := h.writeCode(w, line.Value(src), sc); err != nil {
			return ast.WalkStop, err
		}
	}
	w.WriteString("</code></pre>\n")
	return ast.WalkContinue, nil
}

// writeCode writes a line of code escaped, with the output of the
// shortcodes whose placeholders it holds in their place (see Shortcodes).
func (h *highlighter) writeCode(w util.BufWriter, line []byte, sc *Shortcodes) error {
	for sc != nil {
		i := bytes.Index(line, phOpenB)
		if i < 0 {
			break
		}
		n, size, ok := placeholderAt(line[i:])
		if !ok {
			h.Writer.RawWrite(w, line[:i+len(phOpen)])
			line = line[i+len(phOpen):]
			continue
		}
		h.Writer.RawWrite(w, line[:i])
		if err := writeOutput(w, sc, n, 0); err != nil {
			return err
		}
		line = line[i+size:]
	}
	h.Writer.RawWrite(w, line)
	return nil
}

// highlighted keeps the HTML of blocks already highlighted, by their info
// string and text: regions mostly share their code blocks, and a preview
// rebuilds pages whose blocks did not change. It is emptied when it holds
// more than highlightedMax bytes.
var highlighted struct {
	sync.Mutex
	html  map[string][]byte
	bytes int
}

const highlightedMax = 8 << 20

// cached writes a block's highlighted HTML, from highlighted when it is there.
func (h *highlighter) cached(w util.BufWriter, src []byte, n *ast.FencedCodeBlock) error {
	var key strings.Builder
	key.Write(n.Info.Segment.Value(src))
	key.WriteByte(0)
	for i := range n.Lines().Len() {
		seg := n.Lines().At(i)
		key.Write(seg.Value(src))
	}
	highlighted.Lock()
	html, ok := highlighted.html[key.String()]
	highlighted.Unlock()
	if !ok {
		var buf bytes.Buffer
		if err := h.steady(&buf, src, n); err != nil {
			return err
		}
		html = buf.Bytes()
		highlighted.Lock()
		if highlighted.html == nil || highlighted.bytes > highlightedMax {
			highlighted.html, highlighted.bytes = map[string][]byte{}, 0
		}
		highlighted.html[key.String()] = html
		highlighted.bytes += key.Len() + len(html)
		highlighted.Unlock()
	}
	_, err := w.Write(html)
	return err
}

// steady writes the highlighted block the same way every time. Chroma gives
// every regular expression match of its lexers a fixed 250 ms limit and
// treats a match that ran out of time as no match, so a goroutine paused
// that long in the middle of one (a loaded machine, the race detector)
// colours the block differently, and a build would not write the same bytes
// twice. A block is highlighted twice; when the two differ, a third time
// decides. A pause is rare and short, so two runs that differ the same way
// are rarer still.
func (h *highlighter) steady(w io.Writer, src []byte, node ast.Node) error {
	var runs [3]bytes.Buffer
	for i := range runs {
		bw := bufio.NewWriter(&runs[i])
		if _, err := h.colour(bw, src, node, true); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if i == 1 && bytes.Equal(runs[0].Bytes(), runs[1].Bytes()) {
			break
		}
	}
	out := runs[0].Bytes()
	if runs[2].Len() > 0 && !bytes.Equal(out, runs[2].Bytes()) {
		out = runs[1].Bytes()
	}
	_, err := w.Write(out)
	return err
}

// holdsToken reports whether a code block holds a placeholder or variable
// token (private-use characters U+E000–U+E003, UTF-8 EE 80 80–83).
func holdsToken(n *ast.FencedCodeBlock, src []byte) bool {
	for i := range n.Lines().Len() {
		seg := n.Lines().At(i)
		if line := seg.Value(src); bytes.Contains(line, []byte{0xEE, 0x80}) {
			for j := 0; j+2 < len(line); j++ {
				if line[j] == 0xEE && line[j+1] == 0x80 && line[j+2] >= 0x80 && line[j+2] <= 0x83 {
					return true
				}
			}
		}
	}
	return false
}

// HighlightCSS is the theme's stylesheet for highlighted code: for each
// colour pair, the token classes that take it, coloured with CSS
// light-dark(light style's colour, dark style's), so the page's colour
// scheme picks one without a second set of rules. Weight and slant come from
// the light style. Tokens in the text colour of both styles get no rule.
// static/_theme/helpgen.css holds the result between markers; a test keeps
// it equal.
func HighlightCSS() string {
	light, dark := styles.Get(lightStyle), styles.Get(darkStyle)
	lightText, darkText := light.Get(chroma.Text).Colour, dark.Get(chroma.Text).Colour
	types := make([]chroma.TokenType, 0, len(chroma.StandardTypes))
	for tt := range chroma.StandardTypes {
		types = append(types, tt)
	}
	slices.Sort(types)
	var decls []string
	classes := map[string][]string{}
	for _, tt := range types {
		class := chroma.StandardTypes[tt]
		// Background is the block (the theme's), Error an invalid token
		// coloured over a background of its own, whitespace has no colour.
		if class == "" || tt == chroma.Background || tt == chroma.Error || tt == chroma.TextWhitespace || tt.Category() == chroma.Text {
			continue
		}
		l, d := light.Get(tt), dark.Get(tt)
		var parts []string
		if (l.Colour.IsSet() && l.Colour != lightText) || (d.Colour.IsSet() && d.Colour != darkText) {
			if !l.Colour.IsSet() {
				l.Colour = lightText
			}
			if !d.Colour.IsSet() {
				d.Colour = darkText
			}
			parts = append(parts, fmt.Sprintf("color: light-dark(%s, %s)", or(l.Colour), or(d.Colour)))
		}
		if l.Bold == chroma.Yes {
			parts = append(parts, "font-weight: 600")
		}
		if l.Italic == chroma.Yes {
			parts = append(parts, "font-style: italic")
		}
		if len(parts) == 0 {
			continue
		}
		decl := strings.Join(parts, "; ")
		if classes[decl] == nil {
			decls = append(decls, decl)
		}
		classes[decl] = append(classes[decl], "."+class)
	}
	var b strings.Builder
	for _, decl := range decls {
		fmt.Fprintf(&b, ".chroma :is(%s) { %s; }\n", strings.Join(classes[decl], ", "), decl)
	}
	return b.String()
}

// or is c, or the text's colour when the style leaves c unset.
func or(c chroma.Colour) string {
	if c.IsSet() {
		return c.String()
	}
	return "currentColor"
}

// Highlight is Hugo's highlight function: code in lang, highlighted as a
// fenced block in that language is (plain when chroma does not know it).
// opts are Hugo's highlighting options by lower-case name; linenos (true,
// table, inline or false), hl_lines ("8 15-17") and linenostart are used,
// the others (styles, anchors) are the theme's business and ignored.
func Highlight(code, lang string, opts map[string]string) ([]byte, error) {
	fence := "```"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	info := strings.TrimSpace(strings.ReplaceAll(lang, "\n", " "))
	if i := strings.IndexByte(info, '{'); i >= 0 {
		info = strings.TrimSpace(info[:i]) // the options come from opts only
	}
	info += fenceAttrs(opts)
	src := fence + info + "\n" + strings.TrimSuffix(code, "\n") + "\n" + fence + "\n"
	return ToHTML([]byte(src))
}

// fenceAttrs writes the highlighting options a fence's attributes carry
// (goldmark-highlighting reads them there) from Hugo's options; "" when
// there are none.
func fenceAttrs(opts map[string]string) string {
	var attrs []string
	switch v := strings.ToLower(strings.TrimSpace(opts["linenos"])); v {
	case "true", "table":
		attrs = append(attrs, `linenos="table"`)
	case "inline":
		attrs = append(attrs, `linenos="inline"`)
	}
	if f := strings.Fields(strings.NewReplacer(",", " ", "[", " ", "]", " ", `"`, " ").Replace(opts["hl_lines"])); len(f) > 0 {
		var lines []string
		for _, l := range f {
			if lineRange.MatchString(l) {
				lines = append(lines, `"`+l+`"`)
			}
		}
		if len(lines) > 0 {
			attrs = append(attrs, "hl_lines=["+strings.Join(lines, ",")+"]")
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(opts["linenostart"])); err == nil {
		attrs = append(attrs, "linenostart="+strconv.Itoa(n))
	}
	if len(attrs) == 0 {
		return ""
	}
	return " {" + strings.Join(attrs, " ") + "}"
}

// lineRange is a line or a range of lines in hl_lines.
var lineRange = regexp.MustCompile(`^[0-9]+(-[0-9]+)?$`)
