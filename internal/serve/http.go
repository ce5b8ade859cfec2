package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/helpgen/helpgen/internal/diag"
)

// EventsPath is the live-reload event stream every region's server offers.
const EventsPath = "/_helpgen/events"

// event is one server-sent event.
type event struct{ name, data string }

// hub fans events out to every open event stream of every region.
type hub struct {
	mu     sync.Mutex
	subs   map[chan event]bool
	done   chan struct{}
	closed bool
}

func newHub() *hub { return &hub{subs: map[chan event]bool{}, done: make(chan struct{})} }

func (h *hub) subscribe() (chan event, func()) {
	ch := make(chan event, 16)
	h.mu.Lock()
	h.subs[ch] = true
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		if h.subs[ch] {
			delete(h.subs, ch)
			close(ch)
		}
		h.mu.Unlock()
	}
}

// publish sends ev to every stream. A stream too slow to take it is closed;
// its browser reconnects and reloads, so it never misses a change.
func (h *hub) publish(ev event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- ev:
		default:
			delete(h.subs, ch)
			close(ch)
		}
	}
}

// close ends every stream, for shutdown.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// liveScript is injected into every HTML page serve answers (never into
// what build writes). It reloads on a rebuild and shows or clears the error
// overlay. It keeps the writer's place by the element with an id nearest the
// top of the window (a heading, usually), not by the raw offset, so text
// added above the place does not push it out of view; the browser's own
// restoration is turned off so that only this one runs.
const liveScript = `<script id="helpgen-live">(function(){
var k="helpgen-scroll:"+location.pathname;
try{history.scrollRestoration="manual"}catch(e){}
function mark(){var best=null,d=1/0;document.querySelectorAll("main [id]").forEach(function(e){
var t=e.getBoundingClientRect().top;if(Math.abs(t)<d){d=Math.abs(t);best={id:e.id,top:t}}});
return {x:window.scrollX,y:window.scrollY,a:best}}
try{var s=sessionStorage.getItem(k);if(s){sessionStorage.removeItem(k);var p=JSON.parse(s);
var go=function(){var e=p.a&&document.getElementById(p.a.id);
if(e)window.scrollTo(p.x,window.scrollY+e.getBoundingClientRect().top-p.a.top);else window.scrollTo(p.x,p.y)};
go();addEventListener("load",go);}}catch(e){}
function reload(){try{sessionStorage.setItem(k,JSON.stringify(mark()))}catch(e){}location.reload()}
function overlay(h){var o=document.getElementById("helpgen-error");if(o)o.remove();
if(h){var d=document.createElement("div");d.innerHTML=h;document.body.appendChild(d.firstElementChild)}}
var opened=false,es=new EventSource("` + EventsPath + `");
es.onopen=function(){if(opened)reload();opened=true};
es.addEventListener("reload",reload);
es.addEventListener("problem",function(e){overlay(JSON.parse(e.data))});
es.addEventListener("ok",function(){overlay("")});
})();</script>`

// overlayLimit is how many problems the overlay lists; the terminal has
// them all.
const overlayLimit = 50

// overlayHTML shows problems over the page. Errors that stopped a rebuild
// cover it: the page below is the last good version. Findings of the checks
// (what would fail or warn in `helpgen build`) concern the current pages, so
// they alone take a panel at the bottom that the writer can close.
func overlayHTML(errs, findings diag.List) string {
	if len(errs) == 0 && len(findings) == 0 {
		return ""
	}
	var b strings.Builder
	if len(errs) > 0 {
		b.WriteString(`<div id="helpgen-error" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;` +
			`margin:0;padding:24px;background:rgba(24,24,24,.94);color:#f2f2f2;font:14px/1.5 ui-monospace,monospace">`)
		fmt.Fprintf(&b, `<p style="margin:0 0 12px;color:#ff8a80;font-weight:bold">helpgen: %d problem%s; this is the last good version of the site.</p>`,
			len(errs), diag.Plural(len(errs)))
		writeProblems(&b, errs)
	} else {
		b.WriteString(`<div id="helpgen-error" role="status" style="position:fixed;left:0;right:0;bottom:0;max-height:40vh;` +
			`z-index:2147483647;overflow:auto;margin:0;padding:12px 24px;background:rgba(24,24,24,.94);color:#f2f2f2;` +
			`font:13px/1.5 ui-monospace,monospace;border-top:3px solid #ffd180">` +
			`<button type="button" onclick="this.parentNode.remove()" aria-label="close" style="float:right;` +
			`background:none;border:0;color:#f2f2f2;font-size:20px;cursor:pointer">&times;</button>`)
	}
	if len(findings) > 0 {
		ne := len(findings.Errors())
		nw := len(findings) - ne
		what := fmt.Sprintf("%d error%s, %d warning%s", ne, diag.Plural(ne), nw, diag.Plural(nw))
		if ne > 0 {
			what += "; helpgen build would fail"
		}
		fmt.Fprintf(&b, `<p style="margin:0 0 8px;color:%s;font-weight:bold">helpgen check: %s.</p>`, severityColor(ne > 0), what)
		writeProblems(&b, findings)
	}
	if len(errs) > 0 {
		b.WriteString(`<p style="margin:0;color:#bbb">Save the fixed file: this page updates by itself.</p>`)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// writeProblems lists problems, errors in red and warnings in amber.
func writeProblems(b *strings.Builder, l diag.List) {
	for i, e := range l {
		if i == overlayLimit {
			fmt.Fprintf(b, `<p style="margin:0 0 12px">and %d more: see the terminal.</p>`, len(l)-i)
			break
		}
		fmt.Fprintf(b, `<pre style="white-space:pre-wrap;margin:0 0 12px;color:%s">`, severityColor(e.Severity == diag.SevError))
		b.WriteString(html.EscapeString(e.Detail()))
		b.WriteString("</pre>")
	}
}

func severityColor(isError bool) string {
	if isError {
		return "#ff8a80"
	}
	return "#ffd180"
}

// isDocument reports whether an HTML file is a whole document, which gets
// the live script, rather than a fragment the theme loads into a page (the
// navigation tree), which must stay as built.
func isDocument(page []byte) bool {
	head := bytes.TrimLeft(bytes.TrimPrefix(page, []byte("\ufeff")), " \t\r\n")
	head = bytes.ToLower(head[:min(len(head), 16)])
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html"))
}

// inject puts the overlay, if any, and the live script before </body>.
func inject(page []byte, overlay string) []byte {
	i := bytes.LastIndex(bytes.ToLower(page), []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(overlay)+len(liveScript))
	out = append(out, page[:i]...)
	out = append(out, overlay...)
	out = append(out, liveScript...)
	return append(out, page[i:]...)
}

// cleanPath returns the file a request asks for inside the region, or false
// when the path tries to leave it: dot segments (also percent-encoded),
// encoded or back slashes, NUL bytes.
func cleanPath(r *http.Request) (string, bool) {
	low := strings.ToLower(r.URL.EscapedPath())
	if strings.Contains(low, "%2f") || strings.Contains(low, "%5c") || strings.Contains(low, "%00") {
		return "", false
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return "", false
		}
	}
	rel := strings.TrimPrefix(p, "/")
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	if path.Clean("/"+rel) != "/"+rel {
		return "", false // empty segments: //a.html
	}
	return rel, true
}

// regionHandler serves region dir of the store, and the event stream.
func (s *server) regionHandler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == EventsPath {
			s.events(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		rel, ok := cleanPath(r)
		if !ok {
			http.Error(w, "bad path", http.StatusBadRequest)
			return
		}
		f, ok := s.store.get(dir, rel)
		if !ok {
			if !strings.HasSuffix(r.URL.Path, "/") {
				if _, ok := s.store.get(dir, rel+"/index.html"); ok {
					target := r.URL.Path + "/"
					if r.URL.RawQuery != "" {
						target += "?" + r.URL.RawQuery
					}
					http.Redirect(w, r, target, http.StatusMovedPermanently)
					return
				}
			}
			s.notFound(w, r, dir)
			return
		}
		s.serveFile(w, r, rel, f, http.StatusOK)
	})
}

// serveFile answers with f, honouring HEAD, If-Modified-Since and
// If-None-Match. HTML pages get the live script and the current overlay.
func (s *server) serveFile(w http.ResponseWriter, r *http.Request, rel string, f *file, status int) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	data, mod := f.data, f.mod
	etag := `"` + f.tag() + `"`
	if isHTML(rel) && isDocument(data) {
		overlay, tag, at := s.store.overlay()
		data = inject(data, overlay)
		etag = `"` + f.tag() + "-" + tag + `"`
		mod = latest(mod, at)
	}
	if status != http.StatusOK {
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(data)
		}
		return
	}
	h.Set("ETag", etag)
	if mod.shared {
		unsureDate(r)
	}
	http.ServeContent(w, r, rel, mod.at, bytes.NewReader(data))
}

// unsureDate drops the conditions a request bases on a date, for a version
// whose Last-Modified second an earlier version had too: the date cannot
// say which of the two the client holds. If-None-Match still answers 304,
// and a range asked for only If-Range's date is not sent alone.
func unsureDate(r *http.Request) {
	r.Header.Del("If-Modified-Since")
	r.Header.Del("If-Unmodified-Since")
	if ir := r.Header.Get("If-Range"); ir != "" && !strings.HasPrefix(ir, `"`) && !strings.HasPrefix(ir, "W/") {
		r.Header.Del("Range")
	}
}

func isHTML(rel string) bool {
	return strings.HasSuffix(rel, ".html") || strings.HasSuffix(rel, ".htm")
}

// notFound answers 404 with the region's 404 page.
func (s *server) notFound(w http.ResponseWriter, r *http.Request, dir string) {
	if f, ok := s.store.get(dir, "404.html"); ok {
		s.serveFile(w, r, "404.html", f, http.StatusNotFound)
		return
	}
	overlay, _, _ := s.store.overlay()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		_, _ = w.Write(inject([]byte("<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"), overlay))
	}
}

// events is the live-reload stream: "reload" after a rebuild that changed
// files, "problem" with the overlay when a rebuild failed or the checks
// found something, "ok" when fixed; on connecting, "problem" or "ok".
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch, cancel := s.hub.subscribe()
	defer cancel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	_, _ = fmt.Fprint(w, "retry: 500\n\n")
	// The current overlay, even when empty: a page loaded just before its
	// findings were cleared shows them until told otherwise.
	if overlay, _, _ := s.store.overlay(); overlay != "" {
		writeEvent(w, event{"problem", jsonString(overlay)})
	} else {
		writeEvent(w, event{"ok", "{}"})
	}
	fl.Flush()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return
			}
			writeEvent(w, ev)
		case <-ping.C:
			_, _ = fmt.Fprint(w, ": ping\n\n")
		case <-r.Context().Done():
			return
		case <-s.hub.done:
			return
		}
		fl.Flush()
	}
}

func writeEvent(w http.ResponseWriter, ev event) {
	_, _ = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
