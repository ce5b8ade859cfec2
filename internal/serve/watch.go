package serve

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
)

// watched are the site folders whose changes rebuild the site.
var watched = []string{content.Dir, "layouts", "shortcodes", build.StaticDir, "i18n"}

// batch is the paths (slash-separated, from the site root) that changed
// within one debounce window, and when the first of them did.
type batch struct {
	paths []string
	first time.Time
}

// watcher turns file events under the site into debounced batches.
type watcher struct {
	fw    *fsnotify.Watcher
	root  string
	out   chan batch
	quiet time.Duration // wait this long after the last event
	limit time.Duration // but no longer than this after the first
	errs  func(error)
}

func newWatcher(root string, quiet time.Duration, errs func(error)) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{fw: fw, root: root, out: make(chan batch), quiet: quiet, limit: 20 * quiet, errs: errs}
	if err := fw.Add(root); err != nil {
		fw.Close()
		return nil, err
	}
	for _, d := range watched {
		w.addTree(filepath.Join(root, d))
	}
	return w, nil
}

// addTree watches dir and every folder below it. Symbolic links are not
// followed: nothing outside the site is watched or served.
func (w *watcher) addTree(dir string) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != dir && ignored(d.Name()) {
			return filepath.SkipDir
		}
		if err := w.fw.Add(p); err != nil {
			w.errs(err)
		}
		return nil
	})
}

// rel turns an event's path into a site path, or "" when it does not
// concern the site.
func (w *watcher) rel(name string) string {
	r, err := filepath.Rel(w.root, name)
	if err != nil || r == "." || strings.HasPrefix(r, "..") {
		return ""
	}
	r = filepath.ToSlash(r)
	top, _, _ := strings.Cut(r, "/")
	if r != config.File && !slices.Contains(watched, top) {
		return ""
	}
	for _, part := range strings.Split(r, "/") {
		if ignored(part) {
			return ""
		}
	}
	return r
}

// ignored reports whether a file name is an editor's swap, backup, lock or
// temporary file, or hidden: saving a page makes several of these appear and
// vanish, and none of them is part of the site.
func ignored(name string) bool {
	switch {
	case name == "":
		return false
	case strings.HasPrefix(name, "."), // .page.md.swp, .#page.md, .DS_Store, .goutputstream-*
		strings.HasSuffix(name, "~"),                                 // page.md~
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"), // #page.md#
		name == "4913", // vim's write test
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	switch filepath.Ext(name) {
	case ".swp", ".swo", ".swx", ".swpx", ".tmp", ".bak", ".crswap", ".kate-swp":
		return true
	}
	return false
}

// run delivers batches on w.out until done is closed. Events that arrive
// while the receiver is busy rebuilding join the next batch.
func (w *watcher) run(done <-chan struct{}) {
	defer w.fw.Close()
	pending := map[string]bool{}
	var first, last time.Time
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var out chan batch // set when a batch is due
	var due batch
	for {
		select {
		case <-done:
			return
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			r := w.rel(ev.Name)
			if r == "" {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
					w.addTree(ev.Name)
				}
			}
			if out != nil { // a batch waits for the receiver: join it
				if !slices.Contains(due.paths, r) {
					due.paths = append(due.paths, r)
				}
				continue
			}
			now := time.Now()
			if len(pending) == 0 {
				first = now
			}
			last = now
			pending[r] = true
			timer.Reset(w.quiet)
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			w.errs(err)
		case now := <-timer.C:
			if len(pending) == 0 {
				continue
			}
			if wait := w.quiet - now.Sub(last); wait > 0 && now.Sub(first) < w.limit {
				timer.Reset(wait)
				continue
			}
			due = batch{first: first}
			for p := range pending {
				due.paths = append(due.paths, p)
			}
			clear(pending)
			out = w.out
		case out <- due:
			out = nil
		}
	}
}
