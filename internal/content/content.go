// Package content walks a site's content/ folder and turns every Markdown
// file into a Page: front matter decoded and title, description and body
// parsed into shortcode trees once, to be shared by every region.
package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v2"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/parallel"
	"github.com/helpgen/helpgen/internal/shortcode"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// Dir is the folder under the site root that holds pages.
const Dir = sitefs.ContentDir

// Page is one Markdown file, parsed once.
type Page struct {
	File     string // path from the site root, for messages: content/a/b.md
	Rel      string // path under content/: a/b.md
	URL      string // root-relative URL: /a/b.html, or /a/ for a section
	Out      string // output path inside a region folder: a/b.html or a/index.html
	Section  bool   // an _index.md
	Dir      string // the section the page belongs to ("" for the root); a section's own folder
	Lang     string // interface language, from the path or the site default
	Weight   int
	Draft    bool
	Aliases  []string
	AliasPos []Pos    // where each of Aliases is written in the front matter
	Enabled  []string // if set, the page exists only in these regions
	Disabled []string // the page is absent from these regions
	// UnknownRegions are codes in enabled/disabled that name no region. They
	// are reported by the checker (internal/check), whose severity the site
	// can configure, rather than rejected here.
	UnknownRegions []*diag.Error
	Params         map[string]any
	LastMod        time.Time // front matter lastmod; zero when absent

	TitleSrc string
	// RegionTitles are the titles front matter gives one region
	// (title_us: "…", Hugo themes' form), by region code.
	RegionTitles   map[string]*shortcode.Doc
	regionTitleSrc map[string]regionTitle
	slug, url      string // front matter slug and url, applied once decoded
	DescSrc        string
	// Title, Desc and RegionTitles index a copy of the front matter (see
	// FrontMatter), never the whole file, so they stay when the page is
	// released.
	Title *shortcode.Doc
	Desc  *shortcode.Doc
	// BodyBlank says the body is white space alone (no text, no
	// shortcode), as a section page's is by design; BodyVars are the names
	// of the variables the body uses, in any region, sorted. Checks read
	// them instead of the body's tree.
	BodyBlank bool
	BodyVars  []string

	// The file's text and the body's tree, read through Text and Tree
	// (release.go): a one-shot build lets go of them once every region has
	// rendered the page.
	src source
}

// regionTitle is a title_<region> field as written.
type regionTitle struct{ key, text string }

// TitleIn is the page's title source in region code: its title_<code>
// field when it has one, else its title.
func (p *Page) TitleIn(code string) *shortcode.Doc {
	if t := p.RegionTitles[code]; t != nil {
		return t
	}
	return p.Title
}

// Pos is a 1-based line and character column in a page's file.
type Pos struct{ Line, Col int }

// InRegion reports whether the page is published in region code.
func (p *Page) InRegion(code string) bool {
	if len(p.Enabled) > 0 && !slices.Contains(p.Enabled, code) {
		return false
	}
	return !slices.Contains(p.Disabled, code)
}

// Options control loading.
type Options struct {
	Drafts bool
	Names  shortcode.Names
	// Release lets go of each page's text and body tree as soon as it is
	// parsed (see Page.Release): a build that renders each page once
	// reads it again when it renders it, so it never holds every page's
	// text at once.
	Release bool

	from *origin // where the pages are read from, to read them again after Release
}

// Load reads every content/**/*.md of fsys in parallel. All problems in all
// files are returned together as a diag.List, beside the pages that loaded
// without any.
func Load(fsys fs.FS, site *config.Site, opt Options) ([]*Page, error) {
	var files []string
	var linkErrs diag.List
	failed := Dir // the folder a failed walk could not read
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			failed = p
			return err
		}
		if p != Dir && Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		} else if d.Type()&fs.ModeSymlink != 0 {
			// A link to a folder is not followed; one leading out of the
			// site, or a loop, is said (the site file system refuses it).
			if _, err := fs.Stat(fsys, p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				linkErrs = append(linkErrs, diag.FileError(p, err))
			}
		}
		return nil
	})
	if err != nil {
		return nil, diag.FileError(failed, err)
	}
	all := append(normTwins(files), linkErrs...)
	files = slices.DeleteFunc(files, func(f string) bool {
		if e := nameError(f); e != nil {
			all = append(all, e)
			return true
		}
		return false
	})
	opt.from = &origin{fsys: fsys, opt: parseOptions(site, opt)}
	pages := make([]*Page, len(files))
	errs := make([]diag.List, len(files))
	parallel.For(len(files), 0, func(_ *struct{}, i int) {
		data, err := fs.ReadFile(fsys, files[i])
		if err != nil {
			errs[i] = diag.List{diag.FileError(files[i], err)}
			return
		}
		pages[i], errs[i] = safeLoad(files[i], data, site, opt)
		if opt.Release && pages[i] != nil {
			pages[i].Release()
		}
	})
	var out []*Page
	for i, p := range pages {
		all = append(all, errs[i]...)
		if p != nil && (!p.Draft || opt.Drafts) {
			out = append(out, p)
		}
	}
	all = append(all, checkURLs(out)...)
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	if len(all) > 0 {
		// The pages that did load come back too, so a build can still
		// render them and report their problems in the same run.
		all.Sort()
		return out, all
	}
	return out, nil
}

// Ignored reports whether a file or folder name is not part of the site
// (see sitefs.Ignored).
func Ignored(name string) bool { return sitefs.Ignored(name) }

// EditorTemp reports whether a file name is one an editor makes while
// saving (see sitefs.EditorTemp).
func EditorTemp(name string) bool { return sitefs.EditorTemp(name) }

// LoadFile reads and parses the one file at path file (from the site root),
// for rebuilding a single changed page without reading the others.
func LoadFile(fsys fs.FS, file string, site *config.Site, opt Options) (*Page, error) {
	if e := nameError(file); e != nil {
		return nil, e
	}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, diag.FileError(file, err)
	}
	opt.from = &origin{fsys: fsys, opt: parseOptions(site, opt)}
	p, errs := safeLoad(file, data, site, opt)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return p, nil
}

// checkURLs reports two files that map to one URL. An alias meeting another
// file is reported by the build, region by region, beside the other files a
// region gets (static files, helpgen's own files).
func checkURLs(pages []*Page) diag.List {
	owner := map[string]*Page{}
	var errs diag.List
	claim := func(out string, p *Page, what string) {
		if q, ok := owner[out]; ok && q != p {
			a, b := q, p
			if b.File < a.File {
				a, b = b, a
			}
			errs = append(errs, &diag.Error{File: b.File, Line: 1, Col: 1,
				Msg:  fmt.Sprintf("%s %s is also written by %s", what, "/"+out, a.File),
				Hint: "rename one of the files or remove the alias"})
			return
		}
		owner[out] = p
	}
	for _, p := range pages {
		claim(p.Out, p, "output")
	}
	return errs
}

// AliasOut is the output path of an alias URL: /ja/id/040150 → ja/id/040150/index.html.
func AliasOut(alias string) string {
	a := strings.TrimPrefix(path.Clean("/"+PathOf(alias)), "/")
	if strings.HasSuffix(a, ".html") {
		return a
	}
	if a == "" {
		return "index.html"
	}
	return a + "/index.html"
}

// frontMatter is the decoded front matter with the fields helpgen knows.
type frontMatter map[string]any

var fmFormats = []*frontmatter.Format{
	frontmatter.NewFormat("---", "---", yaml.Unmarshal),
	frontmatter.NewFormat("+++", "+++", toml.Unmarshal),
	frontmatter.NewFormat(";;;", ";;;", json.Unmarshal),
	frontmatter.NewFormat("---yaml", "---", yaml.Unmarshal),
	frontmatter.NewFormat("---toml", "---", toml.Unmarshal),
	frontmatter.NewFormat("---json", "---", json.Unmarshal),
}

// Normalize removes a UTF-8 byte order mark and turns CRLF line ends into LF,
// so positions and output do not depend on the writer's editor.
func Normalize(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	return data
}

// safeLoad turns a panic while parsing one file into an error naming that
// file, so one bad page cannot take the whole build down without a trace.
func safeLoad(file string, data []byte, site *config.Site, opt Options) (p *Page, errs diag.List) {
	defer func() {
		if r := recover(); r != nil {
			p, errs = nil, diag.List{{File: file, Msg: fmt.Sprintf("internal error while reading this page: %v", r),
				Hint: "this is a bug in helpgen; please report it with the file"}}
		}
	}()
	return loadPage(file, data, site, opt)
}

// loadPage parses one file.
func loadPage(file string, data []byte, site *config.Site, opt Options) (*Page, diag.List) {
	src := Normalize(data)
	s := diag.NewSource(file, src)
	if !utf8.Valid(src) {
		off := 0
		for off < len(src) {
			r, n := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return nil, diag.List{s.Errorf(off, "save the file as UTF-8", "invalid UTF-8 byte 0x%02x", src[off])}
	}
	var fm frontMatter
	body, err := frontmatter.Parse(bytes.NewReader(src), &fm, fmFormats...)
	if err != nil {
		return nil, diag.List{frontMatterError(s, err)}
	}
	if !bytes.HasSuffix(src, body) {
		return nil, diag.List{{File: file, Msg: "cannot locate the body after the front matter"}}
	}
	bodyStart := len(src) - len(body)
	if bodyStart == 0 {
		if open := unclosedFrontMatter(src); open != "" {
			return nil, diag.List{s.At(1, 1, fmt.Sprintf("add a line holding only %s where the front matter ends", closeDelim(open)),
				"front matter opened with %s is never closed", open)}
		}
	}
	rel := strings.TrimPrefix(file, Dir+"/")
	p := &Page{File: file, Rel: rel, Params: map[string]any{}}
	// The front matter is kept apart: the title and description trees index
	// it, and checks place findings in it, after the page is released.
	head := bytes.Clone(src[:bodyStart])
	hs := diag.NewSource(file, head)
	p.setPaths(site)
	p.Lang = language(rel, site)
	var errs diag.List
	fmEnd := bodyStart
	badTitle := p.decode(fm, s, src[:fmEnd], site, &errs)
	if !site.DisablePathToLower {
		p.slug = strings.ToLower(p.slug) // as Hugo does; a url keeps its case
	}
	p.setURL(p.slug, p.url)
	popt := parseOptions(site, opt)
	switch {
	case badTitle:
	case p.TitleSrc == "":
		errs = append(errs, &diag.Error{File: file, Line: 1, Col: 1, Msg: "page has no title", Hint: "add title: \"…\" to the front matter", Source: s.Line(1)})
	default:
		p.Title, err = ParseField(hs, head, "title", p.TitleSrc, popt)
		errs = append(errs, diag.Flatten(err)...)
	}
	if p.DescSrc != "" {
		p.Desc, err = ParseField(hs, head, "description", p.DescSrc, popt)
		errs = append(errs, diag.Flatten(err)...)
	}
	for code, rt := range p.regionTitleSrc {
		doc, err := ParseField(hs, head, rt.key, rt.text, popt)
		errs = append(errs, diag.Flatten(err)...)
		if p.RegionTitles == nil {
			p.RegionTitles = map[string]*shortcode.Doc{}
		}
		p.RegionTitles[code] = doc
	}
	tree, err := shortcode.Parse(file, src, bodyStart, popt)
	errs = append(errs, diag.Flatten(err)...)
	if len(errs) > 0 {
		return nil, errs
	}
	p.BodyBlank, p.BodyVars = bodySummary(tree)
	p.src = source{text: src, tree: tree, head: head, bodyStart: bodyStart, from: opt.from}
	return p, nil
}

// parseOptions are the shortcode parser's options for the pages of site.
func parseOptions(site *config.Site, opt Options) shortcode.Options {
	return shortcode.Options{Names: opt.Names, Regions: site.Codes()}
}

// unclosedFrontMatter is the opening delimiter of a front matter block that
// the parser did not take because it never closes, or "".
func unclosedFrontMatter(src []byte) string {
	first, _, _ := bytes.Cut(src, []byte("\n"))
	first = bytes.TrimRight(first, " \t")
	for _, f := range fmFormats {
		if string(first) == f.Start {
			return f.Start
		}
	}
	return ""
}

func closeDelim(open string) string {
	for _, f := range fmFormats {
		if f.Start == open {
			return f.End
		}
	}
	return open
}

// setPaths derives the URL and output path from the file's place under content/.
func (p *Page) setPaths(site *config.Site) {
	rel := p.Rel
	if !site.DisablePathToLower {
		// As Hugo does: var_CorpName.md is /var_corpname.html.
		rel = strings.ToLower(rel)
	}
	dir, base := path.Split(rel)
	dir = strings.TrimSuffix(dir, "/")
	if base == "_index.md" {
		p.Section = true
		p.Dir = dir
		if dir == "" {
			p.URL, p.Out = "/", "index.html"
		} else {
			p.URL, p.Out = URLPath("/"+dir+"/"), dir+"/index.html"
		}
		return
	}
	p.Dir = dir
	p.Out = strings.TrimSuffix(rel, ".md") + ".html"
	p.URL = URLPath("/" + p.Out)
}

// setURL applies Hugo's slug and url front matter: slug replaces the
// file's name (lowercased, as the path is), url the whole path as written
// (a folder's index.html when it ends in / or has no extension). Pages are
// written as .html files, as Hugo's uglyURLs does.
func (p *Page) setURL(slug, url string) {
	switch {
	case url != "":
		u := "/" + strings.TrimPrefix(path.Clean("/"+url), "/")
		if strings.HasSuffix(url, "/") && u != "/" {
			p.Out = strings.TrimPrefix(u, "/") + "/index.html"
			p.URL = URLPath(u + "/")
		} else if u == "/" {
			p.Out, p.URL = "index.html", "/"
		} else if path.Ext(u) == "" {
			// Hugo takes a url without an extension as a folder.
			p.Out = strings.TrimPrefix(u, "/") + "/index.html"
			p.URL = URLPath(u + "/")
		} else {
			p.Out = strings.TrimPrefix(u, "/")
			p.URL = URLPath(u)
		}
	case slug != "" && !p.Section:
		p.Out = path.Join(p.Dir, slug+".html")
		p.URL = URLPath("/" + p.Out)
	}
}

// language is the first path segment naming a configured language.
func language(rel string, site *config.Site) string {
	for _, seg := range strings.Split(path.Dir(rel), "/") {
		if slices.Contains(site.Languages, seg) {
			return seg
		}
	}
	return site.DefaultLanguage
}

// decode sets the page's fields from its front matter. A known field of
// the wrong type, or a string anywhere in the front matter holding a control
// character (written as an escape, "a\0b"), is an error at its key.
// It reports whether the title was there but wrong (and so said).
func (p *Page) decode(fm frontMatter, s *diag.Source, fmText []byte, site *config.Site, errs *diag.List) (badTitle bool) {
	for k, v := range fm {
		n := len(*errs)
		p.decodeField(k, normalizeValue(v), s, fmText, site, errs)
		badTitle = badTitle || strings.EqualFold(k, "title") && len(*errs) > n
	}
	return badTitle
}

// decodeField sets the field k of the page, or adds an error.
func (p *Page) decodeField(k string, v any, s *diag.Source, fmText []byte, site *config.Site, errs *diag.List) {
	if err := controlChar(k, v); err != "" {
		name := k
		if _, bad := firstControl(k); bad {
			name = strconv.Quote(k)
		}
		*errs = append(*errs, keyError(s, fmText, k, "remove the control character; write line breaks as line breaks", "front matter %s %s", name, err))
		return
	}
	field := strings.ToLower(k)
	switch field {
	case "title", "description":
		text, ok := toText(v)
		if !ok {
			hint := fmt.Sprintf(`write %s: "…"`, field)
			if _, isBool := v.(bool); isBool {
				hint = fmt.Sprintf(`put the text in quotes, e.g. %s: "yes": YAML reads yes, no, on, off, y and n unquoted as true or false`, field)
			}
			*errs = append(*errs, keyError(s, fmText, k, hint, "%s must be text, not %s", field, describe(v)))
		}
		if field == "title" {
			p.TitleSrc = text
		} else {
			p.DescSrc = text
		}
	case "weight":
		n, err := toInt(v)
		if err != nil {
			*errs = append(*errs, keyError(s, fmText, k, "write a whole number, e.g. weight: 100", "weight must be a whole number, not %s", describe(v)))
		}
		p.Weight = n
	case "draft":
		b, ok := v.(bool)
		if !ok {
			*errs = append(*errs, keyError(s, fmText, k, "write draft: true or draft: false", "draft must be true or false, not %s", describe(v)))
		}
		p.Draft = b
	case "lastmod":
		t, ok := toTime(v)
		if !ok {
			*errs = append(*errs, keyError(s, fmText, k, "write a date, e.g. lastmod: 2024-05-31 or lastmod: 2024-05-31T09:30:00+09:00", "lastmod must be a date, not %s", describe(v)))
		}
		p.LastMod = t
	case "slug", "url":
		p.decodeURL(field, k, v, s, fmText, errs)
	case "aliases":
		p.decodeAliases(k, v, s, fmText, errs)
		// Templates read them as Hugo's do: index .Page.Params.aliases 0.
		p.Params["aliases"] = p.Aliases
	case "enabled", "disabled":
		list, ok := toStrings(v)
		if !ok {
			*errs = append(*errs, keyError(s, fmText, k, fmt.Sprintf("write %s: [CN]", k), "%s must be a list of region codes, not %s", k, describe(v)))
		}
		p.UnknownRegions = append(p.UnknownRegions, unknownRegions(s, fmText, k, list, site)...)
		if field == "enabled" {
			p.Enabled = list
		} else {
			p.Disabled = list
		}
	default:
		if code, ok := strings.CutPrefix(field, "title_"); ok && site.Region(strings.ToUpper(code)) != nil {
			p.decodeRegionTitle(strings.ToUpper(code), k, v, s, fmText, errs)
			return
		}
		p.Params[k] = v
	}
}

// decodeURL reads Hugo's slug and url fields, applied once the front
// matter is read (setURL).
func (p *Page) decodeURL(field, k string, v any, s *diag.Source, fmText []byte, errs *diag.List) {
	text, ok := toText(v)
	if !ok || strings.ContainsAny(text, "?#\\") || field == "slug" && strings.Contains(text, "/") {
		*errs = append(*errs, keyError(s, fmText, k, fmt.Sprintf(`write %s: "…", a path without ?, # or \\`, field), "%s must be a URL path, not %s", field, describe(v)))
		return
	}
	if field == "slug" {
		p.slug = text
	} else {
		p.url = text
	}
}

// decodeAliases reads the page's other URLs, keeping where each is written.
func (p *Page) decodeAliases(k string, v any, s *diag.Source, fmText []byte, errs *diag.List) {
	list, ok := toStrings(v)
	if !ok {
		*errs = append(*errs, keyError(s, fmText, k, `write aliases: ["/ja/id/040150"]`, "aliases must be a list of URL paths, not %s", describe(v)))
	}
	for _, a := range list {
		if strings.ContainsAny(a, "?#") {
			*errs = append(*errs, valueError(s, fmText, k, a, "an alias is a URL path such as /ja/id/040150, without ? or #",
				"alias %q is not a URL path", a))
			continue
		}
		at := valueError(s, fmText, k, a, "", "")
		p.AliasPos = append(p.AliasPos, Pos{at.Line, at.Col})
		if !strings.HasPrefix(a, "/") {
			a = "/" + a
		}
		p.Aliases = append(p.Aliases, URLPath(PathOf(a)))
	}
}

// decodeRegionTitle reads title_<region>, parsed once the front matter is
// read.
func (p *Page) decodeRegionTitle(code, k string, v any, s *diag.Source, fmText []byte, errs *diag.List) {
	text, ok := toText(v)
	if !ok {
		*errs = append(*errs, keyError(s, fmText, k, fmt.Sprintf(`write %s: "…"`, k), "%s must be text, not %s", k, describe(v)))
		return
	}
	if p.regionTitleSrc == nil {
		p.regionTitleSrc = map[string]regionTitle{}
	}
	p.regionTitleSrc[code] = regionTitle{key: k, text: text}
}

// unknownRegions are the codes of list that name no region of site.
func unknownRegions(s *diag.Source, fmText []byte, k string, list []string, site *config.Site) []*diag.Error {
	var out []*diag.Error
	for _, c := range list {
		if site.Region(c) == nil {
			hint := "use codes from [regions] in helpgen.toml"
			if site.Region(strings.ToUpper(c)) != nil {
				hint = "region codes are uppercase: write " + strings.ToUpper(c)
			}
			out = append(out, valueError(s, fmText, k, c, hint, "unknown region %q in front matter %s (known: %s)", c, k, strings.Join(site.Codes(), ", ")))
		}
	}
	return out
}

// toText is a front matter value as text: a string, or a number written
// without quotes (title: 2024).
func toText(v any) (string, bool) {
	switch t := v.(type) {
	case nil:
		return "", true
	case string:
		return t, true
	case int, int64, uint64, float64:
		return fmt.Sprint(t), true
	}
	return "", false
}

// describe names what a front matter value is, for errors; text is quoted
// only in part, so an error stays one line.
func describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "empty"
	case string:
		if r := []rune(t); len(r) > 30 {
			t = string(r[:30]) + "…"
		}
		return fmt.Sprintf("the text %q", t)
	case bool:
		return fmt.Sprint(t)
	case int, int64, uint64, float64:
		return fmt.Sprintf("the number %v", t)
	case []any, []string:
		return "a list"
	case map[string]any:
		return "a table of keys and values"
	case time.Time:
		return "a date"
	}
	return fmt.Sprintf("a %T", v)
}

// controlChar describes the first string in v (or a key of a map in it)
// holding a control character other than tab and line end, or "".
func controlChar(key string, v any) string {
	if r, ok := firstControl(key); ok {
		return fmt.Sprintf("has a control character (U+%04X) in its name", r)
	}
	switch t := v.(type) {
	case string:
		if r, ok := firstControl(t); ok {
			return fmt.Sprintf("holds a control character (U+%04X)", r)
		}
	case []any:
		for _, x := range t {
			if e := controlChar("", x); e != "" {
				return e
			}
		}
	case map[string]any:
		for k, x := range t {
			if e := controlChar(k, x); e != "" {
				return e
			}
		}
	}
	return ""
}

func firstControl(s string) (rune, bool) {
	for _, r := range s {
		if r != '\t' && r != '\n' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0) {
			return r, true
		}
	}
	return 0, false
}

// ParseField parses a front matter string (or one of helpgen.toml, whose
// keys are found the same way) for shortcodes, with positions inside the
// file when the value stands there verbatim.
func ParseField(s *diag.Source, fmText []byte, key, value string, opt shortcode.Options) (*shortcode.Doc, error) {
	if !strings.Contains(value, "{{") {
		return &shortcode.Doc{Src: []byte(value), Nodes: []shortcode.Node{shortcode.Text{Start: 0, End: len(value)}}}, nil
	}
	line := keyLine(fmText, key)
	off := -1
	if line > 0 {
		lineStart := lineOffset(s.Text, line)
		lineEnd := lineStart + len(s.Line(line))
		if i := bytes.Index(s.Text[lineStart:lineEnd], []byte(value)); i >= 0 {
			off = lineStart + i
		}
	}
	if off < 0 && len(fmText) <= len(s.Text) {
		// Not on a line of its own (JSON on one line, a YAML flow map):
		// the value written verbatim anywhere in the front matter.
		off = bytes.Index(fmText, []byte(value))
	}
	if off >= 0 {
		// The document indexes the file itself, so positions stay true.
		d, err := shortcode.Parse(s.File, s.Text[:off+len(value)], off, opt)
		if err != nil {
			// Parsed up to the value's end only: show the whole line.
			l := diag.Flatten(err)
			for _, e := range l {
				e.Source = s.Line(e.Line)
			}
			return nil, l
		}
		return d, nil
	}
	// The value is written with escapes or folded: the key's line, or the
	// front matter's first line, is the nearest true position.
	line = max(line, 1)
	d, err := shortcode.Parse(s.File, []byte(value), 0, opt)
	if err != nil {
		l := diag.Flatten(err)
		for _, e := range l {
			e.Line, e.Col, e.Source = line, 1, s.Line(line)
		}
		return nil, l
	}
	return d, nil
}

func lineOffset(text []byte, line int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	return off
}

var keyRE = regexp.MustCompile(`^\s*"?([A-Za-z_][A-Za-z0-9_]*)"?\s*[:=]`)

// keyLine finds the line of a front matter key, 0 if not found: a line
// starting with it, else the first line holding it quoted (JSON or a YAML
// flow map on one line).
func keyLine(fmText []byte, key string) int {
	lines := bytes.Split(fmText, []byte("\n"))
	for i, l := range lines {
		if m := keyRE.FindSubmatch(l); m != nil && strings.EqualFold(string(m[1]), key) {
			return i + 1
		}
	}
	quoted := []byte(strconv.Quote(key))
	for i, l := range lines {
		if bytes.Contains(l, quoted) {
			return i + 1
		}
	}
	return 0
}

func keyError(s *diag.Source, fmText []byte, key, hint, format string, args ...any) *diag.Error {
	line := keyLine(fmText, key)
	if line == 0 {
		line = 1
	}
	return s.At(line, 1, hint, format, args...)
}

// valueError is keyError pointing at value where it is written: on the
// key's line or the lines of its list below it.
func valueError(s *diag.Source, fmText []byte, key, value, hint, format string, args ...any) *diag.Error {
	line := keyLine(fmText, key)
	if line == 0 || value == "" {
		return keyError(s, fmText, key, hint, format, args...)
	}
	last := bytes.Count(fmText, []byte("\n"))
	for l := line; l <= last; l++ {
		text := s.Line(l)
		if l > line && keyRE.MatchString(text) {
			break
		}
		for off := 0; ; {
			i := strings.Index(text[off:], value)
			if i < 0 {
				break
			}
			i += off
			end := i + len(value)
			// The code as a whole word, not a part of a longer one.
			if (i == 0 || !isCodeByte(text[i-1])) && (end == len(text) || !isCodeByte(text[end])) {
				return s.At(l, utf8.RuneCountInString(text[:i])+1, hint, format, args...)
			}
			off = end
		}
	}
	return s.At(line, 1, hint, format, args...)
}

func isCodeByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

var yamlLineRE = regexp.MustCompile(`line (\d+):?`)

// frontMatterError positions a YAML, TOML or JSON decoding error in the file.
// The decoders count lines from the first line after the opening delimiter.
func frontMatterError(s *diag.Source, err error) *diag.Error {
	const hint = "fix the front matter syntax between the --- (YAML), +++ (TOML) or ;;; (JSON) lines"
	var pe toml.ParseError
	// The decoders see the text after the opening delimiter line.
	start := bytes.IndexByte(s.Text, '\n') + 1
	if errors.As(err, &pe) {
		return s.Errorf(start+pe.Position.Start, hint, "front matter: %s", decoderMessage(pe.Message))
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return s.Errorf(start+int(se.Offset)-1, hint, "front matter: %s", decoderMessage(se.Error()))
	}
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return s.At(n+1, 1, hint, "front matter: %s", decoderMessage(strings.Replace(msg, m[0], "", 1)))
	}
	return s.At(1, 1, hint, "front matter: %s", decoderMessage(msg))
}

var (
	quotedRE       = regexp.MustCompile("\"[^\"]*\"|'[^']*'|`[^`]*`")
	notKeyValuesRE = regexp.MustCompile(`cannot unmarshal (\S+).* (into|of type) \S*frontMatter`)
	keyTypeRE      = regexp.MustCompile(`cannot unmarshal (\S+) into string`)
	decoderTypes   = map[string]string{"!!str": "text", "string": "text", "!!seq": "a list", "array": "a list",
		"!!int": "a number", "!!float": "a number", "number": "a number", "!!bool": "true or false", "bool": "true or false", "!!null": "empty"}
)

// decoderMessage makes a decoder's message one line that quotes no more
// than a few words of the text: YAML's lists its errors on several lines,
// and a token a decoder quotes may be a long string.
func decoderMessage(msg string) string {
	for _, p := range []string{"yaml: ", "json: ", "toml: ", "unmarshal errors:"} {
		msg = strings.TrimPrefix(strings.TrimSpace(msg), p)
	}
	msg = strings.Join(strings.Fields(msg), " ")
	typ := func(t string) string {
		if d, ok := decoderTypes[t]; ok {
			return d
		}
		return strings.TrimPrefix(t, "!!")
	}
	if m := notKeyValuesRE.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("it is %s, not keys and values (title: …)", typ(m[1]))
	}
	if m := keyTypeRE.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("a key must be text, not %s", typ(m[1]))
	}
	return quotedRE.ReplaceAllStringFunc(msg, func(q string) string {
		if r := []rune(q); len(r) > 32 {
			return string(r[:30]) + "…" + string(r[len(r)-1])
		}
		return q
	})
}

// normalizeValue turns YAML's map[any]any into map[string]any, recursively.
func normalizeValue(v any) any {
	switch v := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[fmt.Sprint(k)] = normalizeValue(x)
		}
		return m
	case map[string]any:
		for k, x := range v {
			v[k] = normalizeValue(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = normalizeValue(x)
		}
		return v
	}
	return v
}

func toInt(v any) (int, error) {
	switch n := v.(type) {
	case int:
		return n, nil
	case int64:
		return int(n), nil
	case float64:
		if n == float64(int(n)) {
			return int(n), nil
		}
	case string:
		return strconv.Atoi(n)
	}
	return 0, fmt.Errorf("not an integer")
}

func toStrings(v any) ([]string, bool) {
	switch l := v.(type) {
	case []any:
		out := make([]string, 0, len(l))
		for _, x := range l {
			s, ok := x.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case []string:
		return l, true
	case string:
		return []string{l}, true
	}
	return nil, false
}

// toTime reads a front matter date: a TOML or YAML timestamp, or text in the
// form 2006-01-02, with an optional time and zone.
func toTime(v any) (time.Time, bool) {
	switch v := v.(type) {
	case time.Time:
		return v, true
	case string:
		for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05 -0700"} {
			if t, err := time.Parse(layout, strings.TrimSpace(v)); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}
