// Package diag defines the one error value helpgen reports to writers: a message
// anchored at file:line:col, with the offending source line and a hint on what to do.
package diag

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Severity orders findings; errors fail a build, warnings are printed.
type Severity int

const (
	SevError Severity = iota
	SevWarning
)

func (s Severity) String() string {
	if s == SevWarning {
		return "warning"
	}
	return "error"
}

// Error is a problem in writer input. Line and Col are 1-based; Col counts
// characters (not bytes) so the caret lines up under CJK text too. Line 0 means
// the problem concerns the whole file.
type Error struct {
	File     string
	Line     int
	Col      int
	Msg      string
	Hint     string   // what the writer should do; may be empty
	Source   string   // the offending line, without its newline
	Severity Severity // zero value is an error
	Regions  []string // regions the finding affects; empty means all or not region-specific
	// Pages are the content files whose rendering met an error that lies in
	// another file (a layout or shortcode template).
	Pages []string
	// Trace is how rendering got to an error in a template: the templates
	// and partials being executed, innermost first, ending with the
	// shortcode's use in the page ("shortcodes/spin.html called from
	// content/a.md:12:3").
	Trace string
}

func (e *Error) Error() string {
	var b strings.Builder
	if pos := e.Position(); pos != "" {
		b.WriteString(pos)
		b.WriteString(": ")
	}
	if e.Severity == SevWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(clean(e.Msg, MaxMessage))
	if len(e.Regions) > 0 {
		fmt.Fprintf(&b, " [%s]", strings.Join(e.Regions, ", "))
	}
	return b.String()
}

// Position renders file:line:col, dropping the parts that are unknown.
func (e *Error) Position() string {
	file := clean(e.File, MaxMessage)
	switch {
	case e.Line <= 0:
		return file
	case e.Col <= 0:
		return fmt.Sprintf("%s:%d", file, e.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", file, e.Line, e.Col)
	}
}

// Detail renders the error the way a writer sees it in a terminal: the
// message, the source line with a caret under the column, and the hint.
// Only the offending line is quoted, and of a long line only the part
// around the column (see MaxLine).
func (e *Error) Detail() string {
	var b strings.Builder
	b.WriteString(e.Error())
	if e.Source != "" && e.Col > 0 {
		src, col := excerpt(e.Source, e.Col)
		b.WriteString("\n    ")
		b.WriteString(src)
		b.WriteString("\n    ")
		b.WriteString(strings.Repeat(" ", caretOffset(src, col)))
		b.WriteString("^")
	}
	if e.Hint != "" {
		b.WriteString("\n    ")
		b.WriteString(clean(e.Hint, MaxMessage))
	}
	if e.Trace != "" {
		b.WriteString("\n    ")
		b.WriteString(e.Trace)
	}
	if len(e.Pages) > 0 {
		b.WriteString("\n    while rendering ")
		b.WriteString(clean(e.Pages[0], MaxMessage))
		switch n := len(e.Pages) - 1; {
		case n == 1:
			b.WriteString(" and " + clean(e.Pages[1], MaxMessage))
		case n > 1:
			fmt.Fprintf(&b, " and %d other pages", n)
		}
	}
	return b.String()
}

// MaxLine is how many characters of a source line an error shows, around
// its column; MaxMessage caps a message, a hint or a file name, so no error
// can carry a whole file (a minified line, a file read by mistake).
const (
	MaxLine    = 160
	MaxMessage = 400
)

// excerpt is the part of a source line an error shows, control characters
// made visible as U+FFFD (they could drive the terminal), and the column
// of the caret in it.
func excerpt(line string, col int) (string, int) {
	r := []rune(line)
	for i, c := range r {
		switch {
		case c == '\t':
			r[i] = ' '
		case isControl(c):
			r[i] = '\uFFFD'
		}
	}
	if len(r) <= MaxLine {
		return string(r), col
	}
	col = min(max(col, 1), len(r)+1)
	start := max(0, min(col-1-MaxLine/2, len(r)-MaxLine))
	end := min(len(r), start+MaxLine)
	out := string(r[start:end])
	col -= start
	if start > 0 {
		out = "…" + out
		col++
	}
	if end < len(r) {
		out += "…"
	}
	return out, col
}

// clean makes s safe to print: control characters but line ends shown as
// U+FFFD, and at most max characters.
func clean(s string, max int) string {
	bad := false
	n := 0
	for _, c := range s {
		n++
		bad = bad || c != '\n' && isControl(c)
	}
	if !bad && n <= max {
		return s
	}
	var b strings.Builder
	i := 0
	for _, c := range s {
		if i == max {
			b.WriteString("…")
			break
		}
		if c != '\n' && isControl(c) {
			c = '\uFFFD'
		}
		b.WriteRune(c)
		i++
	}
	return b.String()
}

func isControl(c rune) bool {
	return c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == 0x2028 || c == 0x2029 || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069
}

// caretOffset converts a character column into a display offset, counting
// East Asian wide characters as two cells.
func caretOffset(line string, col int) int {
	n, i := 0, 1
	for _, r := range line {
		if i >= col {
			break
		}
		n += runeWidth(r)
		i++
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6, r >= 0x20000 && r <= 0x3FFFD:
		return 2
	}
	return 1
}

// List collects errors from many files; it is itself an error.
type List []*Error

func (l List) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Sort orders by file, line, column, then message, so reports are stable
// whatever order parallel workers found them in.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Msg < b.Msg
	})
}

// Merge returns l with entries that say the same thing at the same place
// (a template error met by every page, a shortcode error in every region)
// made one, listing all their regions and pages.
func (l List) Merge() List {
	type key struct {
		file, msg, hint, trace string
		line, col              int
		sev                    Severity
	}
	var out List
	at := map[key]*Error{}
	for _, e := range l {
		k := key{e.File, e.Msg, e.Hint, e.Trace, e.Line, e.Col, e.Severity}
		m, ok := at[k]
		if !ok {
			c := *e
			c.Regions, c.Pages = slices.Clone(e.Regions), slices.Clone(e.Pages)
			at[k] = &c
			out = append(out, &c)
			continue
		}
		m.Regions = union(m.Regions, e.Regions)
		m.Pages = union(m.Pages, e.Pages)
	}
	return out
}

func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	slices.Sort(a)
	return a
}

// HasErrors reports whether any entry is an error rather than a warning.
func (l List) HasErrors() bool {
	for _, e := range l {
		if e.Severity == SevError {
			return true
		}
	}
	return false
}

// Errors returns the entries that are errors.
func (l List) Errors() List { return l.filter(SevError) }

// Warnings returns the entries that are warnings.
func (l List) Warnings() List { return l.filter(SevWarning) }

func (l List) filter(s Severity) List {
	var out List
	for _, e := range l {
		if e.Severity == s {
			out = append(out, e)
		}
	}
	return out
}

// Flatten turns any error into a List: a List stays one, an *Error becomes a
// one-element List, anything else becomes an unpositioned error.
func Flatten(err error) List {
	if err == nil {
		return nil
	}
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return List{e}
	}
	return List{{Msg: err.Error()}}
}

// Source maps byte offsets of one file to line:col positions. Its line
// starts are indexed when a position is first asked for: most sources
// (every page a build reads) never are.
type Source struct {
	File  string
	Text  []byte
	once  sync.Once
	lines []int // byte offset of each line start
}

// NewSource returns the source of file; positions in it are cheap to
// compute once the first is.
func NewSource(file string, text []byte) *Source {
	return &Source{File: file, Text: text}
}

// lineStarts is the byte offset of each line's start, indexed once.
func (s *Source) lineStarts() []int {
	s.once.Do(func() {
		s.lines = append(make([]int, 0, 1+bytes.Count(s.Text, []byte{'\n'})), 0)
		for i := 0; ; {
			j := bytes.IndexByte(s.Text[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			s.lines = append(s.lines, i)
		}
	})
	return s.lines
}

// LineCol returns the 1-based line and character column of byte offset off.
func (s *Source) LineCol(off int) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > len(s.Text) {
		off = len(s.Text)
	}
	lines := s.lineStarts()
	lo, hi := 0, len(lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	start := lines[lo]
	return lo + 1, utf8.RuneCount(s.Text[start:off]) + 1
}

// Line returns the text of 1-based line n without its newline.
func (s *Source) Line(n int) string {
	lines := s.lineStarts()
	if n < 1 || n > len(lines) {
		return ""
	}
	start := lines[n-1]
	end := len(s.Text)
	if n < len(lines) {
		end = lines[n] - 1
	}
	return strings.TrimRight(string(s.Text[start:end]), "\r")
}

// Errorf builds an error at byte offset off.
func (s *Source) Errorf(off int, hint, format string, args ...any) *Error {
	line, col := s.LineCol(off)
	return &Error{File: s.File, Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Hint: hint, Source: s.Line(line)}
}

// At builds an error at a known line and column (1-based).
func (s *Source) At(line, col int, hint, format string, args ...any) *Error {
	return &Error{File: s.File, Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Hint: hint, Source: s.Line(line)}
}

// FileError is the error of reading file: the positioned error err carries
// (a refused symbolic link names itself), or one naming file with the
// cause alone, without the operation and path a PathError repeats.
func FileError(file string, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &Error{File: file, Msg: err.Error()}
}
