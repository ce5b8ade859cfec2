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
// out: its bytes are read from the previous output and used only when their
// hash is the one recorded, and its Facts come from the cache.
//
// Nothing depends on the cache for correctness: a cache that is missing or
// cannot be used is an empty one, and a page without an entry is rendered.
type PageCache struct {
	dir   string // the cache's folder
	dest  string // the previous output: DEST
	owner string

	ready chan struct{} // closed once old is read
	old   map[buildcache.Key]cachedPage
	why   error // why old is empty, when it is

	mu   sync.Mutex
	next map[buildcache.Key]cachedPage

	keys   pageKeys
	off    error // set when this build's pages must not be kept
	reused atomic.Int64
	// link, when set, writes a reused page (see output.DirOutput.LinkPrevious).
	link func(dir, rel string, data []byte) error
	// encoded is next, encoded once every page is rendered (see encode).
	encoded chan encodedCache
}

type encodedCache struct {
	enc *buildcache.Encoded
	err error
}

// cachedPage is one page of one region as the last build wrote it.
type cachedPage struct {
	Sum   [sha256.Size]byte // of the page's bytes in the output
	Facts *Facts
}

// OpenPageCache starts reading the cache in dir (CacheDirName in dest when
// dir is empty) for the site in folder site built into dest.
func OpenPageCache(dir, site, dest string) *PageCache {
	if dir == "" {
		dir = filepath.Join(dest, CacheDirName)
	}
	c := &PageCache{dir: dir, dest: dest, ready: make(chan struct{}), next: map[buildcache.Key]cachedPage{}}
	absSite, _ := filepath.Abs(site)
	absDest, _ := filepath.Abs(dest)
	go func() {
		defer close(c.ready)
		prog, err := programSum()
		if err != nil {
			c.old, c.why = map[buildcache.Key]cachedPage{}, err
			return
		}
		c.owner = fmt.Sprintf("site %q, output %q, program %x", absSite, absDest, prog)
		c.old, c.why = buildcache.Load[cachedPage](dir, c.owner)
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
	return fmt.Sprintf("reused %d of %d cached pages from %s", c.reused.Load(), len(c.old), c.dir)
}

// Reused is how many pages the build took from the cache.
func (c *PageCache) Reused() int { return int(c.reused.Load()) }

// begin computes the keys shared by every page of the build; a site whose
// files cannot all be read is built without the cache.
func (c *PageCache) begin(p *Project, regions []*Region) {
	<-c.ready
	if err := c.keys.init(p, regions); err != nil {
		c.old, c.why, c.off = map[buildcache.Key]cachedPage{}, err, err
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
	var rest []*Page
	var index []int
	for k, pg := range pages {
		keys[k] = c.keys.page(p, pg)
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
			c.put(keys[index[i]], cachedPage{Sum: rec.sum, Facts: pg.Facts})
		}
		done(index[i], pg, err)
	})
}

// renderLimits runs one page's rendering under its limits.
type renderLimits = func(*Page, func(context.Context) error) error

// reuse writes the page of key from the previous output when its bytes are
// those the cache recorded, and gives pg its cached Facts.
func (c *PageCache) reuse(key buildcache.Key, pg *Page, out output.Output) (bool, error) {
	e, ok := c.old[key]
	if !ok || e.Facts == nil {
		return false, nil
	}
	dir := pg.Region.Config.Dir()
	data, err := os.ReadFile(filepath.Join(c.dest, dir, filepath.FromSlash(pg.Src.Out)))
	if err != nil || sha256.Sum256(data) != e.Sum {
		return false, nil // edited or gone since: render it
	}
	write := out.WriteFile
	if c.link != nil {
		write = c.link
	}
	if err := write(dir, pg.Src.Out, data); err != nil {
		return false, err
	}
	pg.Facts = e.Facts
	c.put(key, e)
	c.reused.Add(1)
	return true, nil
}

func (c *PageCache) put(key buildcache.Key, e cachedPage) {
	c.mu.Lock()
	c.next[key] = e
	c.mu.Unlock()
}

// encode starts encoding this build's pages once they are all rendered,
// while the rest of the build (site files, search index, checks) runs.
func (c *PageCache) encode() {
	c.encoded = make(chan encodedCache, 1)
	go func() {
		enc, err := buildcache.Encode(c.owner, c.next)
		c.encoded <- encodedCache{enc, err}
	}()
}

// Save writes the pages of this build for the next, once its output is
// committed. A page that read the region's other pages, a published asset
// or a template's warning make a build that keeps nothing (their effects
// reach beyond the page); a cache that cannot be written is a warning, and
// the next build is cold.
func (c *PageCache) Save(p *Project, regions []*Region) *diag.Error {
	<-c.ready
	if c.off == nil {
		c.off = uncacheable(p, regions)
	}
	var err error
	if c.off != nil || c.encoded == nil {
		err = buildcache.Save(c.dir, c.owner, map[buildcache.Key]cachedPage{})
	} else if e := <-c.encoded; e.err != nil {
		err = e.err
	} else {
		err = e.enc.Write(c.dir)
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

// page is the key of pg: the shared parts, its region, its file and date.
func (k *pageKeys) page(p *Project, pg *Page) buildcache.Key {
	h := sha256.New()
	h.Write(k.site[:])
	h.Write(k.nav[:])
	writeStrings(h, pg.Region.Config.Code, pg.Src.File, p.LastMod(pg.Src).String())
	text, err := pg.Src.Text()
	if err != nil { // changed since it was read: a key no page had
		text = []byte(err.Error())
	}
	h.Write(text)
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
