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
	fw     *fsnotify.Watcher
	events <-chan fsnotify.Event // fw's, or a test's
	errors <-chan error
	root   string
	out    chan batch
	quiet  time.Duration // wait this long after the last event
	limit  time.Duration // but no longer than this after the first
	errs   func(error)
	// now and after are the clock (time.Now and one reused timer when
	// nil), so that a test can run the debounce in virtual time.
	now   func() time.Time
	after func(time.Duration) <-chan time.Time
}

func newWatcher(root string, quiet time.Duration, errs func(error)) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{fw: fw, events: fw.Events, errors: fw.Errors, root: root, out: make(chan batch),
		quiet: quiet, limit: 20 * quiet, errs: errs}
	if err := fw.Add(root); err != nil {
		fw.Close()
		return nil, err
	}
	for _, d := range watched {
		w.addTree(filepath.Join(root, d))
	}
	return w, nil
}

// addTree watches dir and every folder below it. A top folder (content/,
// static/…) that is a symbolic link is resolved, as the build reads through
// it; links below are not followed, as neither the build nor serve does.
func (w *watcher) addTree(dir string) {
	walk := dir
	if r := w.rel(dir); r != "" && !strings.Contains(r, "/") {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			walk = real
		}
	}
	_ = filepath.WalkDir(walk, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		// Watched by the site's own path, so that events name site paths.
		sub, err := filepath.Rel(walk, p)
		if err != nil {
			return nil
		}
		site := filepath.Join(dir, sub)
		if sub != "." && w.rel(site) == "" {
			return filepath.SkipDir
		}
		if w.fw == nil {
			return nil
		}
		if err := w.fw.Add(site); err != nil {
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
	if skipped(r) {
		return ""
	}
	return r
}

// skipped reports whether a site path (slash-separated) is no part of the
// site: under static/ only editors' temporary files are skipped (a
// .well-known/ folder is served), elsewhere hidden names too, as the build
// does.
func skipped(p string) bool {
	parts := strings.Split(p, "/")
	skip := content.Ignored
	if parts[0] == build.StaticDir {
		skip = content.EditorTemp
	}
	for _, part := range parts {
		if skip(part) {
			return true
		}
	}
	return false
}

// run delivers batches on w.out until done is closed. Events that arrive
// while the receiver is busy rebuilding join the next batch.
func (w *watcher) run(done <-chan struct{}) {
	if w.fw != nil {
		defer w.fw.Close()
	}
	now, after := w.now, w.after
	if now == nil {
		now = time.Now
	}
	if after == nil {
		timer := time.NewTimer(time.Hour)
		timer.Stop()
		after = func(d time.Duration) <-chan time.Time { timer.Reset(d); return timer.C }
	}
	pending := map[string]bool{}
	var first, last time.Time
	var tick <-chan time.Time // the quiet period's end, nil when nothing is pending
	var out chan batch        // set when a batch is due
	var due batch
	for {
		select {
		case <-done:
			return
		case ev, ok := <-w.events:
			if !ok {
				return
			}
			r := w.rel(ev.Name)
			if r == "" {
				continue
			}
			if ev.Has(fsnotify.Create) {
				// A top folder may come as a link to a folder.
				stat := os.Lstat
				if !strings.Contains(r, "/") {
					stat = os.Stat
				}
				if fi, err := stat(ev.Name); err == nil && fi.IsDir() {
					w.addTree(ev.Name)
				}
			}
			if out != nil { // a batch waits for the receiver: join it
				if !slices.Contains(due.paths, r) {
					due.paths = append(due.paths, r)
				}
				continue
			}
			t := now()
			if len(pending) == 0 {
				first = t
			}
			last = t
			pending[r] = true
			// Every event restarts the quiet period, but never past the
			// limit after the first event, so a steady stream of saves
			// still rebuilds.
			tick = after(max(0, min(w.quiet, w.limit-t.Sub(first))))
		case err, ok := <-w.errors:
			if !ok {
				return
			}
			w.errs(err)
		case t := <-tick:
			tick = nil
			if len(pending) == 0 {
				continue
			}
			if wait := w.quiet - t.Sub(last); wait > 0 && t.Sub(first) < w.limit {
				tick = after(wait)
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
