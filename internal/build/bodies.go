package build

import (
	"bytes"
	"context"
	"fmt"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/parallel"
)

// RenderBodies prepares every selected region and renders each page's body
// (nothing is written, no layout runs), for checks. Errors are those a
// build would fail with: titles, shortcode evaluation, shortcode templates.
func (p *Project) RenderBodies(workers int) ([]*Region, error) {
	return p.renderAll(workers, false)
}

// renderAll renders every page of every selected region without writing
// it: the bodies, and with layouts also the whole page around them.
func (p *Project) renderAll(workers int, layouts bool) ([]*Region, error) {
	regions, errs := p.prepareAll()
	// Two sources of one output path fail a build before anything is
	// rendered; a check reports them beside the other errors.
	statics, serrs := p.staticFiles()
	errs = append(errs, serrs...)
	_, clashes := p.planAll(regions, statics)
	errs = append(errs, clashes...)
	var pages []*Page
	for _, r := range regions {
		pages = append(pages, r.Pages...)
	}
	run := p.newRun()
	parallel.For(len(pages), workers, func(buf *bytes.Buffer, i int) {
		run.page(pages[i], func(ctx context.Context) error {
			err := p.safeBody(ctx, pages[i])
			if err == nil && layouts {
				err = p.renderLayout(ctx, buf, pages[i])
			}
			return err
		})
		// Checks read Facts only; the HTML need not stay in memory.
		pages[i].Content = ""
	})
	errs = append(errs, run.result()...)
	if len(errs) > 0 {
		errs = errs.Merge()
		errs.Sort()
		return nil, errs
	}
	return regions, nil
}

// prepareAll prepares every selected region, in order.
func (p *Project) prepareAll() ([]*Region, diag.List) {
	var errs diag.List
	regions := make([]*Region, len(p.Config.Regions))
	for i, rc := range p.Config.Regions {
		r, e := p.Prepare(rc)
		regions[i] = r
		errs = append(errs, e...)
	}
	return regions, errs
}

// safeBody is renderBody with a panic turned into an error naming the page.
func (p *Project) safeBody(ctx context.Context, pg *Page) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = internalError(pg, r)
		}
	}()
	return p.renderBody(ctx, pg, nil)
}

func internalError(pg *Page, r any) *diag.Error {
	return &diag.Error{File: pg.Src.File, Regions: []string{pg.Region.Config.Code},
		Msg:  fmt.Sprintf("internal error while rendering this page: %v", r),
		Hint: "this is a bug in helpgen; please report it with the file"}
}

// pageErrors are the errors of rendering pg, each naming its region, and
// the page when the error is in another file (a layout or shortcode
// template), so that the same template error from many pages can be
// reported once with all of them (diag.List.Merge).
func pageErrors(pg *Page, err error) diag.List {
	l := diag.Flatten(err)
	for _, e := range l {
		if len(e.Regions) == 0 {
			e.Regions = []string{pg.Region.Config.Code}
		}
		if e.File != pg.Src.File {
			e.Pages = []string{pg.Src.File}
		}
	}
	return l
}
