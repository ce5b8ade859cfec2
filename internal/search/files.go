package search

import (
	"fmt"
	"hash"
	"hash/crc32"
	"strconv"
)

// Docs is the number of documents indexed.
func (ix *Index) Docs() int { return ix.n }

// Terms is the number of distinct terms.
func (ix *Index) Terms() int { return len(ix.terms) }

// File is one file of a written index, path relative to the region root.
type File struct {
	Path string
	Data []byte
}

// Files encodes the index: the manifest, the chunks of the dictionary, the
// postings lists too long to keep in a chunk, and the groups of fragments.
// All but the manifest live in a folder named by a checksum of them, so a
// reader never mixes files of two builds; only the manifest keeps its name.
func (ix *Index) Files() []File {
	d := ix.dictionary()
	var groups [][]byte
	for _, p := range ix.parts {
		from := 0
		for _, end := range p.groupEnd {
			groups = append(groups, p.frags[from:end:end])
			from = end
		}
	}
	version := ix.version
	m := fmt.Appendf(nil, `{"v":%d,"n":%d,"h":"%s","k":%d,"c":[`, Format, ix.n, version, ix.perGroup)
	for i, f := range d.firsts {
		if i > 0 {
			m = append(m, ',')
		}
		m = appendString(m, f)
	}
	m = append(m, "]}"...)
	files := make([]File, 0, 1+len(d.chunks)+len(d.lists)+len(groups))
	files = append(files, File{Path: Dir + "/manifest.json", Data: m})
	files = appendFiles(files, version, "c", d.chunks)
	files = appendFiles(files, version, "p", d.lists)
	return appendFiles(files, version, "f", groups)
}

// appendFiles names the files of one kind: VERSION/KIND/N.json.
func appendFiles(files []File, version, kind string, data [][]byte) []File {
	for i, b := range data {
		files = append(files, File{Path: filePath(version, kind, i), Data: b})
	}
	return files
}

func filePath(version, kind string, i int) string {
	return Dir + "/" + version + "/" + kind + "/" + strconv.Itoa(i) + ".json"
}

func fragmentPath(version string, group int) string { return filePath(version, "f", group) }

// versionOf is a checksum of everything the files of an index are made
// of: the format, the options that shape the files and every page's text,
// so that it can name the files' folder before they are written (the
// groups of fragments are written while the index is built). Two builds
// of the same pages write the same files into the same folder, whether
// the pages' text was in memory or spilled (see docSource.hash).
func versionOf(src docSource, opt Options, perGroup int) (string, error) {
	h := newVersionHash()
	h.b = fmt.Appendf(h.b, "%d %d %d %d %d\x00", Format, src.count(), opt.ChunkBytes, opt.ListBytes, perGroup)
	if err := src.hash(h); err != nil {
		return "", err
	}
	h.sum.Write(h.b)
	return fmt.Sprintf("%08x", h.sum.Sum32()), nil
}

// versionHash is the checksum of versionOf; the text goes through one
// buffer, written out when full.
type versionHash struct {
	sum hash.Hash32
	b   []byte
}

func newVersionHash() *versionHash {
	return &versionHash{sum: crc32.New(crc32.MakeTable(crc32.Castagnoli)), b: make([]byte, 0, 1<<16)}
}

// addText adds s and the separator sep.
func addText[T string | []byte](h *versionHash, s T, sep byte) {
	if len(h.b)+len(s) >= cap(h.b) {
		h.sum.Write(h.b)
		h.b = h.b[:0]
	}
	if len(s) >= cap(h.b) {
		h.sum.Write([]byte(s))
	} else {
		h.b = append(h.b, s...)
	}
	h.b = append(h.b, sep)
}

// doc adds d's text: its fields in order, each ended by a separator
// telling what it is (see hashRecord, which must add the same).
func (h *versionHash) doc(d *Doc) {
	addText(h, d.URL, 0)
	addText(h, d.Title, 0)
	addText(h, d.Description, 0)
	for _, id := range d.IDs {
		addText(h, id, 1)
	}
	for _, sec := range d.Sections {
		addText(h, sec.ID, 2)
		addText(h, sec.Heading, 2)
		addText(h, sec.Text, 3)
	}
	h.endDoc()
}

func (h *versionHash) endDoc() { h.b = append(h.b, 4) }

// dict is the dictionary as written: its chunks, each {"t":[TERM,REF,…]}
// and the first term of each, and the postings lists kept apart. A REF is
// the term's postings, or "@N" when they are long and in list N: a long
// list is written once for all the terms that have it (the pairs of a
// word always found whole share the same pages and sections), so that a
// query whose keys are such pairs downloads their postings once.
type dict struct {
	chunks [][]byte
	lists  [][]byte
	firsts []string
}

func (ix *Index) dictionary() dict {
	var d dict
	var all []byte
	if ix.keep != nil {
		all = ix.keep.chunks[:0]
	}
	// Terms, their postings (most rare) and the references to lists.
	all = grow(all, 16*len(ix.terms)+64)
	var enc listWriter
	shared := map[string]int{}
	var ends []int
	from := -1
	var ref []byte
	for i := range ix.terms {
		t := &ix.terms[i]
		post := enc.encode(ix, t)
		ref = post
		if len(post) > ix.opt.ListBytes {
			j, ok := shared[string(post)]
			if !ok {
				j = len(d.lists)
				shared[string(post)] = j
				d.lists = append(d.lists, append(append(append(make([]byte, 0, len(post)+2), '"'), post...), '"'))
			}
			ref = strconv.AppendInt(append(ref[:0:0], '@'), int64(j), 10)
		}
		if from >= 0 && len(all)-from+len(t.text)+len(ref)+8 > ix.opt.ChunkBytes {
			all = append(all, "]}"...)
			ends = append(ends, len(all))
			from = -1
		}
		if from < 0 {
			from = len(all)
			d.firsts = append(d.firsts, t.text)
			all = append(all, `{"t":[`...)
		} else {
			all = append(all, ',')
		}
		all = appendString(all, t.text)
		all = append(append(append(all, ',', '"'), ref...), '"')
	}
	if from >= 0 {
		all = append(all, "]}"...)
		ends = append(ends, len(all))
	}
	if ix.keep != nil {
		ix.keep.chunks = all
	}
	from = 0
	for _, end := range ends {
		d.chunks = append(d.chunks, all[from:end:end])
		from = end
	}
	return d
}
