package check

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// linkServer answers as the sites writers link to do: fine, moved, gone,
// too busy (once, or always), failing once, and not at all. It counts the
// requests per path and the most it had in flight at once.
type linkServer struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	inFlight int
	maxIn    int
	release  chan struct{}
}

func newLinkServer(t *testing.T) *linkServer {
	s := &linkServer{hits: map[string]int{}, release: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		close(s.release)
		s.Close()
	})
	return s
}

func (s *linkServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	n := s.hits[r.URL.Path]
	s.inFlight++
	s.maxIn = max(s.maxIn, s.inFlight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	switch p := r.URL.Path; {
	case p == "/ok" || p == "/new" || strings.HasPrefix(p, "/many/"):
		if strings.HasPrefix(p, "/many/") {
			time.Sleep(5 * time.Millisecond) // long enough for requests to overlap
		}
		w.WriteHeader(http.StatusOK)
	case p == "/moved":
		http.Redirect(w, r, "/new", http.StatusMovedPermanently)
	case p == "/gone":
		http.NotFound(w, r)
	case p == "/busy-once" && n == 1:
		w.Header().Set("Retry-After", "3600") // far past the bound: the wait is cut to MaxRetryAfter
		w.WriteHeader(http.StatusTooManyRequests)
	case p == "/busy-once":
		w.WriteHeader(http.StatusOK)
	case p == "/busy":
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	case p == "/flaky" && n == 1:
		w.WriteHeader(http.StatusBadGateway)
	case p == "/flaky":
		w.WriteHeader(http.StatusOK)
	case p == "/hang":
		select {
		case <-r.Context().Done():
		case <-s.release:
		}
	default:
		w.WriteHeader(http.StatusTeapot)
	}
}

func (s *linkServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func externalSite(base string) map[string]string {
	var many strings.Builder
	for i := range 12 {
		many.WriteString("[m](" + base + "/many/" + string(rune('a'+i)) + ") ")
	}
	return map[string]string{
		"content/a.md": "---\ntitle: A\n---\n[ok](" + base + "/ok#part) [moved](" + base + "/moved) [gone](" + base + "/gone)\n\n" +
			"[busy once](" + base + "/busy-once) [busy](" + base + "/busy) [flaky](" + base + "/flaky) [hang](" + base + "/hang)\n",
		"content/b.md": "---\ntitle: B\n---\n[ok again](" + base + "/ok) ![remote](" + base + "/gone)\n\n" + many.String() + "\n",
	}
}

func TestExternalLinks(t *testing.T) {
	s := newLinkServer(t)
	p := load(t, site("", externalSite(s.URL)))
	rs, err := Render(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(t.TempDir(), "links.json")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	opt := ExternalOptions{Timeout: 300 * time.Millisecond, Retries: 2, Backoff: time.Millisecond, MaxRetryAfter: 10 * time.Millisecond,
		PerHost: 2, Workers: 8, CacheFile: cache, Now: func() time.Time { return now }}
	found := ExternalLinks(context.Background(), p, rs, opt)
	var got []string
	for _, f := range found {
		// Columns depend on the server's port; lines and text do not.
		got = append(got, strings.ReplaceAll(fmt.Sprintf("%s:%d: %s", f.File, f.Line, strings.SplitN(f.Error.Error(), ": ", 2)[1]), s.URL, "SERVER"))
	}
	want := []string{
		"content/a.md:4: warning: external link SERVER/gone: the server answers 404 Not Found [JP, US]",
		"content/a.md:6: warning: external link SERVER/busy: the server answers 429 Too Many Requests [JP, US]",
		"content/a.md:6: warning: external link SERVER/hang: no answer within 300ms [JP, US]",
		"content/b.md:4: warning: external link SERVER/gone: the server answers 404 Not Found [JP, US]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Once each across pages and regions; retried only after 429 and 5xx.
	for path, n := range map[string]int{"/ok": 1, "/moved": 1, "/new": 1, "/gone": 1, "/busy-once": 2, "/busy": 3, "/flaky": 2, "/hang": 3, "/many/a": 1} {
		if got := s.count(path); got != n {
			t.Errorf("%s requested %d times, want %d", path, got, n)
		}
	}
	if s.maxIn > opt.PerHost || s.maxIn < 2 {
		t.Errorf("%d requests at once to one host, want %d: the limit holds and requests do run concurrently", s.maxIn, opt.PerHost)
	}

	// A second run within the age asks again only what had no lasting answer.
	ExternalLinks(context.Background(), p, rs, opt)
	for path, n := range map[string]int{"/ok": 1, "/gone": 1, "/busy": 6, "/hang": 6, "/many/a": 1} {
		if got := s.count(path); got != n {
			t.Errorf("second run: %s requested %d times in all, want %d", path, got, n)
		}
	}
	// Past the age, everything is asked again.
	now = now.Add(25 * time.Hour)
	opt.MaxAge = 24 * time.Hour
	ExternalLinks(context.Background(), p, rs, opt)
	if got := s.count("/ok"); got != 2 {
		t.Errorf("after the max age: /ok requested %d times in all, want 2", got)
	}
}

// TestExternalOff: with external = "off" nothing is requested.
func TestExternalOff(t *testing.T) {
	s := newLinkServer(t)
	p := load(t, site("[check]\nexternal = \"off\"\n", externalSite(s.URL)))
	rs, err := Render(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	if found := ExternalLinks(context.Background(), p, rs, ExternalOptions{}); len(found) != 0 || s.count("/ok") != 0 {
		t.Errorf("found %d, requested /ok %d times", len(found), s.count("/ok"))
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		v    string
		want time.Duration
	}{
		{"", 0}, {"5", 5 * time.Second}, {" 2 ", 2 * time.Second}, {"-1", 0}, {"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
	} {
		if got := retryAfter(tt.v, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}
