package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeTemplateLimits runs the helpgen binary's serve on a site whose
// shortcode template is changed into one that never ends. With timeout
// "300ms" the rebuild fails with the error shown over the last good page,
// which stays served, and saving a fixed template serves it. With a long
// timeout, SIGINT during the endless render still stops serve within a
// second.
func TestServeTemplateLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the helpgen binary")
	}
	bin := filepath.Join(t.TempDir(), "helpgen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const spin = "{{ range 1000000000000 }}{{ end }}\n"
	t.Run("timeout", func(t *testing.T) {
		s := startServe(t, bin, "300ms")
		s.write(t, "shortcodes/spin.html", spin)
		s.waitPage(t, "ran longer than timeout", "good")
		s.write(t, "shortcodes/spin.html", "fixed\n")
		s.waitPage(t, "fixed", "")
		s.stop(t, 5*time.Second)
	})
	t.Run("interrupted", func(t *testing.T) {
		s := startServe(t, bin, "1h")
		s.write(t, "shortcodes/spin.html", spin)
		// The rebuild is under way once the watcher's quiet period has
		// passed; the last good site is served meanwhile.
		time.Sleep(500 * time.Millisecond)
		s.waitPage(t, "good", "")
		s.stop(t, time.Second)
	})
}

type serveProc struct {
	cmd  *exec.Cmd
	root string
	url  string // the first region's
	out  chan string
}

func startServe(t *testing.T, bin, timeout string) *serveProc {
	t.Helper()
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"helpgen.toml":         strings.Replace(limitsConfig, `"300ms"`, `"`+timeout+`"`, 1),
		"content/p.md":         "---\ntitle: p\n---\nText.\n\n{{< spin >}}\n",
		"shortcodes/spin.html": "good\n",
	})
	cmd := exec.Command(bin, "serve", "-s", root, "--port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	s := &serveProc{cmd: cmd, root: root, out: make(chan string, 100)}
	line := regexp.MustCompile(`^JP  (http://127\.0\.0\.1:\d+/)$`)
	sc := bufio.NewScanner(stdout)
	for s.url == "" && sc.Scan() {
		if m := line.FindStringSubmatch(sc.Text()); m != nil {
			s.url = m[1]
		}
	}
	if s.url == "" {
		t.Fatal("serve printed no address")
	}
	go func() {
		for sc.Scan() {
			s.out <- sc.Text()
		}
		close(s.out)
	}()
	s.waitPage(t, "good", "")
	return s
}

// write replaces a file of the site as an editor saving it atomically does.
func (s *serveProc) write(t *testing.T, name, data string) {
	t.Helper()
	p := filepath.Join(s.root, name)
	if err := os.WriteFile(p+".tmp~", []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p+".tmp~", p); err != nil {
		t.Fatal(err)
	}
}

// waitPage waits until the page holds want (and also, when set, too).
func (s *serveProc) waitPage(t *testing.T, want, too string) {
	t.Helper()
	var body string
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(s.url + "p.html")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body = string(b)
		if resp.StatusCode == 200 && strings.Contains(body, want) && strings.Contains(body, too) {
			return
		}
	}
	t.Fatalf("the page never held %q and %q:\n%s", want, too, body)
}

// stop sends SIGINT and requires serve to have exited within limit.
func (s *serveProc) stop(t *testing.T, limit time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	go func() {
		for range s.out {
		}
		done <- s.cmd.Wait()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v", err)
		}
	case <-time.After(limit):
		t.Fatalf("serve did not stop within %v of SIGINT", limit)
	}
	t.Logf("stopped %v after SIGINT", time.Since(start).Round(time.Millisecond))
}
