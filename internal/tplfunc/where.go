package tplfunc

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cast"
)

// Where returns the elements of c whose value at key compares to match with
// the operator (= by default): `where .Pages "Section" "blog"`,
// `where $list ".Params.weight" ">" 3`. A map c gives a map of its entries.
func (*Collections) Where(c, key any, args ...any) (any, error) {
	op, match, err := whereArgs(args)
	if err != nil {
		return nil, err
	}
	k, err := cast.ToStringE(key)
	if err != nil {
		return nil, fmt.Errorf("where: key must be a string, got %s", typeName(key))
	}
	path := strings.Split(strings.Trim(k, "."), ".")
	cv, isNil := indirect(reflect.ValueOf(c))
	if isNil {
		return nil, errors.New("can't iterate over a nil value of type")
	}
	mv := reflect.ValueOf(match)
	keep := func(elem reflect.Value) (bool, error) {
		v := elem
		if k != "" {
			var err error
			if v, err = subElem(elem, path); err != nil {
				return false, err
			}
		}
		return checkCondition(v, mv, op)
	}
	switch cv.Kind() {
	case reflect.Array, reflect.Slice:
		out := reflect.MakeSlice(reflect.SliceOf(cv.Type().Elem()), 0, cv.Len())
		for i := range cv.Len() {
			ok, err := keep(cv.Index(i))
			if err != nil {
				return nil, err
			}
			if ok {
				out = reflect.Append(out, cv.Index(i))
			}
		}
		return out.Interface(), nil
	case reflect.Map:
		out := reflect.MakeMap(cv.Type())
		for _, mk := range cv.MapKeys() {
			ok, err := keep(cv.MapIndex(mk))
			if err != nil {
				return nil, err
			}
			if ok {
				out.SetMapIndex(mk, cv.MapIndex(mk))
			}
		}
		return out.Interface(), nil
	}
	return nil, fmt.Errorf("can't iterate over %s", typeName(c))
}

func whereArgs(args []any) (string, any, error) {
	switch len(args) {
	case 1:
		return "", args[0], nil
	case 2:
		op, ok := args[0].(string)
		if !ok {
			return "", nil, fmt.Errorf("operator argument must be a string, got %s", typeName(args[0]))
		}
		return strings.ToLower(op), args[1], nil
	}
	return "", nil, errors.New("can't evaluate the array by no match argument or more than or equal to two arguments")
}

// subElem follows path from v: struct fields, methods without arguments and
// map keys (those case-insensitively, as Hugo reads params).
func subElem(v reflect.Value, path []string) (reflect.Value, error) {
	for _, name := range path {
		v, _ = indirectInterface(v)
		if !v.IsValid() {
			return v, nil
		}
		if m := v.MethodByName(name); m.IsValid() {
			if m.Type().NumIn() != 0 || m.Type().NumOut() == 0 || m.Type().NumOut() > 2 {
				return reflect.Value{}, fmt.Errorf("%s is a method of type %s that needs arguments", name, v.Type())
			}
			out := m.Call(nil)
			if len(out) == 2 && !out[1].IsNil() {
				return reflect.Value{}, out[1].Interface().(error)
			}
			v = out[0]
			continue
		}
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		switch v.Kind() {
		case reflect.Struct:
			f, ok := v.Type().FieldByName(name)
			if !ok || !f.IsExported() {
				return reflect.Value{}, fmt.Errorf("%s isn't a field of struct type %s", name, v.Type())
			}
			v = v.FieldByIndex(f.Index)
		case reflect.Map:
			if v.Type().Key().Kind() != reflect.String {
				return reflect.Value{}, fmt.Errorf("%s: map key type %s is not a string", name, v.Type().Key())
			}
			found := v.MapIndex(reflect.ValueOf(name).Convert(v.Type().Key()))
			if !found.IsValid() {
				for _, mk := range v.MapKeys() {
					if strings.EqualFold(mk.String(), name) {
						found = v.MapIndex(mk)
						break
					}
				}
			}
			v = found
		default:
			return reflect.Value{}, fmt.Errorf("%s is neither a struct field, a method nor a map element of type %s", name, v.Type())
		}
	}
	return v, nil
}

// checkCondition compares v to the match mv with op.
func checkCondition(v, mv reflect.Value, op string) (bool, error) {
	v, vNil := indirectInterface(v)
	if !v.IsValid() {
		vNil = true
	}
	mv, mNil := indirectInterface(mv)
	if !mv.IsValid() {
		mNil = true
	}
	if vNil || mNil {
		switch op {
		case "", "=", "==", "eq":
			return vNil == mNil, nil
		case "!=", "<>", "ne":
			return vNil != mNil, nil
		}
		return false, nil
	}
	switch op {
	case "", "=", "==", "eq":
		return equalValues(v, mv), nil
	case "!=", "<>", "ne":
		return !equalValues(v, mv), nil
	case ">=", "ge", ">", "gt", "<", "lt", "<=", "le":
		c, ok := compareValues(v, mv)
		if !ok {
			return false, nil
		}
		switch op {
		case ">=", "ge":
			return c >= 0, nil
		case ">", "gt":
			return c > 0, nil
		case "<", "lt":
			return c < 0, nil
		}
		return c <= 0, nil
	case "in", "not in":
		in := false
		if isList(mv) {
			for i := range mv.Len() {
				x, _ := indirectInterface(mv.Index(i))
				if x.IsValid() && equalValues(v, x) {
					in = true
					break
				}
			}
		} else if s, ok := stringOf(mv.Interface()); ok {
			sub, _ := stringOf(v.Interface())
			in = strings.Contains(s, sub)
		}
		return in == (op == "in"), nil
	case "intersect":
		if !isList(v) || !isList(mv) {
			return false, errors.New("intersect needs two lists")
		}
		for i := range v.Len() {
			x, _ := indirectInterface(v.Index(i))
			for j := range mv.Len() {
				y, _ := indirectInterface(mv.Index(j))
				if x.IsValid() && y.IsValid() && equalValues(x, y) {
					return true, nil
				}
			}
		}
		return false, nil
	case "like":
		s, ok := stringOf(v.Interface())
		pat, pok := stringOf(mv.Interface())
		if !ok || !pok {
			return false, nil
		}
		re, err := compileRE(pat)
		if err != nil {
			return false, err
		}
		return re.MatchString(s), nil
	}
	return false, fmt.Errorf("where: unknown operator %q", op)
}

// Sort returns the list or map l sorted by its values or by the value at key,
// ascending or, with "desc", descending.
func (*Collections) Sort(l any, args ...any) (any, error) {
	if l == nil {
		return nil, errors.New("sequence must be provided")
	}
	seq, isNil := indirect(reflect.ValueOf(l))
	if isNil {
		return nil, errors.New("can't iterate over a nil value")
	}
	key, asc := "", true
	if len(args) > 0 {
		key, _ = cast.ToStringE(args[0])
	}
	if len(args) > 1 {
		if o, _ := cast.ToStringE(args[1]); o == "desc" {
			asc = false
		}
	}
	path := strings.Split(strings.Trim(key, "."), ".")
	type pair struct{ key, value reflect.Value }
	var pairs []pair
	keyOf := func(v reflect.Value, fallback reflect.Value) (reflect.Value, error) {
		switch key {
		case "":
			return fallback, nil
		case "value":
			return v, nil
		}
		return subElem(v, path)
	}
	var elemType reflect.Type
	switch seq.Kind() {
	case reflect.Array, reflect.Slice:
		elemType = seq.Type().Elem()
		for i := range seq.Len() {
			k, err := keyOf(seq.Index(i), seq.Index(i))
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, pair{k, seq.Index(i)})
		}
	case reflect.Map:
		elemType = seq.Type().Elem()
		for _, mk := range seq.MapKeys() {
			k, err := keyOf(seq.MapIndex(mk), mk)
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, pair{k, seq.MapIndex(mk)})
		}
	default:
		return nil, fmt.Errorf("can't sort %s", typeName(l))
	}
	slices.SortStableFunc(pairs, func(a, b pair) int {
		c := sortCompare(a.key, b.key)
		if !asc {
			c = -c
		}
		return c
	})
	out := reflect.MakeSlice(reflect.SliceOf(elemType), len(pairs), len(pairs))
	for i, p := range pairs {
		out.Index(i).Set(p.value)
	}
	return out.Interface(), nil
}

// sortCompare orders numbers by value, times by time, and everything else as strings.
func sortCompare(a, b reflect.Value) int {
	a, _ = indirectInterface(a)
	b, _ = indirectInterface(b)
	switch {
	case !a.IsValid() && !b.IsValid():
		return 0
	case !a.IsValid():
		return -1
	case !b.IsValid():
		return 1
	}
	if c, ok := compareValues(a, b); ok {
		return c
	}
	return strings.Compare(cast.ToString(a.Interface()), cast.ToString(b.Interface()))
}

// compareValues compares two numbers, two strings, two booleans or two times.
func compareValues(a, b reflect.Value) (int, bool) {
	if x, ok := toFloat(a); ok {
		if y, ok := toFloat(b); ok {
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
	}
	if x, ok := stringOf(a.Interface()); ok {
		if y, ok := stringOf(b.Interface()); ok {
			return strings.Compare(x, y), true
		}
	}
	if x, ok := a.Interface().(time.Time); ok {
		if y, ok := b.Interface().(time.Time); ok {
			return x.Compare(y), true
		}
	}
	if a.Kind() == reflect.Bool && b.Kind() == reflect.Bool {
		switch {
		case a.Bool() == b.Bool():
			return 0, true
		case !a.Bool():
			return -1, true
		}
		return 1, true
	}
	return 0, false
}

// equalValues is Hugo's equality: numbers by value whatever their type,
// strings and template.HTML alike.
func equalValues(a, b reflect.Value) bool {
	if c, ok := compareValues(a, b); ok {
		return c == 0
	}
	if a.Type().Comparable() && b.Type().Comparable() && a.Type() == b.Type() {
		return a.Interface() == b.Interface()
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}
