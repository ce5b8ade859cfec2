// Package buildcache keeps what one build learned for the next: one file,
// written whole and atomically, holding entries by key. A cache that is
// missing, cut short, damaged, written by another version of the format or
// for another owner reads as empty, so nothing that uses it depends on it
// for correctness: a build without it is a cold build.
package buildcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// FileName is the cache's file inside its folder.
const FileName = "pages.cache"

// magic starts every cache file; format is the layout of what follows, raised
// whenever an entry's type or its encoding changes.
const (
	magic  = "helpgen-cache\n"
	format = 1
)

// Key identifies an entry: a hash of everything the entry was made from.
type Key [sha256.Size]byte

// Why a cache was not used; Load returns them wrapped, for the build's log.
var (
	ErrMissing = errors.New("no cache")
	ErrCorrupt = errors.New("damaged or cut short")
	ErrVersion = errors.New("written by another version")
	ErrForeign = errors.New("written for another site or build")
)

// file is what the cache file holds after its header.
type file[E any] struct {
	Owner   string
	Entries map[Key]E
}

// Load reads the cache in dir written for owner (a string naming the site,
// its output and the program that wrote it). Every failure returns an empty
// cache and an error saying why it was not used.
func Load[E any](dir, owner string) (map[Key]E, error) {
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return map[Key]E{}, ErrMissing
	}
	if err != nil {
		return map[Key]E{}, err
	}
	entries, err := decode[E](data, owner)
	if err != nil {
		return map[Key]E{}, err
	}
	return entries, nil
}

// decode checks the header and the checksum of data and decodes its entries.
func decode[E any](data []byte, owner string) (map[Key]E, error) {
	rest, ok := bytes.CutPrefix(data, []byte(magic))
	if !ok || len(rest) < 4+sha256.Size {
		return nil, ErrCorrupt
	}
	if v := binary.BigEndian.Uint32(rest); v != format {
		return nil, fmt.Errorf("%w (format %d, this is %d)", ErrVersion, v, format)
	}
	sum, body := rest[4:4+sha256.Size], rest[4+sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, ErrCorrupt
	}
	var f file[E]
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if f.Owner != owner {
		return nil, ErrForeign
	}
	if f.Entries == nil {
		f.Entries = map[Key]E{}
	}
	return f.Entries, nil
}

// Save replaces the cache in dir with entries for owner (see Write).
func Save[E any](dir, owner string, entries map[Key]E) error {
	enc, err := Encode(owner, entries)
	if err != nil {
		return err
	}
	return enc.Write(dir)
}

// Encoded is a cache ready to be written.
type Encoded struct {
	head [4 + sha256.Size]byte
	body []byte
}

// Encode makes the bytes of a cache of entries for owner, so that a build
// can encode while it does other work and write once its output is safe.
func Encode[E any](owner string, entries map[Key]E) (*Encoded, error) {
	var body bytes.Buffer
	if err := gob.NewEncoder(&body).Encode(file[E]{Owner: owner, Entries: entries}); err != nil {
		return nil, err
	}
	enc := &Encoded{body: body.Bytes()}
	binary.BigEndian.PutUint32(enc.head[:], format)
	sum := sha256.Sum256(enc.body)
	copy(enc.head[4:], sum[:])
	return enc, nil
}

// Write replaces the cache in dir: written to a temporary file in dir and
// renamed over the old one, so a reader sees the old cache or the new,
// never part of one.
func (enc *Encoded) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data := make([]byte, 0, len(magic)+len(enc.head)+len(enc.body))
	data = append(append(append(data, magic...), enc.head[:]...), enc.body...)
	return renameio.WriteFile(filepath.Join(dir, FileName), data, 0o644, renameio.WithTempDir(dir))
}
