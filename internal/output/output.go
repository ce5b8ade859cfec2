// Package output writes the regions' sites: atomically into a folder on disk
// (DirOutput: staged, then swapped in whole), or into memory (MemOutput).
package output

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/helpgen/helpgen/internal/cli"
	"github.com/helpgen/helpgen/internal/diag"
)

// Output receives the files of every region.
type Output interface {
	// WriteFile stores data at rel (slash-separated) in region dir. data is
	// only valid during the call: the caller reuses its buffer.
	WriteFile(dir, rel string, data []byte) error
}

// OutputFunc is a function as an Output.
type OutputFunc func(dir, rel string, data []byte) error

// WriteFile implements Output.
func (f OutputFunc) WriteFile(dir, rel string, data []byte) error { return f(dir, rel, data) }

// DirOutput writes each region into a staging folder and swaps it into DEST
// only on Commit, so a failed build leaves DEST exactly as it was.
//
// When DEST exists the staging folder is a hidden folder inside it, so each
// region's swap is a rename within one file system even when DEST is a mount
// point (a CI volume, a container's bind mount). On a first build, when
// there is no DEST yet, it goes beside DEST and becomes DEST with one rename.
//
// A file whose bytes did not change is hard-linked from the previous output,
// keeping its modification time, so deploys and previews see only real
// changes. A staged file is never opened for writing once it exists: it may
// be such a link, and writing through it would change the published file.
type DirOutput struct {
	dest    string // absolute, symbolic links resolved
	shown   string // DEST as it was given, for messages
	staging string
	inside  bool // staging is inside dest; otherwise dest does not exist yet
	mu      sync.Mutex
	dirs    map[string]bool // created folders
	stats   map[string]*WriteStats
	// prev says whether DEST already holds region dir; on a first build
	// there is nothing to compare with, and no file to stat per page.
	prev map[string]bool
}

// WriteStats counts what was written for one region.
type WriteStats struct {
	Files, Unchanged int
	Bytes            int64
}

// StagingPrefix starts the name of a staging folder inside DEST; the
// process id and a random part follow.
const StagingPrefix = ".helpgen-staging-"

// NewDirOutput prepares a staging folder for dest. When dest is a symbolic
// link, its target is what is replaced (the link stays). Staging folders of
// earlier builds that were killed are removed.
func NewDirOutput(dest string) (*DirOutput, error) {
	if dest == "" {
		return nil, ErrNoDest
	}
	abs, err := resolvePath(dest)
	if err != nil {
		return nil, destError(dest, err)
	}
	o := &DirOutput{dest: abs, shown: dest, dirs: map[string]bool{}, stats: map[string]*WriteStats{}, prev: map[string]bool{}}
	parent := filepath.Dir(abs)
	beside := "." + filepath.Base(abs) + ".helpgen-"
	removeAbandoned(parent, beside, "")
	fi, err := os.Stat(abs)
	switch {
	case err == nil && !fi.IsDir():
		return nil, &cli.UsageError{Err: &diag.Error{File: dest, Msg: "the destination is a file, not a folder",
			Hint: "pass -d with a folder (it is created when missing)"}}
	case err == nil:
		removeAbandoned(abs, StagingPrefix, abs)
		o.inside = true
		o.staging, err = os.MkdirTemp(abs, StagingPrefix+strconv.Itoa(os.Getpid())+"-")
		if err != nil {
			return nil, destError(dest, err)
		}
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return nil, destError(parent, err)
		}
		o.staging, err = os.MkdirTemp(parent, beside+strconv.Itoa(os.Getpid())+"-")
		if err != nil {
			return nil, destError(parent, err)
		}
	default:
		return nil, destError(dest, err)
	}
	return o, nil
}

// resolvePath is path made absolute with the symbolic links of its longest
// existing part resolved, so two names of one folder compare equal.
func resolvePath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for cur := abs; ; cur = filepath.Dir(cur) {
		if real, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if cur == filepath.Dir(cur) {
			return abs, nil
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
	}
}

// ErrNoDest refuses an empty destination, which would mean the current folder.
var ErrNoDest = &cli.UsageError{Err: errors.New("the destination folder is empty (pass -d DEST)")}

// removeAbandoned deletes the staging folders in dir whose build process
// is gone (killed before it could clean up); a running build's is kept.
// In a staging folder inside dest, a region moved aside by a swap that was
// cut short (see exchange) goes back first when dest lacks it.
func removeAbandoned(dir, prefix, dest string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if err := unix.Kill(pid, 0); !errors.Is(err, unix.ESRCH) {
			continue
		}
		staging := filepath.Join(dir, e.Name())
		if dest != "" {
			restoreMovedAside(staging, dest)
		}
		_ = os.RemoveAll(staging)
	}
}

// restoreMovedAside puts back a region folder that a two-rename swap moved
// out of dest just before the build was killed.
func restoreMovedAside(staging, dest string) {
	entries, _ := os.ReadDir(staging)
	for _, e := range entries {
		region, ok := strings.CutSuffix(e.Name(), OldSuffix)
		if !ok || !e.IsDir() {
			continue
		}
		if _, err := os.Lstat(filepath.Join(dest, region)); errors.Is(err, fs.ErrNotExist) {
			_ = os.Rename(filepath.Join(staging, e.Name()), filepath.Join(dest, region))
		}
	}
}

// WriteFile implements Output.
func (o *DirOutput) WriteFile(dir, rel string, data []byte) error {
	rel = filepath.FromSlash(rel)
	target := filepath.Join(o.staging, dir, rel)
	if err := o.mkdir(filepath.Dir(target)); err != nil {
		return o.writeError(dir, rel, err)
	}
	st, prev := o.stat(dir)
	old := filepath.Join(o.dest, dir, rel)
	if prev && same(old, data) && os.Link(old, target) == nil {
		o.count(st, len(data), true)
		return nil
	}
	if err := createFile(target, data); err != nil {
		return o.writeError(dir, rel, err)
	}
	o.count(st, len(data), false)
	return nil
}

// createFile writes data to a new file at path. A file already there (from
// an earlier write of the same path, perhaps a hard link to DEST's copy) is
// unlinked, never opened: the published file keeps its bytes.
func createFile(path string, data []byte) error {
	const flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL
	f, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		if err := os.Remove(path); err != nil {
			return err
		}
		f, err = os.OpenFile(path, flags, 0o644)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (o *DirOutput) stat(dir string) (*WriteStats, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	st := o.stats[dir]
	if st == nil {
		st = &WriteStats{}
		o.stats[dir] = st
		fi, err := os.Stat(filepath.Join(o.dest, dir))
		o.prev[dir] = err == nil && fi.IsDir()
	}
	return st, o.prev[dir]
}

// Stats returns what was written for region dir.
func (o *DirOutput) Stats(dir string) WriteStats {
	st, _ := o.stat(dir)
	return *st
}

// Staging is the folder the new output is written to until Commit.
func (o *DirOutput) Staging() string { return o.staging }

// Dest is the folder the regions are committed into, absolute, with
// symbolic links resolved.
func (o *DirOutput) Dest() string { return o.dest }

func (o *DirOutput) mkdir(d string) error {
	o.mu.Lock()
	ok := o.dirs[d]
	o.mu.Unlock()
	if ok {
		return nil
	}
	if err := os.MkdirAll(d, 0o755); err != nil {
		return err
	}
	o.mu.Lock()
	o.dirs[d] = true
	o.mu.Unlock()
	return nil
}

// same reports whether file path holds exactly data.
func same(path string, data []byte) bool {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	old, err := os.ReadFile(path)
	return err == nil && bytes.Equal(old, data)
}

// Commit swaps every staged region folder into DEST, one atomic rename
// exchange per region, and removes the previous output. On a first build
// the staging folder becomes DEST with one rename.
func (o *DirOutput) Commit(dirs []string) error {
	sort.Strings(dirs)
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(o.staging, d), 0o755); err != nil {
			return o.commitError(nil, filepath.Join(o.shown, d), err)
		}
	}
	if !o.inside {
		if err := os.Rename(o.staging, o.dest); err != nil {
			return o.commitError(nil, o.shown, err)
		}
		return nil
	}
	// A region folder that is a mount point cannot be swapped: say so
	// before any region is.
	for _, d := range dirs {
		if mountPoint(filepath.Join(o.dest, d)) {
			return o.commitError(nil, filepath.Join(o.shown, d), unix.EBUSY)
		}
	}
	for i, d := range dirs {
		if err := exchange(filepath.Join(o.staging, d), filepath.Join(o.dest, d)); err != nil {
			return o.commitError(dirs[:i], filepath.Join(o.shown, d), err)
		}
	}
	// The new build is published; what is left is the previous output. If
	// it cannot be removed now, the next build removes it (removeAbandoned).
	_ = os.RemoveAll(o.staging)
	return nil
}

// mountPoint reports whether path is the root of a mount (Linux 5.8 and
// later say so; elsewhere the swap itself fails).
func mountPoint(path string) bool {
	var st unix.Statx_t
	err := unix.Statx(unix.AT_FDCWD, path, unix.AT_SYMLINK_NOFOLLOW, 0, &st)
	return err == nil && st.Attributes_mask&unix.STATX_ATTR_MOUNT_ROOT != 0 && st.Attributes&unix.STATX_ATTR_MOUNT_ROOT != 0
}

// Abort removes the staging folder; DEST is untouched.
func (o *DirOutput) Abort() error { return os.RemoveAll(o.staging) }

// OldSuffix names, in the staging folder, a region folder moved out of DEST
// by a swap in two renames.
const OldSuffix = ".old"

// exchange puts src at dst. When dst exists the two are swapped in one
// atomic step (renameat2 RENAME_EXCHANGE), so readers never see a missing
// or half-written region.
func exchange(src, dst string) error {
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(src, dst)
	}
	err := unix.Renameat2(unix.AT_FDCWD, src, unix.AT_FDCWD, dst, unix.RENAME_EXCHANGE)
	if !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOSYS) && !errors.Is(err, unix.EOPNOTSUPP) {
		return err
	}
	// File systems without RENAME_EXCHANGE: two renames, a moment apart.
	// A build killed between them leaves the old region in the staging
	// folder, and the next build puts it back (removeAbandoned).
	old := src + OldSuffix
	if err := os.Rename(dst, old); err != nil {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		_ = os.Rename(old, dst)
		return err
	}
	return nil
}

// MemOutput keeps every file in memory, for the preview server and tests.
type MemOutput struct {
	mu    sync.Mutex
	Files map[string][]byte // "dir/rel" → bytes
}

// NewMemOutput returns an empty in-memory output.
func NewMemOutput() *MemOutput { return &MemOutput{Files: map[string][]byte{}} }

// WriteFile implements Output.
func (m *MemOutput) WriteFile(dir, rel string, data []byte) error {
	m.mu.Lock()
	m.Files[dir+"/"+strings.TrimPrefix(rel, "/")] = bytes.Clone(data)
	m.mu.Unlock()
	return nil
}

// Get returns the file at rel in region dir.
func (m *MemOutput) Get(dir, rel string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.Files[dir+"/"+strings.TrimPrefix(rel, "/")]
	return b, ok
}

// LinkPrevious puts the previous output's file rel of region dir, whose
// bytes (data) the caller read and verified, into the staging folder as
// WriteFile does for unchanged bytes, without reading it again.
func (o *DirOutput) LinkPrevious(dir, rel string, data []byte) error {
	st, prev := o.stat(dir)
	if !prev {
		return o.WriteFile(dir, rel, data)
	}
	rel = filepath.FromSlash(rel)
	target := filepath.Join(o.staging, dir, rel)
	if err := o.mkdir(filepath.Dir(target)); err != nil {
		return o.writeError(dir, rel, err)
	}
	if err := os.Link(filepath.Join(o.dest, dir, rel), target); err != nil {
		return o.WriteFile(dir, filepath.ToSlash(rel), data)
	}
	o.count(st, len(data), true)
	return nil
}

// LinkUnread puts the previous output's file rel of region dir, of size
// bytes, into the staging folder as WriteFile does for unchanged bytes, for
// a caller that knows its bytes are right without reading them. When it
// cannot be linked it returns an error and stages nothing: the caller
// reads the file and writes it.
func (o *DirOutput) LinkUnread(dir, rel string, size int64) error {
	st, prev := o.stat(dir)
	if !prev {
		return fs.ErrNotExist
	}
	rel = filepath.FromSlash(rel)
	target := filepath.Join(o.staging, dir, rel)
	if err := o.mkdir(filepath.Dir(target)); err != nil {
		return o.writeError(dir, rel, err)
	}
	if err := os.Link(filepath.Join(o.dest, dir, rel), target); err != nil {
		return err
	}
	o.count(st, int(size), true)
	return nil
}

// count adds a file of n bytes to a region's stats.
func (o *DirOutput) count(st *WriteStats, n int, unchanged bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	st.Files++
	st.Bytes += int64(n)
	if unchanged {
		st.Unchanged++
	}
}
