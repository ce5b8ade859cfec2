package check

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aymanbagabas/go-udiff"
	"github.com/google/renameio/v2"

	"github.com/helpgen/helpgen/internal/markdown"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/shortcode"
)

// Fix is the re-indentation of one content file by --fix.
type Fix struct {
	File     string // relative to the site, as in findings
	Old, New []byte // the file as read and as fixed (BOM and line ends kept)
	Lines    int    // lines re-indented
}

// Diff is the fix as a unified diff.
func (f Fix) Diff() string {
	return udiff.Unified("a/"+f.File, "b/"+f.File, string(f.Old), string(f.New))
}

// maxFixPasses bounds the rounds of fixing: a block moved into an item can
// show a block after it that now needs moving too.
const maxFixPasses = 8

// Fixes computes the re-indentations that give every page the list
// structure its indentation suggests in every region, and changes nothing
// else: a line moves only when each region whose reader sees it agrees on
// how far, and a file is fixed only when no region of it ends with more
// list problems than it had. load must load every region: a fix must hold
// in all of them. Nothing is written.
func Fixes(site fs.FS, load Loader) ([]Fix, error) {
	over := overlay{base: site, files: map[string][]byte{}}
	orig := map[string][]byte{}
	before := map[string]map[string]int{} // file → region → list problems
	for pass := 0; pass < maxFixPasses; pass++ {
		p, err := load(over)
		if err != nil {
			return nil, err
		}
		rs, err := p.RenderBodies(0)
		if err != nil {
			return nil, err
		}
		counts := listCounts(rs)
		if pass == 0 {
			before = counts
		}
		edits := lineEdits(rs)
		if len(edits) == 0 {
			break
		}
		changed := false
		for file, ed := range edits {
			old, ok := over.files[file]
			if !ok {
				if old, err = fs.ReadFile(site, file); err != nil {
					return nil, err
				}
				orig[file] = old
			}
			if n := reindent(old, ed); !bytes.Equal(n, old) {
				over.files[file], changed = n, true
			}
		}
		if !changed {
			break
		}
	}
	return finalFixes(over, orig, load, before)
}

// finalFixes keeps the fixed files that left no region with more list
// problems than before.
func finalFixes(over overlay, orig map[string][]byte, load Loader, before map[string]map[string]int) ([]Fix, error) {
	if len(over.files) == 0 {
		return nil, nil
	}
	p, err := load(over)
	if err != nil {
		return nil, err
	}
	rs, err := p.RenderBodies(0)
	if err != nil {
		return nil, err
	}
	after := listCounts(rs)
	var out []Fix
	for file, n := range over.files {
		worse := false
		for code, k := range after[file] {
			if k > before[file][code] {
				worse = true
			}
		}
		if worse || bytes.Equal(n, orig[file]) {
			continue
		}
		out = append(out, Fix{File: file, Old: orig[file], New: n, Lines: changedLines(orig[file], n)})
	}
	slices.SortFunc(out, func(a, b Fix) int { return strings.Compare(a.File, b.File) })
	return out, nil
}

// listCounts counts the list problems of each file in each region.
func listCounts(rs []*model.Region) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, r := range rs {
		for _, pg := range r.Pages {
			if pg.Facts == nil {
				continue
			}
			m := out[pg.Src.File]
			if m == nil {
				m = map[string]int{}
				out[pg.Src.File] = m
			}
			m[r.Config.Code] += len(pg.Facts.Lists)
		}
	}
	return out
}

// lineEdits collects, per file, how many columns each source line (1-based)
// moves. A problem with a line not written as such in the source is left
// alone, and so is a line that some region where the reader sees it would
// move differently, or not at all.
func lineEdits(rs []*model.Region) map[string]map[int]int {
	type seen struct {
		tree    *shortcode.Doc // the body's, over the whole file
		regions []string
		moves   map[string]map[int]int // region → line → columns
	}
	pages := map[string]*seen{}
	for _, r := range rs {
		for _, pg := range r.Pages {
			if pg.Facts == nil {
				continue
			}
			s := pages[pg.Src.File]
			if s == nil {
				tree, err := pg.Src.Tree()
				if err != nil {
					continue // changed since it was rendered: nothing to move
				}
				s = &seen{tree: tree, moves: map[string]map[int]int{}}
				pages[pg.Src.File] = s
			}
			code := r.Config.Code
			s.regions = append(s.regions, code)
			region := map[int]int{} // summed over nested problems
			for _, p := range pg.Facts.Lists {
				if p.Kind == markdown.ListRestart || len(p.Lines) == 0 || slices.Contains(p.Lines, -1) {
					continue
				}
				for _, off := range p.Lines {
					region[lineOf(s.tree.Src, off)] += p.Need - p.Found
				}
			}
			s.moves[code] = region
		}
	}
	out := map[string]map[int]int{}
	for file, s := range pages {
		lines := lineStarts(s.tree.Src)
		for _, m := range s.moves {
			for line, d := range m {
				agreed := d != 0
				for _, code := range s.regions {
					if got, ok := s.moves[code][line]; (ok && got != d) || (!ok && visible(s.tree, lines[line-1], code)) {
						agreed = false
					}
				}
				if agreed {
					if out[file] == nil {
						out[file] = map[int]int{}
					}
					out[file][line] = d
				}
			}
		}
	}
	return out
}

// lineStarts are the offsets where the lines of src start.
func lineStarts(src []byte) []int {
	out := []int{0}
	for i, c := range src {
		if c == '\n' {
			out = append(out, i+1)
		}
	}
	return out
}

// visible reports whether the page text at offset off reaches a reader in
// region: it stands in the page's own text, outside every conditional
// that leaves region out.
func visible(d *shortcode.Doc, off int, region string) bool {
	if d == nil {
		return false
	}
	var in func(nodes []shortcode.Node) bool
	in = func(nodes []shortcode.Node) bool {
		for _, n := range nodes {
			switch n := n.(type) {
			case shortcode.Text:
				if n.Start <= off && off < n.End {
					return true
				}
			case *shortcode.Call:
				if off >= n.Pos && off < n.End {
					return n.Kind == shortcode.Conditional && n.Keeps(region) && in(n.Children)
				}
			}
		}
		return false
	}
	return in(d.Nodes)
}

func lineOf(src []byte, off int) int {
	return bytes.Count(src[:min(off, len(src))], []byte("\n")) + 1
}

// reindent moves the lines of data (1-based numbers) by their deltas in
// columns, rewriting each moved line's indentation as spaces. Line ends and
// a byte order mark stay as they are.
func reindent(data []byte, edits map[int]int) []byte {
	var out bytes.Buffer
	out.Grow(len(data) + len(edits)*4)
	bom := []byte("\xef\xbb\xbf")
	if bytes.HasPrefix(data, bom) {
		out.Write(bom)
		data = data[len(bom):]
	}
	for n := 1; len(data) > 0; n++ {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line = data[:i+1]
		}
		data = data[len(line):]
		d, ok := edits[n]
		if !ok {
			out.Write(line)
			continue
		}
		width, i := 0, 0
		for ; i < len(line) && (line[i] == ' ' || line[i] == '\t'); i++ {
			if line[i] == '\t' {
				width += 4 - width%4
			} else {
				width++
			}
		}
		out.WriteString(strings.Repeat(" ", max(0, width+d)))
		out.Write(line[i:])
	}
	return out.Bytes()
}

func changedLines(a, b []byte) int {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	n := 0
	for i := range min(len(la), len(lb)) {
		if !bytes.Equal(la[i], lb[i]) {
			n++
		}
	}
	return n
}

// WriteFix replaces the file of f under the site folder dir atomically: the
// new bytes go to a temporary file beside it, which is renamed over it, so
// a reader or a crash sees the old file or the new one, never a mix. The
// file must still hold what the fix was computed from.
func WriteFix(dir string, f Fix) error {
	name := filepath.Join(dir, filepath.FromSlash(f.File))
	if real, err := filepath.EvalSymlinks(name); err == nil {
		name = real // replace the file a link points at, not the link
	}
	cur, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, f.Old) {
		return fmt.Errorf("%s changed while it was being checked; run helpgen check --fix again", f.File)
	}
	fi, err := os.Stat(name)
	if err != nil {
		return err
	}
	return renameio.WriteFile(name, f.New, fi.Mode().Perm(), renameio.WithTempDir(filepath.Dir(name)), renameio.WithStaticPermissions(fi.Mode().Perm()))
}

// overlay is a site with some files replaced in memory.
type overlay struct {
	base  fs.FS
	files map[string][]byte
}

func (o overlay) Open(name string) (fs.File, error) {
	if b, ok := o.files[name]; ok {
		return &memFile{name: name, r: bytes.NewReader(b), size: int64(len(b))}, nil
	}
	return o.base.Open(name)
}

type memFile struct {
	name string
	r    *bytes.Reader
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f}, nil }
func (f *memFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *memFile) Close() error               { return nil }

type memInfo struct{ f *memFile }

func (i memInfo) Name() string       { return filepath.Base(i.f.name) }
func (i memInfo) Size() int64        { return i.f.size }
func (i memInfo) Mode() fs.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
