package build

import (
	"strings"
	"testing"
)

// TestHugoThemePatterns runs the patterns of the CybozuDocs theme's
// shortcodes: i18n with one argument in the page's language, .Scratch,
// .Page.RenderString, .Site.LanguageCode with substr, findRE and
// strings.TrimPrefix over .Inner, relURL with the region's baseURL.
func TestHugoThemePatterns(t *testing.T) {
	out := buildMem(t, site(map[string]string{
		"i18n/ja.toml":          "[Title_note]\nother = \"メモ\"\n",
		"i18n/en.toml":          "[Title_note]\nother = \"Note\"\n",
		"shortcodes/tnote.html": `<aside><span>{{ i18n "Title_note" }}</span>{{ printf "%s" .Inner | markdownify }}</aside>`,
		"shortcodes/tile.html": `{{- .Scratch.Set "target" "_self" -}}{{- if eq (.Get "external") "true" -}}{{- .Scratch.Set "target" "_blank" -}}{{- end -}}` +
			`<a target="{{ .Scratch.Get "target" }}" href="{{ .Get "href" | relURL }}">{{ .Inner | .Page.RenderString }}</a>`,
		"shortcodes/lang.html": `{{- if eq (substr $.Site.LanguageCode 0 2) "ja" -}}JA{{- else -}}OTHER{{- end -}}`,
		"shortcodes/title.html": `{{- $pref := "<div class=\"tmp-title\">" -}}{{- $m := findRE (printf "%s(.|\n)*?</div>" $pref) .Inner -}}` +
			`{{- $t := strings.TrimPrefix $pref (index $m 0) -}}<h3>{{ strings.TrimSuffix "</div>" $t | safeHTML }}</h3>`,
		"content/ja/a.md": "---\ntitle: A\n---\n{{< tnote >}}**x**{{< /tnote >}}\n\n{{< tile href=\"b.html\" external=\"true\" >}}*in*{{< /tile >}}\n\n{{< lang >}}\n\n{{< title >}}<div class=\"tmp-title\">Head</div>{{< /title >}}\n",
		"content/en/a.md": "---\ntitle: A\n---\n{{< tnote >}}y{{< /tnote >}}\n",
	}))
	ja := article(get(t, out, "jp", "ja/a.html"))
	for _, want := range []string{"<span>メモ</span><strong>x</strong>", `<a target="_blank" href="/b.html"><em>in</em></a>`, "JA", "<h3>Head</h3>"} {
		if !strings.Contains(ja, want) {
			t.Errorf("ja page lacks %q:\n%s", want, ja)
		}
	}
	if en := article(get(t, out, "us", "en/a.html")); !strings.Contains(en, "<span>Note</span>y") {
		t.Errorf("en page: %s", en)
	}
}
