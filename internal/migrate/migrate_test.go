package migrate

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"
)

func hugoSite() fstest.MapFS {
	f := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	return fstest.MapFS{
		"config.toml": f(`baseURL = "https://jp.example.com/"
title = "ヘルプ"
languageCode = "ja-jp"
theme = "help"
[params]
TargetRegion = "JP"
product = "cybozu.com"
meganav = true
id_search = 3
`),
		"config_us.yaml":                               f("baseURL: https://us.example.com/\ntitle: Help\nlanguageCode: en-us\ntheme: help\nparams:\n  targetregion: US\n  Product: Kintone\n  meganav: false\n"),
		"content/general/ja/a.md":                      f("---\ntitle: A\n---\n[b](/general/ja/b.html) [s](/ja/settings/x.html) [ext](https://example.org/) [img](/general/img/a.png)\n"),
		"content/general/ja/b.md":                      f("---\ntitle: B\n---\n"),
		"static/general/img/a.png":                     f("png"),
		"themes/help/layouts/shortcodes/data.html":     f("{{ range getCSV \",\" \"x.csv\" }}{{ . }}{{ end }}\n{{ substr .Inner 0 2 }}"),
		"themes/help/layouts/shortcodes/enabled2.html": f("{{ if in (.Get 0) .Site.Params.TargetRegion }}{{ .Inner }}{{ end }}"),
		"themes/help/layouts/_default/single.html":     f("<html>{{ .Content }}</html>"),
		"layouts/partials/x.html":                      f("{{ readFile \"x\" }}"),
		"layouts/_default/list.html":                   f("<ul>{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}</ul>"),
	}
}

func TestRun(t *testing.T) {
	res, err := Run(hugoSite(), Options{Configs: []string{"config.toml", "config_us.yaml"}, RegionParam: "TargetRegion",
		Funcs: []string{"substr", "in"}})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Title     string
		Languages []string
		Theme     string
		Regions   map[string]struct {
			BaseURL string `toml:"baseURL"`
			Params  map[string]any
		}
		Check struct {
			SkipPrefixes []string `toml:"skipPrefixes"`
		}
	}
	if _, err := toml.Decode(string(res.Config), &got); err != nil {
		t.Fatalf("%v\n%s", err, res.Config)
	}
	if got.Title != "ヘルプ" || strings.Join(got.Languages, ",") != "ja,en" || got.Theme != "help" {
		t.Errorf("title %q languages %q theme %q", got.Title, got.Languages, got.Theme)
	}
	jp, us := got.Regions["JP"], got.Regions["US"]
	if jp.BaseURL != "https://jp.example.com/" || us.BaseURL != "https://us.example.com/" {
		t.Errorf("baseURLs %q %q", jp.BaseURL, us.BaseURL)
	}
	// Types are kept; a param one region lacks gets the zero of its type.
	if jp.Params["meganav"] != true || us.Params["meganav"] != false || jp.Params["id_search"] != int64(3) ||
		us.Params["id_search"] != int64(0) || us.Params["product"] != "Kintone" {
		t.Errorf("params JP %v US %v", jp.Params, us.Params)
	}
	// Themes read the region param (.Site.Params.TargetRegion), so it stays.
	if jp.Params["TargetRegion"] != "JP" || us.Params["TargetRegion"] != "US" {
		t.Errorf("the region param: JP %v US %v", jp.Params["TargetRegion"], us.Params["TargetRegion"])
	}
	if strings.Join(got.Check.SkipPrefixes, ",") != "/ja/settings/" {
		t.Errorf("skipPrefixes %q", got.Check.SkipPrefixes)
	}
	var report []string
	for _, f := range res.Findings {
		report = append(report, f.Error())
	}
	want := []string{
		`config_us.yaml: warning: params.id_search is not set in region US; helpgen.toml gives it an empty value there`,
		`layouts/_default/list.html: warning: a Hugo layout in helpgen's place: helpgen uses layouts/_default/list.html instead of its own, with its own page data`,
		`layouts/partials/x.html:1:4: warning: function "readFile" is not provided by helpgen`,
		`themes/help/layouts/_default/single.html: warning: layout not used: helpgen's built-in theme writes the pages`,
		`themes/help/layouts/shortcodes/data.html:1:10: warning: function "getCSV" is not provided by helpgen`,
		`themes/help/layouts/shortcodes/enabled2.html: warning: enabled2 is replaced by helpgen's built-in region conditional`,
	}
	if strings.Join(report, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(report, "\n"), strings.Join(want, "\n"))
	}
}

func TestRunErrors(t *testing.T) {
	site := hugoSite()
	site["config_cn.toml"] = &fstest.MapFile{Data: []byte("baseURL = \"x\"\n[params]\nproduct = \"p\"\n")}
	site["bad.toml"] = &fstest.MapFile{Data: []byte("baseURL = \n")}
	cases := []struct {
		configs []string
		want    string
	}{
		{nil, "no Hugo config files"},
		{[]string{"config_cn.toml"}, "config_cn.toml: no params.TargetRegion naming the region"},
		{[]string{"bad.toml"}, "bad.toml:1:"},
		{[]string{"missing.toml"}, "missing.toml: cannot read the config file"},
		{[]string{"config.toml", "config.toml"}, "region JP is also the region of config.toml"},
	}
	for _, c := range cases {
		_, err := Run(site, Options{Configs: c.configs, RegionParam: "TargetRegion"})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.configs, err, c.want)
		}
	}
}
