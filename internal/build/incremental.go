package build

import "github.com/helpgen/helpgen/internal/output"

// Hooks for rebuilding part of a built site (the preview server): a change
// of one page re-renders what depends on it instead of the whole site.

// WriteSiteFiles writes region r's site-wide files (home and 404 pages,
// alias redirects, the shared tree, sitemap.xml, robots.txt) into out, as
// Build does after the pages.
func (p *Project) WriteSiteFiles(out output.Output, r *Region) error { return p.writeSiteFiles(out, r) }

// Renav rebuilds r's navigation from r.Pages after pages were added,
// removed, retitled or reordered.
func (p *Project) Renav(r *Region) {
	r.Nav = p.newNav(r)
	p.indexPages(r)
}
