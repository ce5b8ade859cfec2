package build

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// Output receives the files of every region.
type Output interface {
	// WriteFile stores data at rel (slash-separated) in region dir. data is
	// only valid during the call: the caller reuses its buffer.
	WriteFile(dir, rel string, data []byte) error
}

// DirOutput writes each region into a staging folder beside DEST and swaps
// it in only on Commit, so a failed build leaves DEST exactly as it was.
// A file whose bytes did not change is hard-linked from the previous output,
// keeping its modification time, so deploys and previews see only real changes.
type DirOutput struct {
	dest    string
	staging string
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

// NewDirOutput prepares a staging folder next to dest. When dest is a
// symbolic link the folder goes beside its target, so the final renames stay
// on one file system. Staging folders of earlier builds that were killed are
// removed.
func NewDirOutput(dest string) (*DirOutput, error) {
	if dest == "" {
		return nil, errNoDest
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	prefix := "." + filepath.Base(abs) + ".helpgen-"
	removeAbandoned(parent, prefix)
	staging, err := os.MkdirTemp(parent, prefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, err
	}
	return &DirOutput{dest: abs, staging: staging, dirs: map[string]bool{}, stats: map[string]*WriteStats{}, prev: map[string]bool{}}, nil
}

// errNoDest refuses an empty destination, which would mean the current folder.
var errNoDest = &UsageError{errors.New("the destination folder is empty (pass -d DEST)")}

// removeAbandoned deletes the staging folders in dir whose build process
// is gone (killed before it could clean up); a running build's is kept.
func removeAbandoned(dir, prefix string) {
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
		if err := unix.Kill(pid, 0); errors.Is(err, unix.ESRCH) {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// WriteFile implements Output.
func (o *DirOutput) WriteFile(dir, rel string, data []byte) error {
	rel = filepath.FromSlash(rel)
	target := filepath.Join(o.staging, dir, rel)
	if err := o.mkdir(filepath.Dir(target)); err != nil {
		return err
	}
	st, prev := o.stat(dir)
	old := filepath.Join(o.dest, dir, rel)
	if prev && same(old, data) && os.Link(old, target) == nil {
		o.mu.Lock()
		st.Files++
		st.Unchanged++
		st.Bytes += int64(len(data))
		o.mu.Unlock()
		return nil
	}
	if err := os.WriteFile(target, data, 0o644); err != nil {
		return err
	}
	o.mu.Lock()
	st.Files++
	st.Bytes += int64(len(data))
	o.mu.Unlock()
	return nil
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

// Commit swaps every staged region folder into DEST atomically (one rename
// exchange per region) and removes the previous output.
func (o *DirOutput) Commit(dirs []string) error {
	if err := os.MkdirAll(o.dest, 0o755); err != nil {
		return err
	}
	sort.Strings(dirs)
	for i, d := range dirs {
		src := filepath.Join(o.staging, d)
		if err := os.MkdirAll(src, 0o755); err != nil {
			return &CommitError{Dest: o.dest, Replaced: dirs[:i], Err: err}
		}
		dst := filepath.Join(o.dest, d)
		if err := exchange(src, dst); err != nil {
			return &CommitError{Dest: o.dest, Replaced: dirs[:i], Err: fmt.Errorf("replacing %s: %w", dst, err)}
		}
	}
	return os.RemoveAll(o.staging)
}

// CommitError is a failure while swapping the new output in: the regions in
// Replaced already hold the new build, the others the previous one.
type CommitError struct {
	Dest     string
	Replaced []string
	Err      error
}

func (e *CommitError) Error() string {
	if len(e.Replaced) == 0 {
		return e.Err.Error() + "; " + e.Dest + " is unchanged"
	}
	return fmt.Sprintf("%v; %s already holds the new build of %s, the other regions the previous one: build again",
		e.Err, e.Dest, strings.Join(e.Replaced, ", "))
}

func (e *CommitError) Unwrap() error { return e.Err }

// Abort removes the staging folder; DEST is untouched.
func (o *DirOutput) Abort() error { return os.RemoveAll(o.staging) }

// exchange puts src at dst. When dst exists the two are swapped in one
// atomic step, so readers never see a missing or half-written region.
func exchange(src, dst string) error {
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(src, dst)
	}
	err := unix.Renameat2(unix.AT_FDCWD, src, unix.AT_FDCWD, dst, unix.RENAME_EXCHANGE)
	if err == nil {
		return nil
	}
	// Filesystems without RENAME_EXCHANGE: two renames, a moment apart.
	old := src + ".old"
	if err := os.Rename(dst, old); err != nil {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		_ = os.Rename(old, dst)
		return err
	}
	return os.Rename(old, src)
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
