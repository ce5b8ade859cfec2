package render

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // image sizes of .Width and .Height
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/helpgen/helpgen/internal/tplfunc"
)

// Hugo's resources.Get on the site's files: a file of assets/ (or of the
// theme's assets/), as help themes read their CSV menus and JSON data. A
// missing file is nil, as in Hugo, so {{ with resources.Get $p }} skips it.
// .RelPermalink, .Permalink and .Publish publish the file: the build writes
// it at the same path in every region, as it does static/ files.

// AssetsDir is the site folder resources.Get reads.
const AssetsDir = "assets"

// assets holds the files read by resources.Get and those published.
type assets struct {
	site  fs.FS
	theme string
	mu    sync.Mutex
	files map[string]*asset // by name, /css/a.css; nil for a missing file
	pub   map[string]*asset
}

type asset struct {
	name string
	data []byte
}

// get reads the asset named p, nil when neither the site nor its theme has
// it.
func (a *assets) get(p string) (*asset, error) {
	name := path.Clean("/" + p)
	a.mu.Lock()
	f, ok := a.files[name]
	a.mu.Unlock()
	if ok {
		return f, nil
	}
	dirs := []string{AssetsDir}
	if a.theme != "" {
		dirs = append(dirs, path.Join(ThemesDir, a.theme, AssetsDir))
	}
	for _, dir := range dirs {
		if a.site == nil || name == "/" {
			break
		}
		data, err := fs.ReadFile(a.site, dir+name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("resources.Get %q: %w", p, err)
		}
		f = &asset{name: name, data: data}
		break
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.files == nil {
		a.files = map[string]*asset{}
	}
	a.files[name] = f
	return f, nil
}

func (a *assets) publish(f *asset) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.pub == nil {
		a.pub = map[string]*asset{}
	}
	a.pub[f.name] = f
}

// Asset is a file a template published (with .RelPermalink, .Permalink or
// .Publish): Path is where it goes in each region's output, without a
// leading slash.
type Asset struct {
	Path string
	Data []byte
}

// Published lists the assets templates have published so far, by path.
func (t *Templates) Published() []Asset {
	t.assets.mu.Lock()
	defer t.assets.mu.Unlock()
	out := make([]Asset, 0, len(t.assets.pub))
	for _, name := range slices.Sorted(maps.Keys(t.assets.pub)) {
		out = append(out, Asset{Path: strings.TrimPrefix(name, "/"), Data: t.assets.pub[name].data})
	}
	return out
}

// IsPublished reports whether a template published the asset at URL path
// p (/css/a.css).
func (t *Templates) IsPublished(p string) bool {
	t.assets.mu.Lock()
	defer t.assets.mu.Unlock()
	return t.assets.pub[path.Clean("/"+p)] != nil
}

// Resources is Hugo's resources namespace.
type Resources struct{ st *execState }

// Get returns the asset at p (under assets/) as a *Resource, or nil.
func (r Resources) Get(p any) (any, error) {
	s, err := (&tplfunc.Cast{}).ToString(p)
	if err != nil {
		return nil, fmt.Errorf("resources.Get: the path must be text, not %T", p)
	}
	f, err := r.st.set.t.assets.get(s)
	if err != nil || f == nil {
		return nil, err
	}
	return &Resource{f: f, baseURL: r.st.baseURL, a: &r.st.set.t.assets}, nil
}

// Resource is Hugo's global resource: a file of assets/.
type Resource struct {
	f       *asset
	a       *assets
	baseURL string
}

// Content is the file's text.
func (r *Resource) Content() (any, error) { return string(r.f.data), nil }

// Name and Title are the path under assets/, with a leading slash.
func (r *Resource) Name() string { return r.f.name }

// Title is Name, as for Hugo's global resources.
func (r *Resource) Title() string { return r.f.name }

// Key identifies the resource (Hugo's cache key).
func (r *Resource) Key() string { return r.f.name }

// Params are none, as for Hugo's global resources.
func (r *Resource) Params() map[string]any { return map[string]any{} }

// RelPermalink publishes the file and returns its URL path under the
// region's baseURL.
func (r *Resource) RelPermalink() (string, error) {
	r.a.publish(r.f)
	return tplfunc.RelURL(r.baseURL, r.f.name[1:])
}

// Permalink publishes the file and returns its absolute URL.
func (r *Resource) Permalink() (string, error) {
	r.a.publish(r.f)
	return tplfunc.AbsURL(r.baseURL, r.f.name[1:])
}

// Publish publishes the file.
func (r *Resource) Publish() string {
	r.a.publish(r.f)
	return ""
}

// MediaType is the file's media type, from its suffix.
func (r *Resource) MediaType() MediaType { return mediaTypeOf(r.f.name) }

// ResourceType is the media type's main type (image, text…).
func (r *Resource) ResourceType() string { return r.MediaType().MainType }

// Width is an image's width in pixels (PNG, JPEG, GIF).
func (r *Resource) Width() (int, error) {
	c, err := r.imageConfig()
	return c.Width, err
}

// Height is an image's height in pixels (PNG, JPEG, GIF).
func (r *Resource) Height() (int, error) {
	c, err := r.imageConfig()
	return c.Height, err
}

func (r *Resource) imageConfig() (image.Config, error) {
	c, _, err := image.DecodeConfig(bytes.NewReader(r.f.data))
	if err != nil {
		return c, fmt.Errorf("%s: not an image helpgen can measure (PNG, JPEG, GIF): %w", r.f.name, err)
	}
	return c, nil
}

// MediaType is Hugo's media.Type.
type MediaType struct {
	Type, MainType, SubType string
	Suffixes                []string
}

// String is the type, as Hugo prints it.
func (m MediaType) String() string { return m.Type }

// FirstSuffix is the first of the type's suffixes.
func (m MediaType) FirstSuffix() struct{ Suffix string } {
	if len(m.Suffixes) == 0 {
		return struct{ Suffix string }{}
	}
	return struct{ Suffix string }{m.Suffixes[0]}
}

// mediaTypes are Hugo's default media types for the files help themes
// keep in assets/, with their suffixes.
var mediaTypes = []MediaType{
	{Type: "text/css", Suffixes: []string{"css"}},
	{Type: "text/csv", Suffixes: []string{"csv"}},
	{Type: "text/html", Suffixes: []string{"html", "htm"}},
	{Type: "text/javascript", Suffixes: []string{"js", "jsm", "mjs"}},
	{Type: "text/markdown", Suffixes: []string{"md", "mdown", "markdown"}},
	{Type: "text/plain", Suffixes: []string{"txt"}},
	{Type: "application/json", Suffixes: []string{"json"}},
	{Type: "application/toml", Suffixes: []string{"toml"}},
	{Type: "application/yaml", Suffixes: []string{"yaml", "yml"}},
	{Type: "application/xml", Suffixes: []string{"xml"}},
	{Type: "application/pdf", Suffixes: []string{"pdf"}},
	{Type: "image/png", Suffixes: []string{"png"}},
	{Type: "image/jpeg", Suffixes: []string{"jpg", "jpeg", "jpe", "jif", "jfif"}},
	{Type: "image/gif", Suffixes: []string{"gif"}},
	{Type: "image/svg+xml", Suffixes: []string{"svg"}},
	{Type: "image/webp", Suffixes: []string{"webp"}},
	{Type: "font/woff2", Suffixes: []string{"woff2"}},
	{Type: "font/woff", Suffixes: []string{"woff"}},
}

func mediaTypeOf(name string) MediaType {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	for _, m := range mediaTypes {
		if slices.Contains(m.Suffixes, ext) {
			m.MainType, m.SubType, _ = strings.Cut(m.Type, "/")
			return m
		}
	}
	return MediaType{Type: "application/octet-stream", MainType: "application", SubType: "octet-stream"}
}
