// Package serve is `helpgen serve`: every region built in memory and served
// on its own port, rebuilt in part when a file changes, with live reload and
// an error overlay in the browser.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/cli"
	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// Options are the inputs of `helpgen serve`.
type Options struct {
	Site     string // site root folder
	Defaults fs.FS  // embedded theme
	Regions  []string
	Drafts   bool
	Bind     string // address to listen on; default 127.0.0.1
	Port     int    // region i (by code) listens on Port+i; 0 picks free ports
	Stdout   io.Writer
	Stderr   io.Writer
	// Quiet is how long the watcher waits after the last file event
	// before rebuilding; default 10 ms.
	Quiet time.Duration
	// Ready, when set, is called once every region is listening.
	Ready func([]Addr)
	// Rebuilt, when set, is called after every rebuild.
	Rebuilt func(Rebuild)

	// AllowedHosts are names (or addresses) besides loopback and Bind that
	// requests may carry in their Host header; ".example.com" allows that
	// domain and its subdomains.
	AllowedHosts []string
}

// Addr is where one region is served.
type Addr struct {
	Code string
	URL  string // http://host:port/
}

// Rebuild is what one rebuild did.
type Rebuild struct {
	What    string
	Pages   int
	Changed []string      // "dir/rel" of files whose bytes changed or went away
	Errors  diag.List     // what stopped pages from being rebuilt
	Checks  diag.List     // what the checks of `helpgen build` find in the served site
	Latency time.Duration // from the first file event to the site being served
	Served  time.Time     // when the changes were served (before the checks ran)
}

// server is the running preview.
type server struct {
	opt   Options
	store *store
	hub   *hub
	eng   *engine
	// checked are the check findings last printed, by their text;
	// details, the text of each.
	checked map[string]bool
	details map[*diag.Error]string
}

// Run serves the site until ctx is done, then shuts down gracefully.
// Content errors do not stop it: they are printed and shown in the browser
// while the last good site stays up.
func Run(ctx context.Context, opt Options) error {
	opt = withDefaults(opt)
	cfg, hosts, err := checkOptions(opt)
	if err != nil {
		return err
	}
	s := &server{opt: opt, store: newStore(), hub: newHub(), checked: map[string]bool{}}
	// Renders in progress stop when ctx ends, so that a template that runs
	// long does not hold up the shutdown.
	s.eng = newEngine(opt.Site, opt.Defaults, build.LoadOptions{Regions: opt.Regions, Drafts: opt.Drafts, Dir: opt.Site, Context: ctx}, s.store)
	s.eng.baseURLs = map[string]string{}

	// Watch before the first build so no change made during it is lost.
	w, err := newWatcher(opt.Site, opt.Quiet, func(err error) { fmt.Fprintf(opt.Stderr, "watch: %v\n", err) })
	if err != nil {
		return err
	}
	ls, err := s.listen(cfg, hosts)
	if err != nil {
		w.fw.Close()
		return err
	}
	start := time.Now()
	rep, err := s.eng.full("everything")
	s.finish(rep, err, start, true)
	for _, a := range ls.addrs {
		fmt.Fprintf(opt.Stdout, "%-3s %s\n", a.Code, a.URL)
	}
	if host := localHost(opt.Bind); host != opt.Bind {
		printOthers(opt.Stdout, opt.Bind, ls.addrs)
	}
	var wg sync.WaitGroup
	for i, srv := range ls.servers {
		wg.Go(func() {
			if err := srv.Serve(ls.listeners[i]); err != nil && !errors.Is(err, http.ErrServerClosed) {
				fmt.Fprintf(opt.Stderr, "serve %s: %v\n", ls.addrs[i].Code, err)
			}
		})
	}
	done := make(chan struct{})
	wg.Go(func() { w.run(done) })
	if opt.Ready != nil {
		opt.Ready(ls.addrs)
	}
	fmt.Fprintln(opt.Stdout, "watching for changes; press Ctrl-C to stop")
	s.loop(ctx, w)
	close(done)
	s.hub.close()
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range ls.servers {
		_ = srv.Shutdown(shut)
	}
	wg.Wait()
	fmt.Fprintln(opt.Stdout, "stopped")
	return nil
}

func withDefaults(opt Options) Options {
	if opt.Bind == "" {
		opt.Bind = "127.0.0.1"
	}
	if opt.Quiet <= 0 {
		opt.Quiet = 10 * time.Millisecond
	}
	if opt.Stdout == nil {
		opt.Stdout = io.Discard
	}
	if opt.Stderr == nil {
		opt.Stderr = io.Discard
	}
	return opt
}

// checkOptions refuses options that cannot be served, and reads the
// regions, which (and so the ports) are fixed at start.
func checkOptions(opt Options) (*config.Site, *hosts, error) {
	if err := sitefs.CheckRoot(opt.Site); err != nil {
		return nil, nil, &cli.UsageError{Err: err}
	}
	if opt.Port < 0 || opt.Port > 65535 {
		return nil, nil, &cli.UsageError{Err: fmt.Errorf("port %d is out of range", opt.Port)}
	}
	cfg, err := config.Load(sitefs.New(opt.Site))
	if err != nil {
		return nil, nil, err
	}
	if err := cfg.Select(opt.Regions); err != nil {
		return nil, nil, &cli.UsageError{Err: err}
	}
	hosts, err := newHosts(opt.Bind, opt.AllowedHosts)
	if err != nil {
		return nil, nil, &cli.UsageError{Err: err}
	}
	return cfg, hosts, nil
}

// listening are the regions' servers and where they listen.
type listening struct {
	servers   []*http.Server
	listeners []net.Listener
	addrs     []Addr
}

// listen opens one port per region; like hugo server, the served pages
// link each region to its local server, so that the region switcher works
// in the preview.
func (s *server) listen(cfg *config.Site, hosts *hosts) (*listening, error) {
	var ls listening
	host := localHost(s.opt.Bind)
	for i, rc := range cfg.Regions {
		port := 0
		if s.opt.Port != 0 {
			port = s.opt.Port + i
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(s.opt.Bind, strconv.Itoa(port)))
		if err != nil {
			for _, l := range ls.listeners {
				l.Close()
			}
			return nil, &cli.UsageError{Err: fmt.Errorf("region %s: %w (pick another --port)", rc.Code, err)}
		}
		ls.listeners = append(ls.listeners, ln)
		ls.servers = append(ls.servers, &http.Server{Handler: hosts.guard(s.regionHandler(rc.Dir())), ReadHeaderTimeout: 10 * time.Second})
		_, lport, _ := net.SplitHostPort(ln.Addr().String())
		ls.addrs = append(ls.addrs, Addr{Code: rc.Code, URL: "http://" + net.JoinHostPort(host, lport) + "/"})
		s.eng.baseURLs[rc.Code] = ls.addrs[len(ls.addrs)-1].URL
	}
	return &ls, nil
}

// loop rebuilds for each batch of the watcher until ctx is done. The search
// index is refreshed off the loop, so that a save right after another is
// served without waiting for it. A change that makes a refresh stale stops
// it; the next one starts, from the newest pages, only once it has
// returned, so that at most one runs at a time.
func (s *server) loop(ctx context.Context, w *watcher) {
	var job *indexJob // the running refresh, stopped or not
	var jobStart time.Time
	defer func() {
		if job != nil {
			job.stop.Store(true)
			<-job.done
		}
	}()
	for {
		if job == nil {
			if job = s.eng.startIndex(); job != nil {
				jobStart = time.Now()
			}
		}
		var indexed <-chan *indexResult
		if job != nil {
			indexed = job.done
		}
		select {
		case <-ctx.Done():
			return
		case b := <-w.out:
			rep, err := s.eng.rebuildEvents(b)
			// A page caught in the middle of a save is read again once quiet.
			w.ask(s.eng.takeWaiting())
			// A refresh this change made useless stops now, not after the
			// checks that finish runs.
			if job != nil && s.eng.stale(job) {
				job.stop.Store(true)
			}
			s.finish(rep, err, b.first, true)
		case res := <-indexed:
			job = nil
			if rep, err := s.eng.finishIndex(res); rep != nil {
				s.finish(rep, err, jobStart, false)
			}
		}
	}
}

// finish reports a rebuild in the terminal and to the browsers; pages tells
// whether pages changed (a browser showing one reloads) or only the search
// index did. The browser is told to reload before the checks the rebuild
// left run, so that the reload does not wait for them; their findings
// follow in the overlay.
func (s *server) finish(rep *report, _ error, first time.Time, pages bool) {
	errs := s.eng.errs()
	newProblems := s.showProblems(errs) && len(errs) > 0
	ready := time.Now()
	if rep != nil && !rep.ready.IsZero() {
		ready = rep.ready
	}
	lat := ready.Sub(first)
	r := Rebuild{Errors: errs, Latency: lat, Served: ready}
	switch {
	case rep != nil:
		r.What, r.Pages = rep.what, rep.pages
		for _, k := range rep.changed {
			r.Changed = append(r.Changed, k.dir+"/"+k.rel)
		}
		fmt.Fprintf(s.opt.Stdout, "rebuilt %s: %d file%s changed, ready in %s\n", rep.what, len(rep.changed), diag.Plural(len(rep.changed)), ms(lat))
	case s.eng.site.Project() == nil:
		fmt.Fprintf(s.opt.Stdout, "build failed after %s; nothing to serve until it is fixed\n", ms(lat))
	default:
		fmt.Fprintf(s.opt.Stdout, "rebuild failed after %s; serving the last good site\n", ms(lat))
	}
	if newProblems {
		for _, e := range errs {
			fmt.Fprintln(s.opt.Stderr, e.Detail())
		}
		fmt.Fprintf(s.opt.Stderr, "%d problem%s; the browser shows them until they are fixed\n", len(errs), diag.Plural(len(errs)))
	}
	if len(r.Changed) > 0 && pages {
		s.hub.publish(event{"reload", strconv.Itoa(len(r.Changed))})
	}
	s.eng.check()
	r.Checks = s.eng.findingList()
	s.printChecks(r.Checks)
	s.showProblems(errs)
	if s.opt.Rebuilt != nil {
		s.opt.Rebuilt(r)
	}
}

// showProblems puts errs and the current check findings in the overlay
// and, when that changed it, tells the browsers. It reports whether it did.
func (s *server) showProblems(errs diag.List) bool {
	if !s.store.setOverlay(overlayHTML(errs, s.eng.findingList())) {
		return false
	}
	if ov, _, _ := s.store.overlay(); ov != "" {
		s.hub.publish(event{"problem", jsonString(ov)})
	} else {
		fmt.Fprintln(s.opt.Stdout, "all problems fixed")
		s.hub.publish(event{"ok", "{}"})
	}
	return true
}

// printChecks prints the check findings that are new since the last ones
// printed, and a count whenever the set changed.
func (s *server) printChecks(found diag.List) {
	now := make(map[string]bool, len(found))
	details := make(map[*diag.Error]string, len(found))
	var fresh []string
	for _, f := range found {
		// A finding of a file not checked again is the same value as
		// before: its text is not made again.
		d, ok := s.details[f]
		if !ok {
			d = f.Detail()
		}
		details[f] = d
		now[d] = true
		if !s.checked[d] {
			fresh = append(fresh, d)
		}
	}
	s.details = details
	if len(fresh) == 0 && len(now) == len(s.checked) {
		return
	}
	for _, d := range fresh {
		fmt.Fprintln(s.opt.Stderr, d)
	}
	ne := len(found.Errors())
	nw := len(found) - ne
	switch {
	case len(found) == 0:
		fmt.Fprintln(s.opt.Stderr, "check: no problems left")
	case ne > 0:
		fmt.Fprintf(s.opt.Stderr, "check: %d error%s, %d warning%s (helpgen build would fail); the browser shows them\n", ne, diag.Plural(ne), nw, diag.Plural(nw))
	default:
		fmt.Fprintf(s.opt.Stderr, "check: %d warning%s; the browser shows them\n", nw, diag.Plural(nw))
	}
	s.checked = now
}

// localHost is the host of the addresses serve prints and links for a
// --bind address: a server on every interface is reached from this machine
// at its loopback address.
func localHost(bind string) string {
	if ip := net.ParseIP(bind); bind == "" || ip != nil && ip.IsUnspecified() {
		return "127.0.0.1"
	}
	return bind
}

// printOthers says how other machines reach a server listening on every
// interface (--bind 0.0.0.0): at this machine's own addresses.
func printOthers(w io.Writer, bind string, addrs []Addr) {
	fmt.Fprintf(w, "listening on every interface (--bind %s)", bind)
	var ips []string
	if as, err := net.InterfaceAddrs(); err == nil {
		for _, a := range as {
			if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && len(ips) < 3 {
				ips = append(ips, n.IP.String())
			}
		}
	}
	if len(ips) > 0 && len(addrs) > 0 {
		u, _ := url.Parse(addrs[0].URL)
		var others []string
		for _, ip := range ips {
			others = append(others, "http://"+net.JoinHostPort(ip, u.Port())+"/")
		}
		fmt.Fprintf(w, "; other machines reach %s at %s, the other regions on the next ports", addrs[0].Code, strings.Join(others, " or "))
	}
	fmt.Fprintln(w)
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
}
