package build

import (
	"errors"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
)

// A page's text and body tree (content.Page.Text and Tree) are needed only
// to render it: the checks and the search index read its Facts, and what
// the checks place in its file they read again from the file (internal/check's
// pageSource). A one-shot build therefore lets go of them as soon as the
// page is parsed (LoadOptions.Release), reads them again to render it, and
// lets go again once every region it is published in has rendered it
// (Options.Release, set by Run); pages published in no region go at once.
// An Engine kept for Update does not release: Update renders pages again
// from them.

// release lets go of cp's text and body tree when the build releases pages.
func (opt *Options) release(cp *content.Page) {
	if opt.Release {
		cp.Release()
	}
}

// changedError is err of reading a released page again, as a writer can
// act on it: a *content.ChangedError names a file saved while the build
// ran.
func changedError(err error) error {
	var ce *content.ChangedError
	if !errors.As(err, &ce) {
		return err
	}
	msg := "changed while the site was built, after it was first read"
	if ce.Err != nil {
		msg = "cannot be read again while the site is built: " + ce.Err.Error()
	}
	return &diag.Error{File: ce.File, Msg: msg, Hint: "build again once the file is saved"}
}
