package main

import (
	"bufio"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestServeUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "-h"}, exitOK, "--port"},
		{[]string{"serve", "--nope"}, exitUsage, "unknown flag"},
		{[]string{"serve", "extra"}, exitUsage, "unexpected argument"},
		{[]string{"serve", "-s", "/no/such/site"}, exitUsage, "does not exist"},
		{[]string{"serve", "-s", "../..", "-r", "XX", "--port", "0"}, exitUsage, "XX"},
		{[]string{"serve", "-s", "../..", "--port", "70000"}, exitUsage, "out of range"},
		{[]string{"serve", "-s", "../..", "--port", "0", "--allowed-hosts", "http://docs.internal/"}, exitUsage, "--allowed-hosts"},
	} {
		code, _, stderr := runCLI(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// TestServeCommand runs the helpgen binary's serve on free ports, fetches a
// page from each region and stops it with SIGINT, as Ctrl-C does.
func TestServeCommand(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "helpgen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "-s", "../..", "--port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line := regexp.MustCompile(`^(CN|JP|US)  (http://127\.0\.0\.1:\d+/)$`)
	sc := bufio.NewScanner(stdout)
	var urls []string
	for len(urls) < 3 && sc.Scan() {
		if m := line.FindStringSubmatch(sc.Text()); m != nil {
			urls = append(urls, m[2])
		}
	}
	if len(urls) != 3 {
		t.Fatalf("serve printed %d region lines", len(urls))
	}
	for _, u := range urls {
		resp, err := http.Get(u + "general/ja/login/unlock.html")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", u, resp.StatusCode)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var rest strings.Builder
	for sc.Scan() {
		rest.WriteString(sc.Text() + "\n")
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil || !strings.Contains(rest.String(), "stopped") {
			t.Errorf("after SIGINT: %v, output %q", err, rest.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on SIGINT")
	}
}
