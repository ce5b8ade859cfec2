package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/helpgen/helpgen/internal/corpus"
)

// TestMain runs the command itself when a test starts this binary as
// helpgen (see helpgenCommand).
func TestMain(m *testing.M) {
	if os.Getenv("HELPGEN_TEST_RUN_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// helpgenCommand is `helpgen args…` as a process of its own: bin, or this
// test binary when bin is "".
func helpgenCommand(bin string, args ...string) *exec.Cmd {
	if bin != "" {
		return exec.Command(bin, args...)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "HELPGEN_TEST_RUN_MAIN=1")
	return cmd
}

// buildHelpgen compiles the command without the race detector, which makes
// a build many times slower; "" (this test binary) when there is no go tool.
func buildHelpgen(t *testing.T) string {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Logf("no go tool (%v): running this test binary as helpgen", err)
		return ""
	}
	bin := filepath.Join(t.TempDir(), "helpgen")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tree maps every entry under dir to its type and the SHA-256 of a file's
// bytes; with times, also its modification time.
func tree(t *testing.T, dir string, times bool) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			m[rel] = "dir"
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			m[rel] = "link " + target
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[rel] = hex.EncodeToString(sum[:])
		if info, err := d.Info(); err == nil && times {
			m[rel] += " " + info.ModTime().String()
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return m
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// copySite copies the bundled help site (helpgen.toml, content/, static/)
// into a new folder.
func copySite(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "site")
	if err := os.Mkdir(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, top := range []string{"helpgen.toml", "content", "static"} {
		err := filepath.WalkDir(filepath.Join("..", "..", top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestIssueReproductions: the bundled site is built, then changed in a way
// that gives one output path two sources. The build fails naming both, and
// every file of DEST keeps its bytes and time (today's bug: every 404.html
// became the redirect page although the build said nothing was written).
func TestIssueReproductions(t *testing.T) {
	tests := []struct {
		name   string
		before func(site string) // the published state
		change func(site string)
		want   []string
	}{
		{"an alias over 404.html and a broken link",
			func(site string) { write(t, filepath.Join(site, "content/x.md"), "---\ntitle: X\n---\nx\n") },
			func(site string) {
				write(t, filepath.Join(site, "content/x.md"), "---\ntitle: X\naliases: [\"/404.html\"]\n---\n[nope](/nope.html)\n")
			},
			[]string{`content/x.md:3:12: alias /404.html writes /404.html, as does helpgen's 404 page [CN, JP, US]`, "1 error; nothing was written."}},
		{"an alias / and no home page",
			func(site string) {
				os.Remove(filepath.Join(site, "content/_index.md"))
				write(t, filepath.Join(site, "content/x.md"), "---\ntitle: X\n---\nx\n")
			},
			func(site string) {
				write(t, filepath.Join(site, "content/x.md"), "---\ntitle: X\naliases: [/]\n---\nx\n")
			},
			[]string{`content/x.md:3:11: alias / writes /index.html, as does helpgen's home page`}},
		{"a static file at a page's URL", func(string) {},
			func(site string) {
				write(t, filepath.Join(site, "static/general/ja/login/unlock.html"), "<p>old copy</p>")
			},
			[]string{"content/general/ja/login/unlock.md: page writes /general/ja/login/unlock.html, as does static file static/general/ja/login/unlock.html"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := copySite(t)
			dest := filepath.Join(t.TempDir(), "public")
			tt.before(site)
			if code, _, stderr := runCLI("build", "-s", site, "-d", dest, "-q"); code != 0 {
				t.Fatalf("first build: exit %d: %s", code, stderr)
			}
			before := tree(t, dest, true)
			tt.change(site)
			code, _, stderr := runCLI("build", "-s", site, "-d", dest)
			if code != 1 {
				t.Errorf("exit %d, want 1: %s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("missing %q in\n%s", w, stderr)
				}
			}
			if !equalTrees(before, tree(t, dest, true)) {
				t.Error("DEST changed")
			}
		})
	}
}

// TestDestRefused: a DEST whose region folders could replace the site or a
// folder it reads is a usage error, and nothing is written.
func TestDestRefused(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	write(t, filepath.Join(site, "helpgen.toml"), "[regions.CONTENT.params]\nservice = \"x\"\n[regions.JP.params]\nservice = \"y\"\n")
	write(t, filepath.Join(site, "content/a.md"), "---\ntitle: A\n---\na\n")
	write(t, filepath.Join(site, "static/x.txt"), "x")
	write(t, filepath.Join(root, "file"), "a file")
	// A folder the site reads may be a link to another folder inside the
	// site (one leading out of the site is not read at all).
	shared := filepath.Join(site, "shared")
	write(t, filepath.Join(shared, "layouts/partials/x.html"), "x")
	if err := os.Symlink(filepath.Join(shared, "layouts"), filepath.Join(site, "layouts")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(site, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dest, want string
	}{
		{site, "is the site folder: its region folders would replace the site's own"},
		{filepath.Join(root, "link"), "is the site folder"},
		{site + "/content/..", "is the site folder"},
		{"/", "-d / is the root folder"},
		{root, "holds the site folder"},
		{filepath.Join(site, "content"), "is inside content/, which the site reads"},
		{filepath.Join(site, "static", "out"), "is inside static/, which the site reads"},
		{filepath.Join(shared, "layouts", "out"), "is inside layouts/, which the site reads"},
		{shared, "holds layouts/, which the site reads"},
		{filepath.Join(root, "file"), "the destination is a file, not a folder"},
	}
	before := tree(t, root, true)
	for _, tt := range tests {
		t.Run(tt.dest, func(t *testing.T) {
			code, _, stderr := runCLI("build", "-s", site, "-d", tt.dest)
			if code != 2 || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "\n    ") {
				t.Errorf("exit %d (want 2), stderr %q (want %q and a hint)", code, stderr, tt.want)
			}
			if !equalTrees(before, tree(t, root, true)) {
				t.Fatal("the refused build changed files")
			}
		})
	}
	if code, _, stderr := runCLI("build", "-s", site, "-d", filepath.Join(site, "public"), "-q"); code != 0 {
		t.Errorf("a DEST inside the site is fine: exit %d: %s", code, stderr)
	}
}

// TestNoPages: a missing or empty content/ is an error (exit 1) that leaves
// DEST as it was; --allow-empty publishes a site without pages.
func TestNoPages(t *testing.T) {
	root := t.TempDir()
	site, dest := filepath.Join(root, "site"), filepath.Join(root, "public")
	write(t, filepath.Join(site, "helpgen.toml"), "[regions.JP.params]\nservice = \"x\"\n")
	write(t, filepath.Join(site, "content/a.md"), "---\ntitle: A\n---\na\n")
	if code, _, stderr := runCLI("build", "-s", site, "-d", dest, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	before := tree(t, dest, true)
	steps := []struct {
		name   string
		change func()
		want   string
	}{
		{"only a draft", func() { write(t, filepath.Join(site, "content/a.md"), "---\ntitle: A\ndraft: true\n---\na\n") },
			"content/: no pages to publish: content/ holds no Markdown page"},
		{"empty", func() { os.Remove(filepath.Join(site, "content/a.md")) }, "content/ holds no Markdown page"},
		{"missing", func() { os.Remove(filepath.Join(site, "content")) }, "content/: no pages to publish: the site has no content/ folder"},
	}
	for _, s := range steps {
		s.change()
		code, _, stderr := runCLI("build", "-s", site, "-d", dest)
		if code != 1 || !strings.Contains(stderr, s.want) || !strings.Contains(stderr, "--allow-empty") {
			t.Errorf("%s: exit %d, stderr %q, want %q", s.name, code, stderr, s.want)
		}
		if !equalTrees(before, tree(t, dest, true)) {
			t.Fatalf("%s: DEST changed", s.name)
		}
	}
	if code, _, stderr := runCLI("build", "-s", site, "-d", dest, "--allow-empty", "-q"); code != 0 {
		t.Fatalf("--allow-empty: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dest, "jp", "index.html")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "jp", "a.html")); !os.IsNotExist(err) {
		t.Errorf("the page is still published: %v", err)
	}
}

// TestKilledBuild: `helpgen build` killed with SIGKILL at moments spread
// over a whole build leaves each region wholly old or wholly new; the next
// build succeeds and removes the killed builds' staging folders.
func TestKilledBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds a generated site many times")
	}
	bin := buildHelpgen(t)
	root := t.TempDir()
	site, dest := filepath.Join(root, "site"), filepath.Join(root, "public")
	if _, err := corpus.Write(site, corpus.Options{Pages: 60, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile(filepath.Join(site, "helpgen.toml"))
	if err != nil {
		t.Fatal(err)
	}
	// Two versions that differ in every page: the title is on each.
	versions := []string{string(config), strings.Replace(string(config), "ヘルプ", "Help", 1)}
	var want [2]map[string]map[string]string // version → region → tree
	var took time.Duration
	for v := range versions {
		write(t, filepath.Join(site, "helpgen.toml"), versions[v])
		ref := filepath.Join(root, fmt.Sprintf("ref%d", v))
		start := time.Now()
		if out, err := helpgenCommand(bin, "build", "-s", site, "-d", ref, "-q").CombinedOutput(); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		took = max(took, time.Since(start))
		want[v] = map[string]map[string]string{}
		for _, r := range []string{"cn", "jp", "us"} {
			want[v][r] = tree(t, filepath.Join(ref, r), false)
		}
	}
	write(t, filepath.Join(site, "helpgen.toml"), versions[0])
	if out, err := helpgenCommand(bin, "build", "-s", site, "-d", dest, "-q").CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// Half the kills come at moments spread from the start of the process
	// to a little after a whole build; the others once the checks passed,
	// when the regions are being swapped in, after delays of 0 to 7 ms.
	const spread, late = 8, 8
	counts := map[string]int{}
	for i := range spread + late {
		write(t, filepath.Join(site, "helpgen.toml"), versions[(i+1)%2])
		if i < spread {
			killAfter(t, helpgenCommand(bin, "build", "-s", site, "-d", dest, "-q"), "", took*time.Duration(i+1)/(spread-2))
		} else {
			killAfter(t, helpgenCommand(bin, "build", "-s", site, "-d", dest, "-v"), "checked ", time.Duration(i-spread)*time.Millisecond)
		}
		var state []string
		for _, r := range []string{"cn", "jp", "us"} {
			got := tree(t, filepath.Join(dest, r), false)
			switch {
			case equalTrees(got, want[0][r]):
				state = append(state, "v0")
			case equalTrees(got, want[1][r]):
				state = append(state, "v1")
			default:
				t.Fatalf("kill %d: region %s is neither wholly old nor wholly new", i, r)
			}
		}
		counts[strings.Join(state, " ")]++
	}
	const kills = spread + late
	t.Logf("build takes %v; after %d kills the regions cn jp us were: %v", took, kills, counts)
	write(t, filepath.Join(site, "helpgen.toml"), versions[1])
	// A first build, into a DEST that does not exist yet, killed at moments
	// spread over a build: DEST is then missing or whole.
	first := filepath.Join(root, "first")
	whole := 0
	for i := range 4 {
		killAfter(t, helpgenCommand(bin, "build", "-s", site, "-d", first, "-q"), "", took*time.Duration(i+1)/3)
		if _, err := os.Stat(first); err != nil {
			continue
		}
		whole++
		for _, r := range []string{"cn", "jp", "us"} {
			if !equalTrees(tree(t, filepath.Join(first, r), false), want[1][r]) {
				t.Fatalf("first build killed: region %s is not whole", r)
			}
		}
		if err := os.RemoveAll(first); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("of 4 first builds killed, %d left a whole DEST, the others none", whole)
	if out, err := helpgenCommand(bin, "build", "-s", site, "-d", first, "-q").CombinedOutput(); err != nil {
		t.Fatalf("the first build after the kills: %v: %s", err, out)
	}
	if out, err := helpgenCommand(bin, "build", "-s", site, "-d", dest, "-q").CombinedOutput(); err != nil {
		t.Fatalf("the build after the kills: %v: %s", err, out)
	}
	for _, r := range []string{"cn", "jp", "us"} {
		if !equalTrees(tree(t, filepath.Join(dest, r), false), want[1][r]) {
			t.Errorf("region %s is not the new build", r)
		}
	}
	for _, dir := range []string{root, dest} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), "helpgen-") {
				t.Errorf("staging folder left in %s: %s", dir, e.Name())
			}
		}
	}
}

// killAfter starts cmd and kills it with SIGKILL wait after it printed a
// line starting with line on stderr ("": after its start).
func killAfter(t *testing.T, cmd *exec.Cmd, line string, wait time.Duration) {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	for line != "" && sc.Scan() {
		if strings.HasPrefix(sc.Text(), line) {
			break
		}
	}
	time.Sleep(wait)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_, _ = io.Copy(io.Discard, stderr)
	_ = cmd.Wait()
}

// TestCheckReportsCollisions: `helpgen check` reports two sources of one
// output path as `build` does.
func TestCheckReportsCollisions(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	write(t, filepath.Join(site, "helpgen.toml"), "[regions.JP.params]\nservice = \"x\"\n")
	write(t, filepath.Join(site, "content/a.md"), "---\ntitle: A\naliases: [/b.html]\n---\na\n")
	write(t, filepath.Join(site, "content/b.md"), "---\ntitle: B\n---\nb\n")
	code, stdout, stderr := runCLI("check", "-s", site)
	want := "content/a.md:3:11: alias /b.html writes /b.html, as does page content/b.md [JP]"
	if code != 1 || !strings.Contains(stdout+stderr, want) {
		t.Errorf("exit %d, output %q, want %q", code, stdout+stderr, want)
	}
}
