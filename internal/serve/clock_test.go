package serve

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// TestLastModifiedNeverAhead saves a page thousands of times within one
// second of a fake clock, with the overlay coming and going: Last-Modified
// never passes the clock, and a client holding any earlier version, by date
// or by ETag, gets the new bytes, while one holding the current ETag gets
// 304.
func TestLastModifiedNeverAhead(t *testing.T) {
	st := newStore()
	clock := time.Date(2026, 12, 2, 1, 0, 0, 400e6, time.UTC)
	st.now = func() time.Time { return clock }
	s := &server{store: st}
	h := s.regionHandler("jp")
	const rel = "a.html"
	ask := func(header ...string) *httptest.ResponseRecorder {
		t.Helper()
		r := httptest.NewRequest("GET", "/"+rel, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	type held struct{ etag, mod string }
	var prev held
	for i := range 6000 {
		if i%1000 == 999 {
			clock = clock.Add(150 * time.Millisecond) // still within the second until i=5999
		}
		c := newChanges()
		_ = c.WriteFile("jp", rel, []byte("<!doctype html><body>version "+strconv.Itoa(i)+"</body>"))
		st.apply(c)
		if i%7 == 0 {
			st.setOverlay("<div>problem " + strconv.Itoa(i) + "</div>")
		}
		w := ask()
		mod, err := http.ParseTime(w.Header().Get("Last-Modified"))
		if err != nil || w.Code != 200 {
			t.Fatalf("version %d: %d, Last-Modified %q", i, w.Code, w.Header().Get("Last-Modified"))
		}
		if mod.After(clock) {
			t.Fatalf("version %d: Last-Modified %v is after the clock %v", i, mod, clock)
		}
		now := held{w.Header().Get("ETag"), w.Header().Get("Last-Modified")}
		if i > 0 {
			for _, hdr := range [][]string{
				{"If-Modified-Since", prev.mod},
				{"If-None-Match", prev.etag},
				{"If-None-Match", prev.etag, "If-Modified-Since", prev.mod},
			} {
				if w := ask(hdr...); w.Code != 200 {
					t.Fatalf("version %d asked with version %d's %v: %d, want the new bytes", i, i-1, hdr, w.Code)
				}
			}
		}
		if w := ask("If-None-Match", now.etag); w.Code != http.StatusNotModified {
			t.Fatalf("version %d asked with its own ETag: %d, want 304", i, w.Code)
		}
		prev = now
	}
	// The next second: a version alone in its second is answered by date too.
	clock = clock.Add(time.Second)
	c := newChanges()
	_ = c.WriteFile("jp", rel, []byte("<!doctype html><body>next second</body>"))
	st.apply(c)
	w := ask("If-Modified-Since", prev.mod)
	if w.Code != 200 {
		t.Fatalf("a version of the next second asked with the last one's date: %d", w.Code)
	}
	if mod, _ := http.ParseTime(w.Header().Get("Last-Modified")); !mod.Equal(clock.Truncate(time.Second)) {
		t.Errorf("Last-Modified %v, want the clock's second %v", mod, clock.Truncate(time.Second))
	}
	if w := ask("If-Modified-Since", w.Header().Get("Last-Modified")); w.Code != http.StatusNotModified {
		t.Errorf("asked with its own date: %d, want 304", w.Code)
	}
	// A clock set back does not make an older date look current.
	clock = clock.Add(-time.Hour)
	c = newChanges()
	_ = c.WriteFile("jp", rel, []byte("<!doctype html><body>clock set back</body>"))
	st.apply(c)
	if w := ask("If-Modified-Since", clock.Add(30*time.Minute).Format(http.TimeFormat)); w.Code != 200 {
		t.Errorf("after the clock went back: %d, want the new bytes", w.Code)
	}
}
