package serve

import (
	"regexp"
	"strings"
	"testing"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/build"
)

// TestPartialCachedAfterEdits serves a site whose page layout shows a
// partial through partialCached, edits the partial and the data file it
// reads, and checks after each rebuild that every page of every region
// shows the edited text with its own region's values, never a result kept
// from before the edit or made for another region, and that the site is
// what a fresh full build makes.
func TestPartialCachedAfterEdits(t *testing.T) {
	dir := copySite(t)
	writeFile(t, dir, "layouts/partials/stamp.html", `<p class="stamp">STAMP {{ .Region }} {{ .Site.Title }} {{ .Site.Data.stamp.v }} v1</p>`+"\n")
	writeFile(t, dir, "data/stamp.toml", "v = \"d1\"\n")
	replaceIn(t, dir, "layouts/_default/single.html", "</body>", `{{ partialCached "stamp.html" . }}</body>`)
	e := newEngine(dir, helpgen.Defaults, build.LoadOptions{}, newStore())
	if _, err := e.full("first"); err != nil {
		t.Fatal(err)
	}
	stampRE := regexp.MustCompile(`STAMP (\S+) .*? (\S+) (\S+)</p>`)
	for _, step := range []struct {
		name, file, old, new string
		data, version        string // what every page must show after it
	}{
		{"first build", "", "", "", "d1", "v1"},
		{"template edited", "layouts/partials/stamp.html", "v1", "v2", "d1", "v2"},
		{"data edited", "data/stamp.toml", "d1", "d2", "d2", "v2"},
		{"page layout edited", "layouts/_default/single.html", "{{ partialCached \"stamp.html\" . }}", "{{ partialCached \"stamp.html\" . .Kind }}", "d2", "v2"},
		{"template edited again", "layouts/partials/stamp.html", "v2", "v3", "d2", "v3"},
	} {
		if step.file != "" {
			replaceIn(t, dir, step.file, step.old, step.new)
			if _, err := e.rebuild([]string{step.file}); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
		}
		got := snapshot(e.store)
		pages := 0
		for k, text := range got {
			if !strings.HasSuffix(k.rel, ".html") || !strings.Contains(text, "<article") || strings.Contains(text, "kind-section") || strings.Contains(text, "kind-home") {
				continue
			}
			m := stampRE.FindAllStringSubmatch(text, -1)
			if len(m) != 1 {
				t.Errorf("%s: %s/%s shows %d stamps", step.name, k.dir, k.rel, len(m))
				continue
			}
			pages++
			if region := strings.ToUpper(k.dir); m[0][1] != region || m[0][2] != step.data || m[0][3] != step.version {
				t.Errorf("%s: %s/%s shows %q, want region %s, data %s, %s", step.name, k.dir, k.rel, m[0][0], region, step.data, step.version)
			}
		}
		if pages < 3 {
			t.Fatalf("%s: only %d pages checked", step.name, pages)
		}
		sameSite(t, step.name, got, fullBuild(t, dir))
	}
}
