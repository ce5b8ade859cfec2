package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/diag"
)

// envSecret is put in the environment, which /proc/self/environ holds.
const envSecret = "HELPGEN_TEST_TOKEN_9c1f"

// TestLinksOutOfTheSiteRefused: a file of any folder the build reads that
// is a symbolic link leading out of the site fails the build with an error
// naming the link, and no byte of the target is printed or published.
func TestLinksOutOfTheSiteRefused(t *testing.T) {
	t.Setenv("HELPGEN_TEST_SECRET", envSecret)
	const fileSecret = "FILE-SECRET-7d2a"
	outside := t.TempDir()
	writeSite(t, outside, map[string]string{
		"page.md":    "---\ntitle: " + fileSecret + "\n---\n" + fileSecret + "\n",
		"plain.txt":  fileSecret + "\n" + fileSecret + "\n",
		"en.toml":    "x = \"" + fileSecret + "\"\n",
		"tpl.html":   "<p>" + fileSecret + "</p>",
		"dir/a.md":   "---\ntitle: " + fileSecret + "\n---\n",
		"dir/a.html": "<p>" + fileSecret + "</p>",
	})
	for _, c := range []struct{ link, target string }{
		{"content/x.md", "/proc/self/environ"},
		{"content/page.md", filepath.Join(outside, "page.md")},
		{"content/plain.md", filepath.Join(outside, "plain.txt")},
		{"content", filepath.Join(outside, "dir")},
		{"content/sub", filepath.Join(outside, "dir")},
		{"layouts/_default/single.html", filepath.Join(outside, "tpl.html")},
		{"layouts/partials", filepath.Join(outside, "dir")},
		{"shortcodes/note.html", filepath.Join(outside, "tpl.html")},
		{"i18n/en.toml", filepath.Join(outside, "en.toml")},
		{"static/s.txt", filepath.Join(outside, "plain.txt")},
		{"static/environ.txt", "/proc/self/environ"},
		{"static", filepath.Join(outside, "dir")},
		{"helpgen.toml", filepath.Join(outside, "en.toml")},
	} {
		t.Run(c.link, func(t *testing.T) {
			src := filepath.Join(t.TempDir(), "site")
			writeSite(t, src, map[string]string{"helpgen.toml": testConfig, "content/a.md": "---\ntitle: A\n---\n{{% note %}}n{{% /note %}}\n"})
			p := filepath.Join(src, c.link)
			if err := os.RemoveAll(p); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(c.target, p); err != nil {
				t.Fatal(err)
			}
			dest := filepath.Join(t.TempDir(), "public")
			_, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults})
			if err == nil {
				t.Fatal("the build succeeded")
			}
			var text []string
			named := false
			for _, e := range diag.Flatten(err) {
				text = append(text, e.Detail())
				named = named || e.File == c.link && strings.Contains(e.Msg, c.target) && strings.Contains(e.Msg, "outside the site")
			}
			all := strings.Join(text, "\n")
			if !named {
				t.Errorf("no error names the link %s and its target:\n%s", c.link, all)
			}
			if strings.Contains(all, fileSecret) || strings.Contains(all, envSecret) {
				t.Errorf("the error quotes the target's bytes:\n%s", all)
			}
			if _, err := os.Stat(dest); !os.IsNotExist(err) {
				t.Errorf("DEST written: %v", err)
			}
		})
	}
}

// TestLinksInsideTheSite: links that stay in the site folder are read as
// the files they point at, a top folder among them.
func TestLinksInsideTheSite(t *testing.T) {
	src := t.TempDir()
	writeSite(t, src, map[string]string{
		"helpgen.toml":            testConfig,
		"docs/content/a.md":       "---\ntitle: A\n---\n![x](/img/in.png) LINKED-PAGE\n",
		"shared/b.md":             "---\ntitle: B\n---\nSHARED-PAGE\n",
		"shared/in.png":           "PNG",
		"shared/tpl/warning.html": "<aside>LINKED-SHORTCODE {{ .Inner }}</aside>",
		"shared/c.md":             "---\ntitle: C\n---\n{{% warning %}}w{{% /warning %}}\n",
	})
	for link, target := range map[string]string{
		"content":                 "docs/content",
		"docs/content/b.md":       "../../shared/b.md",
		"docs/content/c.md":       filepath.Join(src, "shared/c.md"), // absolute, still inside
		"static/img/in.png":       "../../shared/in.png",
		"shortcodes/warning.html": "../shared/tpl/warning.html",
		"layouts/partials":        "../shared/tpl", // a folder: not followed, as before
	} {
		p := filepath.Join(src, link)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Run(RunOptions{Site: src, Dest: dest, Defaults: helpgen.Defaults}); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{"jp/a.html": "LINKED-PAGE", "jp/b.html": "SHARED-PAGE", "jp/c.html": "LINKED-SHORTCODE", "jp/img/in.png": "PNG"} {
		b, err := os.ReadFile(filepath.Join(dest, file))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s: %v, want %q in it", file, err, want)
		}
	}
}

// TestLinkLoop: a loop of links is an error naming the link, like any other;
// one run reports the static file's beside the pages'.
func TestLinkLoop(t *testing.T) {
	src := t.TempDir()
	writeSite(t, src, map[string]string{"helpgen.toml": testConfig, "content/a.md": "---\ntitle: A\n---\n"})
	for link, target := range map[string]string{"content/l1.md": "l2.md", "content/l2.md": "l1.md", "static/self.txt": "self.txt"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(src, link)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(src, link)); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Run(RunOptions{Site: src, Dest: filepath.Join(t.TempDir(), "public"), Defaults: helpgen.Defaults})
	var got []string
	for _, e := range diag.Flatten(err) {
		got = append(got, e.Error())
	}
	want := []string{
		"content/l1.md: symbolic link loop: content/l1.md → l2.md → l1.md",
		"content/l2.md: symbolic link loop: content/l2.md → l1.md → l2.md",
		"static/self.txt: symbolic link loop: static/self.txt → self.txt",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
