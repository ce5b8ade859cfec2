// Package sitefs is the file system every reader of a site goes through.
// Symbolic links are followed while they stay inside the site folder; one
// whose real path lies outside it, or a loop of links, is refused with an
// error naming the link and where it points. The target is never opened, so
// no byte of it can reach a message, a page or the preview.
package sitefs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/helpgen/helpgen/internal/diag"
)

// FS reads the site folder dir. Every operation opens dir as an os.Root,
// which resolves each path inside it and refuses a link that leaves it, so
// a link swapped while the site is read cannot escape either. Like
// os.DirFS it names the folder, not an open handle: a folder replaced while
// serving is read anew.
type FS struct {
	dir  string // as given, for os.OpenRoot
	real string // dir with its own links resolved, to test where a link leads
}

// New returns the site folder dir as a file system.
func New(dir string) *FS {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		real = abs
	}
	return &FS{dir: abs, real: real}
}

var (
	_ fs.ReadFileFS = (*FS)(nil)
	_ fs.ReadDirFS  = (*FS)(nil)
	_ fs.StatFS     = (*FS)(nil)
)

// Open implements fs.FS.
func (f *FS) Open(name string) (fs.File, error) {
	return do(f, "open", name, func(r fs.FS, n string) (fs.File, error) { return r.Open(n) })
}

// ReadFile implements fs.ReadFileFS.
func (f *FS) ReadFile(name string) ([]byte, error) {
	return do(f, "read", name, func(r fs.FS, n string) ([]byte, error) { return fs.ReadFile(r, n) })
}

// ReadDir implements fs.ReadDirFS.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	return do(f, "readdir", name, func(r fs.FS, n string) ([]fs.DirEntry, error) { return fs.ReadDir(r, n) })
}

// Stat implements fs.StatFS.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	return do(f, "stat", name, func(r fs.FS, n string) (fs.FileInfo, error) { return fs.Stat(r, n) })
}

// do runs op on name inside the root. A link the root refuses because it is
// absolute, but whose real path is in the site, is followed by running op
// again on that path, still inside the root.
func do[T any](f *FS, opName, name string, op func(fs.FS, string) (T, error)) (T, error) {
	var zero T
	if !fs.ValidPath(name) {
		return zero, &fs.PathError{Op: opName, Path: name, Err: fs.ErrInvalid}
	}
	root, err := os.OpenRoot(f.dir)
	if err != nil {
		return zero, &fs.PathError{Op: opName, Path: name, Err: errors.Unwrap(err)}
	}
	defer root.Close()
	v, err := op(root.FS(), name)
	if err == nil {
		return v, nil
	}
	rel, lerr := f.check(name)
	if lerr != nil {
		return zero, lerr
	}
	if rel != "" && rel != name {
		if v, err2 := op(root.FS(), rel); err2 == nil {
			return v, nil
		}
	}
	return zero, err
}

// check explains why name could not be read. It returns a *LinkError when a
// link on the way leads out of the site or into a loop; otherwise the path
// inside the site that name really is, or "" when that is unknown.
func (f *FS) check(name string) (string, error) {
	parts := strings.Split(name, "/")
	for i := range parts {
		p := path.Join(parts[:i+1]...)
		host := filepath.Join(f.dir, filepath.FromSlash(p))
		fi, err := os.Lstat(host)
		if err != nil {
			return "", nil
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		target, _ := os.Readlink(host)
		real, err := filepath.EvalSymlinks(host)
		switch {
		case isLoop(err):
			return "", &LinkError{Link: p, Target: target, Loop: f.chain(host)}
		case err != nil:
			return "", nil // dangling: not found, as any missing file
		case !f.inside(real):
			return "", &LinkError{Link: p, Target: target, Real: real}
		}
	}
	real, err := filepath.EvalSymlinks(filepath.Join(f.dir, filepath.FromSlash(name)))
	if err != nil || !f.inside(real) {
		return "", nil
	}
	rel, err := filepath.Rel(f.real, real)
	if err != nil {
		return "", nil
	}
	return filepath.ToSlash(rel), nil
}

func (f *FS) inside(real string) bool {
	rel, err := filepath.Rel(f.real, real)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func isLoop(err error) bool {
	return errors.Is(err, syscall.ELOOP) || err != nil && strings.Contains(err.Error(), "too many links")
}

// chain lists the links of a loop as they are written, starting at host,
// until one repeats (at most 16).
func (f *FS) chain(host string) []string {
	seen := map[string]bool{}
	var out []string
	for range 16 {
		if seen[host] {
			break
		}
		seen[host] = true
		t, err := os.Readlink(host)
		if err != nil {
			break
		}
		out = append(out, t)
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(host), t)
		}
		host = filepath.Clean(t)
	}
	return out
}

// LinkError is a symbolic link in the site that is not followed: it leads
// out of the site folder, or into a loop. It unwraps to a *diag.Error naming
// the link, so every reader reports it the same way, and to fs.ErrPermission
// (or the loop's syscall error).
type LinkError struct {
	Link   string   // the link, from the site root
	Target string   // where it points, as written in the link
	Real   string   // the real path it leads to, outside the site
	Loop   []string // for a loop: the targets met, in order
}

func (e *LinkError) Error() string { return e.Diag().Error() }

// Diag is the error as a writer sees it.
func (e *LinkError) Diag() *diag.Error {
	if e.Loop != nil {
		return &diag.Error{File: e.Link, Msg: "symbolic link loop: " + e.Link + " → " + strings.Join(e.Loop, " → "),
			Hint: "point the link at a file, or replace it with the file itself"}
	}
	msg := fmt.Sprintf("symbolic link to %s, which is outside the site folder: not read", e.Target)
	if e.Real != "" && e.Real != e.Target {
		msg = fmt.Sprintf("symbolic link to %s (%s), which is outside the site folder: not read", e.Target, e.Real)
	}
	return &diag.Error{File: e.Link, Msg: msg,
		Hint: "copy the file or folder into the site, or point the link at one inside it; links may not leave the site folder"}
}

// Unwrap lets errors.As find the *diag.Error, and errors.Is the cause.
func (e *LinkError) Unwrap() []error {
	cause := fs.ErrPermission
	if e.Loop != nil {
		cause = syscall.ELOOP
	}
	return []error{e.Diag(), cause}
}

var _ fs.ReadLinkFS = (*FS)(nil)

// Lstat implements fs.ReadLinkFS: it describes a link itself, never
// following the last element.
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	return do(f, "lstat", name, func(r fs.FS, n string) (fs.FileInfo, error) { return fs.Lstat(r, n) })
}

// ReadLink implements fs.ReadLinkFS.
func (f *FS) ReadLink(name string) (string, error) {
	return do(f, "readlink", name, func(r fs.FS, n string) (string, error) { return fs.ReadLink(r, n) })
}
