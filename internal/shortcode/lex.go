// Package shortcode lexes and parses the shortcodes writers put in Markdown
// ({{< name args >}}, {{% name args %}}, closing and escaped forms) into a tree
// that keeps every byte position, and evaluates that tree for one region.
//
// The tree is built once per file and shared by every region; evaluation is a
// cheap walk that produces the region's Markdown.
package shortcode

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// itemType identifies the kind of lexed item.
type itemType int

const (
	itemError      itemType = iota // value is the message
	itemText                       // plain source text
	itemEscaped                    // {{</* … */>}}: value is the literal to print
	itemOpen                       // {{< or {{%
	itemCloseMark                  // the "/" of a closing tag
	itemName                       // shortcode name
	itemParamName                  // key of key="value"
	itemValue                      // argument value (quotes removed, escapes applied)
	itemSelfClose                  // "/" before the right delimiter
	itemRightDelim                 // >}} or %}}
	itemEOF
)

func (t itemType) String() string {
	return [...]string{"error", "text", "escaped", "open", "closemark", "name", "paramname", "value", "selfclose", "rightdelim", "eof"}[t]
}

// item is one lexed token with the byte offset where it starts.
type item struct {
	typ      itemType
	pos      int
	end      int
	val      string
	hint     string // for itemError: what the writer should do
	markdown bool   // for itemOpen: true for {{%, false for {{<
	quoted   bool   // for itemValue: written in quotes or backquotes, so a string
}

func (i item) String() string {
	return fmt.Sprintf("%s@%d:%q", i.typ, i.pos, i.val)
}

// stateFn is one state of the lexer; it returns the next state.
type stateFn func(*lexer) stateFn

// lexer scans src[start:] into items, in the style of text/template/parse.
type lexer struct {
	src      []byte
	pos      int
	start    int
	items    []item
	markdown bool // delimiter of the tag being lexed
	tagPos   int  // where the current tag began
}

const (
	leftDelim    = "{{"
	rightAngle   = ">}}"
	rightPercent = "%}}"
	escapeOpen   = "/*"
	escapeClose  = "*/"
)

// lex scans src from offset start to the end and returns all items, ending
// with itemEOF or itemError.
func lex(src []byte, start int) []item {
	l := &lexer{src: src, pos: start, start: start}
	for state := lexText; state != nil; {
		state = state(l)
	}
	return l.items
}

func (l *lexer) emit(t itemType, val string) {
	l.items = append(l.items, item{typ: t, pos: l.start, end: l.pos, val: val})
	l.start = l.pos
}

// errorf records a lexing error and goes on after the broken tag: past the
// next right delimiter on the line of the error, or at the next line, so one
// bad tag does not hide the problems after it.
func (l *lexer) errorf(pos int, hint, format string, args ...any) stateFn {
	l.items = append(l.items, item{typ: itemError, pos: pos, end: pos, val: fmt.Sprintf(format, args...), hint: hint})
	resume := len(l.src)
	if pos < len(l.src) {
		rest := l.src[pos:]
		if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
			rest, resume = rest[:nl], pos+nl+1
		}
		for _, d := range []string{rightAngle, rightPercent} {
			if i := bytes.Index(rest, []byte(d)); i >= 0 && pos+i+len(d) < resume {
				resume = pos + i + len(d)
			}
		}
	}
	l.pos, l.start = resume, resume
	return lexText
}

func (l *lexer) rightDelim() string {
	if l.markdown {
		return rightPercent
	}
	return rightAngle
}

func (l *lexer) delims() (string, string) {
	if l.markdown {
		return "{{%", "%}}"
	}
	return "{{<", ">}}"
}

func (l *lexer) hasPrefix(s string) bool { return bytes.HasPrefix(l.src[l.pos:], []byte(s)) }

// lexText scans until the next shortcode opening.
func lexText(l *lexer) stateFn {
	for {
		i := bytes.Index(l.src[l.pos:], []byte(leftDelim))
		if i < 0 {
			l.pos = len(l.src)
			break
		}
		p := l.pos + i
		if p+2 < len(l.src) && (l.src[p+2] == '<' || l.src[p+2] == '%') {
			l.pos = p
			if l.pos > l.start {
				l.emit(itemText, "")
			}
			return lexOpen
		}
		l.pos = p + 2
	}
	if l.pos > l.start {
		l.emit(itemText, "")
	}
	l.emit(itemEOF, "")
	return nil
}

// lexOpen scans "{{<" or "{{%" and decides between an escaped literal and a tag.
func lexOpen(l *lexer) stateFn {
	l.markdown = l.src[l.pos+2] == '%'
	l.tagPos = l.pos
	l.pos += 3
	l.skipSpace()
	if l.hasPrefix(escapeOpen) {
		return lexEscaped
	}
	l.items = append(l.items, item{typ: itemOpen, pos: l.tagPos, end: l.tagPos + 3, markdown: l.markdown})
	l.start = l.pos
	if l.hasPrefix("/") {
		l.pos++
		l.emit(itemCloseMark, "/")
		l.skipSpace()
	}
	return lexName
}

// lexEscaped scans {{</* … */>}} and emits the literal {{< … >}}.
func lexEscaped(l *lexer) stateFn {
	open, closeDelim := l.delims()
	end := escapeClose + closeDelim
	bodyStart := l.pos + len(escapeOpen)
	i := bytes.Index(l.src[bodyStart:], []byte(escapeClose))
	for i >= 0 {
		p := bodyStart + i + len(escapeClose)
		q := p
		for q < len(l.src) && isSpace(l.src[q]) {
			q++
		}
		if bytes.HasPrefix(l.src[q:], []byte(closeDelim)) {
			body := string(l.src[bodyStart : bodyStart+i])
			l.pos = q + len(closeDelim)
			l.start = l.tagPos
			l.emit(itemEscaped, open+body+closeDelim)
			return lexText
		}
		j := bytes.Index(l.src[p:], []byte(escapeClose))
		if j < 0 {
			break
		}
		i = p + j - bodyStart
	}
	return l.errorf(l.tagPos, fmt.Sprintf("end it with %s, or write %s without /* to use the shortcode", end, open), "escaped shortcode %s/* is never closed with %s", open, end)
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
		l.pos++
	}
	l.start = l.pos
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c >= 0x80
}

// isWordByte reports whether c may appear in an unquoted argument: letters,
// digits, "_", "-" and "." (as in Hugo, where anything else must be quoted).
func isWordByte(c byte) bool {
	return isNameByte(c)
}

// lexName scans the shortcode name. A "/" between name characters names a
// template in a sub-folder (sc/sub is shortcodes/sc/sub.html).
func lexName(l *lexer) stateFn {
	for l.pos < len(l.src) && (isNameByte(l.src[l.pos]) ||
		l.src[l.pos] == '/' && l.pos > l.start && l.pos+1 < len(l.src) && isNameByte(l.src[l.pos+1])) {
		l.pos++
	}
	if l.pos == l.start {
		open, _ := l.delims()
		if l.pos >= len(l.src) {
			return l.errorf(l.tagPos, "end the tag with "+l.rightDelim(), "shortcode %s is never closed with %s", open, l.rightDelim())
		}
		r, _ := utf8.DecodeRune(l.src[l.pos:])
		return l.errorf(l.pos, fmt.Sprintf("write the shortcode's name right after %s; to show %s as text, write %s/* … */%s", open, open, open, l.rightDelim()),
			"expected a shortcode name after %s, found %q", open, r)
	}
	name := string(l.src[l.start:l.pos])
	if base, _ := strings.CutSuffix(name, ".inline"); strings.Contains(base, ".") {
		return l.errorf(l.start+strings.IndexByte(name, '.'), "name shortcodes with letters, digits, _, - and / (for a sub-folder)",
			"a period is not allowed in the shortcode name %q", name)
	}
	l.emit(itemName, name)
	return lexArgs
}

// lexArgs scans arguments up to the right delimiter.
func lexArgs(l *lexer) stateFn {
	l.skipSpace()
	rd := l.rightDelim()
	switch {
	case l.pos >= len(l.src):
		open, _ := l.delims()
		return l.errorf(l.tagPos, "end the tag with "+rd, "shortcode %s is never closed with %s", open, rd)
	case l.hasPrefix(rd):
		l.pos += len(rd)
		l.emit(itemRightDelim, rd)
		return lexText
	case l.hasPrefix("/"):
		return lexSelfClose
	}
	if other := map[bool]string{true: rightAngle, false: rightPercent}[l.markdown]; l.hasPrefix(other) {
		open, _ := l.delims()
		return l.errorf(l.pos, fmt.Sprintf("use the same delimiter on both sides: %s … %s", open, rd), "shortcode opened with %s must close with %s, not %s", open, rd, other)
	}
	if l.hasPrefix("{{<") || l.hasPrefix("{{%") {
		open, _ := l.delims()
		return l.errorf(l.tagPos, "end the tag with "+rd+" before the next shortcode begins", "shortcode %s is never closed with %s", open, rd)
	}
	switch c := l.src[l.pos]; c {
	case '"':
		return lexQuoted
	case '`':
		return lexRaw
	case '\\':
		return lexBackslash
	case '=':
		return l.errorf(l.pos, `write name="value"`, "unexpected \"=\": a named argument needs a name before it")
	}
	return lexWord
}

// lexSelfClose scans the "/" of a self-closing tag: only spaces may stand
// between it and the right delimiter.
func lexSelfClose(l *lexer) stateFn {
	slash := l.pos
	l.pos++
	l.skipSpace()
	rd := l.rightDelim()
	if !l.hasPrefix(rd) {
		// Not marked self-closing, so that its closing tag pairs with it.
		return l.errorf(slash, fmt.Sprintf("end a self-closing tag with /%s; quote an argument that contains /", rd),
			"unexpected \"/\" in shortcode: a self-closing tag ends with /%s", rd)
	}
	l.items = append(l.items, item{typ: itemSelfClose, pos: slash, end: slash + 1, val: "/"})
	l.start = l.pos
	l.pos += len(rd)
	l.emit(itemRightDelim, rd)
	return lexText
}

// lexBackslash scans \"…\", Hugo's escaped quotes around an argument (as
// written inside a Go template string). Any other backslash is an error.
func lexBackslash(l *lexer) stateFn {
	if !l.hasPrefix(`\"`) {
		esc := `\`
		if r, _ := utf8.DecodeRune(l.src[l.pos+1:]); l.pos+1 < len(l.src) && r != utf8.RuneError {
			esc += string(r)
		}
		return l.errorf(l.pos, "quote the argument: \"…\" or `…`", "unrecognized escape character %s outside quotes", esc)
	}
	return lexEscapedQuoted
}

// lexWord scans a bare word: a positional value, or the name of key=value.
func lexWord(l *lexer) stateFn {
	for l.pos < len(l.src) && isWordByte(l.src[l.pos]) && (l.pos > l.start || l.src[l.pos] != '.') {
		l.pos++
	}
	if l.pos == l.start {
		r, _ := utf8.DecodeRune(l.src[l.pos:])
		return l.errorf(l.pos, "quote an argument that has characters other than letters, digits, _, - and .", "unrecognized character %q in shortcode", r)
	}
	word := string(l.src[l.start:l.pos])
	if l.pos >= len(l.src) || l.src[l.pos] != '=' {
		l.emit(itemValue, word)
		return lexArgs
	}
	l.emit(itemParamName, word)
	eq := l.pos
	l.pos++
	l.skipSpace()
	if l.pos < len(l.src) {
		switch l.src[l.pos] {
		case '"':
			return lexQuoted
		case '`':
			return lexRaw
		case '\\':
			return lexBackslash
		}
	}
	rd := l.rightDelim()
	for l.pos < len(l.src) && !isSpace(l.src[l.pos]) && !l.hasPrefix(rd) && !l.hasPrefix("/"+rd) {
		l.pos++
	}
	if l.pos == l.start {
		return l.errorf(eq, fmt.Sprintf(`write %s="value"`, word), "named argument %q has no value", word)
	}
	l.emit(itemValue, string(l.src[l.start:l.pos]))
	return lexArgs
}

// unterminated is the error of a quoted value that is not closed on its line.
func (l *lexer) unterminated(open int) stateFn {
	return l.errorf(open, `add the closing " before the end of the line`, "quoted argument is never closed with \" on its line")
}

// lexQuoted scans a double-quoted value on one line. As in Hugo, \" stands
// for a quote, and a value that has one loses all its backslashes; a value
// without one keeps them as written; \` is an error.
func lexQuoted(l *lexer) stateFn {
	open := l.pos
	l.pos++
	escaped := false
	for ; ; l.pos++ {
		if l.pos >= len(l.src) || l.src[l.pos] == '\n' {
			return l.unterminated(open)
		}
		switch l.src[l.pos] {
		case '\\':
			if l.pos+1 < len(l.src) && l.src[l.pos+1] == '"' {
				escaped = true
				l.pos++
			} else if l.pos+1 < len(l.src) && l.src[l.pos+1] == '`' {
				return l.errorf(l.pos, "write ` without the backslash inside \"…\"", "unrecognized escape character \\` in a quoted argument")
			}
			continue
		case '"':
		default:
			continue
		}
		break
	}
	val := string(l.src[open+1 : l.pos])
	if escaped {
		val = strings.ReplaceAll(val, `\`, "")
	}
	l.pos++
	l.emitValue(val)
	return lexArgs
}

// lexEscapedQuoted scans \"value\": the value ends at the next quote, escaped
// or not, and is kept as written.
func lexEscapedQuoted(l *lexer) stateFn {
	open := l.pos
	l.pos += 2
	start := l.pos
	for ; ; l.pos++ {
		if l.pos >= len(l.src) || l.src[l.pos] == '\n' {
			return l.unterminated(open)
		}
		if l.src[l.pos] == '"' || l.hasPrefix(`\"`) {
			break
		}
	}
	val := string(l.src[start:l.pos])
	if l.hasPrefix(`\"`) {
		l.pos++
	}
	l.pos++
	l.emitValue(val)
	return lexArgs
}

// emitValue emits a quoted value: always a string.
func (l *lexer) emitValue(val string) {
	l.emit(itemValue, val)
	l.items[len(l.items)-1].quoted = true
}

// lexRaw scans a backquoted raw string.
func lexRaw(l *lexer) stateFn {
	open := l.pos
	i := bytes.IndexByte(l.src[l.pos+1:], '`')
	if i < 0 {
		return l.errorf(open, "add the closing ` at the end of the value", "raw argument is never closed with `")
	}
	val := string(l.src[l.pos+1 : l.pos+1+i])
	l.pos += i + 2
	l.emitValue(val)
	return lexArgs
}
