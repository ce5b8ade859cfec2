package tplrun

import (
	"bytes"
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
)

// html/template makes a template safe by appending escaper functions to
// every action's pipeline ({{ .URL }} in href becomes {{ .URL |
// _html_template_urlfilter | _html_template_urlnormalizer |
// _html_template_attrescaper }}). The functions below do what those
// escapers do, byte for byte, for the contexts helpgen's layouts write in;
// a tree that uses any other escaper is not compiled. escape_test.go and
// FuzzEscapers check them against html/template.

// escaper is one of html/template's escaping functions.
type escaper uint8

const (
	escHTML      escaper = iota // text: _html_template_htmlescaper
	escAttr                     // quoted attribute value: _html_template_attrescaper
	escRCDATA                   // <title>, <textarea>: _html_template_rcdataescaper
	escURLFilter                // the start of a URL attribute: _html_template_urlfilter
	escURLNorm                  // a URL attribute: _html_template_urlnormalizer
	escURL                      // a query or fragment: _html_template_urlescaper
)

// escapers are the names html/template gives the escapers helpgen knows.
var escapers = map[string]escaper{
	"_html_template_htmlescaper":   escHTML,
	"_html_template_attrescaper":   escAttr,
	"_html_template_rcdataescaper": escRCDATA,
	"_html_template_urlfilter":     escURLFilter,
	"_html_template_urlnormalizer": escURLNorm,
	"_html_template_urlescaper":    escURL,
}

// kind is what html/template knows a value to be: plain text, or one of
// its typed strings that some escapers pass through.
type kind uint8

const (
	plain kind = iota
	isHTML
	isURL
)

var (
	htmlType = reflect.TypeFor[template.HTML]()
	urlType  = reflect.TypeFor[template.URL]()
)

// typedStrings are html/template's typed strings but HTML and URL, which
// the escapers here treat as plain text, as html/template does.
var typedStrings = map[reflect.Type]bool{
	reflect.TypeFor[template.CSS]():      true,
	reflect.TypeFor[template.HTMLAttr](): true,
	reflect.TypeFor[template.JS]():       true,
	reflect.TypeFor[template.JSStr]():    true,
	reflect.TypeFor[template.Srcset]():   true,
}

// stringify is the text html/template's escapers see for v, and what it
// is. ok is false for a value html/template could read and this package
// cannot (one reached through an unexported field).
func stringify(v reflect.Value) (s string, k kind, ok bool) {
	if v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	if !v.IsValid() {
		// A missing value, or nil: html/template writes nothing.
		return "", plain, true
	}
	if s, k, ok := asString(v); ok {
		return s, k, true
	}
	// Numbers and booleans of Go's own types without fmt (a type of a
	// package may have a String method).
	switch t := v.Type(); {
	case t.PkgPath() != "":
	case v.Kind() >= reflect.Int && v.Kind() <= reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), plain, true
	case v.Kind() >= reflect.Uint && v.Kind() <= reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10), plain, true
	case v.Kind() == reflect.Bool:
		return strconv.FormatBool(v.Bool()), plain, true
	}
	if !v.CanInterface() {
		return "", plain, false
	}
	s, k = printed(v.Interface())
	return s, k, true
}

// printed is what html/template's escapers see for any value: behind its
// pointers, a string or typed string as it is; else the value printed by
// fmt, followed through pointers to a Stringer or error, or to the end.
func printed(a any) (string, kind) {
	if s, k, ok := asString(reflect.ValueOf(followPointers(a, false))); ok {
		return s, k
	}
	return fmt.Sprint(followPointers(a, true)), plain
}

// asString is v's text and kind if v is a string or one of html/template's
// typed strings.
func asString(v reflect.Value) (string, kind, bool) {
	if !v.IsValid() {
		return "", plain, false
	}
	switch t := v.Type(); {
	case t == stringType || typedStrings[t]:
		return v.String(), plain, true
	case t == htmlType:
		return v.String(), isHTML, true
	case t == urlType:
		return v.String(), isURL, true
	}
	return "", plain, false
}

var (
	stringerType = reflect.TypeFor[fmt.Stringer]()
	errType      = reflect.TypeFor[error]()
)

// followPointers is what a's pointers lead to, or the nil one that ends
// them; with toPrinter, it stops at a Stringer or an error.
func followPointers(a any, toPrinter bool) any {
	v := reflect.ValueOf(a)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		if toPrinter && (v.Type().Implements(stringerType) || v.Type().Implements(errType)) {
			break
		}
		v = v.Elem()
	}
	return v.Interface()
}

var stringType = reflect.TypeFor[string]()

// escape applies one escaper to s, which is of kind k, appending the
// result to w. ok is false where this package does not follow
// html/template (HTML in an attribute value, which it strips of tags).
func (e escaper) escape(w *bytes.Buffer, s string, k kind) (ok bool) {
	switch e {
	case escHTML:
		if k == isHTML {
			w.WriteString(s)
			return true
		}
		replaceHTML(w, s, true)
	case escAttr:
		if k == isHTML {
			return false
		}
		replaceHTML(w, s, true)
	case escRCDATA:
		replaceHTML(w, s, k != isHTML)
	case escURLFilter:
		if k != isURL && !safeURL(s) {
			s = "#ZgotmplZ"
		}
		w.WriteString(s)
	case escURLNorm:
		percentEncode(w, s, true)
	case escURL:
		percentEncode(w, s, k == isURL)
	}
	return true
}

// replaceHTML writes s with the characters html/template replaces in
// text and quoted attribute values replaced; an ampersand only when amp
// (an HTML value in RCDATA keeps its entities). html/template looks at
// runes, but every rune it replaces is a single byte, and the others it
// writes unchanged.
func replaceHTML(w *bytes.Buffer, s string, amp bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			if amp {
				r = "&amp;"
			}
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		}
		if r != "" {
			w.WriteString(s[last:i])
			w.WriteString(r)
			last = i + 1
		}
	}
	w.WriteString(s[last:])
}

// safeURL reports whether html/template lets s start a URL: no scheme, or
// http, https or mailto.
func safeURL(s string) bool {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") {
		return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
	}
	return true
}

const hexDigits = "0123456789abcdef"

// percentEncode writes s with every byte a URL may not hold as it is
// percent-encoded, as html/template does. norm (a whole URL, or a value
// known to be one) keeps the reserved characters and escapes that are
// already there; otherwise (a part of a URL) they are encoded too.
func percentEncode(w *bytes.Buffer, s string, norm bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		if keepInURL(s, i, norm) {
			continue
		}
		c := s[i]
		w.WriteString(s[last:i])
		w.WriteByte('%')
		w.WriteByte(hexDigits[c>>4])
		w.WriteByte(hexDigits[c&15])
		last = i + 1
	}
	w.WriteString(s[last:])
}

// keepInURL reports whether percentEncode keeps byte i of s as it is.
func keepInURL(s string, i int, norm bool) bool {
	switch c := s[i]; c {
	case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
		return norm
	case '-', '.', '_', '~':
		return true
	case '%':
		return norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
	default:
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
