package model

import (
	"html/template"
	"io/fs"
	"strings"
	"time"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/gitinfo"
	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/render"
)

// Project is a site as read and parsed once: its files, settings, theme
// and pages, shared by every region.
type Project struct {
	FS        fs.FS // the site root
	Defaults  fs.FS // embedded theme
	Config    *config.Site
	Templates *render.Templates
	Pages     []*content.Page
	// AllRegions are every configured region, also those a -r left out, so
	// a page can link to its versions in regions not built this time.
	AllRegions []*config.Region
	// Dates are when each file was last committed, when the site's folder
	// is in a git work tree.
	Dates gitinfo.Dates
	// Data is the data/ folder's tree, .Site.Data in templates.
	Data map[string]any
}

// LastMod is when cp last changed: its last commit when the site is in a
// git work tree, else its front matter lastmod; zero when neither is known.
func (p *Project) LastMod(cp *content.Page) time.Time {
	if t, ok := p.Dates[cp.File]; ok {
		return t
	}
	return cp.LastMod
}

// WithFS is p reading the site's files through fsys, for a reader that must
// see them as they were last read (serve's checks); p is not changed.
func (p *Project) WithFS(fsys fs.FS) *Project {
	c := *p
	c.FS = fsys
	return &c
}

// Region is one region's view of the project: the pages published there with
// their titles evaluated for it.
type Region struct {
	Config *config.Region
	Site   *render.Site
	Pages  []*Page // sorted by URL
	ByURL  map[string]*Page
	Nav    *Nav // the region's navigation, built once its pages are known
	// Project is the site the region belongs to, for what its pages share
	// (the edit URL, dates from git history); nil in a Snapshot.
	Project *Project
}

// Snapshot is r's pages as the search index reads them (titles,
// descriptions, facts), apart from r: later changes to r do not change it.
func (r *Region) Snapshot() *Region {
	snap := &Region{Config: r.Config, Site: r.Site, Pages: make([]*Page, len(r.Pages))}
	for i, pg := range r.Pages {
		snap.Pages[i] = &Page{Src: pg.Src, Region: snap, Title: pg.Title, Description: pg.Description, Facts: pg.Facts}
	}
	return snap
}

// Page is a content page as a reader of one region gets it.
type Page struct {
	Src         *content.Page
	Region      *Region
	Title       string
	Description string
	// Filled by the page's render:
	Content template.HTML
	Facts   *Facts
}

// Nav is a region's navigation: its section tree, and what the region
// needs to know of the others.
type Nav struct {
	Tree     *nav.Tree
	Regions  []*config.Region         // every configured region, in code order
	Sections map[string]*content.Page // every section of the site, in any region, by folder
	Where    WhereList                // URLs of other regions missing here
}

// WhereEntry is one URL another region publishes and this one lacks: the
// regions that have it, and the nearest section above it that this region
// has, with its title here.
type WhereEntry struct {
	Regions      []string `json:"r"`
	Section      string   `json:"s,omitempty"`
	SectionTitle string   `json:"t,omitempty"`
}

// WhereList is a region's list of URLs it lacks, by the hash of the URL's
// key.
type WhereList map[uint64]*WhereEntry

// UpSection is the nearest section above cp (a page's own section, a
// section's parent) that region code publishes, or nil when none does.
func (n *Nav) UpSection(cp *content.Page, code string) *content.Page {
	dir := cp.Dir
	if cp.Section {
		if dir == "" {
			return nil
		}
		dir = parentFolder(dir)
	}
	for {
		if s := n.Sections[dir]; s != nil && s.InRegion(code) {
			return s
		}
		if dir == "" {
			return nil
		}
		dir = parentFolder(dir)
	}
}

func parentFolder(dir string) string {
	i := strings.LastIndexByte(dir, '/')
	if i < 0 {
		return ""
	}
	return dir[:i]
}

// NavDir holds each region's navigation files in its site: the sections'
// tree levels and the other regions' pages.
const NavDir = "_nav"

// Model is p itself, so that p and every type built around it (the
// pipeline's project) are a Site.
func (p *Project) Model() *Project { return p }

// Site is what holds a project's model: the model itself, or the
// pipeline's project around it.
type Site interface{ Model() *Project }

// FileWriter stores the files of a region's site: data at rel
// (slash-separated) in the region's folder dir, only valid during the call.
type FileWriter interface {
	WriteFile(dir, rel string, data []byte) error
}

// RegionWriter adds files to a region's site from its model once all its
// pages are rendered (the search index). The build calls it for each region
// it writes; serve, for the regions whose pages changed what it reads.
type RegionWriter interface {
	WriteRegion(r *Region, out FileWriter) error
}

// RegionWriterFunc is a function as a RegionWriter.
type RegionWriterFunc func(r *Region, out FileWriter) error

// WriteRegion implements RegionWriter.
func (f RegionWriterFunc) WriteRegion(r *Region, out FileWriter) error { return f(r, out) }

// A Spiller is a RegionWriter that can take what it reads of each page as
// soon as the page is rendered, so that a one-shot build does not hold
// every page's search text (Facts.Sections) until its region is written.
type Spiller interface {
	RegionWriter
	// Spill is the writer's spill for one build: it keeps the pages' input
	// in temporary files in folder dir.
	Spill(dir string) SpillWriter
}

// SpillWriter is a RegionWriter for one build that reads its pages through
// Take rather than from their Facts. The build Closes it whatever happens.
type SpillWriter interface {
	RegionWriter
	// Take keeps what the writer reads of pg, whose Facts are final: once
	// it returns, pg's Facts.Sections may be dropped. Pages of any regions
	// may be taken at the same time.
	Take(pg *Page) error
	Close() error
}
