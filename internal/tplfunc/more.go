package tplfunc

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"html/template"
	"math"
	"net/url"
	"path"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cast"
	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Math is Hugo's math namespace. Integers stay integers (int64), a float
// makes the result a float, and add joins strings.
type Math struct{}

// Add returns the sum of its arguments.
func (*Math) Add(inputs ...any) (any, error) { return arith('+', inputs) }

// Sub returns the first argument less the others.
func (*Math) Sub(inputs ...any) (any, error) { return arith('-', inputs) }

// Mul returns the product of its arguments.
func (*Math) Mul(inputs ...any) (any, error) { return arith('*', inputs) }

// Div returns the first argument divided by the others; integers divide as integers.
func (*Math) Div(inputs ...any) (any, error) { return arith('/', inputs) }

// Mod returns a modulo b, both integers.
func (*Math) Mod(a, b any) (int64, error) {
	x, errA := cast.ToInt64E(a)
	y, errB := cast.ToInt64E(b)
	if errA != nil || errB != nil {
		return 0, errors.New("modulo operator can't be used with non integer value")
	}
	if y == 0 {
		return 0, errors.New("the number can't be divided by zero at modulo operation")
	}
	return x % y, nil
}

// ModBool reports whether a modulo b is 0.
func (m *Math) ModBool(a, b any) (bool, error) {
	r, err := m.Mod(a, b)
	return r == 0, err
}

// Pow returns a to the power b, as a float.
func (*Math) Pow(a, b any) (float64, error) {
	x, errA := cast.ToFloat64E(a)
	y, errB := cast.ToFloat64E(b)
	if errA != nil || errB != nil {
		return 0, errors.New("pow operator can't be used with non-float value")
	}
	return math.Pow(x, y), nil
}

func arith(op byte, inputs []any) (any, error) {
	if len(inputs) < 2 {
		return nil, errors.New("must provide at least two numbers")
	}
	acc := inputs[0]
	for _, in := range inputs[1:] {
		var err error
		if acc, err = arith2(op, acc, in); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func arith2(op byte, a, b any) (any, error) {
	av, bv := reflect.ValueOf(a), reflect.ValueOf(b)
	if sa, ok := stringOf(a); ok && op == '+' {
		if sb, ok := stringOf(b); ok {
			return sa + sb, nil
		}
	}
	x, okA := toFloat(av)
	y, okB := toFloat(bv)
	if !okA || !okB {
		return nil, fmt.Errorf("can't apply the operator to the values %v and %v", a, b)
	}
	if isInt(av) && isInt(bv) {
		i, j := toInt64(av), toInt64(bv)
		switch op {
		case '+':
			return i + j, nil
		case '-':
			return i - j, nil
		case '*':
			return i * j, nil
		}
		if j == 0 {
			return nil, errors.New("can't divide the value by 0")
		}
		return i / j, nil
	}
	switch op {
	case '+':
		return x + y, nil
	case '-':
		return x - y, nil
	case '*':
		return x * y, nil
	}
	if y == 0 {
		return nil, errors.New("can't divide the value by 0")
	}
	return x / y, nil
}

func isInt(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func toInt64(v reflect.Value) int64 {
	if v.CanInt() {
		return v.Int()
	}
	return int64(v.Uint())
}

// Cast is Hugo's cast namespace.
type Cast struct{}

// ToInt converts v to an int.
func (*Cast) ToInt(v any) (int, error) {
	if s, ok := stringOf(v); ok {
		v = s
	}
	return cast.ToIntE(v)
}

// ToFloat converts v to a float64.
func (*Cast) ToFloat(v any) (float64, error) {
	if s, ok := stringOf(v); ok {
		v = s
	}
	return cast.ToFloat64E(v)
}

// ToString converts v to a string.
func (*Cast) ToString(v any) (string, error) { return toStringE(v) }

// Compare is Hugo's compare namespace: numbers compare by value whatever
// their type, and string types alike.
type Compare struct{}

// Default returns given unless it is unset (zero, empty or nil), else dflt.
func (*Compare) Default(dflt any, given ...any) (any, error) {
	if len(given) == 0 {
		return dflt, nil
	}
	if len(given) != 1 {
		return nil, fmt.Errorf("wrong number of args for default: want 2 got %d", len(given)+1)
	}
	g := reflect.ValueOf(given[0])
	if !g.IsValid() {
		return dflt, nil
	}
	set := true
	switch g.Kind() {
	case reflect.Bool:
	case reflect.String, reflect.Array, reflect.Slice, reflect.Map:
		set = g.Len() != 0
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		f, _ := toFloat(g)
		set = f != 0
	case reflect.Struct:
		if t, ok := given[0].(time.Time); ok {
			set = !t.IsZero()
		}
	default:
		set = !g.IsNil()
	}
	if set {
		return given[0], nil
	}
	return dflt, nil
}

// Conditional returns yes if control is truthy, else no.
func (*Compare) Conditional(control, yes, no any) any {
	if truthful(reflect.ValueOf(control)) {
		return yes
	}
	return no
}

func truthful(v reflect.Value) bool {
	v, isNil := indirect(v)
	if isNil || !v.IsValid() {
		return false
	}
	if t, ok := v.Interface().(time.Time); ok {
		return !t.IsZero()
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0
	case reflect.Bool:
		return v.Bool()
	case reflect.Struct:
		return true
	}
	f, ok := toFloat(v)
	return ok && f != 0
}

// Eq reports whether first equals any of the others.
func (*Compare) Eq(first any, others ...any) (bool, error) {
	if len(others) == 0 {
		return false, errors.New("missing arguments for comparison")
	}
	for _, o := range others {
		if eqAny(first, o) {
			return true, nil
		}
	}
	return false, nil
}

// Ne reports whether first differs from every one of the others.
func (c *Compare) Ne(first any, others ...any) (bool, error) {
	eq, err := c.Eq(first, others...)
	return !eq, err
}

func eqAny(a, b any) bool {
	av, aNil := indirectInterface(reflect.ValueOf(a))
	bv, bNil := indirectInterface(reflect.ValueOf(b))
	if aNil || bNil {
		return aNil == bNil
	}
	return equalValues(av, bv)
}

// Lt reports whether first is less than the others.
func (*Compare) Lt(first any, others ...any) (bool, error) { return order(first, others, "lt") }

// Le reports whether first is less than or equal to the others.
func (*Compare) Le(first any, others ...any) (bool, error) { return order(first, others, "le") }

// Gt reports whether first is greater than the others.
func (*Compare) Gt(first any, others ...any) (bool, error) { return order(first, others, "gt") }

// Ge reports whether first is greater than or equal to the others.
func (*Compare) Ge(first any, others ...any) (bool, error) { return order(first, others, "ge") }

func order(first any, others []any, op string) (bool, error) {
	if len(others) == 0 {
		return false, errors.New("missing arguments for comparison")
	}
	a, _ := indirectInterface(reflect.ValueOf(first))
	for _, o := range others {
		b, _ := indirectInterface(reflect.ValueOf(o))
		if !a.IsValid() || !b.IsValid() {
			return false, fmt.Errorf("%s: cannot compare %s and %s", op, typeName(first), typeName(o))
		}
		c, ok := compareValues(a, b)
		if !ok {
			return false, fmt.Errorf("%s: incompatible types for comparison: %s and %s", op, typeName(first), typeName(o))
		}
		if !map[string]bool{"lt": c < 0, "le": c <= 0, "gt": c > 0, "ge": c >= 0}[op] {
			return false, nil
		}
	}
	return true, nil
}

// URLs is Hugo's urls namespace; relURL and absURL use the region's baseURL.
type URLs struct{ baseURL string }

// Parse parses a URL.
func (*URLs) Parse(raw any) (*url.URL, error) {
	s, err := toStringE(raw)
	if err != nil {
		return nil, err
	}
	return url.Parse(s)
}

// Anchorize returns s as Hugo makes heading ids: lower case, spaces as
// hyphens, letters, digits, hyphens and underscores kept, the rest dropped.
func (*URLs) Anchorize(s any) (string, error) {
	str, err := toStringE(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, r := range strings.TrimSpace(str) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-':
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r):
			b.WriteByte('-')
		}
	}
	return b.String(), nil
}

// URLize returns s as a URL path: spaces as hyphens, lower case, characters
// outside a path escaped.
func (*URLs) URLize(s any) (string, error) {
	str, err := toStringE(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, r := range strings.TrimSpace(str) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) || strings.ContainsRune("./\\_-#+~", r):
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r):
			b.WriteByte('-')
		}
	}
	u, err := url.Parse(b.String())
	if err != nil {
		return b.String(), nil
	}
	return u.String(), nil
}

// JoinPath joins the elements of a URL path.
func (*URLs) JoinPath(elem ...any) (string, error) {
	parts, err := flatten(elem, toStringE)
	if err != nil {
		return "", err
	}
	if len(parts) == 0 {
		return "", nil
	}
	u, err := url.Parse(parts[0])
	if err != nil {
		return "", err
	}
	return u.JoinPath(parts[1:]...).String(), nil
}

// PathEscape escapes s for use as a URL path segment.
func (*URLs) PathEscape(s any) (string, error) {
	str, err := toStringE(s)
	return url.PathEscape(str), err
}

// PathUnescape reverses PathEscape.
func (*URLs) PathUnescape(s any) (string, error) {
	str, err := toStringE(s)
	if err != nil {
		return "", err
	}
	return url.PathUnescape(str)
}

// RelURL is Hugo's relURL with the given baseURL.
func RelURL(baseURL string, in any) (string, error) { return (&URLs{baseURL: baseURL}).RelURL(in) }

// AbsURL is Hugo's absURL with the given baseURL.
func AbsURL(baseURL string, in any) (string, error) { return (&URLs{baseURL: baseURL}).AbsURL(in) }

// RelURL returns in as a path from the host's root, under the baseURL's path
// unless in starts with a slash; absolute URLs of other sites are kept.
func (u *URLs) RelURL(in any) (string, error) {
	s, err := toStringE(in)
	if err != nil {
		return "", err
	}
	base := u.base(s)
	if (!strings.HasPrefix(s, base) && strings.HasPrefix(s, "http")) || strings.HasPrefix(s, "//") {
		return s, nil
	}
	rel := strings.TrimPrefix(s, base)
	root := "/"
	if b, err := url.Parse(base); err == nil && b.Path != "" {
		root = b.Path
	}
	out := path.Join(root, rel)
	if strings.HasSuffix(rel, "/") && !strings.HasSuffix(out, "/") {
		out += "/"
	}
	if s == "" && !strings.HasSuffix(out, "/") && strings.HasSuffix(base, "/") {
		out += "/"
	}
	if !strings.HasPrefix(out, "/") {
		out = "/" + out
	}
	return out, nil
}

// AbsURL returns in as an absolute URL on the baseURL; absolute URLs are kept.
func (u *URLs) AbsURL(in any) (string, error) {
	s, err := toStringE(in)
	if err != nil {
		return "", err
	}
	p, err := url.Parse(s)
	if err != nil || p.IsAbs() || strings.HasPrefix(s, "//") {
		return s, nil
	}
	b, err := url.Parse(u.base(s))
	if err != nil {
		return s, nil
	}
	b.Path = path.Join(b.Path, p.Path)
	b.RawQuery, b.Fragment = p.RawQuery, p.Fragment
	if ((s == "" && strings.HasSuffix(u.baseURL, "/")) || strings.HasSuffix(p.Path, "/")) && !strings.HasSuffix(b.Path, "/") {
		b.Path += "/"
	}
	return b.String(), nil
}

// base is the baseURL, or its host alone for a path from the root.
func (u *URLs) base(in string) string {
	if !strings.HasPrefix(in, "/") {
		return u.baseURL
	}
	b, err := url.Parse(u.baseURL)
	if err != nil {
		return u.baseURL
	}
	b.Path, b.RawPath = "", ""
	return b.String()
}

// XMLEscape escapes s for XML, dropping characters XML cannot hold.
func (*Transform) XMLEscape(s any) (string, error) {
	str, err := toStringE(s)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := xml.EscapeText(&b, []byte(str)); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Path is Hugo's path namespace; back slashes count as slashes.
type Path struct{}

func slashed(p any) (string, error) {
	s, err := toStringE(p)
	return strings.ReplaceAll(s, `\`, "/"), err
}

// Base returns the last element of p.
func (*Path) Base(p any) (string, error) {
	s, err := slashed(p)
	return path.Base(s), err
}

// BaseName returns the last element of p without its extension.
func (*Path) BaseName(p any) (string, error) {
	s, err := slashed(p)
	return strings.TrimSuffix(path.Base(s), path.Ext(s)), err
}

// Dir returns all but the last element of p.
func (*Path) Dir(p any) (string, error) {
	s, err := slashed(p)
	return path.Dir(s), err
}

// Ext returns the extension of p, with its dot.
func (*Path) Ext(p any) (string, error) {
	s, err := slashed(p)
	return path.Ext(s), err
}

// Clean returns the shortest path equal to p.
func (*Path) Clean(p any) (string, error) {
	s, err := slashed(p)
	return path.Clean(s), err
}

// Join joins the elements into a path.
func (*Path) Join(elem ...any) (string, error) {
	parts, err := flatten(elem, slashed)
	return path.Join(parts...), err
}

// flatten turns join's arguments into strings: a list gives its elements,
// anything else is converted by conv.
func flatten(elem []any, conv func(any) (string, error)) ([]string, error) {
	var parts []string
	for _, e := range elem {
		if v := reflect.ValueOf(e); isList(v) {
			for i := range v.Len() {
				parts = append(parts, cast.ToString(v.Index(i).Interface()))
			}
			continue
		}
		s, err := conv(e)
		if err != nil {
			return nil, err
		}
		parts = append(parts, s)
	}
	return parts, nil
}

// DirFile is a path split into its folder and its file.
type DirFile struct{ Dir, File string }

func (df DirFile) String() string { return df.Dir + "|" + df.File }

// Split splits p after its last slash.
func (*Path) Split(p any) (DirFile, error) {
	s, err := slashed(p)
	d, f := path.Split(s)
	return DirFile{d, f}, err
}

// Transform is Hugo's transform namespace (markdownify and highlight are
// added by the renderer, which owns the Markdown converter).
type Transform struct{}

// HTMLEscape escapes <, >, &, ' and ".
func (*Transform) HTMLEscape(s any) (string, error) {
	str, err := toStringE(s)
	return html.EscapeString(str), err
}

// HTMLUnescape turns entities back into characters.
func (*Transform) HTMLUnescape(s any) (string, error) {
	str, err := toStringE(s)
	return html.UnescapeString(str), err
}

// Plainify strips HTML tags, keeping paragraph and line breaks as newlines
// and folding runs of white space.
func (*Transform) Plainify(s any) (template.HTML, error) {
	str, err := toStringE(s)
	if err != nil {
		return "", err
	}
	if !strings.ContainsAny(str, "<>") {
		return template.HTML(str), nil
	}
	str = strings.ReplaceAll(str, "\n", " ")
	var b strings.Builder
	z := nethtml.NewTokenizer(strings.NewReader(str))
	for {
		switch z.Next() {
		case nethtml.ErrorToken:
			return template.HTML(foldSpace(b.String())), nil
		case nethtml.TextToken:
			b.Write(z.Raw())
		case nethtml.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.P {
				b.WriteByte('\n')
			}
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Br {
				b.WriteByte('\n')
			}
		}
	}
}

func foldSpace(s string) string {
	var b strings.Builder
	was := false
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if !(sp && was) {
			b.WriteRune(r)
		}
		was = sp
	}
	return b.String()
}

// Jsonify encodes v as JSON; an options map first may set prefix, indent
// and noHTMLEscape.
func (*Transform) Jsonify(args ...any) (template.HTML, error) {
	var v any
	var opts map[string]any
	switch len(args) {
	case 1:
		v = args[0]
	case 2:
		m, err := toStringMap(args[0])
		if err != nil {
			return "", errors.New("jsonify: the options must be a map")
		}
		opts, v = m, args[1]
	default:
		return "", errors.New("jsonify: want 1 or 2 arguments")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(!cast.ToBool(opts["noHTMLEscape"]))
	prefix, indent := cast.ToString(opts["prefix"]), cast.ToString(opts["indent"])
	if prefix != "" || indent != "" {
		enc.SetIndent(prefix, indent)
	}
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return template.HTML(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// StringKeys turns YAML's map[any]any, at any depth, into map[string]any,
// as templates read maps.
func StringKeys(v any) any {
	switch x := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[cast.ToString(k)] = StringKeys(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = StringKeys(e)
		}
	}
	return v
}

// Safe is Hugo's safe namespace: marks a string as trusted for a context.
type Safe struct{}

// HTML marks s as safe HTML.
func (*Safe) HTML(s any) (template.HTML, error) { return safe[template.HTML](s) }

// JS marks s as a safe JavaScript expression.
func (*Safe) JS(s any) (template.JS, error) { return safe[template.JS](s) }

// JSStr marks s as a safe JavaScript string's content.
func (*Safe) JSStr(s any) (template.JSStr, error) { return safe[template.JSStr](s) }

// CSS marks s as safe CSS.
func (*Safe) CSS(s any) (template.CSS, error) { return safe[template.CSS](s) }

// URL marks s as a safe URL.
func (*Safe) URL(s any) (template.URL, error) { return safe[template.URL](s) }

// HTMLAttr marks s as a safe attribute (name="value").
func (*Safe) HTMLAttr(s any) (template.HTMLAttr, error) { return safe[template.HTMLAttr](s) }

// safe converts s to one of html/template's trusted string types.
func safe[T ~string](s any) (T, error) {
	str, err := toStringE(s)
	return T(str), err
}

// Time is Hugo's time namespace.
type Time struct{ now func() time.Time }

// Now returns the current time.
func (t *Time) Now() time.Time { return t.now() }

// AsTime converts a date string or a time to a time.
func (*Time) AsTime(v any, loc ...any) (time.Time, error) {
	if s, ok := stringOf(v); ok {
		v = s
	}
	return cast.ToTimeE(v)
}

// Format formats a time, or a date string, with a Go layout.
func (t *Time) Format(layout string, v any) (string, error) {
	if strings.HasPrefix(layout, ":") {
		return "", fmt.Errorf("time layout %q: helpgen supports Go layouts such as \"2006-01-02\", not the localized :date_ forms", layout)
	}
	tm, err := t.AsTime(v)
	if err != nil {
		return "", err
	}
	return tm.Format(layout), nil
}

// Duration returns number of the given unit as a duration.
func (*Time) Duration(unit, number any) (time.Duration, error) {
	u, err := cast.ToStringE(unit)
	if err != nil {
		return 0, err
	}
	units := map[string]time.Duration{
		"nanosecond": time.Nanosecond, "ns": time.Nanosecond, "microsecond": time.Microsecond, "us": time.Microsecond,
		"µs": time.Microsecond, "millisecond": time.Millisecond, "ms": time.Millisecond, "second": time.Second,
		"s": time.Second, "minute": time.Minute, "m": time.Minute, "hour": time.Hour, "h": time.Hour,
	}
	d, ok := units[u]
	if !ok {
		return 0, fmt.Errorf("%q is not a valid duration unit", u)
	}
	n, err := cast.ToInt64E(number)
	if err != nil {
		return 0, err
	}
	return time.Duration(n) * d, nil
}

// ParseDuration parses a duration such as "1h12m10s".
func (*Time) ParseDuration(s any) (time.Duration, error) {
	str, err := toStringE(s)
	if err != nil {
		return 0, err
	}
	return time.ParseDuration(str)
}
