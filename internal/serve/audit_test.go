package serve

import (
	"bytes"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/theme"
)

// TestWatcherLimit feeds the watcher a save every 5 ms for 600 ms: the
// quiet period never passes, so batches must come at the limit. It runs in
// virtual time, each step acknowledged by the watcher, so that a loaded
// machine cannot change what it sees.
func TestWatcherLimit(t *testing.T) {
	root := t.TempDir()
	events := make(chan fsnotify.Event)
	var clock time.Time               // virtual; only read by the watcher while the test waits for it
	armed := make(chan time.Duration) // the watcher set its timer: the event or tick is handled
	var tick chan time.Time           // the watcher's one live timer
	var deadline time.Time
	w := &watcher{events: events, errors: make(chan error), root: root, out: make(chan batch),
		quiet: 20 * time.Millisecond, limit: 100 * time.Millisecond, errs: func(error) {},
		now: func() time.Time { return clock },
		after: func(d time.Duration) <-chan time.Time {
			c := make(chan time.Time, 1)
			tick, deadline = c, clock.Add(d)
			armed <- d
			return c
		}}
	done := make(chan struct{})
	defer close(done)
	go w.run(done)
	name := filepath.Join(root, "content", "a.md")
	start := time.Unix(1e9, 0)
	clock = start
	wait := func(what string) (batch, bool) {
		t.Helper()
		select {
		case <-armed:
			return batch{}, false
		case b := <-w.out:
			return b, true
		case <-time.After(30 * time.Second):
			t.Fatalf("the watcher did not handle %s", what)
		}
		return batch{}, false
	}
	var got []time.Duration
	for at := time.Duration(0); at < 600*time.Millisecond; at += 5 * time.Millisecond {
		// The timer fires first when it is due by the next save.
		for tick != nil && !deadline.After(start.Add(at)) {
			clock = deadline
			c := tick
			tick = nil
			c <- clock
			if b, ok := wait("the timer"); ok {
				if len(b.paths) != 1 || b.paths[0] != "content/a.md" {
					t.Fatalf("batch %v", b.paths)
				}
				got = append(got, clock.Sub(start))
			}
		}
		clock = start.Add(at)
		events <- fsnotify.Event{Name: name, Op: fsnotify.Write}
		if _, ok := wait("a save"); ok {
			t.Fatal("a batch came on a save")
		}
	}
	// Without the limit the first batch would come 20 ms after the last save.
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond, 400 * time.Millisecond, 500 * time.Millisecond}
	if !slices.Equal(got, want) {
		t.Errorf("batches at %v while saves kept coming, want %v (the limit is 100 ms)", got, want)
	}
}

// TestLastModifiedAndETag: a new version gets a new Last-Modified stamp,
// the same bytes keep theirs; ETags come from the bytes, the same in
// another run. (TestLastModifiedNeverAhead checks the times.)
func TestLastModifiedAndETag(t *testing.T) {
	s1, s2 := newStore(), newStore()
	k := key{"jp", "a.html"}
	write := func(s *store, data string) *file {
		c := newChanges()
		_ = c.WriteFile(k.dir, k.rel, []byte(data))
		s.apply(c)
		f, _ := s.get(k.dir, k.rel)
		return f
	}
	v1 := write(s1, "one")
	v2 := write(s1, "two")
	if v2.mod.at.Before(v1.mod.at) || v2.mod.at.Equal(v1.mod.at) && !v2.mod.shared {
		t.Errorf("second version stamped %+v, first %+v: want a later second, or the same one marked shared", v2.mod, v1.mod)
	}
	if write(s1, "two") != v2 {
		t.Error("the same bytes again made a new version")
	}
	s1.setOverlay("<div>problem</div>")
	if o := write(s2, "two"); o.tag() != v2.tag() {
		t.Errorf("the same bytes in two runs: ETags %q and %q", o.tag(), v2.tag())
	}
	if v1.tag() == v2.tag() {
		t.Error("different bytes, same ETag")
	}
	_, tag1, _ := s2.overlay()
	_, tag2, _ := s1.overlay()
	if tag1 == tag2 {
		t.Error("the overlay does not change the ETag")
	}
}

// TestHalfWrittenFileSettles: a page read while an editor is still writing
// it keeps its last good version, and is read again once quiet before any
// error is shown.
func TestHalfWrittenFileSettles(t *testing.T) {
	dir := copySite(t)
	e := newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
	if _, err := e.full("first"); err != nil {
		t.Fatal(err)
	}
	event := batch{paths: []string{unlock}}
	quiet := batch{paths: []string{unlock}, quiet: map[string]bool{unlock: true}}
	whole := strings.Replace(readFile(t, dir, unlock), "\n\n", "\n\nWHOLE-FILE\n\n", 1)
	writeFile(t, dir, unlock, "---\ntitle")
	if rep, err := e.rebuildEvents(event); err != nil || len(rep.changed) != 0 {
		t.Fatalf("half a file: %v, %d files changed", err, len(rep.changed))
	}
	if w := e.takeWaiting(); !slices.Equal(w, []string{unlock}) {
		t.Fatalf("waiting for %v, want the half-written page", w)
	}
	writeFile(t, dir, unlock, whole) // the editor finishes writing
	if _, err := e.rebuildEvents(quiet); err != nil {
		t.Fatal(err)
	}
	if f, _ := e.store.get("jp", unlockURL); !bytes.Contains(f.data, []byte("WHOLE-FILE")) {
		t.Error("the whole file is not served")
	}
	// A file that stays broken is reported once it was quiet.
	writeFile(t, dir, unlock, "---\ntitle: [unclosed\n---\n")
	if _, err := e.rebuildEvents(event); err != nil || len(e.takeWaiting()) != 1 {
		t.Fatalf("a broken file just saved: error %v shown at once", err)
	}
	if _, err := e.rebuildEvents(quiet); err == nil || len(e.takeWaiting()) != 0 {
		t.Fatalf("a broken file that stayed so: error %v", err)
	}
}

// TestServeAudit covers what `helpgen build` and serve must agree on and
// what serve adds: editor files skipped the same way, hidden static files
// served, the checks' findings shown, region links to the local servers,
// no live script in fragments, log lines naming real files.
func TestServeAudit(t *testing.T) {
	dir := copySite(t)
	// An Emacs lock is a dangling link named like a page.
	if err := os.Symlink("writer@host.1:1", filepath.Join(dir, "content/general/ja/login/.#unlock.md")); err != nil {
		t.Fatal(err)
	}
	// data.bak is a file no page uses: the unusedStatic check would list it
	// among the findings this test expects to come and go.
	writeFile(t, dir, "helpgen.toml", readFile(t, dir, "helpgen.toml")+"unusedStatic = \"off\"\n")
	writeFile(t, dir, "static/.well-known/security.txt", "Contact: SECURITY")
	writeFile(t, dir, "static/data.bak", "DATA-BAK")
	writeFile(t, dir, "static/notes.txt~", "BACKUP")
	srv := start(t, dir)
	jp, cn := srv.addrs[1].URL, srv.addrs[0].URL
	if st, b := get(t, jp+unlockURL); st != 200 || strings.Contains(b, `id="helpgen-error"`) {
		t.Fatalf("the lock file broke the site: %d\n%s", st, srv.out.String())
	}
	for rel, want := range map[string]int{".well-known/security.txt": 200, "data.bak": 200, "notes.txt~": 404} {
		if st, _ := get(t, jp+rel); st != want {
			t.Errorf("static %s: %d, want %d", rel, st, want)
		}
	}
	dest := t.TempDir()
	if _, err := build.Run(build.RunOptions{Site: dir, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatalf("build with the lock file: %v", err)
	}
	for rel, want := range map[string]bool{".well-known/security.txt": true, "data.bak": true, "notes.txt~": false} {
		if _, err := os.Stat(filepath.Join(dest, "jp", rel)); (err == nil) != want {
			t.Errorf("build: static %s copied %v, want %v", rel, err == nil, want)
		}
	}
	// Added while serving: the same.
	writeFile(t, dir, "static/.well-known/later.txt", "LATER")
	writeFile(t, dir, "static/.later.txt.swp", "SWAP")
	eventually(t, "a hidden static file added", func() bool { st, _ := get(t, jp+".well-known/later.txt"); return st == 200 })
	if st, _ := get(t, jp+".later.txt.swp"); st != 404 {
		t.Errorf("a swap file in static/ is served: %d", st)
	}

	// The region switcher leads to the local servers.
	_, page := get(t, jp+unlockURL)
	if !strings.Contains(page, cn+unlockURL) || strings.Contains(page, "help.example.com") {
		t.Errorf("the JP page does not link CN's local server %s", cn)
	}
	// The fragments the theme loads have no live script: the tree's levels,
	// and the list of the other regions' pages CN's 404 page reads.
	for _, u := range []string{jp + theme.TreeFile, jp + theme.SectionTreeFile("/general/ja/login/"), cn + theme.WhereDir + "/0.json"} {
		if st, frag := get(t, u); st != 200 || strings.Contains(frag, "helpgen-live") || frag == "" {
			t.Errorf("%s: %d, empty or live script injected", u, st)
		}
	}

	// A broken link fails `helpgen build`: serve shows it, then its fix.
	events := stream(t, jp)
	replaceIn(t, dir, unlock, "\n\n", "\n\n[gone](/general/ja/no-such-page.html)\n\n")
	ev := waitEvent(t, events, "problem")
	if !strings.Contains(ev.data, "no-such-page.html: no such page") || !strings.Contains(ev.data, "helpgen build would fail") {
		t.Errorf("the problem event lacks the finding: %s", ev.data)
	}
	eventually(t, "the finding in the page", func() bool {
		_, b := get(t, jp+unlockURL)
		return strings.Contains(b, "no such page")
	})
	if !strings.Contains(srv.out.String(), "unlock.md:") || !strings.Contains(srv.out.String(), "check: 1 error") {
		t.Errorf("the terminal does not show the finding:\n%s", srv.out.String())
	}
	replaceIn(t, dir, unlock, "[gone](/general/ja/no-such-page.html)", "fixed")
	waitEvent(t, events, "ok")

	// sed -i writes a temporary file and renames it over the layout.
	tmp := filepath.Join(dir, "layouts/_default/sedTmp123")
	if err := os.WriteFile(tmp, []byte(readFile(t, dir, "layouts/_default/single.html")+"<!-- SED -->"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "layouts/_default/single.html")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the layout change", func() bool {
		return strings.Contains(srv.out.String(), "rebuilt everything (layouts/_default/single.html changed)")
	})
	// The write and the rename may land in two batches under load; the
	// first then names the temporary file, the only one it saw. The line
	// of the rename must name the layout alone.
	for _, line := range strings.Split(srv.out.String(), "\n") {
		if strings.Contains(line, "single.html") && strings.Contains(line, "sedTmp123") {
			t.Errorf("the log names the temporary file beside the layout: %s", line)
		}
	}
	writeFile(t, dir, "static/a.css", "a")
	writeFile(t, dir, "static/b.css", "b")
	eventually(t, "static names in the log", func() bool { return strings.Contains(srv.out.String(), "static/a.css") })
}

// TestServeSymlinkedTops serves a site whose content/ and static/ are links
// to folders elsewhere in the site, as some writers keep them, and watches
// through them.
func TestServeSymlinkedTops(t *testing.T) {
	dir := copySite(t)
	elsewhere := filepath.Join(dir, "src")
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, top := range []string{"content", "static"} {
		if err := os.Rename(filepath.Join(dir, top), filepath.Join(elsewhere, top)); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(elsewhere, top), filepath.Join(dir, top)); err != nil {
			t.Fatal(err)
		}
	}
	srv := start(t, dir)
	base := srv.addrs[0].URL
	replaceIn(t, elsewhere, "content/general/ja/login/unlock.md", "\n\n", "\n\nTHROUGH-THE-LINK\n\n")
	eventually(t, "the edit through a linked content/", func() bool {
		_, b := get(t, base+unlockURL)
		return strings.Contains(b, "THROUGH-THE-LINK")
	})
	writeFile(t, elsewhere, "static/linked.txt", "LINKED")
	eventually(t, "a file in a linked static/", func() bool { st, _ := get(t, base+"linked.txt"); return st == 200 })
}

// TestServeFirstBuildFails does not claim a last good site when there was
// none, and serves the error until the page is fixed.
func TestServeFirstBuildFails(t *testing.T) {
	dir := copySite(t)
	orig := readFile(t, dir, unlock)
	writeFile(t, dir, unlock, "---\ntitle: [unclosed\n---\n")
	srv := start(t, dir)
	if out := srv.out.String(); !strings.Contains(out, "nothing to serve until it is fixed") || strings.Contains(out, "last good") {
		t.Errorf("first build failed:\n%s", out)
	}
	if st, b := get(t, srv.addrs[0].URL+unlockURL); st != http.StatusNotFound || !strings.Contains(b, `id="helpgen-error"`) {
		t.Errorf("with no site: %d, overlay shown %v", st, strings.Contains(b, `id="helpgen-error"`))
	}
	writeFile(t, dir, unlock, orig)
	eventually(t, "the fixed site", func() bool { st, _ := get(t, srv.addrs[0].URL+unlockURL); return st == 200 })
	eventually(t, "the rebuild after the error explained", func() bool {
		return strings.Contains(srv.out.String(), "unlock.md changed; the last full build had failed)")
	})
}

func TestLocalHost(t *testing.T) {
	for bind, want := range map[string]string{"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "127.0.0.1",
		"127.0.0.1": "127.0.0.1", "192.168.1.5": "192.168.1.5", "localhost": "localhost"} {
		if got := localHost(bind); got != want {
			t.Errorf("localHost(%q) = %q, want %q", bind, got, want)
		}
	}
	var b bytes.Buffer
	printOthers(&b, "0.0.0.0", []Addr{{"CN", "http://127.0.0.1:1313/"}})
	if !strings.HasPrefix(b.String(), "listening on every interface (--bind 0.0.0.0)") {
		t.Errorf("printOthers: %q", b.String())
	}
}

// firstReadHalf is a site whose first read of one file returns half of it,
// as when the editor is still writing, and the whole file after.
type firstReadHalf struct {
	fs.FS
	name  string
	reads int
}

func (f *firstReadHalf) ReadFile(name string) ([]byte, error) {
	data, err := fs.ReadFile(f.FS, name)
	if name == f.name {
		f.reads++
		if f.reads == 1 && err == nil {
			data = data[:min(len(data), 12)] // in the front matter
		}
	}
	return data, err
}

// TestHalfWrittenFirstRead: the editor finished writing between the first
// read and the one after the quiet period; the error of the half-written
// bytes is never shown.
func TestHalfWrittenFirstRead(t *testing.T) {
	dir := copySite(t)
	e := newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
	if _, err := e.full("first"); err != nil {
		t.Fatal(err)
	}
	half := &firstReadHalf{FS: e.fsys, name: unlock}
	e.fsys = half
	replaceIn(t, dir, unlock, "\n\n", "\n\nWHOLE-FILE\n\n")
	if _, err := e.rebuildEvents(batch{paths: []string{unlock}}); err != nil {
		t.Fatalf("the half read: %v", err)
	}
	if _, err := e.rebuildEvents(batch{paths: e.takeWaiting(), quiet: map[string]bool{unlock: true}}); err != nil || half.reads != 2 {
		t.Fatalf("after %d reads: %v", half.reads, err)
	}
	if f, _ := e.store.get("jp", unlockURL); !bytes.Contains(f.data, []byte("WHOLE-FILE")) {
		t.Error("the whole file is not served")
	}
}
