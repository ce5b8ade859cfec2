package check

import (
	"encoding/json"
	"io"
	"slices"
	"sort"

	"github.com/helpgen/helpgen/internal/diag"
)

// descriptions say in one sentence what each check finds, for SARIF rules.
var descriptions = map[string]string{
	Links:           "An internal link to a page that does not exist in a region.",
	Anchors:         "A link to an anchor that the target page does not have in a region.",
	Images:          "An image whose file is not under static/.",
	DuplicateIDs:    "Two elements of one page with the same id.",
	EmptyBlocks:     "A block shortcode that is empty in a region.",
	EmptyPages:      "A page whose body renders empty in a region.",
	Regions:         "Front matter naming a region that helpgen.toml does not define.",
	BaseURL:         "A region whose baseURL is missing or not absolute.",
	Lists:           "A block whose indentation gives another list structure than it suggests.",
	Alt:             "An image or screenshot without alternative text.",
	Headings:        "A heading level that skips one (h2 followed by h4).",
	DuplicateTitles: "Two pages with the same title in one section of a region.",
	AbsoluteLinks:   "An absolute link to the site's own baseURL, which should be root-relative.",
	EmptyVariables:  "A region variable whose value is empty in a region where it is used.",
	UnusedStatic:    "Files under static/ that no page of any region uses.",
	Descriptions:    "A page without description in a section that lists its pages.",
	UnsafeLinks:     "A link or image whose URL runs code when followed (javascript:, vbscript:, data:).",
	External:        "An external http(s) link that does not answer with success.",
	"build":         "An error that stops the site from loading or rendering.",
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	RuleIndex  int             `json:"ruleIndex"`
	Level      string          `json:"level"`
	Message    sarifMessage    `json:"message"`
	Locations  []sarifLocation `json:"locations,omitempty"`
	Properties struct {
		Regions []string `json:"regions"`
		Hint    string   `json:"hint,omitempty"`
	} `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region *sarifRegion `json:"region,omitempty"`
	} `json:"physicalLocation"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// WriteSARIF writes the findings as a SARIF 2.1.0 log with one run, for
// code-scanning tools (GitHub code scanning uploads it as is). Each check
// is a rule; file paths are relative to the site, columns count code
// points. Regions and hints go into each result's properties.
func WriteSARIF(w io.Writer, fs []Finding, _ Summary) error {
	checks := []string{}
	for _, f := range fs {
		if !slices.Contains(checks, f.Check) {
			checks = append(checks, f.Check)
		}
	}
	sort.Strings(checks)
	run := sarifRun{ColumnKind: "unicodeCodePoints", Results: make([]sarifResult, 0, len(fs))}
	run.Tool.Driver = sarifDriver{Name: "helpgen", InformationURI: "https://github.com/helpgen/helpgen", Rules: make([]sarifRule, len(checks))}
	for i, c := range checks {
		r := sarifRule{ID: c, ShortDescription: sarifMessage{descriptions[c]}}
		if r.ShortDescription.Text == "" {
			r.ShortDescription.Text = c
		}
		r.DefaultConfiguration.Level = sarifLevel(defaults[c])
		run.Tool.Driver.Rules[i] = r
	}
	for _, f := range fs {
		res := sarifResult{RuleID: f.Check, RuleIndex: slices.Index(checks, f.Check), Level: "error", Message: sarifMessage{f.Msg}}
		if f.Severity == diag.SevWarning {
			res.Level = "warning"
		}
		var loc sarifLocation
		loc.PhysicalLocation.ArtifactLocation.URI = f.File
		if f.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Col}
		}
		if f.File != "" {
			res.Locations = []sarifLocation{loc}
		}
		res.Properties.Regions = f.Regions
		if res.Properties.Regions == nil {
			res.Properties.Regions = []string{}
		}
		res.Properties.Hint = f.Hint
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

func sarifLevel(sev string) string {
	if sev == "warning" {
		return "warning"
	}
	return "error"
}
