// Package render runs the site's html/template layouts and shortcode
// templates. A site's own layouts/ and shortcodes/ override the defaults
// embedded in the binary, file by file.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/markdown"
	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/shortcode"
	"github.com/helpgen/helpgen/internal/tplfunc"
)

// Folders that hold templates, relative to the site root and to the defaults.
const (
	LayoutsDir    = "layouts"
	ShortcodesDir = "shortcodes"
)

// Templates is every layout and shortcode template of a site, parsed once.
type Templates struct {
	layouts    *template.Template
	shortcodes map[string]*template.Template
	paired     map[string]bool // shortcode uses .Inner and so needs a closing tag
	regionFree map[string]bool // shortcode output is the same in every region (see regionfree.go)
	files      map[string]string
	i18n       map[string]map[string]message // language → key → text
	native     map[string]NativeFunc         // Go stand-ins for built-in layouts
	builtIn    map[string]bool               // layouts whose bytes are the defaults'
}

// A NativeFunc writes into w exactly what a built-in layout writes for data,
// without html/template's reflection: the page layout runs for every page in
// every region. It reports false, writing nothing, for data it was not
// written for, and the template runs instead.
type NativeFunc func(w *bytes.Buffer, data any) (bool, error)

// builtIn marks, in files, a template that came from the defaults.
const builtIn = "(built-in) "

// SetNative lets fn stand in for layout name (e.g. "partials/toc.html") as
// long as the site does not override that file; an overridden file always
// runs as written. It must be called before the templates are used.
func (t *Templates) SetNative(name string, fn NativeFunc) {
	if t.builtIn[name] {
		t.native[name] = fn
	}
}

// IsBuiltIn reports whether layout name is the one embedded in helpgen: the
// site has no such file, or a copy of it byte for byte (as the bundled site
// does).
func (t *Templates) IsBuiltIn(name string) bool { return t.builtIn[name] }

// Load parses layouts and shortcodes from site, falling back to defaults for
// every file the site does not have.
func Load(site, defaults fs.FS) (*Templates, error) {
	t := &Templates{shortcodes: map[string]*template.Template{}, paired: map[string]bool{}, regionFree: map[string]bool{}, files: map[string]string{},
		native: map[string]NativeFunc{}, builtIn: map[string]bool{}}
	errs := t.loadI18n(site, defaults)
	layouts := collect(site, defaults, LayoutsDir)
	t.layouts = template.New("").Funcs(funcs(t))
	for _, name := range slices.Sorted(maps.Keys(layouts)) {
		f := layouts[name]
		t.files[name] = f.file
		t.builtIn[name] = f.builtIn
		if _, err := t.layouts.New(name).Parse(string(f.data)); err != nil {
			errs = append(errs, templateError(err, f.file))
		}
	}
	scs := collect(site, defaults, ShortcodesDir)
	for _, name := range slices.Sorted(maps.Keys(scs)) {
		f := scs[name]
		if path.Ext(name) != ".html" || strings.Contains(name, "/") {
			continue
		}
		short := strings.TrimSuffix(name, ".html")
		tpl, err := template.New(short).Funcs(funcs(t)).Parse(string(f.data))
		if err != nil {
			errs = append(errs, templateError(err, f.file))
			continue
		}
		t.files[ShortcodesDir+"/"+name] = f.file
		t.shortcodes[short] = tpl
		t.paired[short] = usesInner(f.data)
		t.regionFree[short] = len(tpl.Templates()) == 1 && regionFree(tpl.Tree)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return t, nil
}

var innerRE = regexp.MustCompile(`\.Inner(Deindent)?\b`)

func usesInner(src []byte) bool { return innerRE.Match(src) }

type file struct {
	file    string // for messages: layouts/_default/single.html or (built-in)…
	data    []byte
	builtIn bool // the defaults' file, or a site's copy of it
}

// collect reads every file under dir from defaults, then from site on top.
func collect(site, defaults fs.FS, dir string) map[string]file {
	out := map[string]file{}
	for i, fsys := range []fs.FS{defaults, site} {
		if fsys == nil {
			continue
		}
		_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return nil
			}
			name := strings.TrimPrefix(p, dir+"/")
			label, def := p, i == 0
			if def {
				label = builtIn + p
			} else if d, ok := out[name]; ok && d.builtIn && bytes.Equal(d.data, data) {
				def = true
			}
			out[name] = file{file: label, data: data, builtIn: def}
			return nil
		})
	}
	return out
}

// Kind implements part of shortcode.Names for template shortcodes.
func (t *Templates) Kind(name string) (shortcode.Kind, bool) {
	if _, ok := t.shortcodes[name]; !ok {
		return 0, false
	}
	if t.paired[name] {
		return shortcode.BlockTemplate, true
	}
	return shortcode.Template, true
}

// RegionFree reports whether shortcode name's output depends only on the
// call and on page fields shared by all regions, so one execution per page
// can serve every region.
func (t *Templates) RegionFree(name string) bool { return t.regionFree[name] }

// ShortcodeNames lists the template shortcodes.
func (t *Templates) ShortcodeNames() []string { return slices.Sorted(maps.Keys(t.shortcodes)) }

// HasLayout reports whether a layout (e.g. "_default/single.html") exists.
func (t *Templates) HasLayout(name string) bool { return t.layouts.Lookup(name) != nil }

// Layout executes the named layout into w.
func (t *Templates) Layout(w *bytes.Buffer, name string, data any) error {
	if fn := t.native[name]; fn != nil {
		if ok, err := fn(w, data); ok {
			return err
		}
	}
	tpl := t.layouts.Lookup(name)
	if tpl == nil {
		return fmt.Errorf("no layout %s", name)
	}
	if err := tpl.Execute(w, data); err != nil {
		return templateError(err, t.files[name])
	}
	return nil
}

// Shortcode executes a shortcode template.
func (t *Templates) Shortcode(name string, ctx *ShortcodeContext) (string, error) {
	tpl := t.shortcodes[name]
	if tpl == nil {
		return "", fmt.Errorf("no shortcode template %q", name)
	}
	var b strings.Builder
	if err := tpl.Execute(&b, ctx); err != nil {
		return "", templateError(err, t.files[ShortcodesDir+"/"+name+".html"])
	}
	// Template files end with a newline that is not part of the output.
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// Site is what templates see as .Site.
type Site struct {
	Title    string
	Params   map[string]any // the region's params with their TOML types
	BaseURL  string
	Region   string
	Regions  []string
	Language string
}

// PageRef is what shortcode templates see as .Page.
type PageRef struct {
	Title        string
	Params       map[string]any
	RelPermalink string
	Lang         string
}

// ShortcodeContext is the dot of a shortcode template, shaped like Hugo's.
type ShortcodeContext struct {
	Name          string
	Inner         template.HTML
	InnerDeindent template.HTML
	Site          *Site
	Page          *PageRef
	Region        string
	IsNamedParams bool
	Ordinal       int
	call          *shortcode.Call
}

// NewShortcodeContext prepares the dot for one call.
func NewShortcodeContext(c *shortcode.Call, inner []byte, site *Site, page *PageRef, ordinal int) *ShortcodeContext {
	return &ShortcodeContext{
		Name: c.Name, Inner: template.HTML(inner), InnerDeindent: template.HTML(shortcode.Deindent(inner)),
		Site: site, Page: page, Region: site.Region, IsNamedParams: c.Named, Ordinal: ordinal, call: c,
	}
}

// Get returns argument key: an int for a positional one, a string for a named one.
func (c *ShortcodeContext) Get(key any) string {
	if n, ok := key.(string); ok && !c.IsNamedParams {
		if i, err := strconv.Atoi(n); err == nil {
			key = i
		}
	}
	v, _ := c.call.Get(key)
	return v
}

// Params returns the positional arguments as a list, or the named ones as a map.
func (c *ShortcodeContext) Params() any {
	if c.IsNamedParams {
		m := map[string]string{}
		for _, a := range c.call.Args {
			m[a.Name] = a.Value
		}
		return m
	}
	l := make([]string, len(c.call.Args))
	for i, a := range c.call.Args {
		l[i] = a.Value
	}
	return l
}

// partialPool holds the buffers partials are executed into.
var partialPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// funcs is the template function map: Hugo's functions (internal/tplfunc)
// and those that need the site's templates, strings or Markdown.
func funcs(t *Templates) template.FuncMap {
	m := tplfunc.Map(tplfunc.Env{})
	maps.Copy(m, template.FuncMap{
		"markdownify": Markdownify,
		"markdownifyBlock": func(s any) (template.HTML, error) {
			out, err := markdown.ToHTML([]byte(toString(s)))
			return template.HTML(protectBlankLines(bytes.TrimSuffix(out, []byte("\n")))), err
		},
		"i18n": t.T,
		"partial": func(name string, data any) (template.HTML, error) {
			b := partialPool.Get().(*bytes.Buffer)
			defer partialPool.Put(b)
			b.Reset()
			if err := t.Layout(b, "partials/"+name, data); err != nil {
				return "", err
			}
			return template.HTML(b.String()), nil
		},
		"treeHTML": func(it *nav.Item, more string, root bool) template.HTML {
			if it == nil {
				return ""
			}
			var b strings.Builder
			it.WriteHTML(&b, more, root)
			return template.HTML(b.String())
		},
	})
	return m
}

// FuncNames lists the functions layouts and shortcode templates may call.
func FuncNames() []string { return slices.Sorted(maps.Keys(funcs(&Templates{}))) }

// Markdownify renders Markdown to HTML. A single paragraph loses its <p> so
// the function works inline. Blank lines inside the output are written as
// &#10; so the HTML survives being placed back into Markdown by a {{% %}}
// shortcode without ending an HTML block early.
func Markdownify(s any) (template.HTML, error) {
	out, err := markdown.ToHTML([]byte(toString(s)))
	if err != nil {
		return "", err
	}
	out = bytes.TrimSuffix(out, []byte("\n"))
	if bytes.HasPrefix(out, []byte("<p>")) && bytes.HasSuffix(out, []byte("</p>")) && bytes.Count(out, []byte("<p>")) == 1 {
		out = out[3 : len(out)-4]
	}
	return template.HTML(protectBlankLines(out)), nil
}

func protectBlankLines(b []byte) string {
	lines := strings.Split(string(b), "\n")
	var out strings.Builder
	for i, l := range lines {
		out.WriteString(l)
		if i == len(lines)-1 {
			break
		}
		if strings.TrimSpace(lines[i+1]) == "" {
			out.WriteString("&#10;")
		} else {
			out.WriteByte('\n')
		}
	}
	return out.String()
}

func toString(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case template.HTML:
		return string(s)
	case []byte:
		return string(s)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

var tplErrRE = regexp.MustCompile(`^template: ([^:]+):(\d+)(?::(\d+))?: (.*)$`)

// templateError turns an html/template error into a positioned error naming
// the template's file.
func templateError(err error, file string) *diag.Error {
	var de *diag.Error
	if errors.As(err, &de) {
		return de
	}
	msg := err.Error()
	e := &diag.Error{File: file, Msg: msg, Hint: "fix the template"}
	if m := tplErrRE.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[2])
		if m[3] != "" {
			e.Col, _ = strconv.Atoi(m[3])
		}
		e.Msg = m[4]
	}
	return e
}
