package serve

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
)

// step is one thing a writer's editor does to the site at a virtual time:
// it changes the files, and the watcher gets the events named.
type step struct {
	at     time.Duration
	do     func()
	events []fsnotify.Event
}

// virtualServe runs the watcher in virtual time over the engine of the
// site at dir, as serve's loop does: each batch is rebuilt, the files it
// could not read whole are asked for again, and the checks run. Each step
// happens before a timer due at the same time fires, so that a batch sees
// the files as the step left them.
type virtualServe struct {
	t      *testing.T
	e      *engine
	w      *watcher
	clock  time.Time
	armed  chan time.Duration
	tick   chan time.Time
	due    time.Time
	events chan fsnotify.Event
}

func newVirtualServe(t *testing.T, dir string) *virtualServe {
	t.Helper()
	v := virtualWatcher(t, dir)
	v.e = newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
	if _, err := v.e.full("first"); err != nil {
		t.Fatal(err)
	}
	v.e.check()
	return v
}

// virtualWatcher runs a watcher of root in virtual time (quiet 10 ms, limit
// 200 ms) until the test ends.
func virtualWatcher(t *testing.T, root string) *virtualServe {
	v := &virtualServe{t: t, armed: make(chan time.Duration), events: make(chan fsnotify.Event), clock: time.Unix(1e9, 0)}
	v.w = &watcher{events: v.events, errors: make(chan error), root: root, out: make(chan batch),
		quiet: 10 * time.Millisecond, limit: 200 * time.Millisecond, errs: func(error) {}, wake: make(chan struct{}, 1),
		now: func() time.Time { return v.clock },
		after: func(d time.Duration) <-chan time.Time {
			c := make(chan time.Time, 1)
			v.tick, v.due = c, v.clock.Add(d)
			v.armed <- d
			return c
		}}
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go v.w.run(done)
	return v
}

// settle waits until the watcher handled what it was given: it set its
// timer, or it has a batch, which is then rebuilt.
func (v *virtualServe) settle(after func()) {
	v.t.Helper()
	select {
	case <-v.armed:
	case b := <-v.w.out:
		_, _ = v.e.rebuildEvents(b) // errors are what after looks at
		waiting := v.e.takeWaiting()
		v.e.check()
		if after != nil {
			after()
		}
		if len(waiting) > 0 {
			v.w.ask(waiting)
			v.settle(after)
		}
	case <-time.After(30 * time.Second):
		v.t.Fatal("the watcher did not answer")
	}
}

// run plays the steps, then lets every timer fire; after is called after
// every rebuild.
func (v *virtualServe) run(steps []step, after func()) {
	v.t.Helper()
	start := v.clock
	fire := func(until time.Time) {
		for v.tick != nil && !v.due.After(until) {
			v.clock = v.due
			c := v.tick
			v.tick = nil
			c <- v.clock
			v.settle(after)
		}
	}
	for _, s := range steps {
		fire(start.Add(s.at - 1))
		v.clock = start.Add(s.at)
		s.do()
		for _, ev := range s.events {
			v.events <- ev
			v.settle(after)
		}
	}
	fire(v.clock.Add(time.Hour))
}

// TestInPlaceSavesDoNotFlash saves a page 100 times a second the way an
// editor that does not save atomically does: the file is emptied, and
// written 8 ms later. Batches that read the empty file keep the page as it
// was; no error is ever shown, and the last save is served. A save that
// stops half way for longer than a quiet period is an error, shown once.
func TestInPlaceSavesDoNotFlash(t *testing.T) {
	dir := copySite(t)
	v := newVirtualServe(t, dir)
	name := filepath.Join(dir, filepath.FromSlash(unlock))
	orig := readFile(t, dir, unlock)
	write := fsnotify.Event{Name: name, Op: fsnotify.Write}
	version := func(i int) string {
		return strings.Replace(orig, "\n\n", "\n\nSAVE-"+strings.Repeat("v", i+1)+"\n\n", 1)
	}
	var steps []step
	for i := range 100 {
		// A save every 10 ms, so that batches come at the limit, mostly
		// while the file is empty; after every 25th a pause of 14 ms, longer
		// than the quiet period, brings a batch of the whole file.
		at := time.Duration(i)*10*time.Millisecond + time.Duration(i/25)*12*time.Millisecond + 5*time.Millisecond
		steps = append(steps,
			step{at, func() { truncate(t, name) }, []fsnotify.Event{write}},
			step{at + 8*time.Millisecond, func() { writeFile(t, dir, unlock, version(i)) }, []fsnotify.Event{write}})
	}
	flashes, rebuilds, emptyReads := 0, 0, 0
	showing := false
	observe := func() {
		rebuilds++
		if len(readFile(t, dir, unlock)) == 0 {
			emptyReads++
		}
		has := len(v.e.errs()) > 0
		if has && !showing {
			flashes++
			t.Logf("error shown after rebuild %d: %v", rebuilds, v.e.errs())
		}
		showing = has
		if f, ok := v.e.store.get("jp", unlockURL); !ok || len(f.data) == 0 {
			t.Fatalf("rebuild %d: the page is not served", rebuilds)
		}
	}
	v.run(steps, observe)
	if emptyReads == 0 {
		t.Fatal("no batch came while the file was empty: the test tests nothing")
	}
	t.Logf("%d rebuilds, %d of them while the file was empty", rebuilds, emptyReads)
	if flashes != 0 {
		t.Errorf("%d errors flashed in %d rebuilds (%d of the empty file)", flashes, rebuilds, emptyReads)
	}
	if f, _ := v.e.store.get("jp", unlockURL); !strings.Contains(string(f.data), "SAVE-"+strings.Repeat("v", 100)+"<") {
		t.Error("the last save is not served")
	}

	// A save that stops half way for a whole quiet period is an error.
	v.run([]step{
		{0, func() { truncate(t, name) }, []fsnotify.Event{write}},
		{50 * time.Millisecond, func() { writeFile(t, dir, unlock, orig) }, []fsnotify.Event{write}},
	}, observe)
	if flashes != 1 || showing {
		t.Errorf("a file left empty for 50 ms: %d errors shown, still showing %v; want one, then fixed", flashes, showing)
	}
}

func truncate(t *testing.T, name string) {
	t.Helper()
	if err := os.Truncate(name, 0); err != nil {
		t.Fatal(err)
	}
}

// TestDeleteRecreate deletes a page that others link to and writes it
// again, as editors that rename the page away before writing it do: the page
// never leaves the served site and no check calls it a draft. Deleted for
// longer than a quiet period, it is gone, then back.
func TestDeleteRecreate(t *testing.T) {
	dir := copySite(t)
	v := newVirtualServe(t, dir)
	name := filepath.Join(dir, filepath.FromSlash(unlock))
	orig := readFile(t, dir, unlock)
	remove := func() {
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
	}
	before := findingTexts(v.e)
	var served []bool
	var said []string
	observe := func() {
		_, ok := v.e.store.get("jp", unlockURL)
		served = append(served, ok)
		for _, f := range findingTexts(v.e) {
			if strings.Contains(f, "unlock.html") {
				said = append(said, f)
			}
		}
	}
	gone := fsnotify.Event{Name: name, Op: fsnotify.Remove}
	created := []fsnotify.Event{{Name: name, Op: fsnotify.Create}, {Name: name, Op: fsnotify.Write}}
	v.run([]step{
		{0, remove, []fsnotify.Event{gone}},
		{15 * time.Millisecond, func() { writeFile(t, dir, unlock, orig) }, created},
	}, observe)
	for i, ok := range served {
		if !ok {
			t.Errorf("rebuild %d of %d: the page deleted and written again 15 ms later is not served", i+1, len(served))
		}
	}
	if len(said) > 0 {
		t.Errorf("findings while the page was written again:\n%s", strings.Join(said, "\n"))
	}
	if after := findingTexts(v.e); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Errorf("findings changed: %v, were %v", after, before)
	}

	// Away for 100 ms: gone from the site, links to it are broken (not to a
	// draft), and it comes back.
	served, said = nil, nil
	v.run([]step{
		{0, remove, []fsnotify.Event{gone}},
		{100 * time.Millisecond, func() { writeFile(t, dir, unlock, orig) }, created},
	}, observe)
	if len(served) < 2 || served[len(served)-1] != true || !contains(served, false) {
		t.Errorf("a page away for 100 ms: served after each rebuild %v, want gone, then back", served)
	}
	if len(said) == 0 {
		t.Error("no finding on the links to the page while it was gone")
	}
	for _, f := range said {
		if !strings.Contains(f, "no such page") {
			t.Errorf("a link to the deleted page: %s", f)
		}
	}
	if after := findingTexts(v.e); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Errorf("findings after it came back: %v, were %v", after, before)
	}
}

func contains(l []bool, b bool) bool {
	for _, x := range l {
		if x == b {
			return true
		}
	}
	return false
}

// TestRecreatedPageIsNotADraft: a page deleted, and written again before
// the checks of the deletion's rebuild run, is a missing page to them (the
// served site has none), not a draft; once read again it is a page. A real
// draft is still called one.
func TestRecreatedPageIsNotADraft(t *testing.T) {
	dir := copySite(t)
	e := checkedEngine(t, dir)
	orig := readFile(t, dir, unlock)
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(unlock))); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rebuild([]string{unlock}); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, unlock, orig) // before the checks run
	e.check()
	found := strings.Join(findingTexts(e), "\n")
	if strings.Contains(found, "draft") || !strings.Contains(found, "unlock.html") {
		t.Errorf("links to a page deleted and not yet read again:\n%s", found)
	}
	if _, err := e.rebuild([]string{unlock}); err != nil {
		t.Fatal(err)
	}
	e.check()
	sameFindings(t, "the page read again", e, dir)

	replaceIn(t, dir, unlock, "---\n", "---\ndraft: true\n")
	if _, err := e.rebuild([]string{unlock}); err != nil {
		t.Fatal(err)
	}
	e.check()
	sameFindings(t, "the page made a draft", e, dir)
	if found := strings.Join(findingTexts(e), "\n"); !strings.Contains(found, "the page is a draft") {
		t.Errorf("links to a draft do not say so:\n%s", found)
	}
	// A draft at the first build is known as one too.
	if found := strings.Join(findingTexts(checkedEngine(t, dir)), "\n"); !strings.Contains(found, "the page is a draft") {
		t.Errorf("links to a draft at the first build do not say so:\n%s", found)
	}
}

// TestMovedPageGoesAtOnce: a page moved (mv, a folder renamed) is not kept
// at its old place while the new one is read, which would serve both and
// make its aliases collide.
func TestMovedPageGoesAtOnce(t *testing.T) {
	dir := copySite(t)
	replaceIn(t, dir, login, "---\n", "---\naliases: [/ja/id/999001]\n")
	e := newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
	if _, err := e.full("first"); err != nil {
		t.Fatal(err)
	}
	moved := "content/general/ja/login/login-moved.md"
	if err := os.Rename(filepath.Join(dir, login), filepath.Join(dir, moved)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rebuildEvents(batch{paths: []string{login, moved}}); err != nil {
		t.Fatalf("a page moved: %v", err)
	}
	if w := e.takeWaiting(); len(w) != 0 {
		t.Errorf("waiting for %v", w)
	}
	if _, err := e.reindex(); err != nil {
		t.Fatal(err)
	}
	sameSite(t, "a page moved", snapshot(e.store), fullBuild(t, dir))

	if err := os.Rename(filepath.Join(dir, "content/general/ja/login"), filepath.Join(dir, "content/general/ja/signin")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rebuildEvents(batch{paths: []string{"content/general/ja/login", "content/general/ja/signin"}}); err != nil {
		t.Fatalf("a folder renamed: %v", err)
	}
	if w := e.takeWaiting(); len(w) != 0 {
		t.Errorf("waiting for %v", w)
	}
	if _, err := e.reindex(); err != nil {
		t.Fatal(err)
	}
	sameSite(t, "a folder renamed", snapshot(e.store), fullBuild(t, dir))
}

// TestWatcherAsksAgain: a file asked for again comes back after a quiet
// period, marked quiet when no event touched it; an event on it meanwhile,
// or a batch cut at the limit before its quiet period passed, does not mark
// it.
func TestWatcherAsksAgain(t *testing.T) {
	root := t.TempDir()
	const f = "content/a.md"
	name := filepath.Join(root, filepath.FromSlash(f))
	type want struct {
		paths []string
		quiet bool
	}
	for _, c := range []struct {
		name  string
		steps []step // events only: do is nil
		ask   time.Duration
		want  []want
	}{
		{"quiet", nil, 0, []want{{[]string{f}, true}}},
		{"saved meanwhile", []step{{5 * time.Millisecond, nil, []fsnotify.Event{{Name: name, Op: fsnotify.Write}}}}, 0,
			[]want{{[]string{f}, false}}},
		{"another file saved meanwhile", []step{{5 * time.Millisecond, nil, []fsnotify.Event{{Name: filepath.Join(root, "content", "b.md"), Op: fsnotify.Write}}}}, 0,
			[]want{{[]string{f, "content/b.md"}, true}}},
		{"cut at the limit", saves(filepath.Join(root, "content", "b.md"), -195*time.Millisecond, 5*time.Millisecond), 0,
			[]want{{[]string{f, "content/b.md"}, false}}},
	} {
		v := virtualWatcher(t, root)
		start := v.clock.Add(200 * time.Millisecond)
		var got []batch
		next := func() {
			t.Helper()
			select {
			case <-v.armed:
			case b := <-v.w.out:
				got = append(got, b)
			case <-time.After(30 * time.Second):
				t.Fatalf("%s: the watcher did not answer", c.name)
			}
		}
		fire := func(until time.Time) {
			for v.tick != nil && !v.due.After(until) {
				v.clock = v.due
				ch := v.tick
				v.tick = nil
				ch <- v.clock
				next()
			}
		}
		asked := false
		steps := append([]step{{c.ask, nil, nil}}, c.steps...)
		sort.Slice(steps, func(i, j int) bool { return steps[i].at < steps[j].at })
		for _, s := range steps {
			fire(start.Add(s.at - 1))
			v.clock = start.Add(s.at)
			if s.events == nil && !asked {
				asked = true
				v.w.ask([]string{f})
				next()
			}
			for _, ev := range s.events {
				v.events <- ev
				next()
			}
		}
		fire(v.clock.Add(time.Hour))
		if len(got) != len(c.want) {
			t.Errorf("%s: %d batches, want %d", c.name, len(got), len(c.want))
			continue
		}
		for i, b := range got {
			sort.Strings(b.paths)
			if strings.Join(b.paths, " ") != strings.Join(c.want[i].paths, " ") || b.quiet[f] != c.want[i].quiet {
				t.Errorf("%s: batch %v quiet %v, want %v quiet %v", c.name, b.paths, b.quiet, c.want[i].paths, c.want[i].quiet)
			}
		}
	}
}

// saves are a write to name every 5 ms from from to to, for the watcher alone.
func saves(name string, from, to time.Duration) []step {
	var out []step
	for at := from; at <= to; at += 5 * time.Millisecond {
		out = append(out, step{at, nil, []fsnotify.Event{{Name: name, Op: fsnotify.Write}}})
	}
	return out
}

// TestMidSaveDuringFullRebuild: a layout saved while a page is emptied for
// its save rebuilds everything; the page's error waits, like a page's own
// rebuild, for the page to be quiet, and the layout is served then.
func TestMidSaveDuringFullRebuild(t *testing.T) {
	dir := copySite(t)
	e := newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
	if _, err := e.full("first"); err != nil {
		t.Fatal(err)
	}
	const layout = "layouts/_default/single.html"
	orig := readFile(t, dir, unlock)
	replaceIn(t, dir, layout, "<article", "<p>LAYOUT-EDIT</p><article")
	truncate(t, filepath.Join(dir, filepath.FromSlash(unlock)))
	if _, err := e.rebuildEvents(batch{paths: []string{layout, unlock}}); err != nil || len(e.errs()) > 0 {
		t.Fatalf("a page emptied for its save during a full rebuild: %v %v", err, e.errs())
	}
	waiting := e.takeWaiting()
	if len(waiting) != 1 || waiting[0] != unlock {
		t.Fatalf("waiting for %v", waiting)
	}
	writeFile(t, dir, unlock, orig)
	if _, err := e.rebuildEvents(batch{paths: waiting, quiet: map[string]bool{unlock: true}}); err != nil {
		t.Fatal(err)
	}
	if f, _ := e.store.get("jp", unlockURL); !strings.Contains(string(f.data), "LAYOUT-EDIT") {
		t.Error("the layout is not served once the page is whole")
	}
	// Left empty for a quiet period: the error shows.
	replaceIn(t, dir, layout, "LAYOUT-EDIT", "LAYOUT-EDIT-2")
	truncate(t, filepath.Join(dir, filepath.FromSlash(unlock)))
	if _, err := e.rebuildEvents(batch{paths: []string{layout, unlock}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rebuildEvents(batch{paths: e.takeWaiting(), quiet: map[string]bool{unlock: true}}); err == nil || len(e.errs()) == 0 {
		t.Error("a page left empty: no error once quiet")
	}
	// An error already shown is not hidden by a save of the page.
	truncate(t, filepath.Join(dir, filepath.FromSlash(unlock)))
	if _, err := e.rebuildEvents(batch{paths: []string{unlock}}); err == nil || len(e.errs()) == 0 {
		t.Error("the error shown went away while the page is still empty")
	}
}

// TestSiteWideChecksFollowChanges: the checks of the whole site see every
// page after a change to one: a title made the same as an unchanged
// sibling's is reported on both pages, and clearing it clears both.
func TestSiteWideChecksFollowChanges(t *testing.T) {
	dir := copySite(t)
	e := checkedEngine(t, dir)
	for _, tt := range []struct{ step, from, to string }{
		{"a sibling's title", `title: "アカウントがロックされたら"`, `title: "一時的な管理者を作成する"`},
		{"its own title again", `title: "一時的な管理者を作成する"`, `title: "アカウントがロックされたら"`},
	} {
		replaceIn(t, dir, unlock, tt.from, tt.to)
		if _, err := e.rebuild([]string{unlock}); err != nil {
			t.Fatal(err)
		}
		e.check()
		sameFindings(t, tt.step, e, dir)
	}
	if found := strings.Join(findingTexts(e), "\n"); strings.Contains(found, "is also the title") {
		t.Errorf("the duplicate title stays:\n%s", found)
	}
}
