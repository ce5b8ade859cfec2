package diag

import (
	"errors"
	"testing"
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
