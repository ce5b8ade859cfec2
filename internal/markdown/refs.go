package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Refs are the links and images written in Markdown that a shortcode got as
// its inner text, with their offsets in src. The text is read as a template
// reads it, without the indentation common to its lines (see
// shortcode.Deindent), and offsets count in src as it was given.
func Refs(src []byte) (links []Link, images []Image) {
	body, lines := deindent(src)
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
	root := md.Parser().Parse(text.NewReader(body), parser.WithContext(ctx))
	at := func(off int) int { return lines.offset(off) }
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			links = append(links, Link{Dest: string(n.Destination), Offset: at(offsetOf(n))})
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				links = append(links, Link{Dest: string(n.URL(body)), Offset: at(offsetOf(n))})
			}
		case *ast.Image:
			images = append(images, Image{Src: string(n.Destination), Offset: at(offsetOf(n))})
		}
		return ast.WalkContinue, nil
	})
	return links, images
}

// lineMap maps line starts of deindented text back to the text as given.
type lineMap []struct{ out, src int }

func (m lineMap) offset(out int) int {
	i := len(m) - 1
	for i > 0 && m[i].out > out {
		i--
	}
	if i < 0 {
		return out
	}
	return m[i].src + out - m[i].out
}

// deindent removes from every line the indentation common to the non-blank
// lines, remembering where each line of the result came from.
func deindent(src []byte) ([]byte, lineMap) {
	indent := -1
	for rest := src; len(rest) > 0; {
		line, next, _ := bytes.Cut(rest, []byte("\n"))
		rest = next
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		n := 0
		for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
			n++
		}
		if indent < 0 || n < indent {
			indent = n
		}
	}
	if indent <= 0 {
		return src, lineMap{{0, 0}}
	}
	out := make([]byte, 0, len(src))
	var m lineMap
	for pos := 0; pos <= len(src); {
		end := bytes.IndexByte(src[pos:], '\n')
		if end < 0 {
			end = len(src) - pos
		}
		line := src[pos : pos+end]
		cut := min(indent, len(line))
		for i := 0; i < cut; i++ {
			if line[i] != ' ' && line[i] != '\t' {
				cut = i
				break
			}
		}
		m = append(m, struct{ out, src int }{len(out), pos + cut})
		out = append(out, line[cut:]...)
		pos += end + 1
		if pos <= len(src) {
			out = append(out, '\n')
		}
	}
	return out, m
}
