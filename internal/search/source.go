package search

// docSource is the documents of an index, numbered from 0, which the index
// reads one at a time: in memory (memDocs), or spilled to a file while a
// build rendered them (spilledDocs), so that a region's text is never all
// in memory at once.
type docSource interface {
	count() int
	// size is doc i's Doc.size, known without reading it.
	size(i int) int
	// doc returns doc i, valid until the next call with the same scratch.
	// It may be called from several goroutines, each with its scratch.
	doc(i int, s *docScratch) (*Doc, error)
	// hash adds every doc's text to h, in order (see versionOf).
	hash(h *versionHash) error
}

// docScratch is what one reader of a docSource reuses from doc to doc.
type docScratch struct {
	rec []byte
	doc Doc
}

// memDocs are docs in memory.
type memDocs []*Doc

func (m memDocs) count() int                             { return len(m) }
func (m memDocs) size(i int) int                         { return m[i].size() }
func (m memDocs) doc(i int, _ *docScratch) (*Doc, error) { return m[i], nil }

func (m memDocs) hash(h *versionHash) error {
	for _, d := range m {
		h.doc(d)
	}
	return nil
}
