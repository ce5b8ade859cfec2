package render

import (
	"bytes"
	"strings"
)

// The functions below write a string the way html/template's escapers do in
// three contexts, byte for byte, so that Go code standing in for a built-in
// template (see Templates.SetNative) writes exactly what the template would.
// escape_test.go checks them against html/template.

// htmlEscapes is html/template's replacement table for text and quoted
// attribute values.
var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// EscapeHTML writes s as html/template writes a string in text, in a quoted
// attribute value or in <title>. Only ASCII bytes are replaced, so scanning
// bytes instead of runes gives the same result.
func EscapeHTML(w *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if r := htmlEscapes[s[i]]; r != "" {
			w.WriteString(s[last:i])
			w.WriteString(r)
			last = i + 1
		}
	}
	w.WriteString(s[last:])
}

// EscapeURL writes s as html/template writes a string that starts a URL
// attribute (href="{{ . }}"): an unsafe scheme becomes #ZgotmplZ, bytes
// outside URLs are percent-encoded, and the result is escaped for the
// attribute.
func EscapeURL(w *bytes.Buffer, s string) {
	if !safeURL(s) {
		w.WriteString("#ZgotmplZ")
		return
	}
	escapeURL(w, s, true)
}

// EscapeURLPart writes s as html/template writes a string inside the query
// or fragment of a URL attribute (href="#{{ . }}").
func EscapeURLPart(w *bytes.Buffer, s string) { escapeURL(w, s, false) }

func safeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		return strings.EqualFold(protocol, "http") || strings.EqualFold(protocol, "https") || strings.EqualFold(protocol, "mailto")
	}
	return true
}

const hexDigits = "0123456789abcdef"

// escapeURL is html/template's URL normalizer (norm) or escaper followed by
// its attribute escaper: of the bytes a URL keeps, only & and + need the
// attribute escape.
func escapeURL(w *bytes.Buffer, s string, norm bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '*', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				w.WriteByte(c)
				continue
			}
		case '&':
			if norm {
				w.WriteString("&amp;")
				continue
			}
		case '+':
			if norm {
				w.WriteString("&#43;")
				continue
			}
		case '-', '.', '_', '~':
			w.WriteByte(c)
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				w.WriteByte(c)
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				w.WriteByte(c)
				continue
			}
		}
		w.WriteByte('%')
		w.WriteByte(hexDigits[c>>4])
		w.WriteByte(hexDigits[c&15])
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
