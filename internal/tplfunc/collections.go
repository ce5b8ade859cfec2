package tplfunc

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/spf13/cast"
)

// Collections is Hugo's collections namespace.
type Collections struct{}

// maxSeq bounds seq, as Hugo does, so a template cannot allocate without end.
const maxSeq = 1000000

// seqValue returns the list or string l, refusing nil and other kinds.
func seqValue(l any, what string) (reflect.Value, error) {
	v, isNil := indirect(reflect.ValueOf(l))
	if isNil {
		return v, errors.New("can't iterate over a nil value")
	}
	switch v.Kind() {
	case reflect.Array, reflect.Slice, reflect.String:
		return v, nil
	}
	return v, fmt.Errorf("can't iterate over %s", typeName(l))
}

func limitArgs(n, l any, what string) (int, reflect.Value, error) {
	if n == nil || l == nil {
		return 0, reflect.Value{}, errors.New("both limit and seq must be provided")
	}
	k, err := cast.ToIntE(n)
	if err != nil {
		return 0, reflect.Value{}, err
	}
	v, err := seqValue(l, what)
	return k, v, err
}

// First returns the first limit elements of l.
func (*Collections) First(limit, l any) (any, error) {
	k, v, err := limitArgs(limit, l, "first")
	if err != nil {
		return nil, err
	}
	if k < 0 {
		return nil, errors.New("sequence length must be non-negative")
	}
	return v.Slice(0, min(k, v.Len())).Interface(), nil
}

// Last returns the last limit elements of l.
func (*Collections) Last(limit, l any) (any, error) {
	k, v, err := limitArgs(limit, l, "last")
	if err != nil {
		return nil, err
	}
	if k < 0 {
		return nil, errors.New("sequence length must be non-negative")
	}
	return v.Slice(max(v.Len()-k, 0), v.Len()).Interface(), nil
}

// After returns the elements of l after the first n.
func (*Collections) After(n, l any) (any, error) {
	k, v, err := limitArgs(n, l, "after")
	if err != nil {
		return nil, err
	}
	if k < 0 {
		return nil, fmt.Errorf("sequence bounds out of range [%d:]", k)
	}
	if k >= v.Len() {
		return v.Slice(0, 0).Interface(), nil
	}
	return v.Slice(k, v.Len()).Interface(), nil
}

// Union returns the elements of both lists, each once, in order.
func (*Collections) Union(l1, l2 any) (any, error) {
	switch {
	case l1 == nil && l2 == nil:
		return []any{}, nil
	case l1 == nil:
		return l2, nil
	case l2 == nil:
		return l1, nil
	}
	a, b := reflect.ValueOf(l1), reflect.ValueOf(l2)
	if !isList(a) {
		return nil, fmt.Errorf("can't iterate over %s", typeName(l1))
	}
	if !isList(b) {
		return nil, fmt.Errorf("can't iterate over %s", typeName(l2))
	}
	out := newCollector(a.Type())
	if a.Type() != b.Type() && a.Type().Elem().Kind() != reflect.Interface && b.Type().Elem().Kind() != reflect.Interface {
		return out.result(), nil
	}
	for i := range a.Len() {
		if err := out.add(a.Index(i)); err != nil {
			return []any{}, errors.New("union does not support slices or arrays of uncomparable types")
		}
	}
	for i := range b.Len() {
		if err := out.add(b.Index(i)); err != nil {
			return []any{}, errors.New("union does not support slices or arrays of uncomparable types")
		}
	}
	return out.result(), nil
}

// Intersect returns the elements of l1 that are also in l2, each once.
func (*Collections) Intersect(l1, l2 any) (any, error) {
	if l1 == nil || l2 == nil {
		return []any{}, nil
	}
	a, b := reflect.ValueOf(l1), reflect.ValueOf(l2)
	if !isList(a) {
		return nil, fmt.Errorf("can't iterate over %s", typeName(l1))
	}
	if !isList(b) {
		return nil, fmt.Errorf("can't iterate over %s", typeName(l2))
	}
	out := newCollector(a.Type())
	for i := range a.Len() {
		x, _ := indirectInterface(a.Index(i))
		for j := range b.Len() {
			y, _ := indirectInterface(b.Index(j))
			if !x.IsValid() || !y.IsValid() || !x.Type().Comparable() || !y.Type().Comparable() {
				continue
			}
			if equalValues(x, y) {
				_ = out.add(a.Index(i))
			}
		}
	}
	return out.result(), nil
}

// Complement returns the elements of the last list that are in none of the others.
func (c *Collections) Complement(ls ...any) (any, error) {
	if len(ls) < 2 {
		return nil, errors.New("complement needs at least two arguments")
	}
	src := reflect.ValueOf(ls[len(ls)-1])
	if !isList(src) {
		return nil, fmt.Errorf("can't iterate over %s", typeName(ls[len(ls)-1]))
	}
	out := reflect.MakeSlice(src.Type(), 0, src.Len())
	for i := range src.Len() {
		x := src.Index(i)
		found := false
		for _, other := range ls[:len(ls)-1] {
			if ok, _ := c.In(other, x.Interface()); ok {
				found = true
				break
			}
		}
		if !found {
			out = reflect.Append(out, x)
		}
	}
	return out.Interface(), nil
}

// SymDiff returns the elements in exactly one of the two lists.
func (c *Collections) SymDiff(s2, s1 any) (any, error) {
	a, b := reflect.ValueOf(s1), reflect.ValueOf(s2)
	if !isList(a) || !isList(b) {
		return nil, errors.New("symdiff needs two lists")
	}
	out := newCollector(a.Type())
	for _, pair := range [][2]reflect.Value{{a, b}, {b, a}} {
		for i := range pair[0].Len() {
			x := pair[0].Index(i)
			if in, _ := c.In(pair[1].Interface(), x.Interface()); !in {
				if err := out.add(x); err != nil {
					return nil, err
				}
			}
		}
	}
	return out.result(), nil
}

// Uniq returns l with each element once.
func (*Collections) Uniq(l any) (any, error) {
	if l == nil {
		return []any{}, nil
	}
	v := reflect.ValueOf(l)
	if !isList(v) {
		return nil, fmt.Errorf("type %s not supported", typeName(l))
	}
	out := newCollector(v.Type())
	for i := range v.Len() {
		if err := out.add(v.Index(i)); err != nil {
			return nil, err
		}
	}
	return out.result(), nil
}

// Reverse returns l in the opposite order.
func (*Collections) Reverse(l any) (any, error) {
	if l == nil {
		return nil, nil
	}
	v := reflect.ValueOf(l)
	if !isList(v) {
		return nil, errors.New("argument must be a slice or array")
	}
	out := reflect.MakeSlice(reflect.SliceOf(v.Type().Elem()), v.Len(), v.Len())
	for i := range v.Len() {
		out.Index(i).Set(v.Index(v.Len() - 1 - i))
	}
	return out.Interface(), nil
}

// Append adds the elements before the last argument to it, or joins two lists.
func (*Collections) Append(args ...any) (any, error) {
	if len(args) < 2 {
		return nil, errors.New("need at least 2 arguments to append")
	}
	to, from := args[len(args)-1], args[:len(args)-1]
	tv := reflect.ValueOf(to)
	if to == nil {
		tv = reflect.ValueOf([]any{})
	}
	if !isList(tv) {
		return nil, fmt.Errorf("expected a slice, got %s", typeName(to))
	}
	if len(from) == 1 {
		if fv := reflect.ValueOf(from[0]); isList(fv) {
			if fv.Type().Elem() == tv.Type().Elem() || tv.Type().Elem().Kind() == reflect.Interface {
				out := reflect.MakeSlice(reflect.SliceOf(tv.Type().Elem()), 0, tv.Len()+fv.Len())
				out = reflect.AppendSlice(out, tv.Slice(0, tv.Len()))
				for i := range fv.Len() {
					out = reflect.Append(out, fv.Index(i))
				}
				return out.Interface(), nil
			}
		}
	}
	elem := tv.Type().Elem()
	out := reflect.AppendSlice(reflect.MakeSlice(reflect.SliceOf(elem), 0, tv.Len()+len(from)), tv.Slice(0, tv.Len()))
	for _, f := range from {
		fv := reflect.ValueOf(f)
		if f == nil {
			fv = reflect.Zero(elem)
		}
		if !fv.Type().AssignableTo(elem) {
			// As Hugo does, a mixed list becomes a list of anything.
			return appendAny(tv, from), nil
		}
		out = reflect.Append(out, fv)
	}
	return out.Interface(), nil
}

func appendAny(to reflect.Value, from []any) []any {
	out := make([]any, 0, to.Len()+len(from))
	for i := range to.Len() {
		out = append(out, to.Index(i).Interface())
	}
	return append(out, from...)
}

// Slice returns its arguments as a list.
func (*Collections) Slice(args ...any) any {
	if len(args) == 0 {
		return []any{}
	}
	first := reflect.TypeOf(args[0])
	for _, a := range args[1:] {
		if reflect.TypeOf(a) != first {
			return args
		}
	}
	if first == nil {
		return args
	}
	out := reflect.MakeSlice(reflect.SliceOf(first), len(args), len(args))
	for i, a := range args {
		out.Index(i).Set(reflect.ValueOf(a))
	}
	return out.Interface()
}

// Dictionary builds a map from key and value pairs.
func (*Collections) Dictionary(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("invalid dictionary call")
	}
	root := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		m, key := root, ""
		switch k := kv[i].(type) {
		case string:
			key = k
		case []string:
			// A path of keys makes nested maps: dict (slice "a" "b") 1.
			if len(k) == 0 {
				return nil, errors.New("invalid dictionary key: an empty slice")
			}
			for _, step := range k[:len(k)-1] {
				next, ok := m[step].(map[string]any)
				if !ok {
					next = map[string]any{}
					m[step] = next
				}
				m = next
			}
			key = k[len(k)-1]
		default:
			return nil, fmt.Errorf("invalid dictionary key: keys must be strings or slices of strings, got %s", typeName(kv[i]))
		}
		m[key] = kv[i+1]
	}
	return root, nil
}

// Delimit joins the elements of l with sep, and the last two with last when given.
func (*Collections) Delimit(l, sep any, last ...any) (string, error) {
	d, err := cast.ToStringE(sep)
	if err != nil {
		return "", err
	}
	v, isNil := indirect(reflect.ValueOf(l))
	if isNil {
		return "", errors.New("can't iterate over a nil value")
	}
	var parts []string
	switch v.Kind() {
	case reflect.Array, reflect.Slice:
		for i := range v.Len() {
			parts = append(parts, cast.ToString(v.Index(i).Interface()))
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			parts = append(parts, cast.ToString(v.MapIndex(k).Interface()))
		}
	default:
		return "", fmt.Errorf("can't iterate over %s", typeName(l))
	}
	if len(last) > 0 && len(parts) > 1 {
		dl, err := cast.ToStringE(last[0])
		if err != nil {
			return "", err
		}
		return strings.Join(parts[:len(parts)-1], d) + dl + parts[len(parts)-1], nil
	}
	return strings.Join(parts, d), nil
}

// In reports whether l contains v, or, for strings, v is a substring of l.
func (*Collections) In(l, v any) (bool, error) {
	if l == nil || v == nil {
		return false, nil
	}
	lv := reflect.ValueOf(l)
	vv := reflect.ValueOf(v)
	if s, ok := stringOf(l); ok {
		sub, err := cast.ToStringE(v)
		return err == nil && strings.Contains(s, sub), nil
	}
	if !isList(lv) {
		return false, nil
	}
	for i := range lv.Len() {
		x, isNil := indirectInterface(lv.Index(i))
		if isNil {
			continue
		}
		if equalValues(x, vv) {
			return true, nil
		}
	}
	return false, nil
}

// Index returns item[k1][k2]…. As in Hugo, an index past the end of a list
// gives nil rather than an error, and a missing map key its zero value.
func (*Collections) Index(item any, keys ...any) (any, error) {
	v, err := index(item, keys)
	if err != nil {
		return nil, fmt.Errorf("index of type %T with args %v failed: %s", item, keys, err)
	}
	return v, nil
}

func index(item any, keys []any) (any, error) {
	v := reflect.ValueOf(item)
	if !v.IsValid() {
		return nil, nil
	}
	if len(keys) == 1 {
		if kv := reflect.ValueOf(keys[0]); kv.Kind() == reflect.Slice {
			keys = make([]any, kv.Len())
			for i := range keys {
				keys[i] = kv.Index(i).Interface()
			}
		}
	}
	for _, k := range keys {
		var isNil bool
		if v, isNil = indirect(v); isNil {
			return nil, nil
		}
		kv := reflect.ValueOf(k)
		switch v.Kind() {
		case reflect.Array, reflect.Slice, reflect.String:
			var x int64
			switch {
			case kv.CanInt():
				x = kv.Int()
			case kv.CanUint():
				x = int64(kv.Uint())
			case !kv.IsValid():
				return nil, errors.New("cannot index slice/array with nil")
			default:
				return nil, fmt.Errorf("cannot index slice/array with type %s", kv.Type())
			}
			if x < 0 || x >= int64(v.Len()) {
				return nil, nil
			}
			v = v.Index(int(x))
		case reflect.Map:
			mk, err := mapKey(v, k)
			if err != nil {
				return nil, err
			}
			if x := v.MapIndex(mk); x.IsValid() {
				v = x
			} else {
				v = reflect.Zero(v.Type().Elem())
			}
		default:
			return nil, fmt.Errorf("can't index item of type %s", v.Type())
		}
	}
	return v.Interface(), nil
}

// IsSet reports whether key is in the map c, or whether the list c has an
// element at index key.
func (*Collections) IsSet(c, key any) (bool, error) {
	av, _ := indirectInterface(reflect.ValueOf(c))
	switch av.Kind() {
	case reflect.Array, reflect.Slice:
		k, err := cast.ToIntE(key)
		if err != nil {
			return false, fmt.Errorf("isset unable to use key of type %T as index", key)
		}
		return av.Len() > k, nil
	case reflect.Map:
		kv, err := mapKey(av, key)
		if err != nil {
			return false, nil
		}
		if av.MapIndex(kv).IsValid() {
			return true, nil
		}
		// Site and page params are read case-insensitively, as in Hugo.
		if s, ok := key.(string); ok && av.Type().Key().Kind() == reflect.String {
			for _, mk := range av.MapKeys() {
				if strings.EqualFold(mk.String(), s) {
					return true, nil
				}
			}
		}
	}
	return false, nil
}

// Seq returns the integers from first (1 by default) to last by inc.
func (*Collections) Seq(args ...any) ([]int, error) {
	if len(args) < 1 || len(args) > 3 {
		return nil, errors.New("invalid number of arguments to Seq")
	}
	n := make([]int, len(args))
	for i, a := range args {
		x, err := cast.ToIntE(a)
		if err != nil {
			return nil, errors.New("invalid arguments to Seq")
		}
		n[i] = x
	}
	first, inc, last := n[0], 1, 0
	switch len(n) {
	case 1:
		last = first
		switch {
		case last == 0:
			return []int{}, nil
		case last > 0:
			first = 1
		default:
			first, inc = -1, -1
		}
	case 2:
		last = n[1]
		if last < first {
			inc = -1
		}
	case 3:
		inc, last = n[1], n[2]
		switch {
		case inc == 0:
			return nil, errors.New("'increment' must not be 0")
		case first < last && inc < 0:
			return nil, errors.New("'increment' must be > 0")
		case first > last && inc > 0:
			return nil, errors.New("'increment' must be < 0")
		}
	}
	size := (last-first)/inc + 1
	if last < -maxSeq || size <= 0 || size > maxSeq {
		return nil, errors.New("size of result exceeds limit")
	}
	out := make([]int, 0, size)
	for v := first; (inc > 0 && v <= last) || (inc < 0 && v >= last); v += inc {
		out = append(out, v)
	}
	return out, nil
}

// Merge merges maps from left to right: a key of a later map replaces the
// same key of an earlier one, and maps under the same key are merged.
func (*Collections) Merge(params ...any) (any, error) {
	if len(params) < 2 {
		return nil, errors.New("merge requires at least two parameters")
	}
	var out map[string]any
	for i := len(params) - 1; i >= 0; i-- {
		m, err := toStringMap(params[i])
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		if out == nil {
			out = cloneMap(m)
			continue
		}
		out = mergeInto(out, m)
	}
	return out, nil
}

// mergeInto adds to dst the keys of src it does not have, merging nested maps.
func mergeInto(dst, src map[string]any) map[string]any {
	for k, sv := range src {
		dk := findKey(dst, k)
		if dk == "" {
			dst[k] = sv
			continue
		}
		dm, dok := dst[dk].(map[string]any)
		sm, sok := sv.(map[string]any)
		if dok && sok {
			dst[dk] = mergeInto(cloneMap(dm), sm)
		}
	}
	return dst
}

func findKey(m map[string]any, k string) string {
	if _, ok := m[k]; ok {
		return k
	}
	for mk := range m {
		if strings.EqualFold(mk, k) {
			return mk
		}
	}
	return ""
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			v = cloneMap(sub)
		}
		out[k] = v
	}
	return out
}

func toStringMap(v any) (map[string]any, error) {
	switch m := v.(type) {
	case map[string]any:
		return m, nil
	case map[string]string:
		out := make(map[string]any, len(m))
		for k, x := range m {
			out[k] = x
		}
		return out, nil
	case *Scratch:
		return m.Values(), nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String {
		out := make(map[string]any, rv.Len())
		for _, k := range rv.MapKeys() {
			out[k.String()] = rv.MapIndex(k).Interface()
		}
		return out, nil
	}
	return nil, fmt.Errorf("expected a map, got %s", typeName(v))
}

// Querify returns a URL query string from key and value pairs or a map.
func (*Collections) Querify(params ...any) (string, error) {
	q := url.Values{}
	if len(params) == 1 {
		if l, ok := params[0].([]string); ok {
			params = make([]any, len(l))
			for i, v := range l {
				params[i] = v
			}
			return (&Collections{}).Querify(params...)
		}
		if l, ok := params[0].([]any); ok {
			return (&Collections{}).Querify(l...)
		}
		m, err := toStringMap(params[0])
		if err != nil {
			return "", errors.New("querify: expected a map or key and value pairs")
		}
		for k, v := range m {
			q.Add(k, cast.ToString(v))
		}
		return q.Encode(), nil
	}
	if len(params)%2 != 0 {
		return "", errors.New("querify: need an even number of arguments")
	}
	for i := 0; i < len(params); i += 2 {
		q.Add(cast.ToString(params[i]), cast.ToString(params[i+1]))
	}
	return q.Encode(), nil
}

// NewScratch returns a new Scratch.
func (*Collections) NewScratch() *Scratch { return NewScratch() }

// collector gathers distinct values into a slice of one type.
type collector struct {
	out  reflect.Value
	seen map[any]bool
}

func newCollector(t reflect.Type) *collector {
	return &collector{out: reflect.MakeSlice(reflect.SliceOf(t.Elem()), 0, 0), seen: map[any]bool{}}
}

func (c *collector) add(v reflect.Value) error {
	x, isNil := indirectInterface(v)
	if isNil {
		return nil
	}
	if !x.Type().Comparable() {
		return errors.New("uncomparable type")
	}
	key := normalizeKey(x)
	if c.seen[key] {
		return nil
	}
	c.seen[key] = true
	if !v.Type().AssignableTo(c.out.Type().Elem()) {
		if !x.Type().ConvertibleTo(c.out.Type().Elem()) {
			return nil
		}
		v = x.Convert(c.out.Type().Elem())
	}
	c.out = reflect.Append(c.out, v)
	return nil
}

func (c *collector) result() any { return c.out.Interface() }

func normalizeKey(v reflect.Value) any {
	if f, ok := toFloat(v); ok {
		return f
	}
	return v.Interface()
}

func isList(v reflect.Value) bool {
	return v.IsValid() && (v.Kind() == reflect.Slice || v.Kind() == reflect.Array)
}

func mapKey(m reflect.Value, k any) (reflect.Value, error) {
	kv := reflect.ValueOf(k)
	if !kv.IsValid() {
		return reflect.Zero(m.Type().Key()), nil
	}
	if kv.Type().AssignableTo(m.Type().Key()) {
		return kv, nil
	}
	if kv.Type().ConvertibleTo(m.Type().Key()) && kv.Kind() == m.Type().Key().Kind() {
		return kv.Convert(m.Type().Key()), nil
	}
	return reflect.Value{}, fmt.Errorf("value has type %s; should be %s", kv.Type(), m.Type().Key())
}
