package build

import (
	"encoding/json"
	"errors"
	"io/fs"
	"path"
	"strings"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v2"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/sitefs"
	"github.com/helpgen/helpgen/internal/tplfunc"
)

// DataDir holds the site's data files, which templates read as .Site.Data
// (Hugo's data folder): data/links/footer.toml is .Site.Data.links.footer.
const DataDir = sitefs.DataDir

// loadData reads every JSON, TOML and YAML file under data/ into one tree
// of maps, a folder or file name a key.
func loadData(fsys fs.FS) (map[string]any, diag.List) {
	root := map[string]any{}
	var errs diag.List
	_ = fs.WalkDir(fsys, DataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, diag.FileError(p, err))
			}
			return nil
		}
		ext := path.Ext(p)
		if d.IsDir() || (ext != ".json" && ext != ".toml" && ext != ".yaml" && ext != ".yml") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, diag.FileError(p, err))
			return nil
		}
		v, err := decodeData(data, ext)
		if err != nil {
			errs = append(errs, &diag.Error{File: p, Msg: err.Error(), Hint: "fix the file's syntax"})
			return nil
		}
		m := root
		keys := strings.Split(strings.TrimSuffix(strings.TrimPrefix(p, DataDir+"/"), ext), "/")
		for _, k := range keys[:len(keys)-1] {
			sub, ok := m[k].(map[string]any)
			if !ok {
				sub = map[string]any{}
				m[k] = sub
			}
			m = sub
		}
		m[keys[len(keys)-1]] = v
		return nil
	})
	return root, errs
}

func decodeData(data []byte, ext string) (any, error) {
	switch ext {
	case ".json":
		var v any
		err := json.Unmarshal(data, &v)
		return v, err
	case ".toml":
		v := map[string]any{}
		_, err := toml.Decode(string(data), &v)
		return v, err
	}
	var v any
	err := yaml.Unmarshal(data, &v)
	return tplfunc.StringKeys(v), err
}
