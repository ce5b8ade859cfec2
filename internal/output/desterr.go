package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/helpgen/helpgen/internal/cli"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// WriteError is a failure of the output itself (a full disk, a folder that
// cannot be written) rather than of the page being written: a build stops
// at the first one and reports it once. It is a *diag.Error naming the path
// and what to do, and wraps the system's error.
type WriteError struct {
	Diag *diag.Error
	Err  error
}

func (e *WriteError) Error() string   { return e.Diag.Error() }
func (e *WriteError) Unwrap() []error { return []error{e.Diag, e.Err} }

// CommitError is a failure while swapping the new output in: the regions in
// Replaced already hold the new build, the others the previous one.
type CommitError struct {
	Diag     *diag.Error
	Replaced []string
	Err      error
}

func (e *CommitError) Error() string   { return e.Diag.Error() }
func (e *CommitError) Unwrap() []error { return []error{e.Diag, e.Err} }

// destError is a problem with DEST found before anything was written.
func destError(path string, err error) *WriteError {
	return &WriteError{Diag: &diag.Error{File: path, Msg: "cannot prepare the output: " + errText(err),
		Hint: hintFor(err, path) + "; nothing was written"}, Err: err}
}

// writeError is a failure to stage one file of region dir.
func (o *DirOutput) writeError(dir, rel string, err error) *WriteError {
	return &WriteError{Diag: &diag.Error{File: filepath.Join(o.shown, dir, rel), Msg: "cannot write the new output: " + errText(err),
		Hint: hintFor(err, o.shown) + "; " + o.shown + " is unchanged"}, Err: err}
}

// commitError is a failure to swap path in after the regions in replaced
// were swapped.
func (o *DirOutput) commitError(replaced []string, path string, err error) *CommitError {
	state := o.shown + " is unchanged"
	if len(replaced) > 0 {
		state = fmt.Sprintf("%s already holds the new build of %s, the other regions the previous one: build again once it is fixed",
			o.shown, strings.Join(replaced, ", "))
	}
	return &CommitError{Diag: &diag.Error{File: path, Msg: "cannot swap the new output in: " + errText(err),
		Hint: hintFor(err, o.shown) + "; " + state}, Replaced: replaced, Err: err}
}

// errText is the system's reason without the path, which the message names.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// hintFor says what to do about a system error on the output.
func hintFor(err error, dest string) string {
	switch {
	case errors.Is(err, unix.ENOSPC), errors.Is(err, unix.EDQUOT):
		return "the file system holding " + dest + " is full: free some space (a build needs room for its changed files beside the published ones) and build again"
	case errors.Is(err, unix.EACCES), errors.Is(err, unix.EPERM):
		return "this user may not write there: change the folder's permissions or pass another -d"
	case errors.Is(err, unix.EROFS):
		return "the file system is read-only: pass another -d"
	case errors.Is(err, unix.ENOTDIR):
		return "a part of the path is a file, not a folder: move it away or pass another -d"
	case errors.Is(err, unix.EBUSY), errors.Is(err, unix.EXDEV):
		return "a region folder is a mount point or in use: mount " + dest + " itself, not a folder inside it"
	case errors.Is(err, unix.ENAMETOOLONG):
		return "the path is too long: use a shorter -d or shorter file names"
	}
	return "fix the problem and build again"
}

// CheckDest refuses a DEST whose region folders could replace the site or
// a folder it reads: the site root or a folder holding it (with -d SITE a
// region CONTENT would replace content/), or a folder the site reads, one
// inside it, or one holding it.
func CheckDest(site, dest string) error {
	if dest == "" {
		return ErrNoDest
	}
	s, err := resolvePath(site)
	if err != nil {
		return &cli.UsageError{Err: err}
	}
	d, err := resolvePath(dest)
	if err != nil {
		return &cli.UsageError{Err: err}
	}
	refuse := func(format string, a ...any) error {
		return &cli.UsageError{Err: &diag.Error{Msg: fmt.Sprintf(format, a...),
			Hint: "write the output to a folder of its own: -d public (the default, inside the site) or a folder outside the site"}}
	}
	switch {
	case d == filepath.Dir(d):
		return refuse("-d %s is the root folder: helpgen replaces folders inside DEST, and it holds the site", dest)
	case d == s:
		return refuse("-d %s is the site folder: its region folders would replace the site's own (a region CONTENT would replace content/)", dest)
	case inside(s, d):
		return refuse("-d %s holds the site folder %s: a region folder could replace it", dest, site)
	}
	for _, f := range sitefs.Folders {
		real, err := resolvePath(filepath.Join(site, f))
		if err != nil {
			continue
		}
		switch {
		case d == real || inside(d, real):
			return refuse("-d %s is inside %s/, which the site reads", dest, f)
		case inside(real, d):
			return refuse("-d %s holds %s/, which the site reads", dest, f)
		}
	}
	return nil
}

// inside reports whether path p lies under folder dir (both clean and absolute).
func inside(p, dir string) bool {
	return strings.HasPrefix(p, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}
