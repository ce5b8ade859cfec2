package model

import (
	"testing"
	"time"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
)

func TestUpSection(t *testing.T) {
	root := &content.Page{URL: "/", Section: true}
	a := &content.Page{URL: "/a/", Dir: "a", Section: true}
	ab := &content.Page{URL: "/a/b/", Dir: "a/b", Section: true, Enabled: []string{"US"}}
	n := &Nav{Sections: map[string]*content.Page{"": root, "a": a, "a/b": ab}}
	tests := []struct {
		name string
		cp   *content.Page
		code string
		want *content.Page
	}{
		{"a page: its own section", &content.Page{Dir: "a/b"}, "US", ab},
		{"its section not published: the one above", &content.Page{Dir: "a/b"}, "JP", a},
		{"a section: its parent", ab, "US", a},
		{"a top section: the home page", a, "JP", root},
		{"the home page: none", root, "JP", nil},
	}
	for _, tt := range tests {
		if got := n.UpSection(tt.cp, tt.code); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSnapshotIsApart(t *testing.T) {
	r := &Region{Config: &config.Region{Code: "JP"}}
	r.Pages = []*Page{{Src: &content.Page{URL: "/a.html"}, Region: r, Title: "A", Facts: &Facts{IDs: []string{"x"}}}}
	snap := r.Snapshot()
	r.Pages[0].Title = "changed"
	r.Pages = append(r.Pages, &Page{Title: "new"})
	if len(snap.Pages) != 1 || snap.Pages[0].Title != "A" || snap.Pages[0].Region != snap || snap.Pages[0].Facts.IDs[0] != "x" {
		t.Fatalf("snapshot changed with the region: %+v", snap.Pages)
	}
}

func TestLastMod(t *testing.T) {
	cp := &content.Page{File: "content/a.md"}
	cp.LastMod = cp.LastMod.AddDate(2020, 0, 0)
	p := &Project{}
	if got := p.LastMod(cp); !got.Equal(cp.LastMod) {
		t.Errorf("without git dates: got %v, want the front matter's %v", got, cp.LastMod)
	}
	git := cp.LastMod.AddDate(1, 0, 0)
	p.Dates = map[string]time.Time{"content/a.md": git}
	if got := p.LastMod(cp); !got.Equal(git) {
		t.Errorf("with git dates: got %v, want %v", got, git)
	}
}
