// Package buildcache keeps what one build learned for the next: one file of
// entries by key, each entry bytes its user encodes. A cache that is
// missing, cut short, damaged, written by another version of the format or
// for another owner reads as empty, so nothing that uses it depends on it
// for correctness: a build without it is a cold build.
//
// The file is written as the build goes (see Create) and read whole into
// one string whose entries are substrings (see Load), so neither writing
// nor reading holds a second copy of the entries or decodes those nobody
// asks for.
package buildcache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/renameio/v2"

	"github.com/helpgen/helpgen/internal/wire"
)

// FileName is the cache's file inside its folder.
const FileName = "pages.cache"

// The file is magic, the format (4 bytes, big-endian), the owner (a uvarint
// length and its bytes), the entries, each tagEntry, a key and its bytes (a
// uvarint length and the bytes), then tagEnd, the number of entries (8
// bytes) and the CRC-32C of everything before it (4 bytes). format is raised
// whenever the layout or an entry's encoding changes.
const (
	magic    = "helpgen-cache\n"
	format   = 2
	tagEntry = 1
	tagEnd   = 2
	trailer  = 1 + 8 + 4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Key identifies an entry: a hash of everything the entry was made from.
type Key [sha256.Size]byte

// Why a cache was not used; Load returns them wrapped, for the build's log.
var (
	ErrMissing = errors.New("no cache")
	ErrCorrupt = errors.New("damaged or cut short")
	ErrVersion = errors.New("written by another version")
	ErrForeign = errors.New("written for another site or build")
)

// Cache is a cache as read: its entries are substrings of the file's bytes.
type Cache struct {
	entries map[Key]string
	modTime time.Time
}

// Get is the entry of key.
func (c *Cache) Get(key Key) (string, bool) {
	e, ok := c.entries[key]
	return e, ok
}

// Len is the number of entries.
func (c *Cache) Len() int { return len(c.entries) }

// ModTime is when the cache file was last written, as its file system
// records it (zero for an empty cache): a file whose recorded modification
// time is before it was not modified in the same tick of the file system's
// clock as it was recorded.
func (c *Cache) ModTime() time.Time { return c.modTime }

// Empty is a cache without entries.
func Empty() *Cache { return &Cache{entries: map[Key]string{}} }

// Load reads the cache in dir written for owner (a string naming the site,
// its output and the program that wrote it). Every failure returns an empty
// cache and an error saying why it was not used.
func Load(dir, owner string) (*Cache, error) {
	data, mod, err := readString(filepath.Join(dir, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return Empty(), ErrMissing
	}
	if err != nil {
		return Empty(), err
	}
	entries, err := parse(data, owner)
	if err != nil {
		return Empty(), err
	}
	return &Cache{entries: entries, modTime: mod}, nil
}

// readString reads a file into one string, without the copy a conversion
// from []byte makes, and gives its modification time.
func readString(path string) (string, time.Time, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", time.Time{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", time.Time{}, err
	}
	var b strings.Builder
	b.Grow(int(fi.Size()))
	if _, err := io.Copy(&b, f); err != nil {
		return "", time.Time{}, err
	}
	return b.String(), fi.ModTime(), nil
}

// parse checks the header, trailer and checksum of data and indexes its
// entries.
func parse(data, owner string) (map[Key]string, error) {
	rest, ok := strings.CutPrefix(data, magic)
	if !ok || len(rest) < 4+trailer {
		return nil, ErrCorrupt
	}
	if v := uint32(rest[0])<<24 | uint32(rest[1])<<16 | uint32(rest[2])<<8 | uint32(rest[3]); v != format {
		return nil, fmt.Errorf("%w (format %d, this is %d)", ErrVersion, v, format)
	}
	end := len(data) - 4
	if crcString(data[:end]) != binary.BigEndian.Uint32([]byte(data[end:])) {
		return nil, ErrCorrupt
	}
	r := wire.NewReader(data[len(magic)+4 : end])
	if r.String() != owner {
		if r.Bad() {
			return nil, ErrCorrupt
		}
		return nil, ErrForeign
	}
	entries := map[Key]string{}
	for !r.Bad() && len(r.Rest()) > 0 && r.Rest()[0] == tagEntry {
		r.Take(1)
		var key Key
		copy(key[:], r.Take(len(key)))
		entries[key] = r.String()
	}
	tail := r.Rest()
	if r.Bad() || len(tail) != trailer-4 || tail[0] != tagEnd ||
		binary.BigEndian.Uint64([]byte(tail[1:])) != uint64(len(entries)) {
		return nil, ErrCorrupt
	}
	return entries, nil
}

// crcString is the CRC-32C of s, through a small buffer rather than a copy
// of s.
func crcString(s string) uint32 {
	var buf [32 << 10]byte
	var c uint32
	for len(s) > 0 {
		n := copy(buf[:], s)
		c = crc32.Update(c, castagnoli, buf[:n])
		s = s[n:]
	}
	return c
}

// Writer writes a new cache as entries come, into a temporary file of its
// folder (or, see CreateLater, memory); Commit puts it in place of the old
// one.
type Writer struct {
	mu    sync.Mutex
	dir   string
	file  *renameio.PendingFile // nil when the cache is kept in mem
	mem   *bytes.Buffer
	buf   *bufio.Writer
	crc   hash.Hash32
	n     uint64
	err   error
	entry []byte
}

// Create starts a new cache for owner in dir. Nothing replaces the old
// cache until Commit.
func Create(dir, owner string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	removeAbandoned(dir, time.Now().Add(-abandonedAfter))
	f, err := renameio.NewPendingFile(filepath.Join(dir, FileName), renameio.WithTempDir(dir), renameio.WithPermissions(0o644))
	if err != nil {
		return nil, err
	}
	return start(&Writer{dir: dir, file: f}, f, owner), nil
}

// abandonedAfter is how long an unfinished cache goes unwritten before it
// is taken for one a killed build left. A build writes its cache as its
// pages are done and commits it once its output is committed, so a
// running build's is never this old.
const abandonedAfter = time.Hour

// tempPrefix starts the names of unfinished caches (renameio names them
// "." + FileName + a number).
const tempPrefix = "." + FileName

// removeAbandoned removes the unfinished caches in dir last written before
// cutoff.
func removeAbandoned(dir string, cutoff time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		num, ok := strings.CutPrefix(e.Name(), tempPrefix)
		if !ok || num == "" || strings.Trim(num, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.ModTime().Before(cutoff) {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// CreateLater starts a new cache for owner in memory, for a folder dir that
// must not exist until Commit (one inside an output folder that is yet to
// be made).
func CreateLater(dir, owner string) *Writer {
	w := &Writer{dir: dir, mem: &bytes.Buffer{}}
	return start(w, w.mem, owner)
}

func start(w *Writer, to io.Writer, owner string) *Writer {
	w.crc = crc32.New(castagnoli)
	w.buf = bufio.NewWriterSize(io.MultiWriter(to, w.crc), 1<<16)
	head := binary.BigEndian.AppendUint32([]byte(magic), format)
	head = binary.AppendUvarint(head, uint64(len(owner)))
	w.write(append(head, owner...))
	return w
}

func (w *Writer) write(b []byte) {
	if w.err == nil {
		_, w.err = w.buf.Write(b)
	}
}

// Put adds the entry of key: head followed by body (so that an entry can be
// a new head and a part of an old entry, without copying either). It is
// safe for concurrent use; its error is Commit's.
func (w *Writer) Put(key Key, head []byte, body string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	e := append(append(w.entry[:0], tagEntry), key[:]...)
	e = binary.AppendUvarint(e, uint64(len(head)+len(body)))
	w.entry = e
	w.write(e)
	w.write(head)
	if w.err == nil {
		_, w.err = w.buf.WriteString(body)
	}
	w.n++
}

// Commit ends the cache and replaces the old one with it atomically: a
// reader sees the old cache or the new, never part of one.
func (w *Writer) Commit() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.write(binary.BigEndian.AppendUint64([]byte{tagEnd}, w.n))
	if w.err == nil {
		w.err = w.buf.Flush()
	}
	sum := binary.BigEndian.AppendUint32(nil, w.crc.Sum32())
	switch {
	case w.err != nil:
	case w.mem != nil:
		w.mem.Write(sum)
		if w.err = os.MkdirAll(w.dir, 0o755); w.err == nil {
			w.err = renameio.WriteFile(filepath.Join(w.dir, FileName), w.mem.Bytes(), 0o644, renameio.WithTempDir(w.dir))
		}
		w.mem = nil
		return w.err
	default:
		if _, w.err = w.file.Write(sum); w.err == nil {
			w.err = w.file.CloseAtomicallyReplace()
		}
	}
	if w.err != nil && w.file != nil {
		_ = w.file.Cleanup()
	}
	return w.err
}

// Abort removes the unfinished cache; the old one stays. After Commit it
// does nothing.
func (w *Writer) Abort() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.file != nil {
		_ = w.file.Cleanup()
	}
	w.mem = nil
}

// Save replaces the cache in dir with entries for owner.
func Save(dir, owner string, entries map[Key]string) error {
	w, err := Create(dir, owner)
	if err != nil {
		return err
	}
	for k, e := range entries {
		w.Put(k, nil, e)
	}
	return w.Commit()
}
