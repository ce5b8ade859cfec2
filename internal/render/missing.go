package render

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/helpgen/helpgen/internal/diag"
)

// A theme's template that calls a function helpgen does not provide
// (getCSV, os.FileExists) still loads: the function is defined as one that
// fails, so the template is an error, at the call, only where it runs. A
// theme whose unused shortcodes or partials read files (topics.html,
// announcementbanner.html) thus builds, and the load says once, as a
// warning at each first call, what would fail.

var notDefinedRE = regexp.MustCompile(`function "([^"]+)" not defined`)

// missingMsg is the error of a call to a function helpgen lacks.
func missingMsg(name string) string {
	return fmt.Sprintf("function %q is not provided by helpgen", name)
}

// missingFunc stands in for a function helpgen lacks.
func missingFunc(name string) func(...any) (string, error) {
	return func(...any) (string, error) { return "", fmt.Errorf("%s", missingMsg(name)) }
}

// parseLenient runs parse, and while it fails only because the template
// calls a function helpgen lacks, defines that function with add as one
// that fails, warns, and parses again.
func (t *Templates) parseLenient(file string, parse func() error, add func(template.FuncMap)) error {
	for {
		err := parse()
		if err == nil {
			return nil
		}
		m := notDefinedRE.FindStringSubmatch(err.Error())
		// The instrumentation's functions (limits.go) stay undefined.
		if m == nil || t.missing[m[1]] || strings.HasPrefix(m[1], "_helpgen") {
			return err
		}
		t.missing[m[1]] = true
		add(template.FuncMap{m[1]: missingFunc(m[1])})
		w := t.templateError(err, file, nil)
		w.Severity = diag.SevWarning
		w.Msg += "; the template is an error where it runs"
		t.warnings = append(t.warnings, w)
	}
}

// missingFuncs are the stand-ins of every function found missing so far.
func (t *Templates) missingFuncs() template.FuncMap {
	fm := template.FuncMap{}
	for name := range t.missing {
		fm[name] = missingFunc(name)
	}
	return fm
}
