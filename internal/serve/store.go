package serve

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"sync"
	"time"
)

// file is one built file as the server holds it.
type file struct {
	data []byte
	mod  stamp         // when these bytes first appeared, for Last-Modified
	tag  func() string // hash of data, for the ETag; computed when first asked
}

func newFile(data []byte, mod stamp) *file {
	return &file{data: data, mod: mod, tag: sync.OnceValue(func() string { return hash(data) })}
}

// stamp is the Last-Modified time of a version: the whole second it
// appeared in, never later than the clock. shared is set when an earlier
// version of anything was given the same second (or a later one, if the
// clock went back): that second then cannot tell this version from the one
// before it, so If-Modified-Since is not answered from it and the ETag
// alone decides.
type stamp struct {
	at     time.Time
	shared bool
}

// latest is the later of a page's stamp and its overlay's, shared when
// either one giving that second is.
func latest(a, b stamp) stamp {
	switch {
	case a.at.After(b.at):
		return a
	case b.at.After(a.at):
		return b
	}
	return stamp{a.at, a.shared || b.shared}
}

// hash names bytes the same way in every run of serve, so that an ETag a
// browser kept from an earlier run matches only the same bytes.
func hash(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:15])
}

// key names a file: region folder and slash path inside it.
type key struct{ dir, rel string }

// store is the site being served: every region's files in memory. It is
// replaced only by whole change sets, under one lock, so a reader never sees
// a page in one region and not in another.
type store struct {
	mu    sync.RWMutex
	files map[key]*file
	// last is the latest Last-Modified second given to a version of
	// anything (see tick).
	last time.Time
	// now is the clock: time.Now, or a test's.
	now func() time.Time
	// problem is the HTML overlay of the current errors; empty when the
	// last rebuild succeeded.
	problem    string
	problemTag string // hash of the overlay and the live script
	problemAt  stamp
}

func newStore() *store {
	return &store{files: map[key]*file{}, now: time.Now, problemTag: hash([]byte(liveScript), nil)}
}

// get returns the file at rel in region dir.
func (s *store) get(dir, rel string) (*file, bool) {
	s.mu.RLock()
	f, ok := s.files[key{dir, rel}]
	s.mu.RUnlock()
	return f, ok
}

// overlay returns the current error overlay, its ETag part and its time.
func (s *store) overlay() (string, string, stamp) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.problem, s.problemTag, s.problemAt
}

func (s *store) setOverlay(html string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.problem == html {
		return false
	}
	s.problem, s.problemTag, s.problemAt = html, hash([]byte(liveScript), []byte(html)), s.tick()
	return true
}

// tick returns the stamp of a new version: the current whole second, which
// HTTP dates cannot refine. Many versions may come within one second (an
// editor saving ten times a second); a Last-Modified after the clock would
// make caches keep a version for as long as the date is ahead, so the
// second is never moved forward: the versions after the first in a second
// are marked shared instead, and their ETag tells them apart. It must be
// called with s.mu held.
func (s *store) tick() stamp {
	t := s.now().Truncate(time.Second)
	if !t.After(s.last) {
		return stamp{at: t, shared: true}
	}
	s.last = t
	return stamp{at: t}
}

// changes are files to write and to remove, applied together.
type changes struct {
	mu     sync.Mutex
	writes map[key][]byte
	drops  map[key]bool
	// replace, when set, drops every stored file not written here (a full
	// rebuild).
	replace bool
}

func newChanges() *changes { return &changes{writes: map[key][]byte{}, drops: map[key]bool{}} }

// WriteFile implements output.Output.
func (c *changes) WriteFile(dir, rel string, data []byte) error {
	k := key{dir, strings.TrimPrefix(rel, "/")}
	c.mu.Lock()
	c.writes[k] = bytes.Clone(data)
	delete(c.drops, k)
	c.mu.Unlock()
	return nil
}

// drop removes a file unless it is also written.
func (c *changes) drop(k key) {
	c.mu.Lock()
	if _, ok := c.writes[k]; !ok {
		c.drops[k] = true
	}
	c.mu.Unlock()
}

// apply stores c and returns the files whose bytes changed or that went
// away. A file written with the bytes it already had keeps its time.
func (s *store) apply(c *changes) (changed []key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var mod *stamp // one tick for the whole change set, when needed
	if c.replace {
		for k := range s.files {
			if _, ok := c.writes[k]; !ok {
				delete(s.files, k)
				changed = append(changed, k)
			}
		}
	}
	for k := range c.drops {
		if _, ok := s.files[k]; ok {
			delete(s.files, k)
			changed = append(changed, k)
		}
	}
	for k, data := range c.writes {
		if old, ok := s.files[k]; ok && bytes.Equal(old.data, data) {
			continue
		}
		if mod == nil {
			t := s.tick()
			mod = &t
		}
		s.files[k] = newFile(data, *mod)
		changed = append(changed, k)
	}
	return changed
}
