package render

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"strings"
	"text/template"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cast"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v2"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// I18nDir holds one string table per interface language (ja.toml …), in
// any of Hugo's forms: key = "text", or a table per key with its plural
// forms (other = "…", one = "…"), in TOML, YAML or JSON.
const I18nDir = sitefs.I18nDir

// message is one translated string in its plural forms ("other" always).
type message map[string]string

// loadI18n merges the default string tables with the site's, key by key.
func (t *Templates) loadI18n(site, defaults fs.FS, theme string) diag.List {
	t.i18n = map[string]map[string]message{}
	var errs diag.List
	for name, parts := range collectMerged(site, defaults, theme, I18nDir, &errs) {
		ext := path.Ext(name)
		if ext != ".toml" && ext != ".yaml" && ext != ".yml" && ext != ".json" {
			continue
		}
		lang := strings.ToLower(strings.TrimSuffix(name, ext))
		for _, part := range parts {
			m, err := decodeI18n(part, ext)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if t.i18n[lang] == nil {
				t.i18n[lang] = map[string]message{}
			}
			maps.Copy(t.i18n[lang], m)
		}
	}
	return errs
}

// decodeI18n reads one string table.
func decodeI18n(f file, ext string) (map[string]message, *diag.Error) {
	raw := map[string]any{}
	var err error
	switch ext {
	case ".toml":
		_, err = toml.Decode(string(f.data), &raw)
	case ".json":
		err = json.Unmarshal(f.data, &raw)
	default:
		var y map[any]any
		if err = yaml.Unmarshal(f.data, &y); err == nil {
			for k, v := range y {
				raw[fmt.Sprint(k)] = v
			}
		}
	}
	if err != nil {
		e := &diag.Error{File: f.file, Msg: err.Error(), Hint: `write key = "text" lines, or a [key] table with other = "text"`}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			src := diag.NewSource(f.file, f.data)
			e.Line, e.Col, e.Msg, e.Source = pe.Position.Line, pe.Position.Col, pe.Message, src.Line(pe.Position.Line)
		}
		return nil, e
	}
	out := make(map[string]message, len(raw))
	for k, v := range raw {
		switch x := v.(type) {
		case string:
			out[k] = message{"other": x}
		case map[string]any, map[any]any:
			forms := message{}
			for fk, fv := range cast.ToStringMap(x) {
				if s, ok := fv.(string); ok {
					forms[strings.ToLower(fk)] = s
				}
			}
			if forms["other"] == "" && forms["one"] != "" {
				forms["other"] = forms["one"]
			}
			if forms["other"] == "" {
				src := diag.NewSource(f.file, f.data)
				return nil, src.At(lineOfKey(f.data, k), 1, `give the key an other = "text" form`, "i18n key %q has no text", k)
			}
			out[k] = forms
		default:
			src := diag.NewSource(f.file, f.data)
			return nil, src.At(lineOfKey(f.data, k), 1, `write key = "text", or a [key] table with other = "text"`, "i18n key %q is a %T, not text", k, v)
		}
	}
	return out, nil
}

func lineOfKey(data []byte, key string) int {
	for i, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, key) || strings.HasPrefix(l, "["+key+"]") || strings.HasPrefix(l, `"`+key+`"`) {
			return i + 1
		}
	}
	return 0
}

// T returns the interface string key in lang, falling back to English, then to the key.
func (t *Templates) T(key, lang string) string {
	return t.translate(key, lang, nil)
}

// translate returns key in lang; ctx is Hugo's i18n context: a number
// chooses the plural form and is .Count in the text, a map or a page is the
// text's dot.
func (t *Templates) translate(key, lang string, ctx any) string {
	m, ok := t.i18n[lang][key]
	if !ok {
		if m, ok = t.i18n["en"][key]; ok {
			lang = "en"
		}
	}
	if !ok {
		return key
	}
	text := m["other"]
	var data any = ctx
	if ctx != nil {
		if n, err := cast.ToFloat64E(ctx); err == nil {
			if form := pluralForm(lang, n); m[form] != "" {
				text = m[form]
			}
			data = map[string]any{"Count": ctx}
		}
	}
	if !strings.Contains(text, "{{") {
		return text
	}
	tpl, err := template.New(key).Option("missingkey=zero").Parse(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	if err := tpl.Execute(&b, data); err != nil {
		return text
	}
	return b.String()
}

// pluralForm names the CLDR plural form of n in lang ("one", "other"…).
func pluralForm(lang string, n float64) string {
	tag, err := language.Parse(lang)
	if err != nil {
		return "other"
	}
	i := int(n)
	if float64(i) != n {
		return "other"
	}
	switch plural.Cardinal.MatchPlural(tag, i, 0, 0, 0, 0) {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}
