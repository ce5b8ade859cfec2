package diag

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestDetail(t *testing.T) {
	s := NewSource("p.md", []byte("first\n  {{% enabled ＪＰ %}} x\nlast"))
	e := s.Errorf(20, "use JP", "unknown region")
	if e.Line != 2 || e.Col != 15 {
		t.Fatalf("position %d:%d", e.Line, e.Col)
	}
	want := "p.md:2:15: unknown region\n      {{% enabled ＪＰ %}} x\n                  ^\n    use JP"
	if got := e.Detail(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestListAndFlatten(t *testing.T) {
	l := List{{File: "b", Line: 1}, {File: "a", Line: 2, Severity: SevWarning, Regions: []string{"US"}, Msg: "w"}, {File: "a", Line: 1}}
	l.Sort()
	if l[0].File != "a" || l[0].Line != 1 || l[2].File != "b" {
		t.Errorf("sort: %v", l)
	}
	if !l.HasErrors() || len(l.Warnings()) != 1 || len(l.Errors()) != 2 {
		t.Error("severity filters")
	}
	if got := l[1].Error(); got != "a:2: warning: w [US]" {
		t.Errorf("got %q", got)
	}
	if len(Flatten(errors.New("x"))) != 1 || len(Flatten(l)) != 3 || Flatten(nil) != nil {
		t.Error("Flatten")
	}
}

func TestMerge(t *testing.T) {
	layout := func(region, page string) *Error {
		return &Error{File: "layouts/_default/single.html", Line: 3, Col: 7, Msg: "bad index", Hint: "fix the template",
			Regions: []string{region}, Pages: []string{page}}
	}
	l := List{
		layout("US", "content/b.md"), layout("JP", "content/a.md"),
		{File: "content/a.md", Line: 1, Col: 1, Msg: "no title"},
		layout("JP", "content/c.md"), layout("CN", "content/a.md"),
		{File: "content/a.md", Line: 1, Col: 1, Msg: "no title"},
	}
	m := l.Merge()
	if len(m) != 2 {
		t.Fatalf("got %d entries, want 2: %v", len(m), m)
	}
	if got := m[0].Detail(); got != "layouts/_default/single.html:3:7: bad index [CN, JP, US]\n    fix the template\n    while rendering content/a.md and 2 other pages" {
		t.Errorf("merged detail:\n%s", got)
	}
	if len(l[0].Regions) != 1 || len(l[0].Pages) != 1 {
		t.Errorf("Merge changed its input: %+v", l[0])
	}
	two := List{layout("JP", "content/a.md"), layout("JP", "content/b.md")}.Merge()
	if got := two[0].Detail(); !strings.HasSuffix(got, "while rendering content/a.md and content/b.md") {
		t.Errorf("two pages:\n%s", got)
	}
}

// TestDetailQuotesOneLineAtMost: of a long line only the part around the
// column is shown, control characters never reach the terminal, and a
// message cannot carry a whole file.
func TestDetailQuotesOneLineAtMost(t *testing.T) {
	long := strings.Repeat("a", 1000) + "BAD" + strings.Repeat("z", 1000)
	for _, c := range []struct {
		name, text string
		off        int
		msg        string
		want       string // the quoted line and caret
	}{
		{"short", "x = 1\nnext", 4, "m", "    x = 1\n        ^"},
		{"long, middle", long, 1000, "m", "    …" + strings.Repeat("a", 80) + "BAD" + strings.Repeat("z", 77) + "…\n    " + strings.Repeat(" ", 81) + "^"},
		{"long, start", long, 0, "m", "    " + strings.Repeat("a", 160) + "…\n    ^"},
		{"long, end", long, len(long), "m", "    …" + strings.Repeat("z", 160) + "\n    " + strings.Repeat(" ", 161) + "^"},
		{"controls", "a\x00b\x1b[31mc\u202ed", 2, "m", "    a\uFFFDb\uFFFD[31mc\uFFFDd\n      ^"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := NewSource("f.md", []byte(c.text)).Errorf(c.off, "", "%s", c.msg)
			got := strings.SplitN(e.Detail(), "\n", 2)[1]
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
	e := &Error{File: "a\x1b.md", Msg: "bad \x00 " + long, Hint: "h\x07"}
	d := e.Detail()
	if strings.ContainsAny(d, "\x00\x1b\x07") || len([]rune(d)) > 2*MaxMessage+10 || strings.Count(d, "z") > MaxMessage {
		t.Errorf("unsafe or long detail (%d runes): %q", len([]rune(d)), d[:80])
	}
}

// TestSourceLines: positions and lines come out as a plain scan of the
// text gives them, for texts with and without a last newline, blank lines
// and CJK, and from many goroutines at once (run with -race).
func TestSourceLines(t *testing.T) {
	for _, text := range []string{"", "a", "a\n", "\n\n", "ab\ncd", "一行目\n\n三行目\n", "x\r\ny"} {
		var starts []int
		starts = append(starts, 0)
		for i := 0; i < len(text); i++ {
			if text[i] == '\n' {
				starts = append(starts, i+1)
			}
		}
		s := NewSource("f.md", []byte(text))
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for n := 0; n <= len(starts)+1; n++ {
					want := ""
					if n >= 1 && n <= len(starts) {
						end := len(text)
						if n < len(starts) {
							end = starts[n] - 1
						}
						want = strings.TrimRight(text[starts[n-1]:end], "\r")
					}
					if got := s.Line(n); got != want {
						t.Errorf("%q: Line(%d) = %q, want %q", text, n, got, want)
					}
				}
				for off := 0; off <= len(text); off++ {
					line := 1
					for line < len(starts) && starts[line] <= off {
						line++
					}
					col := utf8.RuneCountInString(text[starts[line-1]:off]) + 1
					if l, c := s.LineCol(off); l != line || c != col {
						t.Errorf("%q: LineCol(%d) = %d:%d, want %d:%d", text, off, l, c, line, col)
					}
				}
			})
		}
		wg.Wait()
	}
}
