package build

import (
	"reflect"
	"slices"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/shortcode"
)

// The dependency rules of Update, in one place. What a changed file touches:
//
//   - helpgen.toml, layouts/, shortcodes/, i18n/, data/, themes/: every page
//     and every file (Full); so does a static file that replaces a file
//     helpgen generates (index.html, 404.html, sitemap.xml, robots.txt).
//   - a static file: that file in every region (the theme's of the same name
//     comes back when the site's goes).
//   - a page whose body (or params) alone changed: that page in each region
//     it is published in (bodyOnly).
//   - a page added, removed, moved, retitled, reweighted, enabled or
//     disabled in a region, or with other aliases: the page, the pages of the
//     sections whose subtrees show its entry or its section's before and
//     after (see around), the home page, and every region's
//     site-wide files (tree, aliases, sitemap, 404 lists of the other
//     regions' pages).
//   - any change to a page, when a template read the region's pages
//     (.Site.RegularPages, .Site.Home, a page's .Parent, .Pages, .Sections;
//     render.Site.PagesRead): every page of the region.
//
// A later cache of rendered pages keys each page-region on the same inputs:
// its region-evaluated source, the templates it used, the configuration and
// the entries its navigation shows. Which folder is which is sitefs.Classify.

// bodyOnly reports whether two versions of a page differ only in what the
// page itself shows (its body and params): every field here is read by
// another page's navigation, a list, the sitemap, an alias or the 404 lists.
func bodyOnly(a, b *content.Page) bool {
	return a.URL == b.URL && a.Out == b.Out && a.TitleSrc == b.TitleSrc && docSrc(a.Desc) == docSrc(b.Desc) &&
		sameRegionTitles(a, b) && a.Weight == b.Weight && a.Draft == b.Draft && slices.Equal(a.Aliases, b.Aliases) &&
		slices.Equal(a.Enabled, b.Enabled) && slices.Equal(a.Disabled, b.Disabled) && a.Lang == b.Lang
}

func sameRegionTitles(a, b *content.Page) bool {
	if len(a.RegionTitles) != len(b.RegionTitles) {
		return false
	}
	for code, t := range a.RegionTitles {
		if docSrc(t) != docSrc(b.RegionTitles[code]) {
			return false
		}
	}
	return true
}

func docSrc(d *shortcode.Doc) string {
	if d == nil {
		return ""
	}
	return string(d.Src)
}

// sameIndexed reports whether a re-rendered page gives the search index the
// input it had: the region-evaluated title and description, the headings
// and the text of each section.
func sameIndexed(a, b *Page) bool {
	if a.Title != b.Title || a.Description != b.Description {
		return false
	}
	if a.Facts == nil || b.Facts == nil {
		return a.Facts == b.Facts
	}
	return reflect.DeepEqual(a.Facts.Sections, b.Facts.Sections) && reflect.DeepEqual(a.Facts.Headings, b.Facts.Headings)
}

// around is the section whose subtree shows n's entry, or a change of its
// section's entry: the tree on every page shows the levels from the root
// to the page, so n's entry is on the pages below its section, and its
// section's entry (which shows whether it has children) on the pages below
// the section above. Lists and prev/next links are within the section.
func around(n *nav.Node) *nav.Node {
	for range 2 {
		if n == nil || n.Parent == nil {
			return n
		}
		n = n.Parent
	}
	return n
}

// subtree calls f with the URL of n and every node below it.
func subtree(n *nav.Node, f func(url string)) {
	if n == nil {
		return
	}
	f(n.URL)
	for _, c := range n.Children {
		subtree(c, f)
	}
}

// structureDependents adds to render the pages of r whose navigation may
// show a change of structure: the subtrees of the sections around each
// changed entry before (sections) and after the change, and the home page,
// which shows the top of the tree.
func structureDependents(r *Region, list []PageChange, sections []*nav.Node, render []*Page) []*Page {
	for _, ch := range list {
		if !ch.Body && ch.New != nil {
			sections = append(sections, around(r.Nav.Tree.Node(ch.New.URL)))
		}
	}
	seen := map[*Page]bool{}
	for _, pg := range render {
		seen[pg] = true
	}
	add := func(url string) {
		if pg := r.ByURL[url]; pg != nil && !seen[pg] {
			seen[pg] = true
			render = append(render, pg)
		}
	}
	for _, n := range sections {
		subtree(n, add)
	}
	add("/")
	return render
}

// allPages adds every page of r to render, after those already there.
func allPages(r *Region, render []*Page) []*Page {
	seen := map[*Page]bool{}
	for _, pg := range render {
		seen[pg] = true
	}
	for _, pg := range r.Pages {
		if !seen[pg] {
			render = append(render, pg)
		}
	}
	return render
}
