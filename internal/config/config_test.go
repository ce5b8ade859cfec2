package config

import (
	"strings"
	"testing"
	"time"

	"github.com/helpgen/helpgen/internal/diag"
)

func TestParse(t *testing.T) {
	s, err := Parse([]byte(`title = "T"
languages = ["ja", "en"]
[regions.US]
baseURL = "https://us.example.com"
[regions.US.params]
service = "Kintone"
[regions.JP]
baseURL = "https://jp.example.com/"
[regions.JP.params]
service = "cybozu.com"
[check]
skipPrefixes = ["/ja/settings/"]
anchors = "warning"
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Codes(), ","); got != "JP,US" {
		t.Errorf("regions %s, want sorted JP,US", got)
	}
	if s.Region("US").BaseURL != "https://us.example.com/" || s.Region("US").Dir() != "us" {
		t.Errorf("US region: %+v", s.Region("US"))
	}
	if s.DefaultLanguage != "ja" || s.Check.SkipPrefixes[0] != "/ja/settings/" || s.Check.Severity["anchors"] != "warning" {
		t.Errorf("settings: %+v", s)
	}
	if err := s.Select([]string{"us"}); err != nil || strings.Join(s.Codes(), ",") != "US" {
		t.Errorf("Select: %v %v", err, s.Codes())
	}
	if err := s.Select([]string{"XX"}); err == nil {
		t.Error("Select of an unknown region succeeded")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"syntax", "title = \"x\"\n[regions.JP\n", 2, "expected"},
		{"no regions", "title = \"x\"\n", 0, "no regions defined"},
		{"lowercase code", "[regions.jp]\n", 1, `region code "jp" is not uppercase`},
		{"missing variable", "[regions.JP.params]\nservice = \"a\"\n[regions.US.params]\nother = \"b\"\n", 3, `variable "service" is defined for JP but missing in region US`},
		{"bad severity", "[regions.JP]\n[check]\nanchors = \"loud\"\n", 3, `check.anchors: invalid severity loud`},
		{"unknown check", "[regions.JP]\n[check]\nanchor = \"warning\"\n", 3, `unknown check "anchor" in [check]`},
		{"unknown setting", "titel = \"x\"\n[regions.JP]\n", 1, `unknown setting "titel"`},
		{"relative editURL", "title = \"x\"\neditURL = \"edit/main/\"\n[regions.JP]\n", 2, `editURL "edit/main/" is not an absolute http(s) URL`},
		{"wrong type", "[regions.JP]\nbaseURL = 5\n[regions.JP.params]\nservice = \"x\"\n", 2, `regions.JP.baseURL: incompatible types`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			l := diag.Flatten(err)
			if len(l) == 0 {
				t.Fatal("no error")
			}
			var found bool
			for _, e := range l {
				if strings.Contains(e.Msg, tt.msg) && e.Line == tt.line && e.File == File {
					found = true
				}
			}
			if !found {
				t.Errorf("want %s:%d: …%s…, got %v", File, tt.line, tt.msg, err)
			}
		})
	}
}

// TestTypedParams: params keep their TOML types for templates, and scalars
// are also variables with their text.
func TestTypedParams(t *testing.T) {
	s, err := Parse([]byte("[regions.JP]\nbaseURL = \"https://x/\"\n[regions.JP.params]\nservice = \"cybozu.com\"\nmeganav = true\nid = 3\nratio = 1.5\nlinks = [\"a\", \"b\"]\n[regions.JP.params.footer]\nurl = \"/f\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := s.Regions[0]
	if r.Values["meganav"] != true || r.Values["id"] != int64(3) || r.Values["ratio"] != 1.5 {
		t.Errorf("values %#v", r.Values)
	}
	if f, ok := r.Values["footer"].(map[string]any); !ok || f["url"] != "/f" {
		t.Errorf("table param %#v", r.Values["footer"])
	}
	want := map[string]string{"service": "cybozu.com", "meganav": "true", "id": "3", "ratio": "1.5"}
	if len(r.Params) != len(want) {
		t.Errorf("variables %v, want %v", r.Params, want)
	}
	for k, v := range want {
		if r.Params[k] != v {
			t.Errorf("variable %s = %q, want %q", k, r.Params[k], v)
		}
	}
}

func TestTimeout(t *testing.T) {
	const regions = "\n[regions.JP]\n[regions.JP.params]\ntimeout = \"a param, not the setting\"\n"
	tests := []struct {
		name, src string
		want      time.Duration
		err       string // message; the error is at line 1 and col
		col       int
	}{
		{"default", `title = "x"`, DefaultTimeout, "", 0},
		{"duration", `timeout = "2m30s"`, 150 * time.Second, "", 0},
		{"seconds", `timeout = 5`, 5 * time.Second, "", 0},
		{"not a duration", `timeout = "soon"`, 0, `timeout must be a positive duration, not "soon"`, 11},
		{"zero", `timeout = "0s"`, 0, `not "0s"`, 11},
		{"negative", `timeout=-3`, 0, `not -3`, 9},
		{"no unit", `timeout = "30"`, 0, `not "30"`, 11},
		{"wrong type", `timeout = true`, 0, `not true`, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.src + regions))
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if s.Timeout != tt.want {
					t.Errorf("timeout %v, want %v", s.Timeout, tt.want)
				}
				return
			}
			l := diag.Flatten(err)
			if len(l) != 1 {
				t.Fatalf("want one error, got %v", err)
			}
			e := l[0]
			if e.Line != 1 || e.Col != tt.col || !strings.Contains(e.Msg, tt.err) || !strings.Contains(e.Hint, `timeout = "30s"`) || !strings.Contains(e.Detail(), "^") {
				t.Errorf("got %s\nwant 1:%d: …%s…", e.Detail(), tt.col, tt.err)
			}
		})
	}
}

// TestControlCharacters: a control character written as an escape in a
// value that pages show is an error, never written.
func TestControlCharacters(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"title = \"a\\u0000b\"\n[regions.JP]\n", "helpgen.toml:1:1: title holds a control character (U+0000)"},
		{"[regions.JP.params]\nservice = \"k\\u0007\"\n", "helpgen.toml:2:1: regions.JP.params.service holds a control character (U+0007)"},
	} {
		_, err := Parse([]byte(c.src))
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: got %v, want %s", c.src, err, c.want)
		}
	}
	if _, err := Parse([]byte("title = \"a\\tb\"\n[regions.JP]\n")); err != nil {
		t.Errorf("a tab refused: %v", err)
	}
}
