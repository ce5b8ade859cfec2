package markdown

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Variable tokens let regions whose Markdown differs only in the values of
// region variables ({{%service%}} is "cybozu.com" in JP and "Kintone" in US)
// share one Markdown conversion: the page is evaluated with a token in place
// of each such value, converted once, and each region's values are put back
// into the HTML and the facts. That is only correct where the value cannot
// change how the Markdown around it parses, which Inert decides
// conservatively; the caller must also convert per region when the result
// reports VarInID or HTMLHasEscapedVar.
const (
	varOpen  = "\uE002"
	varClose = "\uE003"
)

// VarToken is the stand-in for variable name.
func VarToken(name string) string { return varOpen + name + varClose }

// HasVars reports whether b holds a variable token.
func HasVars(b []byte) bool { return bytes.Contains(b, []byte(varOpen)) }

// Inert reports whether value, written between the evaluated Markdown before
// it (prev) and the source text after it (next), parses as plain text whose
// value does not matter to the Markdown around it: it is made of letters,
// digits, single inner spaces, '.' and '-', begins with a letter and ends
// with a letter or digit (so emphasis, list markers and line structure are
// decided as for any word), and nothing next to it could join it into an
// autolink, an e-mail address, an HTML tag or an entity.
func Inert(value string, prev, next []byte) bool {
	return inertValue(value) && inertBefore(prev) && inertAfter(next)
}

func inertValue(v string) bool {
	if v == "" || !utf8.ValidString(v) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(v)
	last, _ := utf8.DecodeLastRuneInString(v)
	if !unicode.IsLetter(first) || !(unicode.IsLetter(last) || unicode.IsDigit(last)) {
		return false
	}
	// "www" followed by ".example.com" in the text would be a link.
	if containsFold(v, "www") {
		return false
	}
	space := false
	for _, r := range v {
		switch {
		case r == ' ':
			if space {
				return false
			}
			space = true
			continue
		case r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
		default:
			return false
		}
		space = false
	}
	return true
}

// neighbourPunct are the ASCII characters that may stand next to a token:
// emphasis, brackets, quotes, code spans and sentence punctuation.
const (
	beforePunct = "([*_\"'`>~"
	afterPunct  = ")]*_\"'`,;!?.:~>"
)

// inertBefore checks the Markdown written just before a value.
func inertBefore(prev []byte) bool {
	if len(prev) == 0 {
		return true
	}
	c := prev[len(prev)-1]
	if c >= utf8.RuneSelf || c == ' ' || c == '\t' || c == '\n' {
		return true
	}
	if strings.IndexByte(beforePunct, c) < 0 {
		return false
	}
	// The run of ASCII text the value would continue must not be the start
	// of a URL, a www. link or an e-mail address.
	i := len(prev)
	for i > 0 && prev[i-1] < utf8.RuneSelf && prev[i-1] != '<' && !isSpaceByte(prev[i-1]) {
		i--
	}
	run := string(prev[i:])
	return !strings.ContainsAny(run, ":/@") && !containsFold(run, "www.")
}

// inertAfter checks the source text just after a value.
func inertAfter(next []byte) bool {
	if len(next) == 0 {
		return true
	}
	c := next[0]
	if c >= utf8.RuneSelf || isSpaceByte(c) || c == '<' {
		return true
	}
	if strings.IndexByte(afterPunct, c) < 0 {
		return false
	}
	// The rest of the word may not make the value the local part of an
	// e-mail address or a URL scheme ("'s" and "](/x.html)" may follow,
	// "@x.com" and "://" may not). A domain (".com") can only become a link
	// after www., a scheme or an @, which inertBefore and inertValue rule out.
	for i := 0; i < len(next); i++ {
		c := next[i]
		if c >= utf8.RuneSelf || isSpaceByte(c) || c == '<' {
			break
		}
		if c == '@' || c == '\\' {
			return false
		}
		if c == ':' && i+1 < len(next) && next[i+1] == '/' {
			return false
		}
	}
	return true
}

func isSpaceByte(c byte) bool { return c < utf8.RuneSelf && asciiSpace[c] }

// ExpandVars appends src to dst with every variable token replaced by its
// value in vars.
func ExpandVars(dst, src []byte, vars map[string]string) []byte {
	open, cls := []byte(varOpen), []byte(varClose)
	for {
		i := bytes.Index(src, open)
		if i < 0 {
			return append(dst, src...)
		}
		j := bytes.Index(src[i+len(open):], cls)
		if j < 0 {
			return append(dst, src...)
		}
		name := src[i+len(open) : i+len(open)+j]
		dst = append(dst, src[:i]...)
		if v, ok := vars[string(name)]; ok {
			dst = append(dst, v...)
		} else {
			dst = append(dst, src[i:i+len(open)+j+len(cls)]...)
		}
		src = src[i+len(open)+j+len(cls):]
	}
}

// ExpandVarsString is ExpandVars for a string.
func ExpandVarsString(s string, vars map[string]string) string {
	if !strings.Contains(s, varOpen) {
		return s
	}
	return string(ExpandVars(make([]byte, 0, len(s)+16), []byte(s), vars))
}

// escapedVarOpen is varOpen as goldmark writes it inside a URL.
var escapedVarOpen = []byte("%EE%80%82")

// HTMLHasEscapedVar reports whether a token was percent-encoded into a URL,
// where putting the value back would not give the region's URL.
func (d *Doc) HTMLHasEscapedVar() bool { return bytes.Contains(d.HTML, escapedVarOpen) }
