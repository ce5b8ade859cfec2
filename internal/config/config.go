// Package config reads helpgen.toml: the site title, its regions with their
// base URLs and parameters, languages, and checker settings.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// File is the name of the configuration file at the site root.
const File = sitefs.ConfigFile

// Region is one published variant of the site.
type Region struct {
	Code    string            // as written in content, e.g. "JP"
	BaseURL string            // absolute, ending in "/"
	Params  map[string]string // variables available as shortcodes: the text of each scalar param
	// Values are the params with their TOML types (a bool stays a bool), as
	// templates see them in .Site.Params; tables and lists are here only.
	Values map[string]any
}

// Dir is the output folder of the region under the destination.
func (r *Region) Dir() string { return strings.ToLower(r.Code) }

// Check holds the checker's settings.
type Check struct {
	// SkipPrefixes are URL path prefixes of sibling sites on the same domain;
	// links under them are not checked.
	SkipPrefixes []string `toml:"skipPrefixes"`
	// Severity maps a check name to "error", "warning" or "off".
	Severity map[string]string `toml:"-"`
}

// UseThemeLanguages makes langs, the languages the theme has labels for,
// the languages of a site whose helpgen.toml names none: a path segment
// naming one of them (general/ja/) then decides a page's language.
func (s *Site) UseThemeLanguages(langs []string) {
	if len(s.Languages) == 0 {
		s.Languages = slices.Clone(langs)
	}
}

// CheckNames are the checks whose severity [check] may set, e.g.
// anchors = "warning" (see internal/check).
var CheckNames = []string{"links", "anchors", "images", "duplicateIDs", "emptyBlocks", "emptyPages", "regions", "baseURL", "lists",
	"alt", "headings", "duplicateTitles", "absoluteLinks", "emptyVariables", "unusedStatic", "descriptions", "unsafeLinks", "external"}

// Site is the whole configuration.
type Site struct {
	Title           string
	Languages       []string
	DefaultLanguage string
	Regions         []*Region // sorted by code
	Check           Check
	Params          map[string]any
	// DisablePathToLower keeps the case of file names in URLs; by default
	// they are lowercased, as Hugo does.
	DisablePathToLower bool
	// Theme names a Hugo theme under themes/ whose shortcodes, partials
	// and i18n tables the site uses (Hugo's theme setting).
	Theme string
	// EditURL, when set, is where a page's source can be edited: the
	// page's file path from the site root is appended to it.
	EditURL string
	// Timeout bounds the template executions of one page together (its
	// shortcodes, layout and partials): `timeout = "30s"`, as in Hugo.
	Timeout time.Duration
	// Notes are problems that do not stop a build, for the baseURL check
	// to report: a region without an absolute baseURL.
	Notes diag.List
}

type rawRegion struct {
	BaseURL string         `toml:"baseURL"`
	Params  map[string]any `toml:"params"`
}

type rawSite struct {
	Title           string               `toml:"title"`
	Languages       []string             `toml:"languages"`
	DefaultLanguage string               `toml:"defaultLanguage"`
	EditURL         string               `toml:"editURL"`
	Theme           string               `toml:"theme"`
	DisablePathLow  bool                 `toml:"disablePathToLower"`
	Regions         map[string]rawRegion `toml:"regions"`
	Params          map[string]any       `toml:"params"`
	Check           map[string]any       `toml:"check"`
	Timeout         any                  `toml:"timeout"`
}

// DefaultTimeout is the time a page's templates may take when helpgen.toml
// sets none (Hugo's default).
const DefaultTimeout = 30 * time.Second

var codeRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// tomlLineRE reads the line out of the TOML decoder's type errors:
// toml: line 5 (last key "regions.JP.params.service"): incompatible types: …
var tomlLineRE = regexp.MustCompile(`^toml: line (\d+)(?: \(last key "([^"]*)"\))?:(.*)$`)

// Load reads helpgen.toml from fsys.
func Load(fsys fs.FS) (*Site, error) {
	data, err := fs.ReadFile(fsys, File)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &diag.Error{File: File, Msg: "no helpgen.toml at the site root", Hint: "create helpgen.toml with a [regions.CODE] table per region, or pass -s SITE"}
		}
		return nil, diag.FileError(File, err)
	}
	return Parse(data)
}

// Parse decodes and validates configuration text.
func Parse(data []byte) (*Site, error) {
	src := diag.NewSource(File, data)
	var raw rawSite
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, src.Errorf(pe.Position.Start, "fix the TOML syntax", "%s", pe.Message)
		}
		e := &diag.Error{File: File, Msg: err.Error(), Hint: "check the types of the values in helpgen.toml: text in quotes, lists in [ ]"}
		if m := tomlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			e.Line, e.Col, e.Source, e.Msg = line, 1, src.Line(line), strings.TrimPrefix(m[3], " ")
			if m[2] != "" {
				e.Msg = fmt.Sprintf("%s: %s", m[2], e.Msg)
			}
		}
		return nil, e
	}
	var errs diag.List
	for _, k := range md.Undecoded() {
		// [check] is decoded by hand; params hold whatever the site puts there.
		if len(k) > 0 && (k[0] == "check" || k[0] == "params") || len(k) > 3 && k[0] == "regions" && k[2] == "params" {
			continue
		}
		errs = append(errs, src.At(findLine(data, k.String(), k[len(k)-1]), 1, "remove it or check its spelling", "unknown setting %q", k.String()))
	}
	s := &Site{Title: raw.Title, Languages: raw.Languages, DefaultLanguage: raw.DefaultLanguage, Params: raw.Params}
	if s.DefaultLanguage == "" && len(s.Languages) > 0 {
		s.DefaultLanguage = s.Languages[0]
	}
	if s.DefaultLanguage == "" {
		s.DefaultLanguage = "en"
	}
	errs = append(errs, s.decodeSettings(&raw, src, data)...)
	if err := s.decodeCheck(raw.Check, src, data); err != nil {
		errs = append(errs, diag.Flatten(err)...)
	}
	if len(raw.Regions) == 0 {
		errs = append(errs, &diag.Error{File: File, Msg: "no regions defined", Hint: "add a [regions.JP] table (one per region) with baseURL and [regions.JP.params]"})
	}
	for code, r := range raw.Regions {
		errs = append(errs, s.addRegion(code, r, src, data)...)
	}
	sort.Slice(s.Regions, func(i, j int) bool { return s.Regions[i].Code < s.Regions[j].Code })
	errs = append(errs, s.checkParams(src, data)...)
	errs = append(errs, controlChars(src, data, &raw)...)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return s, nil
}

// decodeSettings checks and keeps the settings beside regions and checks:
// editURL, theme, disablePathToLower, timeout.
func (s *Site) decodeSettings(raw *rawSite, src *diag.Source, data []byte) diag.List {
	var errs diag.List
	if u, err := url.Parse(raw.EditURL); raw.EditURL != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
		errs = append(errs, src.At(findLine(data, "", "editURL"), 1, `write an absolute URL, e.g. editURL = "https://github.com/org/help/edit/main/"`, "editURL %q is not an absolute http(s) URL", raw.EditURL))
	} else {
		s.EditURL = raw.EditURL
	}
	if strings.ContainsAny(raw.Theme, "/\\") || raw.Theme == "." || raw.Theme == ".." {
		errs = append(errs, src.At(findLine(data, "", "theme"), 1, `name a folder under themes/, e.g. theme = "hugo-template"`, "theme %q is not a folder name", raw.Theme))
	} else {
		s.Theme = raw.Theme
	}
	s.DisablePathToLower = raw.DisablePathLow
	if err := s.decodeTimeout(raw.Timeout, src, data); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// addRegion checks region code's table and adds the region.
func (s *Site) addRegion(code string, r rawRegion, src *diag.Source, data []byte) diag.List {
	var errs diag.List
	line := findLine(data, "regions."+code, "")
	if !codeRE.MatchString(code) {
		errs = append(errs, src.At(line, 1, fmt.Sprintf("use an uppercase code such as %q", strings.ToUpper(code)), "region code %q is not uppercase letters and digits", code))
	}
	base := r.BaseURL
	if base == "" {
		base = "/"
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "" && u.Host == "") {
		errs = append(errs, src.At(line, 1, "write an absolute URL such as https://help.example.com/", "region %s: invalid baseURL %q", code, r.BaseURL))
	} else if u.Scheme == "" {
		s.Notes = append(s.Notes, src.At(line, 1, fmt.Sprintf("add baseURL = \"https://…/\" under [regions.%s]", code),
			"region %s has no absolute baseURL: its canonical links, alternates and sitemap.xml hold paths only", code))
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	values := r.Params
	if values == nil {
		values = map[string]any{}
	}
	s.Regions = append(s.Regions, &Region{Code: code, BaseURL: base, Params: scalarText(values), Values: values})
	return errs
}

// checkParams requires every region to define the same variables, so a page
// never renders a variable in one region and fails in another.
func (s *Site) checkParams(src *diag.Source, data []byte) diag.List {
	all := map[string][]string{}
	for _, r := range s.Regions {
		for k := range r.Values {
			all[k] = append(all[k], r.Code)
		}
	}
	var errs diag.List
	for _, k := range slices.Sorted(maps.Keys(all)) {
		if len(all[k]) == len(s.Regions) {
			continue
		}
		for _, r := range s.Regions {
			if _, ok := r.Values[k]; ok {
				continue
			}
			line := findLine(data, "regions."+r.Code+".params", "")
			if line == 0 {
				line = findLine(data, "regions."+r.Code, "")
			}
			errs = append(errs, src.At(line, 1, fmt.Sprintf("add %s = \"…\" under [regions.%s.params]", k, r.Code),
				"variable %q is defined for %s but missing in region %s", k, strings.Join(all[k], ", "), r.Code))
		}
	}
	return errs
}

// decodeTimeout reads timeout: a duration ("30s", "2m", "1m30s") or a
// whole number of seconds.
func (s *Site) decodeTimeout(v any, src *diag.Source, data []byte) *diag.Error {
	s.Timeout = DefaultTimeout
	if v == nil {
		return nil
	}
	var d time.Duration
	var err error
	switch v := v.(type) {
	case string:
		d, err = time.ParseDuration(strings.TrimSpace(v))
	case int64:
		d = time.Duration(v) * time.Second
		if v > int64(math.MaxInt64/time.Second) {
			d = -1
		}
	default:
		err = errors.New("not a duration")
	}
	if err != nil || d <= 0 {
		line := findTopLine(data, "timeout")
		col := 1
		if l := src.Line(line); strings.Contains(l, "=") {
			col = utf8.RuneCountInString(l[:strings.Index(l, "=")+1]) + 1
			for col <= len(l) && (l[col-1] == ' ' || l[col-1] == '\t') {
				col++
			}
		}
		return src.At(line, col, `write a duration such as timeout = "30s" or "2m" (the time the templates of one page may take)`,
			"timeout must be a positive duration, not %s", tomlValue(v))
	}
	s.Timeout = d
	return nil
}

// tomlValue shows a decoded value as it was written.
func tomlValue(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

// findTopLine returns the 1-based line of a key of the top-level table
// (before the first [table] header), 0 when not found.
func findTopLine(data []byte, key string) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		l := strings.TrimSpace(string(line))
		if strings.HasPrefix(l, "[") {
			return 0
		}
		if rest, ok := strings.CutPrefix(l, key); ok && strings.HasPrefix(strings.TrimLeft(rest, " \t"), "=") {
			return i + 1
		}
	}
	return 0
}

func (s *Site) decodeCheck(m map[string]any, src *diag.Source, data []byte) error {
	s.Check.Severity = map[string]string{}
	var errs diag.List
	for k, v := range m {
		switch k {
		case "skipPrefixes":
			list, ok := v.([]any)
			if !ok {
				errs = append(errs, src.At(findLine(data, "", k), 1, `write skipPrefixes = ["/ja/settings/"]`, "check.skipPrefixes must be a list of strings"))
				continue
			}
			for _, x := range list {
				if str, ok := x.(string); ok {
					s.Check.SkipPrefixes = append(s.Check.SkipPrefixes, str)
				}
			}
		default:
			if !slices.Contains(CheckNames, k) {
				errs = append(errs, src.At(findLine(data, "", k), 1, "checks are: "+strings.Join(CheckNames, ", "), "unknown check %q in [check]", k))
				continue
			}
			str, ok := v.(string)
			if !ok || (str != "error" && str != "warning" && str != "off") {
				errs = append(errs, src.At(findLine(data, "", k), 1, `use "error", "warning" or "off"`, "check.%s: invalid severity %v", k, v))
				continue
			}
			s.Check.Severity[k] = str
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Region returns the region with code, or nil.
func (s *Site) Region(code string) *Region {
	for _, r := range s.Regions {
		if r.Code == code {
			return r
		}
	}
	return nil
}

// Codes lists region codes in sorted order.
func (s *Site) Codes() []string {
	out := make([]string, len(s.Regions))
	for i, r := range s.Regions {
		out[i] = r.Code
	}
	return out
}

// Select narrows the regions to codes (case-insensitive); empty keeps all.
func (s *Site) Select(codes []string) error {
	if len(codes) == 0 {
		return nil
	}
	var keep []*Region
	for _, c := range codes {
		r := s.Region(strings.ToUpper(strings.TrimSpace(c)))
		if r == nil {
			return fmt.Errorf("unknown region %q (known: %s)", c, strings.Join(s.Codes(), ", "))
		}
		if !containsRegion(keep, r) {
			keep = append(keep, r)
		}
	}
	sort.Slice(keep, func(i, j int) bool { return keep[i].Code < keep[j].Code })
	s.Regions = keep
	return nil
}

func containsRegion(rs []*Region, r *Region) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// VarNames lists every variable name defined by any region.
func (s *Site) VarNames() []string {
	set := map[string]bool{}
	for _, r := range s.Regions {
		for k := range r.Params {
			set[k] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// scalarText returns the text of each param a variable shortcode can
// write: strings as they are, numbers, booleans and dates as TOML writes
// them.
func scalarText(values map[string]any) map[string]string {
	out := make(map[string]string, len(values))
	for k, v := range values {
		switch x := v.(type) {
		case string:
			out[k] = x
		case bool, int64, float64:
			out[k] = fmt.Sprint(x)
		case time.Time:
			out[k] = x.Format(time.RFC3339)
		}
	}
	return out
}

// findLine returns the 1-based line of a table header [table] or of a key,
// for error positions; 0 when not found.
func findLine(data []byte, table, key string) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		l := strings.TrimSpace(string(line))
		if table != "" && key == "" && (l == "["+table+"]") {
			return i + 1
		}
		if key != "" && (strings.HasPrefix(l, key+" ") || strings.HasPrefix(l, key+"=")) {
			return i + 1
		}
	}
	return 0
}

// checkValue runs check on every string of a param's value: the value
// itself, or those of its lists and tables.
func checkValue(check func(table, key, value string), table, key string, v any) {
	switch x := v.(type) {
	case string:
		check(table, key, x)
	case []any:
		for _, e := range x {
			checkValue(check, table, key, e)
		}
	case map[string]any:
		for k, e := range x {
			checkValue(check, table+"."+key, k, e)
		}
	}
}

// controlChars reports a control character (other than tab and line end),
// written as an escape, in a value that pages show: the title, a region's
// or the site's params (a baseURL with one does not parse). It would reach
// every page.
func controlChars(src *diag.Source, data []byte, raw *rawSite) diag.List {
	var errs diag.List
	check := func(table, key, value string) {
		for _, r := range value {
			if r != '\t' && r != '\n' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0) {
				line := max(findLine(data, "", key), findLine(data, table, ""), 1)
				errs = append(errs, src.At(line, 1, "remove the control character", "%s holds a control character (U+%04X)",
					strings.TrimPrefix(table+"."+key, "."), r))
				return
			}
		}
	}
	check("", "title", raw.Title)
	for k, v := range raw.Params {
		checkValue(check, "params", k, v)
	}
	for code, r := range raw.Regions {
		for k, v := range r.Params {
			checkValue(check, "regions."+code+".params", k, v)
		}
	}
	return errs
}
