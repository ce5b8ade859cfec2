package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/diag"
)

// Pools the site of FuzzSite is drawn from: names and URLs that meet each
// other, helpgen's own files, and names that need care.
var (
	fuzzPageNames = []string{"a", "b", "_index", "sec/_index", "sec/c", "404", "index", "sec/index", "_nav/tree",
		"_search/manifest", "a.html", "with space", "hash#tag", "q?mark", "pct%41", "ü", "u\u0308", "..x", "id/1"}
	fuzzAliases = []string{"/", "/404.html", "/a.html", "/sec/", "/id/1", "/id/1/", "/_nav/tree.html", "../../x",
		"/a.html/y", "//x", "/index.html", "/robots.txt", "sitemap.xml", "/b.html", "/sec/c.html", "/a b", "/id"}
	fuzzStatics = []string{"index.html", "404.html", "a.html", "b.html", "sec/index.html", "_nav/tree.html",
		"_theme/search.js", "sitemap.xml", "robots.txt", "img/x.png", "a.html/x", "id", "id/1/index.html",
		".well-known/x", "sec", "_search/manifest.json"}
	fuzzLinks   = []string{"/nope.html", "/a.html", "b.html#x", "/sec/", "../a.html", "/id/1"}
	fuzzRegions = []string{"", "enabled: [JP]\n", "enabled: [US]\n", "disabled: [JP]\n"}
)

// siteFuzzConfig has two regions, to keep each build short.
const siteFuzzConfig = `title = "T"
[regions.JP.params]
service = "j"
[regions.US.params]
service = "u"
`

// fuzzSite is a site decoded from fuzz input: published is its state before
// the change (no aliases, links or static files, so most of the next
// build's files are staged as links to the published ones), changed after.
type fuzzSite struct {
	published, changed map[string]string
}

// bytesReader yields the input's bytes, then zeros.
type bytesReader struct {
	b []byte
	i int
}

func (r *bytesReader) next() int {
	if r.i >= len(r.b) {
		return 0
	}
	r.i++
	return int(r.b[r.i-1])
}

func (r *bytesReader) pick(pool []string) string { return pool[r.next()%len(pool)] }

// fuzzMaxInput bounds a site: at most 6 pages with 3 aliases and 2 links
// each, and 6 static files.
const fuzzMaxInput = 96

func decodeFuzzSite(data []byte) fuzzSite {
	r := &bytesReader{b: data[:min(len(data), fuzzMaxInput)]}
	s := fuzzSite{published: map[string]string{"helpgen.toml": siteFuzzConfig}, changed: map[string]string{"helpgen.toml": siteFuzzConfig}}
	for i := range r.next() % 7 {
		name := "content/" + r.pick(fuzzPageNames) + ".md"
		flags := r.next()
		front := fmt.Sprintf("---\ntitle: P%d\n%s", i, fuzzRegions[flags>>4%len(fuzzRegions)])
		s.published[name] = front + "---\nbody\n"
		var aliases, links []string
		for range flags % 4 {
			aliases = append(aliases, fmt.Sprintf("%q", r.pick(fuzzAliases)))
		}
		for range flags >> 2 % 3 {
			links = append(links, "["+r.pick(fuzzLinks)+"]("+fuzzLinks[r.next()%len(fuzzLinks)]+")")
		}
		if len(aliases) > 0 {
			front += "aliases: [" + strings.Join(aliases, ", ") + "]\n"
		}
		s.changed[name] = front + "---\nbody\n\n" + strings.Join(links, "\n") + "\n"
	}
	for range r.next() % 7 {
		s.changed["static/"+r.pick(fuzzStatics)] = "static"
	}
	return s
}

// brokenLinks fails a build whose pages link to /nope.html, as the checks
// of helpgen build do for a link to a missing page, after every file is
// staged.
func brokenLinks(_ *Project, regions []*Region) diag.List {
	var l diag.List
	for _, r := range regions {
		for _, pg := range r.Pages {
			for _, ref := range pg.Facts.Links {
				if ref.Dest == "/nope.html" {
					l = append(l, &diag.Error{File: pg.Src.File, Msg: "link to /nope.html: no such page", Regions: []string{r.Config.Code}})
				}
			}
		}
	}
	return l
}

// writeFuzzSite replaces the site in dir with files; a file where a folder
// should be (static/id and static/id/1/index.html) is left out.
func writeFuzzSite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			continue
		}
		_ = os.WriteFile(p, []byte(data), 0o644)
	}
}

// FuzzSite builds a random site (names, links, aliases, static files and
// their collisions) over the published build of its earlier state: the
// build never panics, and when it fails DEST keeps every byte and no
// staging folder is left; when it succeeds DEST holds exactly the regions
// (and the hidden cache of warm builds).
// The site is never written to.
func FuzzSite(f *testing.F) {
	for _, seed := range [][]byte{
		{2, 0, 0x01, 1, 2, 0x04, 0, 0},                     // a with the alias /404.html, a home page linking to /nope.html
		{1, 1, 0x01, 0},                                    // b with the alias /, no home page
		{1, 0, 0x00, 1, 2},                                 // a and the static file a.html
		{2, 3, 0x01, 2, 4, 0x11, 3, 0},                     // a section with the alias /a.html, a JP page with the alias /sec/
		{3, 0, 0x02, 4, 5, 1, 0x01, 3, 4, 0x00, 2, 10, 14}, // two aliases of a page meet, static files where folders are needed
		{2, 0, 0x01, 4, 1, 0x04, 1, 1, 0},                  // a with the alias /id/1, b linking to /a.html: builds
		{0, 1, 3},                                          // no pages: an error
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		site := decodeFuzzSite(data)
		root := t.TempDir()
		src, dest := filepath.Join(root, "site"), filepath.Join(root, "public")
		writeFuzzSite(t, src, site.published)
		if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults, AllowEmpty: true}); err != nil {
			// The earlier state does not build either: publish a stand-in.
			writeSite(t, dest, map[string]string{"jp/index.html": "old", "us/old.html": "old"})
		}
		writeFuzzSite(t, src, site.changed)
		siteBefore := hashTree(t, src)
		before := hashTree(t, dest)
		_, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults, Check: brokenLinks})
		t.Logf("changed site %q: %v", site.changed, err)
		if err != nil {
			sameTree(t, "DEST", before, hashTree(t, dest))
		} else if entries := published(dest); len(entries) != 2 || entries[0].Name() != "jp" || entries[1].Name() != "us" {
			t.Errorf("DEST holds %v", entries)
		}
		if entries, _ := os.ReadDir(root); len(entries) != 2 {
			t.Errorf("beside DEST: %v", entries)
		}
		sameTree(t, "the site", siteBefore, hashTree(t, src))
	})
}
