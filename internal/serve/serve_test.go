package serve

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
)

// running is a serve started by a test.
type running struct {
	addrs   []Addr
	rebuilt chan Rebuild
	stop    func()
	out     *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs serve on free ports for the site at dir until the test ends.
func start(t testing.TB, dir string) *running {
	t.Helper()
	return startWith(t, dir, nil)
}

// startWith is start with options changed by set.
func startWith(t testing.TB, dir string, set func(*Options)) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{rebuilt: make(chan Rebuild, 1024), out: &syncBuffer{}}
	ready := make(chan []Addr, 1)
	done := make(chan error, 1)
	opt := Options{Site: dir, Defaults: helpgen.Defaults, Port: 0, Stdout: r.out, Stderr: r.out,
		Ready: func(a []Addr) { ready <- a },
		Rebuilt: func(rb Rebuild) {
			select {
			case r.rebuilt <- rb:
			default:
			}
		}}
	if set != nil {
		set(&opt)
	}
	go func() { done <- Run(ctx, opt) }()
	select {
	case r.addrs = <-ready:
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, r.out.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	<-r.rebuilt // the first build
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("serve did not shut down within 10 s")
			}
		})
	}
	t.Cleanup(r.stop)
	return r
}

func get(t testing.TB, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// eventually polls cond until it holds or ten seconds pass.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stream reads a region's event stream into a channel of event names and data.
func stream(t testing.TB, base string) <-chan event {
	t.Helper()
	req, err := http.NewRequest("GET", strings.TrimSuffix(base, "/")+EventsPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("event stream content type %q", ct)
	}
	ch := make(chan event, 64)
	go func() {
		defer close(ch)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		var ev event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			case line == "" && ev.name != "":
				ch <- ev
				ev = event{}
			}
		}
	}()
	return ch
}

// waitEvent returns the next event named name, skipping others, or the
// next event when name is "".
func waitEvent(t testing.TB, ch <-chan event, name string) event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("event stream closed while waiting for %q", name)
			}
			if ev.name == name || name == "" {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %q event", name)
		}
	}
}

const unlockURL = "general/ja/login/unlock.html"

// TestServeEndToEnd runs serve on free ports over a copy of the bundled
// site, as a writer's browser and editor would use it.
func TestServeEndToEnd(t *testing.T) {
	dir := copySite(t)
	srv := start(t, dir)
	if len(srv.addrs) != 3 {
		t.Fatalf("serving %d regions, want 3", len(srv.addrs))
	}
	for i, a := range srv.addrs {
		if want := []string{"CN", "JP", "US"}[i]; a.Code != want || !strings.HasPrefix(a.URL, "http://127.0.0.1:") {
			t.Errorf("region %d is %s at %s, want %s on 127.0.0.1", i, a.Code, a.URL, want)
		}
		if !strings.Contains(srv.out.String(), a.Code+"  "+a.URL+"\n") {
			t.Errorf("output lacks the line for %s:\n%s", a.Code, srv.out.String())
		}
	}
	events := stream(t, srv.addrs[1].URL)
	everywhere := func(what string, ok func(status int, body string) bool) {
		t.Helper()
		for _, a := range srv.addrs {
			eventually(t, what+" in "+a.Code, func() bool { return ok(get(t, a.URL+unlockURL)) })
		}
	}

	// A served page carries the live script; the built site does not.
	_, body := get(t, srv.addrs[0].URL+unlockURL)
	if !strings.Contains(body, `id="helpgen-live"`) || strings.Contains(body, `id="helpgen-error"`) {
		t.Fatal("a served page lacks the live script or shows an overlay")
	}
	dest := t.TempDir()
	if _, err := build.Run(build.RunOptions{Site: dir, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
	if b := readFile(t, dest, "cn/"+unlockURL); strings.Contains(b, "helpgen-live") || !strings.Contains(b, "</article>") {
		t.Fatal("helpgen build wrote the live script, or did not write the page")
	}

	// Edit the body: every region shows the new text, the browser is told.
	replaceIn(t, dir, unlock, "\n\n", "\n\nE2E-FIRST-EDIT\n\n")
	everywhere("the edit", func(st int, b string) bool { return st == 200 && strings.Contains(b, "E2E-FIRST-EDIT") })
	waitEvent(t, events, "reload")

	// Break the page: the last good page stays, with the error over it.
	replaceIn(t, dir, unlock, "E2E-FIRST-EDIT", "{{% enabled JPN %}}E2E-BROKEN{{% /enabled %}}")
	ev := waitEvent(t, events, "problem")
	if !strings.Contains(ev.data, "general/ja/login/unlock.md:") || !strings.Contains(ev.data, "JPN") {
		t.Errorf("the problem event does not name the file and the mistake: %s", ev.data)
	}
	everywhere("the overlay", func(st int, b string) bool {
		return st == 200 && strings.Contains(b, `id="helpgen-error"`) && strings.Contains(b, "E2E-FIRST-EDIT") &&
			strings.Contains(b, "unlock.md:")
	})
	if !strings.Contains(srv.out.String(), "unlock.md:") {
		t.Errorf("the terminal does not show the positioned error:\n%s", srv.out.String())
	}

	// Fix it: the overlay goes away and the fixed text shows.
	replaceIn(t, dir, unlock, "{{% enabled JPN %}}E2E-BROKEN{{% /enabled %}}", "E2E-FIXED")
	waitEvent(t, events, "ok")
	everywhere("the fix", func(st int, b string) bool {
		return st == 200 && strings.Contains(b, "E2E-FIXED") && !strings.Contains(b, `id="helpgen-error"`)
	})
	waitEvent(t, events, "reload")

	// Delete it: gone from every region.
	if err := os.Remove(filepath.Join(dir, unlock)); err != nil {
		t.Fatal(err)
	}
	everywhere("404", func(st int, b string) bool { return st == 404 })
	waitEvent(t, events, "reload")

	// Ctrl-C: the open event stream does not hold the shutdown up.
	srv.stop()
	for range events {
	}
	if !strings.Contains(srv.out.String(), "ready in") {
		t.Errorf("rebuilds do not say how long they took:\n%s", srv.out.String())
	}
}

// rawGet sends path exactly as written, without the client cleaning it.
func rawGet(t testing.TB, base, method, path string, header ...string) (int, http.Header, string) {
	t.Helper()
	host := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
	for _, h := range header {
		req += h + "\r\n"
	}
	if _, err := io.WriteString(conn, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestServeOnlyTheSite asks for files outside the built site every way a
// path can say so, through symbolic links in static/ too: those are errors
// naming the link, never copied.
func TestServeOnlyTheSite(t *testing.T) {
	dir := copySite(t)
	outside := t.TempDir()
	writeFile(t, outside, "secret.txt", "TOP-SECRET")
	writeFile(t, dir, "secret.txt", "TOP-SECRET") // in the site folder, not in the built site
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "static", "linked.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "static", "linkdir")); err != nil {
		t.Fatal(err)
	}
	srv := start(t, dir)
	base := srv.addrs[0].URL
	for _, p := range []string{
		"/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt",
		"/..%2fsecret.txt", "/general%2f..%2f..%2fsecret.txt", "/..%5csecret.txt", "/general/..\\..\\secret.txt",
		"/./secret.txt", "//secret.txt", "/secret.txt", "/helpgen.toml", "/content/general/ja/login/unlock.md",
		"/linked.txt", "/linkdir/secret.txt", "/%00/secret.txt", "/static/linked.txt",
	} {
		st, _, body := rawGet(t, base, "GET", p)
		if st != 400 && st != 404 {
			t.Errorf("GET %s: status %d, want 400 or 404", p, st)
		}
		if strings.Contains(body, "TOP-SECRET") || strings.Contains(body, "[regions") {
			t.Errorf("GET %s: answered with a file outside the built site", p)
		}
	}
	for _, link := range []string{"static/linked.txt: symbolic link to ", "static/linkdir: symbolic link to "} {
		if !strings.Contains(srv.out.String(), link) {
			t.Errorf("no error names %s:\n%s", link, srv.out.String())
		}
	}
	for _, f := range []string{"linked.txt", "linkdir"} {
		if err := os.Remove(filepath.Join(dir, "static", f)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "the site without the links", func() bool { st, _ := get(t, base+unlockURL); return st == 200 })
	// Static files added while serving: a link out of the site is not copied.
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "static", "later.txt")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "static/later-real.txt", "REAL")
	eventually(t, "the new static file", func() bool { st, _ := get(t, base+"later-real.txt"); return st == 200 })
	eventually(t, "the error of the link", func() bool { return strings.Contains(srv.out.String(), "static/later.txt: symbolic link to ") })
	if st, b := get(t, base+"later.txt"); st != 404 || strings.Contains(b, "TOP-SECRET") {
		t.Errorf("a link added to static/ while serving answers %d", st)
	}
	if strings.Contains(srv.out.String(), "TOP-SECRET") {
		t.Errorf("the log quotes the file outside:\n%s", srv.out.String())
	}
}

// TestServeHTTP checks content types, HEAD, conditional requests, redirects
// and methods.
func TestServeHTTP(t *testing.T) {
	srv := start(t, copySite(t))
	base := srv.addrs[0].URL
	for _, c := range []struct{ path, ctype string }{
		{"/" + unlockURL, "text/html; charset=utf-8"},
		{"/", "text/html; charset=utf-8"},
		{"/_theme/helpgen.css", "text/css; charset=utf-8"},
		{"/_theme/search.js", "text/javascript; charset=utf-8"},
		{"/sitemap.xml", "text/xml; charset=utf-8"},
		{"/robots.txt", "text/plain; charset=utf-8"},
		{"/_theme/favicon.svg", "image/svg+xml"},
		{"/general/img-ja/troubleshoot_first_img03.png", "image/png"},
		{"/_search/manifest.json", "application/json"},
	} {
		st, h, _ := rawGet(t, base, "GET", c.path)
		if st != 200 || h.Get("Content-Type") != c.ctype {
			t.Errorf("GET %s: %d %q, want 200 %q", c.path, st, h.Get("Content-Type"), c.ctype)
		}
	}
	st, h, body := rawGet(t, base, "HEAD", "/"+unlockURL)
	if st != 200 || body != "" || h.Get("Content-Length") == "" || h.Get("Last-Modified") == "" {
		t.Errorf("HEAD: %d, body %d bytes, length %q, modified %q", st, len(body), h.Get("Content-Length"), h.Get("Last-Modified"))
	}
	if st, _, _ := rawGet(t, base, "GET", "/"+unlockURL, "If-Modified-Since: "+h.Get("Last-Modified")); st != 304 {
		t.Errorf("If-Modified-Since: %d, want 304", st)
	}
	if st, _, _ := rawGet(t, base, "GET", "/"+unlockURL, "If-None-Match: "+h.Get("ETag")); st != 304 {
		t.Errorf("If-None-Match: %d, want 304", st)
	}
	if st, _, _ := rawGet(t, base, "GET", "/"+unlockURL, "If-Modified-Since: Mon, 02 Jan 2006 15:04:05 GMT"); st != 200 {
		t.Errorf("If-Modified-Since long ago: %d, want 200", st)
	}
	if st, h, _ := rawGet(t, base, "GET", "/general/ja/login?x=1"); st != 301 || h.Get("Location") != "/general/ja/login/?x=1" {
		t.Errorf("section without slash: %d to %q", st, h.Get("Location"))
	}
	if st, _, body := rawGet(t, base, "GET", "/no/such/page.html"); st != 404 || !strings.Contains(body, "helpgen-live") {
		t.Errorf("missing page: %d (the 404 page should carry the live script)", st)
	}
	if st, _, _ := rawGet(t, base, "POST", "/"+unlockURL, "Content-Length: 0"); st != 405 {
		t.Errorf("POST: %d, want 405", st)
	}
}

// unserved is a served file without what serve adds to pages: the overlay
// (check findings show in it) and the live script.
func unserved(body string) string {
	i := strings.Index(body, liveScript)
	if i < 0 {
		return body
	}
	start := i
	if j := strings.Index(body, `<div id="helpgen-error"`); j >= 0 && j < i {
		start = j
	}
	return body[:start] + body[i+len(liveScript):]
}

// matchesFull reports whether every region serves exactly what a fresh full
// build of the site at dir holds, and answers 404 for each of gone.
func matchesFull(t testing.TB, srv *running, dir string, gone ...string) bool {
	t.Helper()
	want := fullBuild(t, dir, srv.addrs...)
	for k, w := range want {
		var base string
		for _, a := range srv.addrs {
			if strings.ToLower(a.Code) == k.dir {
				base = a.URL
			}
		}
		st, body := get(t, base+k.rel)
		if st != 200 || unserved(body) != w {
			return false
		}
	}
	for _, a := range srv.addrs {
		for _, g := range gone {
			if st, _ := get(t, a.URL+g); st != 404 {
				return false
			}
		}
	}
	return true
}

// TestServeRobust makes changes the way writers and editors make them and
// checks after each that every region serves what a full build would: no
// crash, no stale page, nothing left over.
func TestServeRobust(t *testing.T) {
	if testing.Short() {
		t.Skip("several full-site comparisons over HTTP")
	}
	dir := copySite(t)
	srv := start(t, dir)
	settle := func(what string, gone ...string) {
		t.Helper()
		eventually(t, what, func() bool { return matchesFull(t, srv, dir, gone...) })
	}
	orig := readFile(t, dir, unlock)

	// 100 saves within a second.
	for i := range 100 {
		writeFile(t, dir, unlock, strings.Replace(orig, "\n\n", "\n\nSAVE-"+strings.Repeat("x", i)+"\n\n", 1))
		time.Sleep(8 * time.Millisecond)
	}
	settle("the 100th save")

	// A half-written file, then the rest of it.
	writeFile(t, dir, unlock, "---\ntitle: Half")
	time.Sleep(30 * time.Millisecond)
	writeFile(t, dir, unlock, strings.Replace(orig, "\n\n", "\n\nHALF-THEN-WHOLE\n\n", 1))
	settle("the whole file after half of it")

	// An editor's save: swap and backup files, a temporary file renamed over the page.
	writeFile(t, dir, "content/general/ja/login/.unlock.md.swp", "swap")
	writeFile(t, dir, "content/general/ja/login/unlock.md~", orig)
	writeFile(t, dir, "content/general/ja/login/4913", "")
	writeFile(t, dir, "content/general/ja/login/unlock.md.tmp", strings.Replace(orig, "\n\n", "\n\nRENAMED-OVER\n\n", 1))
	if err := os.Rename(filepath.Join(dir, "content/general/ja/login/unlock.md.tmp"), filepath.Join(dir, unlock)); err != nil {
		t.Fatal(err)
	}
	settle("a temporary file renamed over the page")

	// Invalid, then valid again.
	writeFile(t, dir, unlock, "---\ntitle: [unclosed\n---\n")
	eventually(t, "the overlay", func() bool {
		_, b := get(t, srv.addrs[0].URL+unlockURL)
		return strings.Contains(b, `id="helpgen-error"`)
	})
	writeFile(t, dir, unlock, orig)
	settle("the valid page again")

	// A folder renamed, a folder deleted.
	if err := os.Rename(filepath.Join(dir, "content/general/ja/user"), filepath.Join(dir, "content/general/ja/user2")); err != nil {
		t.Fatal(err)
	}
	settle("the renamed folder", "general/ja/user/personal_setting.html")
	if err := os.RemoveAll(filepath.Join(dir, "content/general/ja/admin")); err != nil {
		t.Fatal(err)
	}
	settle("the deleted folder", "general/ja/admin/list_old/domainid.html")

	// A new folder is watched: a page written into it later shows too.
	writeFile(t, dir, "content/general/ja/fresh/a/page.md", "---\ntitle: Fresh\n---\n\nFIRST\n")
	settle("a page in a new folder")
	writeFile(t, dir, "content/general/ja/fresh/a/page.md", "---\ntitle: Fresh\n---\n\nSECOND\n")
	settle("an edit in the new folder")
	if _, b := get(t, srv.addrs[2].URL+"general/ja/fresh/a/page.html"); !strings.Contains(b, "SECOND") {
		t.Error("the new folder's page was not rebuilt")
	}

	// Config changes reload everything.
	replaceIn(t, dir, "helpgen.toml", `service = "Kintone"`, `service = "Kintone Next"`)
	settle("the changed config")
	if strings.Contains(srv.out.String(), "panic") {
		t.Errorf("output mentions a panic:\n%s", srv.out.String())
	}
}

// TestReloadBeforeFindings: the browser is told to reload as soon as the
// page is served; the findings of the checks, which run after, follow.
func TestReloadBeforeFindings(t *testing.T) {
	dir := copySite(t)
	srv := start(t, dir)
	events := stream(t, srv.addrs[1].URL)
	if ev := waitEvent(t, events, ""); ev.name != "ok" {
		t.Fatalf("first event %q, want the empty overlay", ev.name)
	}
	replaceIn(t, dir, unlock, "\n\n", "\n\n[gone](/general/ja/no-such-page.html)\n\n")
	var names []string
	for !slices.Contains(names, "problem") {
		ev := waitEvent(t, events, "")
		names = append(names, ev.name)
		if ev.name == "problem" && !strings.Contains(ev.data, "no such page") {
			t.Errorf("the problem is not the finding: %s", ev.data)
		}
	}
	if names[0] != "reload" {
		t.Errorf("events %v: the reload waited for the checks", names)
	}
	out := srv.out.String()
	if r, f := strings.Index(out, "rebuilt "+unlock), strings.Index(out, "no such page"); r < 0 || f < r {
		t.Errorf("the rebuild is not printed before the finding:\n%s", out)
	}
}

// TestOneIndexJob saves a page while its search index is being refreshed:
// the stale refresh is stopped, and the next one starts only once it has
// returned, so that two never run side by side.
func TestOneIndexJob(t *testing.T) {
	var running, most atomic.Int32
	started := make(chan struct{}, 16)
	gate := make(chan struct{})
	var release sync.Once
	indexHook = func() func() {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		started <- struct{}{}
		<-gate // the first refresh is slow, as on a large site
		return func() { running.Add(-1) }
	}
	t.Cleanup(func() { indexHook = nil }) // after serve stopped: cleanups run last first
	dir := copySite(t)
	srv := start(t, dir)
	t.Cleanup(func() { release.Do(func() { close(gate) }) })
	saved := func(mark string) {
		t.Helper()
		replaceIn(t, dir, unlock, "\n\n", "\n\n"+mark+"\n\n")
		waitRebuild(t, srv, func(rb Rebuild) bool { return strings.Contains(rb.What, unlock) })
	}
	saved("INDEX-FIRST")
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("no index refresh started")
	}
	saved("INDEX-SECOND")
	saved("INDEX-THIRD")
	// A refresh started beside the stopped one would be waiting at the gate by now.
	time.Sleep(100 * time.Millisecond)
	release.Do(func() { close(gate) })
	waitRebuild(t, srv, func(rb Rebuild) bool { return strings.HasPrefix(rb.What, "search index") })
	if m := most.Load(); m != 1 {
		t.Errorf("%d index refreshes ran at once, want 1", m)
	}
}

// waitRebuild waits for a rebuild that ok accepts, skipping others.
func waitRebuild(t testing.TB, srv *running, ok func(Rebuild) bool) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case rb := <-srv.rebuilt:
			if ok(rb) {
				return
			}
		case <-timeout:
			t.Fatalf("no such rebuild:\n%s", srv.out.String())
		}
	}
}
