// Package render runs the site's html/template layouts and shortcode
// templates. A site's own layouts/ and shortcodes/ override the defaults
// embedded in the binary, file by file.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/content"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/markdown"
	"github.com/helpgen/helpgen/internal/nav"
	"github.com/helpgen/helpgen/internal/shortcode"
	"github.com/helpgen/helpgen/internal/sitefs"
	"github.com/helpgen/helpgen/internal/tplfunc"
	"github.com/helpgen/helpgen/internal/tplrun"
)

// Folders that hold templates, relative to the site root and to the defaults.
const (
	LayoutsDir    = sitefs.LayoutsDir
	ShortcodesDir = sitefs.ShortcodesDir
)

// Templates is every layout and shortcode template of a site, parsed once.
// Executions run on clones of the parsed set (see limits.go), one per
// execution in progress, reused from one to the next.
type Templates struct {
	master      *set // parsed and instrumented; never executed, only cloned
	mu          sync.Mutex
	free        []*set
	timeout     time.Duration
	sources     map[string]*diag.Source // template file label → its text, for error lines
	parsed      map[string]string       // a template's parse name → its file label
	paired      map[string]bool         // shortcode uses .Inner and so needs a closing tag
	regionFree  map[string]bool         // shortcode output is the same in every region (see regionfree.go)
	files       map[string]string
	i18n        map[string]map[string]message // language → key → text
	programs    map[string]*tplrun.Program    // the built-in layouts compiled (compiled.go)
	notCompiled map[string]string             // built-in layouts that run as templates, and why
	noPrograms  bool                          // run every layout as a template (tests, benchmarks)
	fallbacks   atomic.Int64                  // programs that gave up (compiled.go)
	builtIn     map[string]bool               // layouts whose bytes are the defaults'
	warnMu      sync.Mutex
	warnings    diag.List       // what templates said with warnf
	hasHooks    bool            // some layout is a render hook (hooks.go)
	returns     map[string]bool // partials that return a value (partials.go)
	assets      assets          // files of assets/ read by resources.Get (resources.go)
	missing     map[string]bool // functions helpgen lacks that templates call (missing.go)
	cache       sync.Map        // partialCached's results (cached.go)
	partials    sync.Map        // a partial's name as called → its layout (partialName)
}

// builtIn marks, in files, a template that came from the defaults.
const builtIn = "(built-in) "

// RunAsTemplates makes every layout run as html/template runs it, none
// as its compiled program: for tests and benchmarks that compare the two.
// It must be called before the templates are used.
func (t *Templates) RunAsTemplates() { t.noPrograms = true }

// IsBuiltIn reports whether layout name is the one embedded in helpgen: the
// site has no such file, or a copy of it byte for byte (as the bundled site
// does).
func (t *Templates) IsBuiltIn(name string) bool { return t.builtIn[name] }

// Load parses layouts and shortcodes from site, falling back to defaults for
// every file the site does not have.
func Load(site, defaults fs.FS) (*Templates, error) { return LoadTheme(site, defaults, "") }

// LoadTheme is Load for a site that names a Hugo theme (theme = "NAME" in
// helpgen.toml): its shortcodes, partials and i18n tables under
// themes/NAME/ come between helpgen's defaults and the site's own files.
func LoadTheme(site, defaults fs.FS, theme string) (*Templates, error) {
	t := &Templates{paired: map[string]bool{}, regionFree: map[string]bool{}, files: map[string]string{},
		builtIn: map[string]bool{}, timeout: config.DefaultTimeout,
		sources: map[string]*diag.Source{}, parsed: map[string]string{}, missing: map[string]bool{}}
	m := &set{t: t, shortcodes: map[string]*template.Template{}}
	m.st = &execState{set: m}
	t.master = m
	t.assets.site, t.assets.theme = site, theme
	errs := t.loadI18n(site, defaults, theme)
	layouts := collectLayers(layoutLayers(site, defaults, theme), &errs)
	m.layouts = template.New("").Funcs(funcs(m.st))
	for _, name := range slices.Sorted(maps.Keys(layouts)) {
		f := layouts[name]
		t.files[name] = f.file
		t.builtIn[name] = f.builtIn
		t.sources[f.file] = diag.NewSource(f.file, f.data)
		t.parsed[name] = f.file
		err := t.parseLenient(f.file, func() error {
			_, err := m.layouts.New(name).Parse(string(f.data))
			return err
		}, func(fm template.FuncMap) { m.layouts.Funcs(fm) })
		if err != nil {
			errs = append(errs, t.templateError(err, f.file, nil))
		}
	}
	t.hoistReturns(m.layouts.Templates(), &errs)
	scs := collectLayers(shortcodeLayers(site, defaults, theme), &errs)
	for _, name := range slices.Sorted(maps.Keys(scs)) {
		f := scs[name]
		if path.Ext(name) != ".html" {
			continue
		}
		short := strings.TrimSuffix(name, ".html")
		t.sources[f.file] = diag.NewSource(f.file, f.data)
		t.parsed[short] = f.file
		tpl := template.New(short).Funcs(funcs(m.st))
		err := t.parseLenient(f.file, func() error {
			_, err := tpl.Parse(string(f.data))
			return err
		}, func(fm template.FuncMap) { tpl.Funcs(fm) })
		if err != nil {
			errs = append(errs, t.templateError(err, f.file, nil))
			continue
		}
		t.files[ShortcodesDir+"/"+name] = f.file
		m.shortcodes[short] = tpl
		t.paired[short] = usesInner(f.data)
		t.regionFree[short] = len(tpl.Templates()) == 1 && regionFree(tpl.Tree)
		instrument(tpl.Templates())
	}
	if len(errs) > 0 {
		return nil, errs
	}
	instrument(m.layouts.Templates())
	t.compile(m)
	t.hasHooks = t.findHooks()
	return t, nil
}

// set is one copy of the parsed templates, with functions bound to its own
// execution state: html/template offers no way to pass a page's context to
// the functions a template calls, so each execution in progress has a set
// of its own.
type set struct {
	t          *Templates
	layouts    *template.Template
	shortcodes map[string]*template.Template
	st         *execState
	env        tplrun.Env // the functions bound to st, for compiled layouts
}

// acquire returns a set for an execution under ctx.
func (t *Templates) acquire(ctx context.Context) *set {
	t.mu.Lock()
	var s *set
	if n := len(t.free); n > 0 {
		s, t.free = t.free[n-1], t.free[:n-1]
	}
	t.mu.Unlock()
	if s == nil {
		s = t.clone()
	}
	s.st.ctx, s.st.done, s.st.calls = ctx, ctx.Done(), s.st.calls[:0]
	return s
}

// release returns a set once its execution is over.
func (t *Templates) release(s *set) {
	s.st.ctx, s.st.done = nil, nil
	t.mu.Lock()
	t.free = append(t.free, s)
	t.mu.Unlock()
}

// clone copies the master set (which is never executed, so html/template
// allows it) and binds the copy's functions to its own state.
func (t *Templates) clone() *set {
	s := &set{t: t, shortcodes: make(map[string]*template.Template, len(t.master.shortcodes))}
	s.st = &execState{set: s}
	fm := funcs(s.st)
	fm[fnTick] = s.st.tick
	fm[fnEnter] = s.st.enter
	fm[fnLeave] = s.st.leave
	s.env = tplrun.Env{Funcs: fm, Writers: map[string]func(*bytes.Buffer, []any) (bool, error){
		"partial": s.st.partialTo, "treeHTML": treeHTMLTo}}
	s.layouts = template.Must(t.master.layouts.Clone()).Funcs(fm)
	for name, tpl := range t.master.shortcodes {
		s.shortcodes[name] = template.Must(tpl.Clone()).Funcs(fm)
	}
	return s
}

var innerRE = regexp.MustCompile(`\.Inner(Deindent)?\b`)

func usesInner(src []byte) bool { return innerRE.Match(src) }

type file struct {
	file    string // for messages: layouts/_default/single.html or (built-in)…
	data    []byte
	builtIn bool // the defaults' file, or a site's copy of it
}

// collect reads every file under dir from defaults, then from site on top.
// A file that cannot be read (a symbolic link leading out of the site) is
// an error in errs; a missing folder or a dangling link (an editor's lock
// file) is no file.
func collect(site, defaults fs.FS, dir string, errs *diag.List) map[string]file {
	return collectLayers([]layer{{fsys: defaults, dir: dir, builtIn: true}, {fsys: site, dir: dir}}, errs)
}

// layer is one folder templates are read from; later layers win. The walk
// starts at a top folder of the site, dir, which may be a symbolic link the
// site file system follows, and keeps the files under sub ("" or a path
// ending in /), named from there.
type layer struct {
	fsys    fs.FS
	dir     string
	sub     string
	builtIn bool                   // helpgen's defaults
	keep    func(name string) bool // nil keeps every file
}

// onPath reports whether the folder rel (below dir, "" or "/a/b") is sub or
// leads to it or lies in it.
func (l layer) onPath(rel string) bool {
	rel = strings.TrimPrefix(rel, "/")
	if rel == "" || l.sub == "" {
		return true
	}
	return strings.HasPrefix(l.sub, rel+"/") || strings.HasPrefix(rel+"/", l.sub)
}

// collectLayers reads every file under each layer's folder, a later
// layer's file replacing an earlier one's of the same name.
func collectLayers(layers []layer, errs *diag.List) map[string]file {
	out := map[string]file{}
	for _, l := range layers {
		fsys, dir := l.fsys, l.dir
		if fsys == nil {
			continue
		}
		_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() && !l.onPath(strings.TrimPrefix(p, dir)) {
				return fs.SkipDir
			}
			if err == nil && p != dir && content.Ignored(d.Name()) {
				// An editor's swap or backup file, or a hidden one, is not
				// a template: content/ skips the same names.
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				*errs = append(*errs, diag.FileError(p, err))
			}
			if err != nil || d.IsDir() {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				// A link to a folder is not followed, as a walk does not;
				// one leading out of the site is an error.
				fi, err := fs.Stat(fsys, p)
				if err != nil && !errors.Is(err, fs.ErrNotExist) {
					*errs = append(*errs, diag.FileError(p, err))
				}
				if err != nil || fi.IsDir() {
					return nil
				}
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					*errs = append(*errs, diag.FileError(p, err))
				}
				return nil
			}
			name, ok := strings.CutPrefix(strings.TrimPrefix(p, dir+"/"), l.sub)
			if !ok || l.keep != nil && !l.keep(name) {
				return nil
			}
			label, def := p, l.builtIn
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
	if _, ok := t.master.shortcodes[name]; !ok {
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

// IsBuiltInShortcode reports whether shortcode name is helpgen's own.
func (t *Templates) IsBuiltInShortcode(name string) bool {
	return strings.HasPrefix(t.files[ShortcodesDir+"/"+name+".html"], builtIn)
}

// ShortcodeFile is the file shortcode name was read from.
func (t *Templates) ShortcodeFile(name string) string { return t.files[ShortcodesDir+"/"+name+".html"] }

// ShortcodeNames lists the template shortcodes.
func (t *Templates) ShortcodeNames() []string { return slices.Sorted(maps.Keys(t.master.shortcodes)) }

// HasLayout reports whether a layout (e.g. "_default/single.html") exists.
func (t *Templates) HasLayout(name string) bool { return t.master.layouts.Lookup(name) != nil }

// Layout executes the named layout into w. It stops with an error when ctx
// is done (see PageContext).
func (t *Templates) Layout(ctx context.Context, w *bytes.Buffer, name string, data any) error {
	s := t.acquire(ctx)
	defer t.release(s)
	s.st.lang, s.st.baseURL = pageOf(data)
	s.st.region = regionOf(data)
	if _, err := s.st.enter(t.files[name]); err != nil {
		return t.templateError(err, t.files[name], s.st)
	}
	return s.layout(w, name, data)
}

// layout executes a layout, or a partial called from a template, on s.
func (s *set) layout(w *bytes.Buffer, name string, data any) error {
	if ok, err := s.runProgram(w, name, data); ok {
		return err
	}
	tpl := s.layouts.Lookup(name)
	if tpl == nil {
		return fmt.Errorf("no layout %s", name)
	}
	file := s.t.files[name]
	if err := tpl.Execute(newLimitWriter(w), data); err != nil {
		return s.t.templateError(err, file, s.st)
	}
	return nil
}

// Shortcode executes a shortcode template. It stops with an error when ctx
// is done (see PageContext).
func (t *Templates) Shortcode(ctx context.Context, name string, sc *ShortcodeContext) (string, error) {
	if t.master.shortcodes[name] == nil {
		return "", fmt.Errorf("no shortcode template %q", name)
	}
	s := t.acquire(ctx)
	defer t.release(s)
	s.st.lang, s.st.baseURL = pageOf(sc)
	s.st.region = regionOf(sc)
	file := t.files[ShortcodesDir+"/"+name+".html"]
	if _, err := s.st.enter(file); err != nil {
		return "", t.templateError(err, file, s.st)
	}
	var b strings.Builder
	if err := s.shortcodes[name].Execute(newLimitWriter(&b), sc); err != nil {
		return "", t.templateError(err, file, s.st)
	}
	// Template files end with a newline that is not part of the output.
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// Site is what templates see as .Site.
type Site struct {
	Title    string
	Params   map[string]any // the region's params with their TOML types
	Data     map[string]any // the data/ folder (Hugo's .Site.Data)
	index    *siteIndex     // the region's pages (siteindex.go)
	BaseURL  string
	Region   string
	Regions  []string
	Language string
}

// PageRef is what shortcode templates and render hooks see as .Page.
type PageRef struct {
	Title        string
	Params       map[string]any
	RelPermalink string
	Lang         string
	Site         *Site
	// Path is the page's file under content/ (general/ja/login/a.md), for
	// Hugo's .File, .Type and .IsHome.
	Path string
	// Lastmod is when the page last changed (git, else front matter lastmod).
	Lastmod time.Time
	Weight  int
	Section bool // a section's _index.md, or the home page
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
	scratch       *tplfunc.Scratch
}

// NewShortcodeContext prepares the dot for one call.
func NewShortcodeContext(c *shortcode.Call, inner []byte, site *Site, page *PageRef, ordinal int) *ShortcodeContext {
	return &ShortcodeContext{
		Name: c.Name, Inner: template.HTML(inner), InnerDeindent: template.HTML(shortcode.Deindent(inner)),
		Site: site, Page: page, Region: site.Region, IsNamedParams: c.Named, Ordinal: ordinal, call: c,
	}
}

// Get returns argument key, typed as Hugo types it (see shortcode.Arg.Typed):
// key is an int for a positional argument (or a string of digits), a string
// for a named one. As in Hugo, Get is nil when the call has no arguments or
// key is of the other kind, and "" when the argument is missing.
func (c *ShortcodeContext) Get(key any) any {
	if len(c.call.Args) == 0 {
		return nil
	}
	if n, ok := key.(string); ok && !c.IsNamedParams {
		if i, err := strconv.Atoi(n); err == nil {
			key = i
		}
	}
	switch k := key.(type) {
	case int, int64, int32, int16, int8:
		if c.IsNamedParams {
			return nil
		}
		i := reflect.ValueOf(k).Int()
		if i < 0 || i >= int64(len(c.call.Args)) {
			return ""
		}
		return c.call.Args[i].Typed()
	case string:
		if !c.IsNamedParams {
			return nil
		}
		for _, a := range c.call.Args {
			if a.Name == k {
				return a.Typed()
			}
		}
		return ""
	}
	return nil
}

// Params returns the arguments, typed: a []any of the positional ones, or a
// map[string]any of the named ones.
func (c *ShortcodeContext) Params() any {
	if c.IsNamedParams {
		m := make(map[string]any, len(c.call.Args))
		for _, a := range c.call.Args {
			m[a.Name] = a.Typed()
		}
		return m
	}
	l := make([]any, len(c.call.Args))
	for i, a := range c.call.Args {
		l[i] = a.Typed()
	}
	return l
}

// partialPool holds the buffers partials are executed into.
var partialPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// funcs is the template function map of the set st belongs to: Hugo's
// functions (internal/tplfunc), print and js bounded in size, and those
// that need the site's templates, strings or Markdown.
func funcs(st *execState) template.FuncMap {
	t := st.set.t
	fm := tplfunc.Map(tplfunc.Env{})
	maps.Copy(fm, t.missingFuncs())
	maps.Copy(fm, boundedFuncs())
	maps.Copy(fm, template.FuncMap{
		"markdownify": Markdownify,
		"markdownifyBlock": func(s any) (template.HTML, error) {
			out, err := markdown.ToHTML([]byte(toString(s)))
			return template.HTML(protectBlankLines(bytes.TrimSuffix(out, []byte("\n")))), err
		},
		"highlight": highlight,
		"warnf": func(format string, a ...any) string {
			t.warn(st, fmt.Sprintf(format, a...))
			return ""
		},
		"i18n":          st.i18n,
		"T":             st.i18n,
		"relURL":        func(in any) (string, error) { return tplfunc.RelURL(st.baseURL, in) },
		"absURL":        func(in any) (string, error) { return tplfunc.AbsURL(st.baseURL, in) },
		"partial":       st.partial,
		"partialCached": st.partialCached,
		"return":        st.ret,
		"resources":     func() Resources { return Resources{st} },
		"treeHTML": func(it *nav.Item, more string, root bool) template.HTML {
			var b strings.Builder
			writeTree(&b, it, more, root)
			return template.HTML(b.String())
		},
	})
	return fm
}

// FuncNames lists the functions layouts and shortcode templates may call.
func FuncNames() []string {
	return slices.Sorted(maps.Keys(funcs(&execState{set: &set{t: &Templates{}}})))
}

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
	end := "" // the end of the raw text the line is in: </script>, -->…
	for i, l := range lines {
		out.WriteString(l)
		end = rawTextAfter(l, end)
		if i == len(lines)-1 {
			break
		}
		// Markdown ends an HTML block at a blank line, but not a script,
		// style, comment or CDATA block, where an entity would not be
		// decoded: those keep their blank lines.
		if end == "" && strings.TrimSpace(lines[i+1]) == "" {
			out.WriteString("&#10;")
		} else {
			out.WriteByte('\n')
		}
	}
	return out.String()
}

// rawEnds are the openings of raw text a blank line does not end in
// Markdown (CommonMark's HTML blocks 1, 2 and 5) and entities are not
// decoded in, with their ends.
var rawEnds = [][2]string{{"<script", "</script>"}, {"<style", "</style>"}, {"<!--", "-->"}, {"<![cdata[", "]]>"}}

// rawTextAfter returns the end awaited after line l, given the one awaited
// before it ("" outside raw text).
func rawTextAfter(l, end string) string {
	lower := strings.ToLower(l)
	for {
		if end != "" {
			i := strings.Index(lower, end)
			if i < 0 {
				return end
			}
			lower, end = lower[i+len(end):], ""
			continue
		}
		first, which := -1, -1
		for k, r := range rawEnds {
			if i := strings.Index(lower, r[0]); i >= 0 && (first < 0 || i < first) {
				first, which = i, k
			}
		}
		if first < 0 {
			return ""
		}
		lower, end = lower[first+len(rawEnds[which][0]):], rawEnds[which][1]
	}
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

// tplErrRE reads the position out of text/template's and html/template's
// errors: "template: NAME:LINE:COL: …", "html/template:NAME:LINE: …".
var (
	tplErrRE  = regexp.MustCompile(`^(?:html/)?template: ?([^:\s]+):(\d+)(?::(\d+))?: (.*)$`)
	tplFileRE = regexp.MustCompile(`^(?:html/)?template: ?([^:\s]+): (.*)$`)
)

// templateError turns an html/template error into a positioned error naming
// the template's file (file, unless the error names another template), with
// the calls in progress (st, when executing) as its trace.
func (t *Templates) templateError(err error, file string, st *execState) *diag.Error {
	var de *diag.Error
	if errors.As(err, &de) {
		return de
	}
	e := &diag.Error{File: file, Msg: err.Error(), Hint: "fix the template"}
	if m := tplErrRE.FindStringSubmatch(e.Msg); m != nil {
		if f, ok := t.parsed[m[1]]; ok {
			e.File = f
		}
		e.Line, _ = strconv.Atoi(m[2])
		e.Msg = m[4]
		if src := t.sources[e.File]; src != nil {
			e.Source = src.Line(e.Line)
			// Go counts the column in bytes from 0.
			if b, err := strconv.Atoi(m[3]); err == nil && m[3] != "" {
				e.Col = utf8.RuneCountInString(e.Source[:min(b, len(e.Source))]) + 1
			}
		}
	} else if m := tplFileRE.FindStringSubmatch(e.Msg); m != nil {
		if f, ok := t.parsed[m[1]]; ok {
			e.File = f
		}
		e.Msg = m[2]
	}
	var le *limitError
	if errors.As(err, &le) {
		e.Msg, e.Hint = le.msg, le.hint
	}
	unknownFunction(e)
	if st != nil && len(st.calls) > 1 {
		e.Trace = st.chain()
	}
	return e
}

var undefinedRE = regexp.MustCompile(`^(?:function "([^"]+)" not defined|executing .* at <[^>]*>: error calling [^:]+: function "([^"]+)" is not provided by helpgen)$`)

// unknownFunction says, for a template calling a function helpgen lacks,
// which one and where, in place of Go's "not defined".
func unknownFunction(e *diag.Error) {
	m := undefinedRE.FindStringSubmatch(e.Msg)
	if m == nil {
		return
	}
	name := m[1] + m[2]
	e.Msg = missingMsg(name)
	e.Hint = "rewrite the template without it (README, Coming from Hugo, lists the functions helpgen has)"
	if e.Col == 0 && e.Source != "" {
		if i := strings.Index(e.Source, name); i >= 0 {
			e.Col = utf8.RuneCountInString(e.Source[:i]) + 1
		}
	}
}

// Languages are the languages with an i18n table, built in (ja, en, zh) or
// the site's own, sorted.
func (t *Templates) Languages() []string {
	return slices.Sorted(maps.Keys(t.i18n))
}

// collectMerged is collect, keeping both the default and the site's version.
func collectMerged(site, defaults fs.FS, theme, dir string, errs *diag.List) map[string][]file {
	out := map[string][]file{}
	// One folder at a time, each in its own place, so that the site's
	// files are named as the site's in errors.
	layers := []layer{{fsys: defaults, dir: dir, builtIn: true}}
	if theme != "" {
		layers = append(layers, themeLayer(site, theme, dir))
	}
	layers = append(layers, layer{fsys: site, dir: dir})
	for _, l := range layers {
		one := collectLayers([]layer{l}, errs)
		for k, v := range one {
			out[k] = append(out[k], v)
		}
	}
	return out
}

// highlight is Hugo's highlight CODE LANG [OPTIONS]: OPTIONS is Hugo's
// string ("linenos=table,hl_lines=8 15-17") or a map (a code block hook's
// .Options), its names in any case.
func highlight(code, lang any, options ...any) (template.HTML, error) {
	opts := map[string]string{}
	if len(options) > 0 {
		switch o := options[0].(type) {
		case nil:
		case map[string]any:
			for k, v := range o {
				opts[strings.ToLower(k)] = highlightValue(v)
			}
		default:
			for _, kv := range strings.Split(toString(o), ",") {
				if k, v, ok := strings.Cut(kv, "="); ok {
					opts[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
				}
			}
		}
	}
	out, err := markdown.Highlight(toString(code), toString(lang), opts)
	return template.HTML(bytes.TrimSuffix(out, []byte("\n"))), err
}

// highlightValue is an option's value as Hugo's string form writes it.
func highlightValue(v any) string {
	if l, ok := v.([]any); ok {
		parts := make([]string, len(l))
		for i, x := range l {
			parts[i] = toString(x)
		}
		return strings.Join(parts, " ")
	}
	return toString(v)
}
