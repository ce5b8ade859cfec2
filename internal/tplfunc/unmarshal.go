package tplfunc

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cast"
	"gopkg.in/yaml.v2"
)

// Unmarshaler is a resource transform.Unmarshal decodes (a file of assets/,
// from resources.Get): its format is told by its name's suffix.
type Unmarshaler interface {
	Content() (any, error)
	Name() string
}

// decoder is Hugo's metadecoders.Decoder: the options of transform.Unmarshal.
type decoder struct {
	format     string // csv, json, toml, yaml; "" tells it from the input
	delimiter  rune   // CSV
	comment    rune   // CSV
	lazyQuotes bool   // CSV
	targetType string // CSV: slice or map
}

// Unmarshal is Hugo's transform.Unmarshal: it decodes JSON, TOML, YAML or
// CSV text, or a resource, with optional options first (delimiter,
// comment, lazyQuotes, targetType, format). The format of text is the one
// whose mark comes first (the CSV delimiter, {, :, =), of a resource its
// suffix.
func (*Transform) Unmarshal(args ...any) (any, error) {
	if len(args) < 1 || len(args) > 2 {
		return nil, errors.New("unmarshal takes 1 or 2 arguments")
	}
	d, data := decoder{delimiter: ',', targetType: "slice"}, args[len(args)-1]
	if len(args) == 2 {
		m, err := toStringMap(args[0])
		if err != nil {
			return nil, errors.New("first argument must be a map")
		}
		if d, err = decoderOf(m); err != nil {
			return nil, fmt.Errorf("failed to decode options: %w", err)
		}
	}
	if r, ok := data.(Unmarshaler); ok {
		return d.resource(r)
	}
	s, err := toStringE(data)
	if err != nil {
		return nil, fmt.Errorf("type %T not supported", data)
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	f := d.format
	if f == "" {
		if f = d.formatOf(s); f == "" {
			return nil, errors.New("unknown format")
		}
	}
	return d.decode([]byte(s), f)
}

func decoderOf(m map[string]any) (decoder, error) {
	d := decoder{delimiter: ',', targetType: "slice"}
	for k, v := range m {
		var err error
		switch strings.ToLower(k) {
		case "delimiter":
			d.delimiter, err = oneRune(v)
		case "comment":
			d.comment, err = oneRune(v)
		case "lazyquotes":
			d.lazyQuotes, err = cast.ToBoolE(v)
		case "targettype":
			d.targetType, err = cast.ToStringE(v)
		case "format":
			d.format, err = cast.ToStringE(v)
			d.format = strings.ToLower(d.format)
		}
		if err != nil {
			return d, fmt.Errorf("%s: %w", k, err)
		}
	}
	return d, nil
}

func oneRune(v any) (rune, error) {
	s, err := cast.ToStringE(v)
	if err != nil {
		return 0, err
	}
	if utf8.RuneCountInString(s) != 1 {
		return 0, fmt.Errorf("%q is not one character", s)
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r, nil
}

// formatOf tells the format of text by which mark comes first, as Hugo's
// FormatFromContentString does.
func (d decoder) formatOf(s string) string {
	marks := []struct {
		format string
		at     int
	}{{"csv", strings.IndexRune(s, d.delimiter)}, {"json", strings.Index(s, "{")}, {"yaml", strings.Index(s, ":")},
		{"xml", strings.Index(s, "<")}, {"toml", strings.Index(s, "=")}}
	best, at := "", -1
	for _, m := range marks {
		if m.at >= 0 && (at < 0 || m.at < at) {
			best, at = m.format, m.at
		}
	}
	return best
}

// suffixFormats are the formats of resources, by suffix.
var suffixFormats = map[string]string{"csv": "csv", "json": "json", "toml": "toml", "yaml": "yaml", "yml": "yaml", "xml": "xml"}

func (d decoder) resource(r Unmarshaler) (any, error) {
	f := d.format
	if f == "" {
		ext := strings.ToLower(strings.TrimPrefix(path.Ext(r.Name()), "."))
		if f = suffixFormats[ext]; f == "" {
			return nil, fmt.Errorf("%s: the format of a .%s file is not one transform.Unmarshal reads", r.Name(), ext)
		}
	}
	c, err := r.Content()
	if err != nil {
		return nil, err
	}
	s, err := toStringE(c)
	if err != nil {
		return nil, err
	}
	if s == "" {
		if f == "csv" && d.targetType == "slice" {
			return [][]string{}, nil
		}
		return map[string]any{}, nil
	}
	return d.decode([]byte(s), f)
}

// decode reads data in format f.
func (d decoder) decode(data []byte, f string) (any, error) {
	switch f {
	case "json":
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, fmt.Errorf("unmarshal JSON: %w", err)
		}
		return v, nil
	case "toml":
		m := map[string]any{}
		if _, err := toml.Decode(string(data), &m); err != nil {
			return nil, fmt.Errorf("unmarshal TOML: %w", err)
		}
		return m, nil
	case "yaml":
		var y any
		if err := yaml.Unmarshal(data, &y); err != nil {
			return nil, fmt.Errorf("unmarshal YAML: %w", err)
		}
		return StringKeys(y), nil
	case "csv":
		return d.csv(data)
	}
	return nil, fmt.Errorf("format %q not supported by helpgen (it reads csv, json, toml and yaml)", f)
}

func (d decoder) csv(data []byte) (any, error) {
	r := csv.NewReader(strings.NewReader(string(data)))
	r.Comma, r.Comment, r.LazyQuotes = d.delimiter, d.comment, d.lazyQuotes
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("unmarshal CSV: %w", err)
	}
	switch d.targetType {
	case "slice":
		return rows, nil
	case "map":
		if len(rows) < 2 {
			return nil, errors.New("cannot unmarshal CSV into a map: expected at least a header row and one data row")
		}
		seen := map[string]bool{}
		for _, h := range rows[0] {
			if seen[h] {
				return nil, errors.New("cannot unmarshal CSV into a map: header row contains duplicate field names")
			}
			seen[h] = true
		}
		out := make([]map[string]string, len(rows)-1)
		for i, row := range rows[1:] {
			out[i] = make(map[string]string, len(row))
			for j, col := range row {
				out[i][rows[0][j]] = col
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("invalid targetType: expected either slice or map, received %s", d.targetType)
}
