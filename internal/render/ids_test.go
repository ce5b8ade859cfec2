package render

import (
	"io/fs"
	"regexp"
	"slices"
	"testing"

	"github.com/helpgen/helpgen"
)

// TestLayoutIDsListEveryBuiltInID keeps LayoutIDs in step with the built-in
// layouts: an id added to a layout without the list would let a heading
// take it.
func TestLayoutIDsListEveryBuiltInID(t *testing.T) {
	literal := regexp.MustCompile(`\bid="([A-Za-z][\w-]*)"`)
	found := map[string]string{}
	err := fs.WalkDir(helpgen.Defaults, "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(helpgen.Defaults, p)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllSubmatch(b, -1) {
			found[string(m[1])] = p
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) == 0 {
		t.Fatal("no ids found in the built-in layouts")
	}
	for id, file := range found {
		if !slices.Contains(LayoutIDs, id) {
			t.Errorf("%s gives an element id %q: add it to LayoutIDs", file, id)
		}
	}
	for _, id := range LayoutIDs {
		if _, ok := found[id]; !ok {
			t.Errorf("LayoutIDs lists %q, which no built-in layout uses", id)
		}
	}
}
