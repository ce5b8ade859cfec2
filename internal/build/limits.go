package build

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/output"
	"github.com/helpgen/helpgen/internal/render"
)

// Every template execution of a page runs under the page's own deadline
// (timeout in helpgen.toml, see render.PageContext) within the project's
// context. A page that runs out of time fails, and stops the pages of its
// build that are not rendered yet: each would wait out its own timeout.

// pageTimeout is the error of a page whose templates ran out of time.
type pageTimeout struct{ err error }

func (e pageTimeout) Error() string { return e.err.Error() }
func (e pageTimeout) Unwrap() error { return e.err }

// errStopped is the error of a page abandoned because its build or the
// project's context was stopped; it says nothing about the page.
var errStopped = errors.New("rendering was stopped before every page was done")

// underLimits runs fn with the page's context derived from ctx and tells a
// timeout and a stop from other failures.
func (p *Project) underLimits(ctx context.Context, fn func(ctx context.Context) error) error {
	pctx, cancel := p.Templates.PageContext(ctx)
	defer cancel()
	err := fn(pctx)
	switch {
	case err == nil || !render.Stopped(pctx):
		// A page that failed on its own, even after its deadline.
		return err
	case ctx.Err() != nil:
		return errStopped
	}
	return pageTimeout{err}
}

// renderRun collects the errors of rendering many pages in parallel; the
// first page that runs out of time stops the others.
type renderRun struct {
	p       *Project
	ctx     context.Context
	stop    context.CancelFunc
	mu      sync.Mutex
	errs    diag.List
	stopped bool
	outErr  atomic.Pointer[output.WriteError]
}

func (p *Project) newRun() *renderRun {
	ctx, stop := context.WithCancel(p.ctx)
	return &renderRun{p: p, ctx: ctx, stop: stop}
}

// page renders pg with fn under its limits, recording any error; it
// reports whether pg rendered.
func (r *renderRun) page(pg *Page, fn func(ctx context.Context) error) bool {
	if err := r.render(pg, fn); err != nil {
		r.fail(pg, err)
		return false
	}
	return true
}

// render runs fn for pg under its limits and returns its error without
// recording it; a page that runs out of time stops the run.
func (r *renderRun) render(_ *Page, fn func(ctx context.Context) error) error {
	if r.ctx.Err() != nil {
		return errStopped
	}
	err := r.p.underLimits(r.ctx, fn)
	if errors.As(err, new(pageTimeout)) {
		r.stop()
	}
	return err
}

// fail records err as pg's. A write error (a full disk) is met by every
// page after it: the run stops and reports it once.
func (r *renderRun) fail(pg *Page, err error) {
	if we := (*output.WriteError)(nil); errors.As(err, &we) {
		r.outErr.CompareAndSwap(nil, we)
		r.stop()
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == errStopped {
		r.stopped = true
		return
	}
	r.errs = append(r.errs, pageErrors(pg, err)...)
}

// writeErr is the first write error, which ends the run.
func (r *renderRun) writeErr() *output.WriteError { return r.outErr.Load() }

// result is every error recorded, merged and sorted; pages abandoned for
// another page's timeout add none, and a run stopped from outside (serve
// shutting down) with no error of its own says so.
func (r *renderRun) result() diag.List {
	r.stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) == 0 && r.stopped {
		return diag.List{{Msg: errStopped.Error(), Hint: "helpgen was interrupted; run it again"}}
	}
	if len(r.errs) == 0 {
		return nil
	}
	l := r.errs.Merge()
	l.Sort()
	return l
}
