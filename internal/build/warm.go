package build

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/helpgen/helpgen/internal/buildcache"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// CacheDirName is the folder inside DEST that keeps what a build learned for
// the next one (see PageCache). It is hidden and beside the region folders,
// so publishing a region never publishes it.
const CacheDirName = ".helpgen.cache"

// PageCache lets a build reuse the pages of the previous one whose inputs
// did not change. A page in a region is keyed on everything its bytes are
// made from (see pageKey): its source file, its last-commit date, the
// region, every file that all pages use (configuration, templates,
// shortcodes, i18n, data, themes, assets, static files), the program, and
// the entries that navigation shows of every page of every region (title,
// description, place, weight, aliases, regions: the fields deps.go's
// bodyOnly says other pages show). A reused page is not converted nor laid
// out: its file in the previous output is linked into the new one when it
// holds the bytes the cache recorded, and its Facts come from the cache.
// The file holds them when stat finds it as it was recorded (see
// fileState), else when its SHA-256 is the recorded one.
//
// The next build's cache is written as pages are done: a reused page's
// entry is copied from the old cache with its Facts undecoded, a rendered
// page's encoded while the page's worker still holds it.
//
// Nothing depends on the cache for correctness: a cache that is missing or
// cannot be used is an empty one, and a page without an entry is rendered.
type PageCache struct {
	dir   string // the cache's folder
	dest  string // the previous output: DEST
	owner string

	ready chan struct{} // closed once old is read
	old   *buildcache.Cache
	why   error // why old is empty, when it is

	next    *buildcache.Writer // this build's cache, nil when it cannot be written
	nextErr error              // why next is nil

	keys   pageKeys
	off    error // set when this build's pages must not be kept
	reused atomic.Int64
	read   atomic.Int64 // reused pages whose file was read to verify it
	// link, when set, writes a reused page verified without reading it
	// (see output.DirOutput.LinkUnread); unset, every reused page is read.
	link func(dir, rel string, size int64) error
	// linkRead, when set, writes a reused page read and verified (see
	// output.DirOutput.LinkPrevious).
	linkRead func(dir, rel string, data []byte) error
	// staging, when set, is the folder the build writes to, where the state
	// of a rendered page's file is taken.
	staging string
}

// OpenPageCache starts reading the cache in dir (CacheDirName in dest when
// dir is empty) for the site in folder site built into dest.
func OpenPageCache(dir, site, dest string) *PageCache {
	if dir == "" {
		dir = filepath.Join(dest, CacheDirName)
	}
	c := &PageCache{dir: dir, dest: dest, ready: make(chan struct{}), old: buildcache.Empty()}
	absSite, _ := filepath.Abs(site)
	absDest, _ := filepath.Abs(dest)
	go func() {
		defer close(c.ready)
		prog, err := programSum()
		if err != nil {
			c.why = err
			return
		}
		c.owner = fmt.Sprintf("site %q, output %q, program %x", absSite, absDest, prog)
		c.old, c.why = buildcache.Load(dir, c.owner)
	}()
	return c
}

// openCache is the cache of a `helpgen build`, nil unless asked for.
func openCache(opt RunOptions) *PageCache {
	if !opt.Cache && opt.CacheDir == "" {
		return nil
	}
	return OpenPageCache(opt.CacheDir, opt.Site, opt.Dest)
}

// keep saves the cache of a build whose output was committed, and says
// what it reused.
func (c *PageCache) keep(e *Engine, res *RunResult, logf func(string, ...any)) {
	if c == nil {
		return
	}
	logf("%s", c.Status())
	res.Reused = c.Reused()
	if w := c.Save(e.Project(), e.Regions()); w != nil {
		res.Warnings = append(res.Warnings, w)
	}
	if c.off != nil {
		logf("kept no pages for the next build: %v", c.off)
	}
}

// Status says how much of the cache the build used, for its log.
func (c *PageCache) Status() string {
	<-c.ready
	if c.why != nil {
		return fmt.Sprintf("cold build: cache in %s not used: %v", c.dir, c.why)
	}
	return fmt.Sprintf("reused %d of %d cached pages from %s (%d read to verify their bytes)", c.reused.Load(), c.old.Len(), c.dir, c.read.Load())
}

// Reused is how many pages the build took from the cache.
func (c *PageCache) Reused() int { return int(c.reused.Load()) }

// begin computes the keys shared by every page of the build, and starts
// the next cache; a site whose files cannot all be read is built without
// the cache.
func (c *PageCache) begin(p *Project, regions []*Region) {
	<-c.ready
	if err := c.keys.init(p, regions); err != nil {
		c.old, c.why, c.off = buildcache.Empty(), err, err
		return
	}
	switch {
	case c.owner == "":
		c.nextErr = c.why
	case c.firstInDest():
		c.next = buildcache.CreateLater(c.dir, c.owner)
	default:
		c.next, c.nextErr = buildcache.Create(c.dir, c.owner)
	}
}

// firstInDest says whether the output folder does not exist yet: the
// build's commit makes it, and it must not exist before, so the cache is
// kept in memory until then whenever its folder might be inside it (paths
// spelled through links cannot tell, so the cache is kept in memory on
// every first build).
func (c *PageCache) firstInDest() bool {
	_, err := os.Lstat(c.dest)
	return err != nil
}

// abort drops the next cache of a build that failed; after Save it does
// nothing.
func (c *PageCache) abort() {
	if c != nil && c.next != nil {
		c.next.Abort()
	}
}

// renderJob is Project.renderJob reusing from the cache what it can; with
// no cache it is renderJob.
func (c *PageCache) renderJob(p *Project, s *pageScratch, pages []*Page, out output.Output, under renderLimits, done func(k int, pg *Page, err error)) {
	if c == nil {
		p.renderJob(s, pages, out, under, done)
		return
	}
	keys := make([]buildcache.Key, len(pages))
	text, err := pages[0].Src.Text()
	if err != nil { // changed since it was loaded: a key no page had, and rendering reports it
		text = []byte(err.Error())
	}
	src := sha256.Sum256(text)
	var rest []*Page
	var index []int
	for k, pg := range pages {
		keys[k] = c.keys.page(p, pg, src)
		ok, err := c.reuse(keys[k], pg, out)
		if ok || err != nil {
			done(k, pg, err)
			continue
		}
		rest, index = append(rest, pg), append(index, k)
	}
	if len(rest) == 0 {
		return
	}
	rec := &sumOutput{Output: out}
	p.renderJob(s, rest, rec, under, func(i int, pg *Page, err error) {
		if err == nil {
			c.putRendered(keys[index[i]], pg, rec.sum)
		}
		done(index[i], pg, err)
	})
}

// renderLimits runs one page's rendering under its limits.
type renderLimits = func(*Page, func(context.Context) error) error

// reuse writes the page of key from the previous output when its file
// holds the bytes the cache recorded, and gives pg its cached Facts.
func (c *PageCache) reuse(key buildcache.Key, pg *Page, out output.Output) (bool, error) {
	e, ok := c.old.Get(key)
	if !ok {
		return false, nil
	}
	sum, was, ok := readHead(e)
	if !ok {
		return false, nil
	}
	facts, err := decodeFacts(e[entryHead:])
	if err != nil {
		return false, nil
	}
	dir, rel := pg.Region.Config.Dir(), pg.Src.Out
	file := filepath.Join(c.dest, dir, filepath.FromSlash(rel))
	now, err := statFile(file)
	if err != nil {
		return false, nil
	}
	if !(c.link != nil && now == was && c.trusted(was) && c.link(dir, rel, now.Size) == nil) {
		ok, err := c.readPrevious(file, dir, rel, sum, out)
		if !ok || err != nil {
			return false, err
		}
	}
	pg.Facts = facts
	if c.next != nil {
		head := appendHead(make([]byte, 0, entryHead), sum, now)
		c.next.Put(key, head, e[entryHead:])
	}
	c.reused.Add(1)
	return true, nil
}

// trusted says whether a file found in state st holds the bytes it held
// when st was recorded: st was recorded (a file has an inode), and the file
// was last modified before the cache was written, so any later change
// gives it another modification time, even on a file system whose clock
// ticks seldom.
func (c *PageCache) trusted(st fileState) bool {
	return st.Inode != 0 && st.ModTime < c.old.ModTime().UnixNano()
}

// readPrevious reads the previous output's file and writes it when its
// hash is sum. Its state is taken before it is read, so a change while it
// is read is seen by the next build.
func (c *PageCache) readPrevious(file, dir, rel string, sum [sha256.Size]byte, out output.Output) (bool, error) {
	c.read.Add(1)
	data, err := os.ReadFile(file)
	if err != nil || sha256.Sum256(data) != sum {
		return false, nil // edited or gone since: render it
	}
	write := out.WriteFile
	if c.linkRead != nil {
		write = c.linkRead
	}
	return true, write(dir, rel, data)
}

// putRendered adds a page rendered by this build to the next cache: the
// hash of its bytes, the state of its staged file, its facts.
func (c *PageCache) putRendered(key buildcache.Key, pg *Page, sum [sha256.Size]byte) {
	if c.next == nil {
		return
	}
	var st fileState
	if c.staging != "" {
		st, _ = statFile(filepath.Join(c.staging, pg.Region.Config.Dir(), filepath.FromSlash(pg.Src.Out)))
	}
	bp := entryPool.Get().(*[]byte)
	b := appendFacts(appendHead((*bp)[:0], sum, st), pg.Facts)
	c.next.Put(key, b, "")
	*bp = b
	entryPool.Put(bp)
}

// entryPool holds buffers for encoding entries.
var entryPool = sync.Pool{New: func() any { return new([]byte) }}

// statFile is the state of a regular file (see fileState).
func statFile(path string) (fileState, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileState{}, err
	}
	if !fi.Mode().IsRegular() {
		return fileState{}, fs.ErrInvalid
	}
	st := fileState{Size: fi.Size(), ModTime: fi.ModTime().UnixNano()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.Inode, st.Dev = uint64(sys.Ino), uint64(sys.Dev)
	}
	return st, nil
}

// Save puts the cache of this build in place of the old one, once its
// output is committed. A page that read the region's other pages, a
// published asset or a template's warning make a build that keeps nothing
// (their effects reach beyond the page); a cache that cannot be written is
// a warning, and the next build is cold.
func (c *PageCache) Save(p *Project, regions []*Region) *diag.Error {
	<-c.ready
	if c.off == nil {
		c.off = uncacheable(p, regions)
	}
	err := c.nextErr
	switch {
	case c.next == nil && c.off != nil && c.owner != "":
		err = buildcache.Save(c.dir, c.owner, nil)
	case c.next == nil:
	case c.off != nil:
		c.next.Abort()
		err = buildcache.Save(c.dir, c.owner, nil)
	default:
		err = c.next.Commit()
	}
	if err != nil {
		return &diag.Error{File: c.dir, Msg: "could not keep the build's pages for the next build: " + err.Error(),
			Hint: "the next build renders every page; pass --cache-dir with a writable folder to keep them", Severity: diag.SevWarning}
	}
	return nil
}

// uncacheable says why a build's pages must not be reused, nil when they may.
func uncacheable(p *Project, regions []*Region) error {
	for _, r := range regions {
		if r.Site.PagesRead() {
			return fmt.Errorf("a template read the pages of region %s", r.Config.Code)
		}
	}
	if len(p.Templates.Published()) > 0 {
		return errors.New("templates published assets")
	}
	if len(p.Templates.Warnings()) > 0 {
		return errors.New("templates warned")
	}
	return nil
}

// sumOutput passes writes on and keeps the hash of the last one.
type sumOutput struct {
	output.Output
	sum [sha256.Size]byte
}

func (o *sumOutput) WriteFile(dir, rel string, data []byte) error {
	o.sum = sha256.Sum256(data)
	return o.Output.WriteFile(dir, rel, data)
}

// pageKeys are the parts of every page's key computed once per build.
type pageKeys struct {
	site [sha256.Size]byte // files all pages use, the regions' settings
	nav  [sha256.Size]byte // what navigation shows of every page
}

// siteFolders are the site's files that every page may read.
var siteFolders = []string{sitefs.ConfigFile, sitefs.LayoutsDir, sitefs.ShortcodesDir, sitefs.I18nDir,
	sitefs.DataDir, sitefs.ThemesDir, sitefs.StaticDir, "assets"}

func (k *pageKeys) init(p *Project, regions []*Region) error {
	h := sha256.New()
	for _, top := range siteFolders {
		if err := hashFiles(h, p.FS, top); err != nil {
			return err
		}
	}
	for _, rc := range p.Config.Regions {
		writeStrings(h, rc.Code, rc.BaseURL)
	}
	h.Sum(k.site[:0])
	h = sha256.New()
	for _, r := range regions {
		writeStrings(h, "region", r.Config.Code, r.Site.Title)
		for _, pg := range r.Pages {
			cp := pg.Src
			writeStrings(h, cp.File, cp.URL, cp.Out, cp.Dir, cp.Lang, pg.Title, pg.Description,
				fmt.Sprint(cp.Section, cp.Weight, cp.Draft, cp.Aliases, cp.Enabled, cp.Disabled))
		}
	}
	h.Sum(k.nav[:0])
	return nil
}

// page is the key of pg: the shared parts, its region, its file and date,
// and src, the hash of its source.
func (k *pageKeys) page(p *Project, pg *Page, src [sha256.Size]byte) buildcache.Key {
	h := sha256.New()
	h.Write(k.site[:])
	h.Write(k.nav[:])
	writeStrings(h, pg.Region.Config.Code, pg.Src.File, p.LastMod(pg.Src).String())
	h.Write(src[:])
	var key buildcache.Key
	h.Sum(key[:0])
	return key
}

// hashFiles writes the path and bytes of every file under top into h, in
// the walk's order; a missing top is nothing.
func hashFiles(h hash.Hash, fsys fs.FS, top string) error {
	if fsys == nil {
		return nil
	}
	return fs.WalkDir(fsys, top, func(q string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && q == top {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, q)
		if err != nil {
			return err
		}
		writeStrings(h, q)
		writeLen(h, len(data))
		h.Write(data)
		return nil
	})
}

// writeStrings writes each string with its length, so that no two lists
// write the same bytes.
func writeStrings(w io.Writer, ss ...string) {
	for _, s := range ss {
		writeLen(w, len(s))
		io.WriteString(w, s)
	}
}

func writeLen(w io.Writer, n int) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	w.Write(b[:])
}

// programSum is the hash of the running program, so that a cache written by
// another build of helpgen (whose pages may differ) is not used.
var programSum = sync.OnceValues(func() ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	exe, err := os.Executable()
	if err != nil {
		return sum, err
	}
	f, err := os.Open(exe)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
})
