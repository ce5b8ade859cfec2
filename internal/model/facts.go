// Package model is the site model: the project as read and parsed
// (Project), each region's view of it (Region, its pages and navigation),
// and what a rendered page contains (Page, Facts). Check, search and serve
// read it; the pipeline that fills it (internal/build) is apart, and the
// model's readers reach it only through the interfaces they define
// (RegionWriter here, check.Renderer).
package model

import "github.com/helpgen/helpgen/internal/markdown"

// Facts are what a rendered page contains, for checks, navigation and search.
type Facts struct {
	Headings []markdown.Heading
	IDs      []string // every id in the body: headings and raw HTML
	IDPos    []int    // where each of IDs was set, a byte offset in the page's source file
	Links    []Ref
	Images   []Ref
	Blocks   []Block // block shortcodes and whether their content was empty
	Sections []markdown.Section
	Empty    bool // the body renders to no text and no images
	// Lists are blocks whose indentation and list structure disagree, with
	// offsets in the page's source file; a line to re-indent that is not
	// the source's text as it stands (shortcode output) is -1.
	Lists []markdown.ListProblem
}

// Ref is a link or image target and where in the source file it was written.
type Ref struct {
	Dest string
	Alt  string
	Pos  int  // byte offset in the page's source file
	Zoom bool // a screenshot the reader can enlarge (an image's only)
}

// Block is a block shortcode use in a region.
type Block struct {
	Name  string
	Pos   int
	Empty bool
}
