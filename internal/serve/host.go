package serve

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
)

// hosts decides which Host headers the preview answers. A page on the web
// can point a name it controls at 127.0.0.1 (DNS rebinding) and then read
// the preview as its own origin; its requests carry that name in Host, so
// only names that reach this machine by the writer's choice are answered:
// loopback, the --bind address, this machine's own addresses when serving
// on every interface, and the names the writer allowed (--allowed-hosts).
type hosts struct {
	bind    string
	any     bool            // bound to every interface (0.0.0.0, ::)
	allowed map[string]bool // exact names and addresses, lowercase
	domains []string        // ".example.com": that domain and every name below it
	// local lists this machine's addresses; net.InterfaceAddrs unless a
	// test replaces it. Asked on each unknown address, as interfaces come
	// and go.
	local func() []net.IP
}

// newHosts returns the hosts a server bound to bind answers; allowed are
// the writer's names (a leading dot allows a domain and its subdomains).
func newHosts(bind string, allowed []string) (*hosts, error) {
	h := &hosts{bind: normHost(bind), allowed: map[string]bool{}, local: interfaceIPs}
	if ip := net.ParseIP(h.bind); h.bind == "" || ip != nil && ip.IsUnspecified() {
		h.any = true
	}
	if hn, err := os.Hostname(); err == nil && h.any {
		h.allowed[normHost(hn)] = true
	}
	for _, a := range allowed {
		if strings.ContainsAny(a, "/@ \t") || strings.Contains(a, "*") {
			return nil, fmt.Errorf("--allowed-hosts %q: give a host name (preview.example.com), an address, or .example.com for a domain and its subdomains", a)
		}
		a = normHost(a)
		switch {
		case a == "":
		case strings.HasPrefix(a, "."):
			h.domains = append(h.domains, a)
		default:
			h.allowed[a] = true
		}
	}
	return h, nil
}

// normHost is the name in a Host header or a flag, lowercase, without port,
// brackets or a final dot; "" when the port is not a number.
func normHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if host, port, err := net.SplitHostPort(h); err == nil {
		if strings.Trim(port, "0123456789") != "" {
			return ""
		}
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(h, ".")
}

// ok reports whether a request with this Host header may be answered.
func (h *hosts) ok(header string) bool {
	name := normHost(header)
	if name == "" {
		return false
	}
	if name == "localhost" || name == h.bind || h.allowed[name] {
		return true
	}
	for _, d := range h.domains {
		if name == d[1:] || strings.HasSuffix(name, d) {
			return true
		}
	}
	ip := net.ParseIP(name)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	if !h.any || ip.IsUnspecified() {
		return false
	}
	for _, l := range h.local() {
		if l.Equal(ip) {
			return true
		}
	}
	return false
}

// guard answers 403 to a request whose Host is not allowed, the event
// stream included, saying how to allow it.
func (h *hosts) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.ok(r.Host) {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if r.Host == "" {
			http.Error(w, "helpgen serve: a request without a Host header is refused", http.StatusForbidden)
			return
		}
		http.Error(w, fmt.Sprintf("helpgen serve: host %q is not allowed, so that no web page can read the preview "+
			"through DNS rebinding. Open the address serve printed, or restart it with --allowed-hosts %s "+
			"to reach it by this name.", r.Host, normHost(r.Host)), http.StatusForbidden)
	})
}

func interfaceIPs() []net.IP {
	as, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var ips []net.IP
	for _, a := range as {
		if n, ok := a.(*net.IPNet); ok {
			ips = append(ips, n.IP)
		}
	}
	return ips
}
