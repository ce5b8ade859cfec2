// Package tplfunc provides the template functions of Hugo that help themes
// use, with Hugo's names, argument order, types and errors, so that a theme's
// layouts and shortcodes run unchanged. Functions that need the site's pages
// or templates (i18n, partial, markdownify) are added by internal/render on
// top of Map.
//
// Namespaced functions (strings.TrimSuffix, path.Base…) are, as in Hugo, a
// function of no arguments returning a value whose methods are the
// namespace's functions: the template parser reads `strings.TrimSuffix` as a
// call of `strings` followed by a method.
package tplfunc

import (
	"fmt"
	"html/template"
	"time"
)

// Env is what the site-independent functions need from their caller.
type Env struct {
	// Warn receives the message of warnf; nil drops it.
	Warn func(msg string)
	// BaseURL is the region's baseURL, for relURL and absURL.
	BaseURL string
	// Now is the clock of now; nil is time.Now.
	Now func() time.Time
}

// Map returns the functions, top-level aliases and namespaces alike.
func Map(env Env) template.FuncMap {
	if env.Now == nil {
		env.Now = time.Now
	}
	s, c, m, u, p, t, tm, cp, cs, sf, f := &Strings{}, &Collections{}, &Math{}, &URLs{baseURL: env.BaseURL}, &Path{}, &Transform{}, &Time{now: env.Now}, &Compare{}, &Cast{}, &Safe{}, &Fmt{warn: env.Warn}
	return template.FuncMap{
		// namespaces
		"strings": func() *Strings { return s }, "collections": func() *Collections { return c },
		"math": func() *Math { return m }, "urls": func() *URLs { return u }, "path": func() *Path { return p },
		"transform": func() *Transform { return t },
		// time is the namespace, and with arguments Hugo's time.AsTime: (time "2015-01-21").Year
		"time": func(args ...any) (any, error) {
			if len(args) == 0 {
				return tm, nil
			}
			return tm.AsTime(args[0], args[1:]...)
		},
		"compare": func() *Compare { return cp }, "cast": func() *Cast { return cs },
		"safe": func() *Safe { return sf }, "fmt": func() *Fmt { return f },
		"hugo": func() Hugo { return Hugo{} },

		// strings
		"split": s.Split, "findRE": s.FindRE, "findRESubmatch": s.FindRESubmatch, "replaceRE": s.ReplaceRE,
		"replace": s.Replace, "substr": s.Substr, "slicestr": s.SliceString, "hasPrefix": s.HasPrefix,
		"hasSuffix": s.HasSuffix, "trim": s.Trim, "upper": s.ToUpper, "lower": s.ToLower,
		"chomp": s.Chomp, "countrunes": s.CountRunes,

		// collections
		"first": c.First, "last": c.Last, "after": c.After, "union": c.Union, "intersect": c.Intersect,
		"append": c.Append, "where": c.Where, "sort": c.Sort, "isset": c.IsSet, "isSet": c.IsSet,
		"seq": c.Seq, "merge": c.Merge, "newScratch": c.NewScratch, "in": c.In, "delimit": c.Delimit,
		"dict": c.Dictionary, "slice": c.Slice, "uniq": c.Uniq, "index": c.Index, "complement": c.Complement,
		"symdiff": c.SymDiff, "querify": c.Querify, "reverse": c.Reverse,

		// math
		"add": m.Add, "sub": m.Sub, "mul": m.Mul, "div": m.Div, "mod": m.Mod, "modBool": m.ModBool, "pow": m.Pow,

		// cast
		"int": cs.ToInt, "float": cs.ToFloat, "string": cs.ToString,

		// compare
		"cond": cp.Conditional, "default": cp.Default, "eq": cp.Eq, "ne": cp.Ne,
		"lt": cp.Lt, "le": cp.Le, "gt": cp.Gt, "ge": cp.Ge,

		// urls
		"anchorize": u.Anchorize, "urlize": u.URLize, "relURL": u.RelURL, "absURL": u.AbsURL,

		// transform
		"jsonify": t.Jsonify, "plainify": t.Plainify, "htmlEscape": t.HTMLEscape, "htmlUnescape": t.HTMLUnescape,
		"unmarshal": t.Unmarshal,

		// safe
		"safeHTML": sf.HTML, "safeJS": sf.JS, "safeCSS": sf.CSS, "safeURL": sf.URL, "safeHTMLAttr": sf.HTMLAttr,
		"safeJSStr": sf.JSStr,

		// time
		"now": tm.Now, "dateFormat": tm.Format, "duration": tm.Duration,

		// fmt
		"warnf": f.Warnf, "errorf": f.Errorf, "print": fmt.Sprint, "printf": fmt.Sprintf, "println": fmt.Sprintln,
	}
}

// Fmt is Hugo's fmt namespace: printing and the build's warnings and errors.
type Fmt struct{ warn func(string) }

// Print is fmt.Sprint.
func (*Fmt) Print(a ...any) string { return fmt.Sprint(a...) }

// Printf is fmt.Sprintf.
func (*Fmt) Printf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// Println is fmt.Sprintln.
func (*Fmt) Println(a ...any) string { return fmt.Sprintln(a...) }

// Warnf reports a warning of the build and writes nothing.
func (f *Fmt) Warnf(format string, a ...any) string {
	if f.warn != nil {
		f.warn(fmt.Sprintf(format, a...))
	}
	return ""
}

// Errorf fails the template's execution, so the build fails with an error
// positioned at the call.
func (*Fmt) Errorf(format string, a ...any) (string, error) {
	return "", &TemplateError{Msg: fmt.Sprintf(format, a...)}
}

// TemplateError is an error a template raised on purpose with errorf: its
// message is the writer's own, not one about the template.
type TemplateError struct{ Msg string }

func (e *TemplateError) Error() string { return e.Msg }

// Hugo is Hugo's hugo namespace, as far as help themes read it: a build
// is for production (themes add analytics or cookie banners then).
type Hugo struct{}

// Environment is Hugo's hugo.Environment: "production".
func (Hugo) Environment() string { return "production" }

// IsProduction reports whether Environment is "production".
func (Hugo) IsProduction() bool { return true }

// IsDevelopment reports whether Environment is "development".
func (Hugo) IsDevelopment() bool { return false }

// IsServer reports whether Hugo's own server runs the templates: never.
func (Hugo) IsServer() bool { return false }
