package render

import (
	"fmt"
	"strconv"
	"strings"
)

// partialCached is Hugo's {{ partialCached "name.html" context [variant…] }}:
// the partial runs once per region and list of variants in a build, and
// every later call with the same name and variants in that region yields
// the first call's result (its HTML, or the value it returns), whatever
// its context. It is how a layout renders what does not depend on the
// page (the header, the footer) once instead of on every page.
//
// The region is always part of the key, so one region's text never shows
// in another region's site; the cache is emptied by ResetCache, which a
// build calls before it renders and the preview before every rebuild, so
// an edited template, data file or page is never answered from a result
// made before the edit.
func (st *execState) partialCached(name string, data any, variants ...any) (any, error) {
	return st.set.t.cached(st.region, "partials/"+name, variants, func() (any, error) { return st.partial(name, data) })
}

// cached returns the result kept for layout name and variants in region,
// or makes it with run and keeps it.
func (t *Templates) cached(region, name string, variants []any, run func() (any, error)) (any, error) {
	key := cacheKey{region: region, name: name, variants: variantKey(variants)}
	if v, ok := t.cache.Load(key); ok {
		return v, nil
	}
	v, err := run()
	if err != nil {
		// A failed call is not kept: the page reports the error, and
		// the next page that asks runs the partial again.
		return nil, err
	}
	// Two pages may run the same partial at once; both results are the
	// same, and the first one stored is the one every later call gets.
	v, _ = t.cache.LoadOrStore(key, v)
	return v, nil
}

// ResetCache forgets every result partialCached kept. A build calls it
// before rendering, and the preview before each rebuild.
func (t *Templates) ResetCache() { t.cache.Clear() }

// cacheKey is one partialCached result: the region it was made in, the
// partial's name as called, and its variants.
type cacheKey struct {
	region, name, variants string
}

// variantKey writes the variants as one string in which different lists
// stay different: each value is its type, its length and its text, so the
// string "1" is not the number 1 and ("a", "b") is not one longer string.
func variantKey(variants []any) string {
	if len(variants) == 0 {
		return ""
	}
	var b strings.Builder
	for _, v := range variants {
		var text string
		switch v := v.(type) {
		case string:
			b.WriteByte('s')
			text = v
		case int:
			b.WriteByte('i')
			text = strconv.Itoa(v)
		case bool:
			b.WriteByte('b')
			text = strconv.FormatBool(v)
		default:
			text = fmt.Sprintf("%T:%v", v, v)
		}
		b.WriteString(strconv.Itoa(len(text)))
		b.WriteByte(':')
		b.WriteString(text)
	}
	return b.String()
}

// regionInfo is a layout's data that knows its page's region (a page's,
// a redirect's).
type regionInfo interface {
	TemplateRegion() string
}

// regionOf reads the region of a layout's, shortcode's or render hook's data.
func regionOf(data any) string {
	switch d := data.(type) {
	case regionInfo:
		return d.TemplateRegion()
	case *ShortcodeContext:
		return d.Region
	case *PageRef:
		if d != nil && d.Site != nil {
			return d.Site.Region
		}
	case map[string]any:
		r, _ := d["Region"].(string)
		return r
	}
	return ""
}
