package build

import "testing"

// TestStaticSkipsOnlyEditorFiles copies hidden and backup-named files of
// static/ (a site's .well-known/, data.bak) but not an editor's swap, lock
// or backup files; serve copies the same set.
func TestStaticSkipsOnlyEditorFiles(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"content/_index.md":               "---\ntitle: Home\n---\n",
		"static/.well-known/security.txt": "Contact: x",
		"static/data.bak":                 "data",
		"static/.nojekyll":                "",
		"static/css/.site.css.swp":        "swap",
		"static/css/site.css~":            "backup",
		"static/css/#site.css#":           "autosave",
		"static/css/.#site.css":           "lock",
		"static/css/4913":                 "",
		"static/css/site.css":             "body{}",
	}))
	for _, rel := range []string{".well-known/security.txt", "data.bak", ".nojekyll", "css/site.css"} {
		get(t, out, "jp", rel)
	}
	for _, rel := range []string{"css/.site.css.swp", "css/site.css~", "css/#site.css#", "css/.#site.css", "css/4913"} {
		if _, ok := out.Get("jp", rel); ok {
			t.Errorf("the editor file static/%s was copied", rel)
		}
	}
}
