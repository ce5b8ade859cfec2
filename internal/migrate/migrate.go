// Package migrate turns a Hugo help site, configured with one config file
// per region, into a helpgen site: it writes helpgen.toml from the config
// files and lists, positioned, what of the site's templates will not carry
// over. It reads the site and changes nothing but helpgen.toml.
package migrate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v2"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/tplfunc"
)

// Options says where the site is and how its regions are told apart.
type Options struct {
	// Configs are the Hugo config files, one per region, relative to the
	// site root (config.toml, config_us.toml…); TOML, YAML or JSON.
	Configs []string
	// RegionParam is the site param that names a config's region
	// (TargetRegion in the CybozuDocs theme).
	RegionParam string
	// Funcs are the template functions helpgen provides.
	Funcs []string
}

// Result is the configuration written and what will not carry over.
type Result struct {
	Config   []byte    // helpgen.toml
	Findings diag.List // warnings: templates, layouts and params that change
}

// hugoConfig is what migrate reads of one Hugo config file.
type hugoConfig struct {
	file     string
	baseURL  string
	title    string
	lang     string // from languageCode or defaultContentLanguage: "ja"
	theme    string
	lower    bool // paths lowercased (Hugo's default; disablePathToLower turns it off)
	ugly     bool
	params   map[string]any
	region   string
	fileData []byte
}

// Run reads the site and returns the helpgen.toml to write.
func Run(site fs.FS, opt Options) (*Result, error) {
	if len(opt.Configs) == 0 {
		return nil, errors.New("no Hugo config files given: pass one per region with --config")
	}
	if opt.RegionParam == "" {
		return nil, errors.New("no region param given: pass the name of the param that holds a config's region with --region-param")
	}
	var cfgs []*hugoConfig
	var errs diag.List
	seen := map[string]string{}
	for _, name := range opt.Configs {
		c, err := readConfig(site, name, opt.RegionParam)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, ok := seen[c.region]; ok {
			errs = append(errs, &diag.Error{File: name, Msg: fmt.Sprintf("region %s is also the region of %s", c.region, prev),
				Hint: "give each config file its own " + opt.RegionParam})
			continue
		}
		seen[c.region] = name
		cfgs = append(cfgs, c)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	slices.SortFunc(cfgs, func(a, b *hugoConfig) int { return strings.Compare(a.region, b.region) })
	res := &Result{}
	res.Findings = append(res.Findings, paramNotes(cfgs)...)
	skip, err := skipPrefixes(site)
	if err != nil {
		return nil, err
	}
	res.Findings = append(res.Findings, scanTemplates(site, cfgs[0].theme, opt.Funcs)...)
	res.Config = writeConfig(cfgs, opt, skip)
	res.Findings.Sort()
	return res, nil
}

func readConfig(site fs.FS, name, regionParam string) (*hugoConfig, *diag.Error) {
	data, err := fs.ReadFile(site, name)
	if err != nil {
		return nil, &diag.Error{File: name, Msg: "cannot read the config file: " + errors.Unwrap(err).Error(), Hint: "give the path of a Hugo config file relative to the site root"}
	}
	raw := map[string]any{}
	switch path.Ext(name) {
	case ".toml":
		if _, err := toml.Decode(string(data), &raw); err != nil {
			e := &diag.Error{File: name, Msg: err.Error(), Hint: "fix the TOML syntax"}
			var pe toml.ParseError
			if errors.As(err, &pe) {
				e.Line, e.Col, e.Msg = pe.Position.Line, pe.Position.Col, pe.Message
			}
			return nil, e
		}
	case ".yaml", ".yml":
		var y map[any]any
		if err := yaml.Unmarshal(data, &y); err != nil {
			return nil, &diag.Error{File: name, Msg: err.Error(), Hint: "fix the YAML syntax"}
		}
		raw = tplfunc.StringKeys(y).(map[string]any)
	case ".json":
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, &diag.Error{File: name, Msg: err.Error(), Hint: "fix the JSON syntax"}
		}
	default:
		return nil, &diag.Error{File: name, Msg: "not a TOML, YAML or JSON file", Hint: "name the config files as Hugo does: config.toml, hugo.yaml…"}
	}
	c := &hugoConfig{file: name, fileData: data, lower: true}
	get := func(key string) any {
		for k, v := range raw {
			if strings.EqualFold(k, key) {
				return v
			}
		}
		return nil
	}
	c.baseURL, _ = get("baseURL").(string)
	c.title, _ = get("title").(string)
	c.theme, _ = get("theme").(string)
	if b, ok := get("disablePathToLower").(bool); ok {
		c.lower = !b
	}
	c.ugly, _ = get("uglyURLs").(bool)
	lang, _ := get("defaultContentLanguage").(string)
	if lc, ok := get("languageCode").(string); ok && lang == "" {
		lang = lc
	}
	c.lang = strings.ToLower(strings.SplitN(strings.ReplaceAll(lang, "_", "-"), "-", 2)[0])
	c.params, _ = get("params").(map[string]any)
	for k, v := range c.params {
		if strings.EqualFold(k, regionParam) {
			s, ok := v.(string)
			if !ok || s == "" {
				break
			}
			c.region = strings.ToUpper(s)
		}
	}
	if c.region == "" {
		return nil, &diag.Error{File: name, Line: lineOf(data, regionParam), Msg: fmt.Sprintf("no params.%s naming the region", regionParam),
			Hint: "pass the name of the param that holds the region (--region-param), or add it to this config's params"}
	}
	return c, nil
}

// paramNotes reports params that some regions lack (given an empty value
// of the same type there) and params whose type differs between regions.
func paramNotes(cfgs []*hugoConfig) diag.List {
	var out diag.List
	for _, k := range paramKeys(cfgs) {
		var typ string
		for _, c := range cfgs {
			v, ok := c.params[k]
			if !ok {
				out = append(out, &diag.Error{File: c.file, Severity: diag.SevWarning,
					Msg:  fmt.Sprintf("params.%s is not set in region %s; helpgen.toml gives it an empty value there", k, c.region),
					Hint: "every region must have the same params in helpgen; set the value for this region"})
				continue
			}
			if t := fmt.Sprintf("%T", v); typ == "" {
				typ = t
			} else if t != typ {
				out = append(out, &diag.Error{File: c.file, Line: lineOf(c.fileData, k), Severity: diag.SevWarning,
					Msg:  fmt.Sprintf("params.%s is a %s here and a %s in another region", k, t, typ),
					Hint: "templates that compare it may behave differently per region; use one type"})
			}
		}
	}
	return out
}

// paramKeys are the params of all regions, each once, spelled as the first
// config that has it spells it. The region param is one of them: themes
// read it (.Site.Params.TargetRegion names a region's menu file).
func paramKeys(cfgs []*hugoConfig) []string {
	keys := map[string]string{}
	for _, c := range cfgs {
		for k := range c.params {
			if _, ok := keys[strings.ToLower(k)]; !ok {
				keys[strings.ToLower(k)] = k
			}
		}
	}
	// Params of one region spelled differently in another are one param.
	for _, c := range cfgs {
		for k, v := range c.params {
			if canon := keys[strings.ToLower(k)]; canon != "" && canon != k {
				c.params[canon] = v
				delete(c.params, k)
			}
		}
	}
	return slices.Sorted(maps.Values(keys))
}

// lineOf returns the first line of data that mentions key, or 0.
func lineOf(data []byte, key string) int {
	for i, l := range bytes.Split(data, []byte("\n")) {
		if bytes.Contains(bytes.ToLower(l), bytes.ToLower([]byte(key))) {
			return i + 1
		}
	}
	return 0
}
