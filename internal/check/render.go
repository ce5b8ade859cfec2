package check

import (
	"io/fs"

	siteconfig "github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/model"
)

// Renderer is a loaded project that renders its pages' bodies (nothing is
// written), as check needs them; the build pipeline's project is one.
type Renderer interface {
	model.Site
	// RenderBodies prepares every selected region and renders each page's
	// body; errors are those a build would fail with.
	RenderBodies(workers int) ([]*model.Region, error)
	// Prepare evaluates every page's title and description for rc.
	Prepare(rc *siteconfig.Region) (*model.Region, diag.List)
	// RenderBody renders one prepared page's body, its Content and Facts.
	RenderBody(pg *model.Page) error
}

// Loader loads the project of a site's files, as Fixes reloads it after
// each round of changes.
type Loader func(site fs.FS) (Renderer, error)
