package sitefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/helpgen/helpgen/internal/diag"
)

const secret = "FAKE-SECRET-TOKEN=hunter2"

// site makes a site folder beside a folder outside it holding a secret,
// with the links given (link → target, relative to the site root).
func site(t *testing.T, links map[string]string) (dir, outside string) {
	t.Helper()
	base := t.TempDir()
	dir, outside = filepath.Join(base, "site"), filepath.Join(base, "outside")
	for _, f := range []string{"site/content/a.md", "site/src/shared.md", "outside/secret.md", "outside/content/x.md"} {
		p := filepath.Join(base, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("---\ntitle: "+secret+"\n---\n"+secret+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range links {
		target = strings.ReplaceAll(target, "$OUT", outside)
		target = strings.ReplaceAll(target, "$SITE", dir)
		p := filepath.Join(dir, link)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	return dir, outside
}

func TestLinks(t *testing.T) {
	for _, c := range []struct {
		name   string
		links  map[string]string
		read   string
		link   string // the link the error names; "" when the read succeeds
		target string // where the error says it points
		loop   bool
	}{
		{name: "file inside", links: map[string]string{"content/in.md": "../src/shared.md"}, read: "content/in.md"},
		{name: "absolute inside", links: map[string]string{"content/in.md": "$SITE/src/shared.md"}, read: "content/in.md"},
		{name: "top folder inside", links: map[string]string{"layouts": "src"}, read: "layouts/shared.md"},
		{name: "top folder inside, absolute", links: map[string]string{"layouts": "$SITE/src"}, read: "layouts/shared.md"},
		{name: "file outside, relative", links: map[string]string{"content/x.md": "../../outside/secret.md"},
			read: "content/x.md", link: "content/x.md", target: "../../outside/secret.md"},
		{name: "file outside, absolute", links: map[string]string{"content/x.md": "$OUT/secret.md"},
			read: "content/x.md", link: "content/x.md", target: "/secret.md"},
		{name: "proc environ", links: map[string]string{"content/x.md": "/proc/self/environ"},
			read: "content/x.md", link: "content/x.md", target: "/proc/self/environ"},
		{name: "top folder outside", links: map[string]string{"i18n": "$OUT"},
			read: "i18n/secret.md", link: "i18n", target: "outside"},
		{name: "folder outside below", links: map[string]string{"content/sub": "../../outside/content"},
			read: "content/sub/x.md", link: "content/sub", target: "outside/content"},
		{name: "in, then out", links: map[string]string{"content/hop.md": "../src/hop.md", "src/hop.md": "$OUT/secret.md"},
			read: "content/hop.md", link: "content/hop.md", target: "outside/secret.md"},
		{name: "loop", links: map[string]string{"content/l1.md": "l2.md", "content/l2.md": "l1.md"},
			read: "content/l1.md", link: "content/l1.md", target: "l2.md", loop: true},
		{name: "self loop", links: map[string]string{"static/self": "self"},
			read: "static/self", link: "static/self", target: "self", loop: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, _ := site(t, c.links)
			fsys := New(dir)
			data, err := fsys.ReadFile(c.read)
			_, serr := fs.Stat(fsys, c.read)
			f, oerr := fsys.Open(c.read)
			if f != nil {
				f.Close()
			}
			if c.link == "" {
				if err != nil || serr != nil || oerr != nil || !strings.Contains(string(data), secret) {
					t.Fatalf("read %s: %v / %v / %v", c.read, err, serr, oerr)
				}
				return
			}
			for _, err := range []error{err, serr, oerr} {
				var le *LinkError
				if !errors.As(err, &le) {
					t.Fatalf("%s: %v, want a LinkError", c.read, err)
				}
				d := diag.FileError(c.read, err)
				if d.File != c.link || !strings.Contains(d.Msg, c.target) || d.Hint == "" {
					t.Errorf("error %q (file %s), want it to name %s → …%s", d.Detail(), d.File, c.link, c.target)
				}
				if strings.Contains(d.Detail(), secret) || strings.Contains(err.Error(), "hunter2") {
					t.Errorf("the error quotes the target: %s", d.Detail())
				}
				if c.loop != errors.Is(err, syscall.ELOOP) || (!c.loop && !errors.Is(err, fs.ErrPermission)) {
					t.Errorf("%v: loop %v, wants ELOOP %v", err, errors.Is(err, syscall.ELOOP), c.loop)
				}
			}
			if len(data) > 0 {
				t.Errorf("bytes read through a refused link: %q", data)
			}
		})
	}
}

// TestWalk: a walk sees links as links and reads what stays inside.
func TestWalk(t *testing.T) {
	dir, _ := site(t, map[string]string{"content/in.md": "../src/shared.md"})
	fsys := New(dir)
	if err := fstest.TestFS(fsys, "content/a.md", "content/in.md", "src/shared.md"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("user@host.1:1", filepath.Join(dir, "content/.#lock.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.ReadFile("content/.#lock.md"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dangling link: %v, want not found", err)
	}
	if _, err := fsys.ReadFile("../outside/secret.md"); err == nil {
		t.Error("a path with .. was read")
	}
}
