package theme

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/bits"
	"path"
	"strings"

	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/model"
)

// A region's 404 page tells the reader which other regions publish the URL
// asked for. The region's list of such URLs (pages and aliases of other
// regions that it lacks) is split by a hash of the URL into small JSON
// files, WhereDir/<bucket>.json, of about WherePerBucket entries each: the
// page's script fetches the one bucket that can hold the URL, never the
// whole list. The list holds the URLs' hashes, not the URLs, and no other
// region's titles: a region's site holds none of another region's text.
const (
	WhereDir       = NavDir + "/where"
	WherePerBucket = 12
)

// WhereKey is the form of a root-relative URL the list is keyed and hashed
// by, the same for the page, its folder and the folder's index.html:
// /a/index.html and /a become /a/; /a/b.html stays.
func WhereKey(u string) string {
	u = "/" + strings.TrimPrefix(u, "/")
	if strings.HasSuffix(u, "/index.html") {
		return strings.TrimSuffix(u, "index.html")
	}
	if !strings.HasSuffix(u, "/") && path.Ext(u) == "" {
		return u + "/"
	}
	return u
}

// WhereHash is the 64-bit FNV-1a hash of a key's UTF-8 bytes, which the
// theme's script computes the same way: it picks the bucket (modulo their
// number), and written as 16 hex digits it names the URL in the bucket.
func WhereHash(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

// WhereBuckets is how many files a list of n URLs is split into: a power
// of two, about WherePerBucket URLs each; 0 for an empty list.
func WhereBuckets(n int) int {
	if n == 0 {
		return 0
	}
	want := (n + WherePerBucket - 1) / WherePerBucket
	return 1 << bits.Len(uint(want-1))
}

// whereMissing lists the pages and aliases that another region publishes
// and r does not.
func whereMissing(p *model.Project, r *model.Region, n *model.Nav) model.WhereList {
	list := model.WhereList{}
	code := r.Config.Code
	for _, cp := range p.Pages {
		if cp.InRegion(code) {
			continue
		}
		var e *model.WhereEntry
		for _, rc := range n.Regions {
			if rc.Code == code || !cp.InRegion(rc.Code) {
				continue
			}
			if e == nil {
				e = &model.WhereEntry{}
				if s := n.UpSection(cp, code); s != nil {
					e.Section = s.URL
					if sn := n.Tree.Node(s.URL); sn != nil {
						e.SectionTitle = sn.Title
					}
				}
			}
			e.Regions = append(e.Regions, rc.Code)
		}
		if e == nil {
			continue
		}
		list[WhereHash(WhereKey(cp.URL))] = e
		for _, a := range cp.Aliases {
			if k := WhereHash(WhereKey(content.AliasOut(a))); list[k] == nil {
				list[k] = e
			}
		}
	}
	// An alias of a page this region has answers here; so does its page.
	for _, pg := range r.Pages {
		delete(list, WhereHash(WhereKey(pg.Src.URL)))
		for _, a := range pg.Src.Aliases {
			delete(list, WhereHash(WhereKey(content.AliasOut(a))))
		}
	}
	return list
}

// BucketFiles encodes r's list as WhereBuckets(len) JSON files.
func BucketFiles(r *model.Region) ([][]byte, error) {
	list := r.Nav.Where
	n := WhereBuckets(len(list))
	buckets := make([]map[string]*model.WhereEntry, n)
	for h, e := range list {
		b := h % uint64(n)
		if buckets[b] == nil {
			buckets[b] = map[string]*model.WhereEntry{}
		}
		buckets[b][fmt.Sprintf("%016x", h)] = e
	}
	files := make([][]byte, n)
	for i, b := range buckets {
		if b == nil {
			b = map[string]*model.WhereEntry{}
		}
		data, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		files[i] = data
	}
	return files, nil
}

// Elsewhere is what a 404 page's script needs to say which other regions
// publish the URL asked for.
type Elsewhere struct {
	Src     string       // the folder of the region's bucket files
	Buckets int          // how many there are
	Regions []RegionLink // the other regions, each linking its home page
}

// Elsewhere is set on a 404 page whose region lacks some URL of another.
func (d *PageData) Elsewhere() *Elsewhere {
	n := d.nav()
	if n == nil || d.Kind != "404" || len(n.Where) == 0 {
		return nil
	}
	e := &Elsewhere{Src: "/" + WhereDir + "/", Buckets: WhereBuckets(len(n.Where))}
	for _, l := range d.RegionLinks {
		if !l.Current {
			e.Regions = append(e.Regions, l)
		}
	}
	return e
}
