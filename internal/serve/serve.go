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
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/helpgen/helpgen/internal/build"
	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/diag"
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
	Changed []string // "dir/rel" of files whose bytes changed or went away
	Errors  diag.List
	Latency time.Duration // from the first file event to the site being served
}

// server is the running preview.
type server struct {
	opt   Options
	store *store
	hub   *hub
	eng   *engine
}

// Run serves the site until ctx is done, then shuts down gracefully.
// Content errors do not stop it: they are printed and shown in the browser
// while the last good site stays up.
func Run(ctx context.Context, opt Options) error {
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
	if fi, err := os.Stat(opt.Site); err != nil || !fi.IsDir() {
		return &build.UsageError{Err: fmt.Errorf("site folder %q does not exist (pass -s SITE)", opt.Site)}
	}
	if opt.Port < 0 || opt.Port > 65535 {
		return &build.UsageError{Err: fmt.Errorf("port %d is out of range", opt.Port)}
	}
	// The regions, and so the ports, are fixed at start.
	cfg, err := config.Load(os.DirFS(opt.Site))
	if err != nil {
		return err
	}
	if err := cfg.Select(opt.Regions); err != nil {
		return &build.UsageError{Err: err}
	}
	s := &server{opt: opt, store: newStore(), hub: newHub()}
	s.eng = newEngine(opt.Site, opt.Defaults, build.LoadOptions{Regions: opt.Regions, Drafts: opt.Drafts}, s.store)

	// Watch before the first build so no change made during it is lost.
	w, err := newWatcher(opt.Site, opt.Quiet, func(err error) { fmt.Fprintf(opt.Stderr, "watch: %v\n", err) })
	if err != nil {
		return err
	}
	var servers []*http.Server
	var listeners []net.Listener
	var addrs []Addr
	for i, rc := range cfg.Regions {
		port := 0
		if opt.Port != 0 {
			port = opt.Port + i
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(opt.Bind, strconv.Itoa(port)))
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			w.fw.Close()
			return &build.UsageError{Err: fmt.Errorf("region %s: %w (pick another --port)", rc.Code, err)}
		}
		listeners = append(listeners, ln)
		servers = append(servers, &http.Server{Handler: s.regionHandler(rc.Dir()), ReadHeaderTimeout: 10 * time.Second})
		addrs = append(addrs, Addr{Code: rc.Code, URL: "http://" + ln.Addr().String() + "/"})
	}

	start := time.Now()
	rep, err := s.eng.full("everything")
	s.finish(rep, err, start, true)
	for _, a := range addrs {
		fmt.Fprintf(opt.Stdout, "%-3s %s\n", a.Code, a.URL)
	}

	var wg sync.WaitGroup
	for i, srv := range servers {
		wg.Go(func() {
			if err := srv.Serve(listeners[i]); err != nil && !errors.Is(err, http.ErrServerClosed) {
				fmt.Fprintf(opt.Stderr, "serve %s: %v\n", addrs[i].Code, err)
			}
		})
	}
	done := make(chan struct{})
	wg.Go(func() { w.run(done) })
	if opt.Ready != nil {
		opt.Ready(addrs)
	}
	fmt.Fprintln(opt.Stdout, "watching for changes; press Ctrl-C to stop")
loop:
	for {
		if len(s.eng.pendingIndex) > 0 {
			// Pages first: the index waits while changes keep coming.
			select {
			case <-ctx.Done():
				break loop
			case b := <-w.out:
				rep, err := s.eng.rebuild(b.paths)
				s.finish(rep, err, b.first, true)
				continue
			default:
				t := time.Now()
				rep, err := s.eng.reindex()
				s.finish(rep, err, t, false)
				continue
			}
		}
		select {
		case <-ctx.Done():
			break loop
		case b := <-w.out:
			rep, err := s.eng.rebuild(b.paths)
			s.finish(rep, err, b.first, true)
		}
	}
	close(done)
	s.hub.close()
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range servers {
		_ = srv.Shutdown(shut)
	}
	wg.Wait()
	fmt.Fprintln(opt.Stdout, "stopped")
	return nil
}

// finish reports a rebuild in the terminal and to the browsers; pages tells
// whether pages changed (a browser showing one reloads) or only the search
// index did.
func (s *server) finish(rep *report, _ error, first time.Time, pages bool) {
	errs := s.eng.errs()
	overlayChanged := s.store.setOverlay(overlayHTML(errs))
	lat := time.Since(first)
	r := Rebuild{Errors: errs, Latency: lat}
	if rep != nil {
		r.What, r.Pages = rep.what, rep.pages
		for _, k := range rep.changed {
			r.Changed = append(r.Changed, k.dir+"/"+k.rel)
		}
		fmt.Fprintf(s.opt.Stdout, "rebuilt %s: %d file%s changed, ready in %s\n", rep.what, len(rep.changed), plural(len(rep.changed)), ms(lat))
	} else {
		fmt.Fprintf(s.opt.Stdout, "rebuild failed after %s; serving the last good site\n", ms(lat))
	}
	if overlayChanged {
		if len(errs) > 0 {
			for _, e := range errs {
				fmt.Fprintln(s.opt.Stderr, e.Detail())
			}
			fmt.Fprintf(s.opt.Stderr, "%d problem%s; the browser shows them until they are fixed\n", len(errs), plural(len(errs)))
			s.hub.publish(event{"problem", jsonString(overlayHTML(errs))})
		} else {
			fmt.Fprintln(s.opt.Stdout, "all problems fixed")
			s.hub.publish(event{"ok", "{}"})
		}
	}
	if len(r.Changed) > 0 && pages {
		s.hub.publish(event{"reload", strconv.Itoa(len(r.Changed))})
	}
	if s.opt.Rebuilt != nil {
		s.opt.Rebuilt(r)
	}
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
}
