package serve

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// watched are the site folders whose changes rebuild the site.
var watched = sitefs.Folders

// batch is the paths (slash-separated, from the site root) that changed
// within one debounce window, and when the first of them did.
type batch struct {
	paths []string
	first time.Time
	// quiet are the paths that are here only because the engine asked to
	// read them again (see ask), and that no event touched for a whole
	// quiet period since: their files are as the writer left them.
	quiet map[string]bool
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

	// asked are the files to read again once quiet (see ask); wake tells
	// run that some came.
	mu    sync.Mutex
	asked []string
	wake  chan struct{}
}

// ask has files delivered again in a batch after a quiet period, marked
// quiet there when no event touched them meanwhile. It never blocks.
func (w *watcher) ask(files []string) {
	if len(files) == 0 {
		return
	}
	w.mu.Lock()
	w.asked = append(w.asked, files...)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *watcher) takeAsked() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	a := w.asked
	w.asked = nil
	return a
}

func newWatcher(root string, quiet time.Duration, errs func(error)) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{fw: fw, events: fw.Events, errors: fw.Errors, root: root, out: make(chan batch),
		quiet: quiet, limit: 20 * quiet, errs: errs, wake: make(chan struct{}, 1)}
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
// site, as the build decides.
func skipped(p string) bool { return sitefs.Skipped(p) }

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
	g := &gather{changed: map[string]bool{}, asked: map[string]time.Time{}}
	var tick <-chan time.Time // the quiet period's end, nil when nothing is pending
	var out chan batch        // set when a batch is due
	var due batch
	// wait restarts the quiet period, but never past the limit after the
	// first event, so a steady stream of saves still rebuilds.
	wait := func(t time.Time) { tick = after(max(0, min(w.quiet, w.limit-t.Sub(g.first)))) }
	for {
		select {
		case <-done:
			return
		case ev, ok := <-w.events:
			if !ok {
				return
			}
			r := w.event(ev)
			switch {
			case r == "":
			case out != nil: // a batch waits for the receiver: join it
				due.join(r)
			default:
				t := now()
				g.touch(t)
				g.changed[r] = true
				wait(t)
			}
		case <-w.wake:
			files := w.takeAsked()
			if out != nil {
				for _, f := range files {
					due.join(f)
				}
				continue
			}
			t := now()
			g.touch(t)
			for _, f := range files {
				g.asked[f] = t
			}
			wait(t)
		case err, ok := <-w.errors:
			if !ok {
				return
			}
			w.errs(err)
		case t := <-tick:
			tick = nil
			if g.empty() {
				continue
			}
			if rest := w.quiet - t.Sub(g.last); rest > 0 && t.Sub(g.first) < w.limit {
				tick = after(rest)
				continue
			}
			due = g.batch(t, w.quiet)
			out = w.out
		case out <- due:
			out = nil
		}
	}
}

// event returns the site path an event concerns, or "", and watches a
// folder it created.
func (w *watcher) event(ev fsnotify.Event) string {
	r := w.rel(ev.Name)
	if r == "" || !ev.Has(fsnotify.Create) {
		return r
	}
	// A top folder may come as a link to a folder.
	stat := os.Lstat
	if !strings.Contains(r, "/") {
		stat = os.Stat
	}
	if fi, err := stat(ev.Name); err == nil && fi.IsDir() {
		w.addTree(ev.Name)
	}
	return r
}

// join adds a path that changed while b waited for the receiver.
func (b *batch) join(p string) {
	delete(b.quiet, p)
	if !slices.Contains(b.paths, p) {
		b.paths = append(b.paths, p)
	}
}

// gather is what the watcher collects for its next batch.
type gather struct {
	changed     map[string]bool      // paths an event touched
	asked       map[string]time.Time // files to read again (see ask), since when
	first, last time.Time            // the first and the last event or request
}

func (g *gather) empty() bool { return len(g.changed) == 0 && len(g.asked) == 0 }

// touch records an event or a request at t.
func (g *gather) touch(t time.Time) {
	if g.empty() {
		g.first = t
	}
	g.last = t
}

// batch empties g into a batch due at t. A file asked for again is quiet
// when no event touched it and a whole quiet period passed since it was
// asked for; otherwise it comes as changed, and may be asked for again.
func (g *gather) batch(t time.Time, quiet time.Duration) batch {
	b := batch{first: g.first, quiet: map[string]bool{}}
	for p := range g.changed {
		b.paths = append(b.paths, p)
	}
	for p, at := range g.asked {
		if g.changed[p] {
			continue
		}
		b.paths = append(b.paths, p)
		if t.Sub(at) >= quiet {
			b.quiet[p] = true
		}
	}
	clear(g.changed)
	clear(g.asked)
	return b
}
