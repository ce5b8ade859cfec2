package build

import (
	"errors"
	"strings"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/sitefs"
	"github.com/helpgen/helpgen/internal/theme"
)

// static copies changed static files into every region, or removes them
// (bringing back the theme's file of the same name, if any), and records
// them in d. It returns the log line.
func (e *Engine) static(paths []string, t *tracker, d *Delta) string {
	files := expandPaths(e.fsys, paths, e.statics, func(string) bool { return true })
	for _, f := range files {
		rel := strings.TrimPrefix(f, StaticDir+"/")
		data, err := ReadStatic(e.fsys, f)
		delete(e.fileErrs, f)
		if err != nil {
			if le := (*sitefs.LinkError)(nil); errors.As(err, &le) {
				e.fileErrs[f] = diag.List{le.Diag()} // a link out of the site: said, never read
			}
			delete(e.statics, f)
			data, err = theme.ReadTheme(e.defaults, f)
		} else {
			e.statics[f] = true
		}
		for _, r := range e.regions {
			if err != nil {
				t.remove(r.Config.Dir(), rel)
			} else {
				_ = t.WriteFile(r.Config.Dir(), rel, data)
			}
		}
	}
	d.Statics = files
	if len(files) == 0 {
		return "no static file"
	}
	return short(files)
}
