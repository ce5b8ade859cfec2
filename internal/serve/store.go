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
	mod  time.Time     // when these bytes first appeared, for If-Modified-Since
	tag  func() string // hash of data, for the ETag; computed when first asked
}

func newFile(data []byte, mod time.Time) *file {
	return &file{data: data, mod: mod, tag: sync.OnceValue(func() string { return hash(data) })}
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
	// last is the Last-Modified time given to the latest version of
	// anything; each new version gets a later whole second (see tick).
	last time.Time
	// problem is the HTML overlay of the current errors; empty when the
	// last rebuild succeeded.
	problem    string
	problemTag string // hash of the overlay and the live script
	problemAt  time.Time
}

func newStore() *store {
	return &store{files: map[key]*file{}, problemTag: hash([]byte(liveScript), nil)}
}

// get returns the file at rel in region dir.
func (s *store) get(dir, rel string) (*file, bool) {
	s.mu.RLock()
	f, ok := s.files[key{dir, rel}]
	s.mu.RUnlock()
	return f, ok
}

// overlay returns the current error overlay, its ETag part and its time.
func (s *store) overlay() (string, string, time.Time) {
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
	s.problem, s.problemTag, s.problemAt = html, hash([]byte(liveScript), []byte(html)), s.tick(time.Now())
	return true
}

// tick returns the Last-Modified time of a new version: now in whole
// seconds, or one second after the previous version when that is not
// later. HTTP dates count whole seconds, so two versions within one second
// would otherwise look the same to If-Modified-Since; a page served with an
// overlay takes the later of the two times, which therefore moves too. It
// must be called with s.mu held.
func (s *store) tick(now time.Time) time.Time {
	t := now.Truncate(time.Second)
	if !t.After(s.last) {
		t = s.last.Add(time.Second)
	}
	s.last = t
	return t
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

// WriteFile implements build.Output.
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
	var mod time.Time // one tick for the whole change set, when needed
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
		if mod.IsZero() {
			mod = s.tick(time.Now())
		}
		s.files[k] = newFile(data, mod)
		changed = append(changed, k)
	}
	return changed
}
