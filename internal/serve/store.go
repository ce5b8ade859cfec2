package serve

import (
	"bytes"
	"strings"
	"sync"
	"time"
)

// file is one built file as the server holds it.
type file struct {
	data []byte
	mod  time.Time // when these bytes first appeared, for If-Modified-Since
	seq  uint64    // unique per version of the bytes, for the ETag
}

// key names a file: region folder and slash path inside it.
type key struct{ dir, rel string }

// store is the site being served: every region's files in memory. It is
// replaced only by whole change sets, under one lock, so a reader never sees
// a page in one region and not in another.
type store struct {
	mu    sync.RWMutex
	files map[key]*file
	seq   uint64
	// problem is the HTML overlay of the current errors; empty when the
	// last rebuild succeeded.
	problem    string
	problemSeq uint64
	problemAt  time.Time
}

func newStore() *store { return &store{files: map[key]*file{}} }

// get returns the file at rel in region dir.
func (s *store) get(dir, rel string) (*file, bool) {
	s.mu.RLock()
	f, ok := s.files[key{dir, rel}]
	s.mu.RUnlock()
	return f, ok
}

// overlay returns the current error overlay and its version.
func (s *store) overlay() (string, uint64, time.Time) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.problem, s.problemSeq, s.problemAt
}

func (s *store) setOverlay(html string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.problem == html {
		return false
	}
	s.seq++
	s.problem, s.problemSeq, s.problemAt = html, s.seq, time.Now()
	return true
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
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
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
		s.seq++
		s.files[k] = &file{data: data, mod: now, seq: s.seq}
		changed = append(changed, k)
	}
	return changed
}
