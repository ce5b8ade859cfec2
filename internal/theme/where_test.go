package theme

import (
	"strings"
	"testing"
)

// TestWhereKey shows the forms of one URL that share a key, as the 404
// page's script writes them too.
func TestWhereKey(t *testing.T) {
	for in, want := range map[string]string{
		"/a/b.html": "/a/b.html", "/a/": "/a/", "/a": "/a/", "/a/index.html": "/a/", "a/b.html": "/a/b.html",
		"/": "/", "/index.html": "/", "/ja/id/040150": "/ja/id/040150/", "/x.y/z": "/x.y/z/", "/ログイン": "/ログイン/",
	} {
		if got := WhereKey(in); got != want {
			t.Errorf("WhereKey(%q) = %q, want %q", in, got, want)
		}
	}
	// The theme's script has the same hash (FNV-1a over UTF-8).
	for s, want := range map[string]uint64{"": 0xcbf29ce484222325, "a": 0xaf63dc4c8601ec8c, "/ログイン/": 0x02a90874e7ca541d} {
		if got := WhereHash(s); got != want {
			t.Errorf("WhereHash(%q) = %#x, want %#x", s, got, want)
		}
	}
}

// FuzzWhereKey: any URL a writer may give as an alias has one key, rooted,
// the same once more.
func FuzzWhereKey(f *testing.F) {
	for _, s := range []string{"/ja/id/040150", "old/p.html", "/a/index.html", "", "/", "index.html", "/x.y/z", "/ログイン"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		k := WhereKey(u)
		if !strings.HasPrefix(k, "/") || WhereKey(k) != k || strings.HasSuffix(k, "/index.html") {
			t.Errorf("WhereKey(%q) = %q, again %q", u, k, WhereKey(k))
		}
	})
}
