package build

import "github.com/helpgen/helpgen/internal/content"

// A page's text and body tree (content.Page.Text and Tree) are read only
// while it renders: the facts the checks and the search index use are the
// page's Facts, and what the checks place in its file they read again from
// the file (internal/check's pageSource). A one-shot build therefore lets go
// of them as soon as every region it is published in has rendered it
// (Options.Release, set by Run); pages published in no region are never
// rendered and go at once. An Engine kept for Update does not release:
// Update renders pages again from them.

// release lets go of cp's text and body tree when the build releases pages.
func (opt *Options) release(cp *content.Page) {
	if opt.Release {
		cp.Release()
	}
}
