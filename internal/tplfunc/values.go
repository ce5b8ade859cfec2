package tplfunc

import (
	"fmt"
	"html/template"
	"reflect"

	"github.com/spf13/cast"
)

// indirect follows pointers and interfaces, reporting a nil on the way.
func indirect(v reflect.Value) (reflect.Value, bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return v, true
		}
	}
	return v, !v.IsValid()
}

// indirectInterface follows interfaces only: methods on pointers stay reachable.
func indirectInterface(v reflect.Value) (reflect.Value, bool) {
	for v.IsValid() && v.Kind() == reflect.Interface {
		if v.IsNil() {
			return v, true
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return v, true
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Map || v.Kind() == reflect.Slice) && v.IsNil() {
		return v, true
	}
	return v, false
}

func typeName(v any) string {
	if v == nil {
		return "<nil>"
	}
	return reflect.TypeOf(v).String()
}

// toFloat reads any number as a float64.
func toFloat(v reflect.Value) (float64, bool) {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(v.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(v.Uint()), true
	case reflect.Float32, reflect.Float64:
		return v.Float(), true
	}
	return 0, false
}

// stringOf returns a string, or a string-like template type, as a string.
func stringOf(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, true
	case template.HTML:
		return string(s), true
	case template.HTMLAttr:
		return string(s), true
	case template.URL:
		return string(s), true
	case template.JS:
		return string(s), true
	case template.CSS:
		return string(s), true
	case []byte:
		return string(s), true
	}
	rv := reflect.ValueOf(v)
	if rv.IsValid() && rv.Kind() == reflect.String {
		return rv.String(), true
	}
	return "", false
}

// toStringE is Hugo's string conversion: strings of any template type,
// numbers, booleans and fmt.Stringers; nil is "".
func toStringE(v any) (string, error) {
	if s, ok := stringOf(v); ok {
		return s, nil
	}
	s, err := cast.ToStringE(v)
	if err != nil {
		return "", fmt.Errorf("unable to cast %#v of type %T to string", v, v)
	}
	return s, nil
}

// keepType returns s in the string type of like, so that safe HTML stays safe.
func keepType(like any, s string) any {
	switch like.(type) {
	case template.HTML:
		return template.HTML(s)
	}
	return s
}
