package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/helpgen/helpgen/internal/model"
)

// ExternalOptions tune --external. Zero values take the defaults.
type ExternalOptions struct {
	Timeout       time.Duration // one request (10s)
	Retries       int           // further attempts after a 429 or 5xx answer or a network error (2)
	MaxRetryAfter time.Duration // the longest Retry-After honoured; longer waits are cut to it (30s)
	Backoff       time.Duration // the first wait without Retry-After, doubling (1s)
	PerHost       int           // requests at a time to one host (2)
	Workers       int           // requests at a time in all (16)
	CacheFile     string        // results kept between runs; "" for none
	MaxAge        time.Duration // how long a kept result holds (24h)
	Client        *http.Client  // nil: a client following up to 10 redirects
	Now           func() time.Time
}

func (o *ExternalOptions) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&o.Timeout, 10*time.Second)
	set(&o.MaxRetryAfter, 30*time.Second)
	set(&o.Backoff, time.Second)
	set(&o.MaxAge, 24*time.Hour)
	if o.Retries <= 0 {
		o.Retries = 2
	}
	if o.PerHost <= 0 {
		o.PerHost = 2
	}
	if o.Workers <= 0 {
		o.Workers = 16
	}
	if o.Client == nil {
		o.Client = &http.Client{}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// linkResult is what one URL answered, as kept in the cache file.
type linkResult struct {
	Status  int       `json:"status,omitempty"`
	Err     string    `json:"error,omitempty"`
	Checked time.Time `json:"checked"`
}

func (r linkResult) ok() bool { return r.Err == "" && r.Status >= 200 && r.Status < 400 }

// lasting says whether the answer may be kept: a success or a page that
// is gone, not a server or network trouble of the moment.
func (r linkResult) lasting() bool {
	return r.ok() || r.Status == http.StatusNotFound || r.Status == http.StatusGone
}

type cacheFile struct {
	Version int                   `json:"version"`
	Links   map[string]linkResult `json:"links"`
}

// use is one place an external link is written, in one region.
type use struct {
	region string
	page   *model.Page
	pos    int
	dest   string
}

// ExternalLinks requests every http(s) link and image of the checked
// regions once, however many pages and regions use it, and reports those
// that do not answer with success, at each place they are written.
func ExternalLinks(ctx context.Context, s model.Site, regions []*model.Region, opt ExternalOptions) []Finding {
	opt.defaults()
	c := newChecker(s.Model(), regions)
	if c.sev[External] == "off" {
		return nil
	}
	uses := map[string][]use{}
	for _, r := range regions {
		for _, pg := range r.Pages {
			if pg.Facts == nil {
				continue
			}
			for _, l := range slices.Concat(pg.Facts.Links, pg.Facts.Images) {
				if u, ok := externalURL(l.Dest); ok {
					uses[u] = append(uses[u], use{r.Config.Code, pg, l.Pos, l.Dest})
				}
			}
		}
	}
	urls := make([]string, 0, len(uses))
	for u := range uses {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	cache := loadCache(opt.CacheFile)
	results := newExternal(opt).run(ctx, urls, cache, opt.Now())
	saveCache(opt.CacheFile, cache, results)
	for _, u := range urls {
		res := results[u]
		if res.ok() {
			continue
		}
		for _, us := range uses[u] {
			src := c.source(us.page.Src)
			c.report(External, us.region, src.Errorf(us.pos, externalHint(res), "external link %s: %s", us.dest, res.describe()))
		}
	}
	return c.findings()
}

// externalURL is the URL to request for a link target (without its
// fragment), when it is an http(s) URL.
func externalURL(dest string) (string, bool) {
	u, err := url.Parse(dest)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String(), true
}

func (r linkResult) describe() string {
	if r.Err != "" {
		return r.Err
	}
	return fmt.Sprintf("the server answers %d %s", r.Status, http.StatusText(r.Status))
}

func externalHint(r linkResult) string {
	switch {
	case r.Status == http.StatusNotFound || r.Status == http.StatusGone:
		return "the page is gone: link to where it moved, or remove the link"
	case r.Err != "":
		return "check the address; if the site is only slow or down today, run again later"
	}
	return "check the link in a browser; if the site refuses robots, set external = \"off\" or \"warning\" in [check]"
}

// external requests URLs with a bound on all requests and on each host.
type external struct {
	opt   ExternalOptions
	mu    sync.Mutex
	hosts map[string]chan struct{}
}

func newExternal(opt ExternalOptions) *external {
	return &external{opt: opt, hosts: map[string]chan struct{}{}}
}

// run returns a result for every URL: from the cache when it is young
// enough, else by requesting it.
func (e *external) run(ctx context.Context, urls []string, cache map[string]linkResult, now time.Time) map[string]linkResult {
	out := make(map[string]linkResult, len(urls))
	var todo []string
	for _, u := range urls {
		if r, ok := cache[u]; ok && now.Sub(r.Checked) < e.opt.MaxAge && now.Sub(r.Checked) >= 0 {
			out[u] = r
			continue
		}
		todo = append(todo, u)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	jobs := make(chan string)
	for range min(e.opt.Workers, len(todo)) {
		wg.Go(func() {
			for u := range jobs {
				r := e.check(ctx, u)
				mu.Lock()
				out[u] = r
				mu.Unlock()
			}
		})
	}
	for _, u := range todo {
		jobs <- u
	}
	close(jobs)
	wg.Wait()
	return out
}

// host returns the semaphore of u's host.
func (e *external) host(u string) chan struct{} {
	h := u
	if pu, err := url.Parse(u); err == nil {
		h = pu.Host
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.hosts[h]
	if !ok {
		s = make(chan struct{}, e.opt.PerHost)
		e.hosts[h] = s
	}
	return s
}

// check requests u, retrying after a 429 or 5xx answer or a network
// error, waiting as Retry-After says (within bounds) or backing off.
func (e *external) check(ctx context.Context, u string) linkResult {
	var r linkResult
	wait := e.opt.Backoff
	for attempt := 0; ; attempt++ {
		var after time.Duration
		r, after = e.request(ctx, u)
		if r.lasting() || attempt >= e.opt.Retries || ctx.Err() != nil ||
			(r.Err == "" && r.Status != http.StatusTooManyRequests && r.Status < 500) {
			break
		}
		d := wait
		if after > 0 {
			d = min(after, e.opt.MaxRetryAfter)
		}
		wait *= 2
		select {
		case <-ctx.Done():
		case <-time.After(d):
		}
	}
	r.Checked = e.opt.Now()
	return r
}

// request makes one GET request while holding a place of u's host, and
// returns the answer and the wait its Retry-After asks for.
func (e *external) request(ctx context.Context, u string) (linkResult, time.Duration) {
	sem := e.host(u)
	sem <- struct{}{}
	defer func() { <-sem }()
	ctx, cancel := context.WithTimeout(ctx, e.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return linkResult{Err: "malformed URL: " + err.Error()}, 0
	}
	req.Header.Set("User-Agent", "helpgen-check (link checker)")
	resp, err := e.opt.Client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return linkResult{Err: fmt.Sprintf("no answer within %s", e.opt.Timeout)}, 0
		}
		return linkResult{Err: "no answer: " + shortErr(err)}, 0
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return linkResult{Status: resp.StatusCode}, retryAfter(resp.Header.Get("Retry-After"), e.opt.Now())
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// shortErr drops the request line Go puts before a transport error.
func shortErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

func loadCache(file string) map[string]linkResult {
	m := map[string]linkResult{}
	if file == "" {
		return m
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return m
	}
	var cf cacheFile
	if json.Unmarshal(b, &cf) != nil || cf.Version != 1 {
		return m // an unreadable cache is only a slower run
	}
	for k, v := range cf.Links {
		m[k] = v
	}
	return m
}

// saveCache keeps the lasting results, old and new, replacing the file
// atomically. Failing to write it only costs the next run time.
func saveCache(file string, old, fresh map[string]linkResult) {
	if file == "" {
		return
	}
	cf := cacheFile{Version: 1, Links: map[string]linkResult{}}
	for k, v := range old {
		cf.Links[k] = v
	}
	for k, v := range fresh {
		if v.lasting() {
			cf.Links[k] = v
		} else {
			delete(cf.Links, k)
		}
	}
	b, err := json.MarshalIndent(cf, "", "  ")
	if err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+"-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(append(b, '\n'))
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), file) != nil {
		os.Remove(tmp.Name())
	}
}
