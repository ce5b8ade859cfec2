package tplfunc

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
)

// Scratch is Hugo's scratch pad: a map a template writes and reads while it
// runs (newScratch, and .Scratch of a page or shortcode). It is safe for
// concurrent use, since a page's scratch is shared by its shortcodes.
type Scratch struct {
	mu     sync.RWMutex
	values map[string]any
}

// NewScratch returns an empty scratch pad.
func NewScratch() *Scratch { return &Scratch{values: map[string]any{}} }

// Set stores value under key and writes nothing.
func (s *Scratch) Set(key string, value any) string {
	s.mu.Lock()
	s.values[key] = value
	s.mu.Unlock()
	return ""
}

// Get returns the value under key, or nil.
func (s *Scratch) Get(key string) any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.values[key]
}

// Delete removes key.
func (s *Scratch) Delete(key string) string {
	s.mu.Lock()
	delete(s.values, key)
	s.mu.Unlock()
	return ""
}

// Add adds value to the one under key: numbers are summed, strings joined,
// and to a list the value (or the list's elements) is appended.
func (s *Scratch) Add(key string, value any) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.values[key]
	if !ok {
		s.values[key] = value
		return "", nil
	}
	if ov := reflect.ValueOf(old); isList(ov) {
		joined, err := (&Collections{}).Append(value, old)
		if err == nil {
			s.values[key] = joined
		}
		return "", err
	}
	sum, err := arith2('+', old, value)
	if err != nil {
		return "", fmt.Errorf("scratch Add of %s to %s: %w", typeName(value), typeName(old), err)
	}
	s.values[key] = sum
	return "", nil
}

// SetInMap stores value under mapKey in the map under key.
func (s *Scratch) SetInMap(key, mapKey string, value any) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.values[key].(map[string]any)
	if !ok {
		m = map[string]any{}
		s.values[key] = m
	}
	m[mapKey] = value
	return ""
}

// DeleteInMap removes mapKey from the map under key.
func (s *Scratch) DeleteInMap(key, mapKey string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.values[key].(map[string]any); ok {
		delete(m, mapKey)
	}
	return ""
}

// GetSortedMapValues returns the values of the map under key, in key order.
func (s *Scratch) GetSortedMapValues(key string) any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.values[key].(map[string]any)
	if !ok {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// Values returns a copy of the whole pad.
func (s *Scratch) Values() map[string]any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]any, len(s.values))
	for k, v := range s.values {
		out[k] = v
	}
	return out
}
