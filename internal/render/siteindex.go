package render

import (
	"path"
	"slices"
	"strings"
	"sync"
)

// siteIndex gives templates the region's other pages: Hugo's .Site.Home,
// .Site.RegularPages, and a page's .Parent, .Pages and .Sections. It is
// made on first use from the region's pages, and again after Reset.
type siteIndex struct {
	mu    sync.Mutex
	pages func() []*PageRef
	byURL map[string]*PageRef
	kids  map[string][]*PageRef // section URL → its pages and sections, in order
	all   []*PageRef
}

// SetPages gives the site the region's pages, read when a template first
// asks for them; it drops what an earlier call gave.
func (s *Site) SetPages(pages func() []*PageRef) {
	if s.index == nil {
		s.index = &siteIndex{}
	}
	s.index.mu.Lock()
	s.index.pages, s.index.byURL = pages, nil
	s.index.mu.Unlock()
}

// PagesRead reports whether a template read the region's pages since they
// were last given (SetPages): then a page shows others' titles, parameters
// or places, and a change to any of them may change it.
func (s *Site) PagesRead() bool {
	if s == nil || s.index == nil {
		return false
	}
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	return s.index.byURL != nil
}

func (s *Site) pageIndex() *siteIndex {
	if s == nil || s.index == nil {
		return nil
	}
	x := s.index
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.byURL == nil && x.pages != nil {
		x.all = x.pages()
		x.byURL = make(map[string]*PageRef, len(x.all))
		x.kids = map[string][]*PageRef{}
		for _, p := range x.all {
			x.byURL[p.RelPermalink] = p
		}
		for _, p := range x.all {
			if up := parentURL(p.RelPermalink); up != "" {
				x.kids[up] = append(x.kids[up], p)
			}
		}
		for _, l := range x.kids {
			slices.SortStableFunc(l, func(a, b *PageRef) int {
				if a.Weight != b.Weight {
					return a.Weight - b.Weight
				}
				return strings.Compare(a.Title, b.Title)
			})
		}
	}
	return x
}

// parentURL is the section holding the page or section at url: /a/b.html
// and /a/b/ are in /a/; the home page is in none.
func parentURL(url string) string {
	if url == "/" {
		return ""
	}
	dir := path.Dir(strings.TrimSuffix(url, "/"))
	if dir == "/" {
		return "/"
	}
	return dir + "/"
}

// Home is Hugo's .Site.Home: the region's home page, or nil.
func (s *Site) Home() *PageRef {
	if x := s.pageIndex(); x != nil {
		return x.byURL["/"]
	}
	return nil
}

// RegularPages is Hugo's .Site.RegularPages: the region's pages that are
// not sections.
func (s *Site) RegularPages() []*PageRef {
	x := s.pageIndex()
	if x == nil {
		return nil
	}
	var out []*PageRef
	for _, p := range x.all {
		if !p.Section {
			out = append(out, p)
		}
	}
	return out
}

// Parent is Hugo's .Parent: the section holding the page, or nil.
func (p *PageRef) Parent() *PageRef {
	if x := p.Site.pageIndex(); x != nil {
		return x.byURL[parentURL(p.RelPermalink)]
	}
	return nil
}

// Pages is Hugo's .Pages of a section: its pages and sections, by weight
// then title; a page that is not a section has none.
func (p *PageRef) Pages() []*PageRef {
	if x := p.Site.pageIndex(); x != nil && p.Section {
		return x.kids[p.RelPermalink]
	}
	return nil
}

// Sections is Hugo's .Sections: the sections inside a section.
func (p *PageRef) Sections() []*PageRef {
	var out []*PageRef
	for _, c := range p.Pages() {
		if c.Section {
			out = append(out, c)
		}
	}
	return out
}
