package search

import (
	"fmt"
	"hash/crc32"
	"strconv"
)

// Docs is the number of documents indexed.
func (ix *Index) Docs() int { return len(ix.docs) }

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
	sum := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	for _, set := range [][][]byte{d.chunks, d.lists, groups} {
		for _, b := range set {
			sum.Write(b)
			sum.Write([]byte{0})
		}
		sum.Write([]byte{1})
	}
	version := fmt.Sprintf("%08x", sum.Sum32())
	m := fmt.Appendf(nil, `{"v":%d,"n":%d,"h":"%s","k":%d,"c":[`, Format, len(ix.docs), version, ix.perGroup)
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
		files = append(files, File{Path: Dir + "/" + version + "/" + kind + "/" + strconv.Itoa(i) + ".json", Data: b})
	}
	return files
}

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
