package serve

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
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
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{rebuilt: make(chan Rebuild, 1024), out: &syncBuffer{}}
	ready := make(chan []Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Site: dir, Defaults: helpgen.Defaults, Port: 0, Stdout: r.out, Stderr: r.out,
			Ready: func(a []Addr) { ready <- a },
			Rebuilt: func(rb Rebuild) {
				select {
				case r.rebuilt <- rb:
				default:
				}
			}})
	}()
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

// waitEvent returns the next event named name, skipping others.
func waitEvent(t testing.TB, ch <-chan event, name string) event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("event stream closed while waiting for %q", name)
			}
			if ev.name == name {
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
