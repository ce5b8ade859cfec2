package serve

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestHostsAllowed: which Host headers a server bound to each address
// answers. A rebinding page's requests carry its own name.
func TestHostsAllowed(t *testing.T) {
	machine := []net.IP{net.ParseIP("192.168.1.5"), net.ParseIP("fe80::1"), net.ParseIP("127.0.0.1")}
	for _, c := range []struct {
		bind    string
		allowed []string
		yes, no []string
	}{
		{"127.0.0.1", nil,
			[]string{"localhost", "localhost:1313", "LOCALHOST:1313", "localhost.:1313", "127.0.0.1:1313", "127.0.0.1",
				"127.1.2.3:80", "[::1]:1313", "[::1]"},
			[]string{"", "evil.example:1313", "evil.example", "localhost.evil.example", "127.0.0.1.evil.example",
				"192.168.1.5:1313", "0.0.0.0:1313", "[::]:1313", "sub.localhost:1313", "[fe80::1]:1313", "localhost:1313@evil"}},
		{"0.0.0.0", nil,
			[]string{"localhost:1313", "127.0.0.1:1313", "[::1]:1313", "192.168.1.5:1313", "[fe80::1]:1313", "0.0.0.0:1313"},
			[]string{"evil.example:1313", "10.9.9.9:1313", "[::]:1313"}},
		{"::", nil,
			[]string{"192.168.1.5:1313", "[::1]:1313"},
			[]string{"evil.example:1313", "10.9.9.9:1313"}},
		{"192.168.1.5", nil,
			[]string{"192.168.1.5:1313", "localhost:1313"},
			[]string{"[fe80::1]:1313", "evil.example:1313"}},
		{"preview.lan", nil,
			[]string{"preview.lan:1313", "PREVIEW.LAN."},
			[]string{"other.lan:1313", "192.168.1.5:1313"}},
		{"127.0.0.1", []string{"docs.internal", ".team.example", "10.0.0.7", "Tunnel.Example:8443"},
			[]string{"docs.internal:1313", "team.example", "a.team.example:1313", "a.b.team.example", "10.0.0.7:1313",
				"tunnel.example"},
			[]string{"docs.internal.evil.example", "xteam.example", "team.example.evil", "10.0.0.8:1313"}},
	} {
		h, err := newHosts(c.bind, c.allowed)
		if err != nil {
			t.Fatal(err)
		}
		h.local = func() []net.IP { return machine }
		for _, host := range c.yes {
			if !h.ok(host) {
				t.Errorf("bound to %s, allowed %v: Host %q refused", c.bind, c.allowed, host)
			}
		}
		for _, host := range c.no {
			if h.ok(host) {
				t.Errorf("bound to %s, allowed %v: Host %q answered", c.bind, c.allowed, host)
			}
		}
	}
	for _, bad := range []string{"http://docs.internal", "*.example.com", "docs internal", "user@docs"} {
		if _, err := newHosts("127.0.0.1", []string{bad}); err == nil || !strings.Contains(err.Error(), "--allowed-hosts") {
			t.Errorf("--allowed-hosts %q: error %v", bad, err)
		}
	}
}

// hostGet sends GET path to the server at base with the Host header given.
func hostGet(t testing.TB, base, path, host string) (int, http.Header, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: "GET"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Content-Type") == "text/event-stream" {
		return resp.StatusCode, resp.Header, "" // a stream does not end: the connection is closed unread
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestServeRefusesForeignHosts: a page on the web that rebinds its name to
// 127.0.0.1 reads neither pages nor the event stream; the preview's own
// names and the writer's allowed names work.
func TestServeRefusesForeignHosts(t *testing.T) {
	srv := startWith(t, copySite(t), func(o *Options) { o.AllowedHosts = []string{"docs.internal"} })
	base := srv.addrs[1].URL
	port := strings.TrimSuffix(base[strings.LastIndex(base, ":")+1:], "/")
	for _, p := range []string{"/" + unlockURL, "/", EventsPath, "/_search/manifest.json", "/no/such.html"} {
		for _, host := range []string{"attacker.example:" + port, "attacker.example", "127.0.0.1.attacker.example:" + port} {
			st, _, body := hostGet(t, base, p, host)
			if st != http.StatusForbidden || !strings.Contains(body, "--allowed-hosts") || strings.Contains(body, "<html") {
				t.Errorf("GET %s with Host %s: %d %q, want 403 saying how to allow it", p, host, st, body[:min(len(body), 80)])
			}
		}
	}
	for _, host := range []string{"localhost:" + port, "127.0.0.1:" + port, "docs.internal:" + port} {
		if st, _, body := hostGet(t, base, "/"+unlockURL, host); st != 200 || !strings.Contains(body, "helpgen-live") {
			t.Errorf("Host %s: %d", host, st)
		}
		if st, h, _ := hostGet(t, base, EventsPath, host); st != 200 || h.Get("Content-Type") != "text/event-stream" {
			t.Errorf("event stream with Host %s: %d", host, st)
		}
	}
}
