package render

// LayoutIDs are the ids the built-in layouts give the elements around a page
// body (landmarks, the tree, the table of contents, the search box). A
// heading's generated id avoids them, and a body that sets one itself is
// reported by check: two elements with one id break the skip link, the
// scripts and anchors.
var LayoutIDs = []string{
	"helpgen-children",
	"helpgen-toc",
	"main",
	"search-help",
	"search-input",
	"search-keys",
	"search-panel",
	"search-results",
	"search-status",
	"site-search",
	"site-tree",
}
