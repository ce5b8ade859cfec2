package nav

import (
	"strings"
	"testing"
)

func TestTopSections(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []Entry
		want    string
	}{
		{"sections of the home page", []Entry{sec("", "Home", 0), sec("a", "A", 1), sec("b", "B", 2), page("", "p", "P", 3)}, "A B P"},
		{"through single sections", []Entry{sec("", "Home", 0), sec("g", "G", 1), sec("g/ja", "Ja", 1),
			sec("g/ja/x", "X", 1), sec("g/ja/y", "Y", 2), page("g/ja/x", "p", "P", 1)}, "X Y"},
		{"a single section with a page", []Entry{sec("", "Home", 0), sec("g", "G", 1), page("g", "p", "P", 1)}, "P"},
		{"an empty single section", []Entry{sec("", "Home", 0), sec("g", "G", 1)}, "G"},
		{"a section beside a page", []Entry{sec("", "Home", 0), sec("g", "G", 1), sec("g/x", "X", 1), page("", "p", "P", 2)}, "G P"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, l := range Build(tc.entries, "Home").Root.TopSections() {
				got = append(got, l.Title)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("top sections %q, want %q", got, tc.want)
			}
		})
	}
}
