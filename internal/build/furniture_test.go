package build

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/gitinfo"
	"github.com/helpgen/helpgen/internal/output"
)

// TestPageMeta checks "last updated", in the page's language, from git when
// the file has a commit and from lastmod otherwise, and the edit link.
func TestPageMeta(t *testing.T) {
	fsys := site(map[string]string{
		"content/ja/a.md": "---\ntitle: A\nlastmod: 2024-05-31\n---\nText.\n",
		"content/en/b.md": "---\ntitle: B\nlastmod: 2024-05-31\n---\nText.\n",
		"content/en/c.md": "---\ntitle: C\nlastmod: 2024-05-31\n---\nText.\n",
		"content/en/d.md": "---\ntitle: D\n---\nText.\n",
	})
	fsys["helpgen.toml"] = &fstest.MapFile{Data: []byte("editURL = \"https://example.com/edit/main/docs\"\n" + testConfig)}
	p, err := Load(fsys, helpgen.Defaults, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// As if c.md had been committed on 2 January 2025.
	p.Dates = gitinfo.Dates{"content/en/c.md": time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	out := output.NewMemOutput()
	if _, err := p.Build(out, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, want string }{
		{"ja/a.html", `<p class="lastmod">最終更新日: <time datetime="2024-05-31">2024年5月31日</time></p>`},
		{"en/b.html", `<p class="lastmod">Last updated: <time datetime="2024-05-31">May 31, 2024</time></p>`},
		{"en/c.html", `<time datetime="2025-01-02">January 2, 2025</time>`},
		{"en/b.html", `<p class="edit-link"><a href="https://example.com/edit/main/docs/content/en/b.md">Edit this page</a></p>`},
	} {
		if got := get(t, out, "jp", tc.file); !strings.Contains(got, tc.want) {
			t.Errorf("%s lacks %s", tc.file, tc.want)
		}
	}
	if d := get(t, out, "jp", "en/d.html"); strings.Contains(d, "lastmod") || !strings.Contains(d, "edit-link") {
		t.Errorf("a page with no date shows one, or no edit link")
	}
	if nf := get(t, out, "jp", "404.html"); strings.Contains(nf, "page-meta") {
		t.Errorf("404 page has a date or an edit link")
	}
}
