package check

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/helpgen/helpgen/internal/diag"
)

// sample are findings with everything the formats must carry or escape:
// regions, a hint, a file-level finding, and characters that GitHub's
// workflow commands give a meaning (%, :, ",", line breaks).
func sample() ([]Finding, Summary) {
	fs := []Finding{
		{Check: Links, Error: &diag.Error{File: "content/a,b:c.md", Line: 4, Col: 2, Severity: diag.SevError,
			Msg: "link to /x.html: no such page, 100% sure", Hint: "fix the path\nor add the page", Regions: []string{"JP", "US"}}},
		{Check: Lists, Error: &diag.Error{File: "content/b.md", Line: 12, Col: 7, Severity: diag.SevWarning,
			Msg: "bullet list indented 6 spaces leaves the item on line 10", Hint: "indent it 7 spaces"}},
		{Check: UnusedStatic, Error: &diag.Error{File: "static", Severity: diag.SevWarning, Msg: "1 file under static/ used by no page of any region: static/x.png"}},
		{Check: "build", Error: &diag.Error{Severity: diag.SevError, Msg: "no content/ folder"}},
	}
	return fs, Summarize(fs, 3, 2)
}

func TestWriteGitHub(t *testing.T) {
	fs, s := sample()
	var b bytes.Buffer
	if err := WriteGitHub(&b, fs, s); err != nil {
		t.Fatal(err)
	}
	want := "::error file=content/a%2Cb%3Ac.md,line=4,col=2,title=helpgen check%3A links::link to /x.html: no such page, 100%25 sure [JP, US]%0Afix the path%0Aor add the page\n" +
		"::warning file=content/b.md,line=12,col=7,title=helpgen check%3A lists::bullet list indented 6 spaces leaves the item on line 10%0Aindent it 7 spaces\n" +
		"::warning file=static,title=helpgen check%3A unusedStatic::1 file under static/ used by no page of any region: static/x.png\n" +
		"::error title=helpgen check%3A build::no content/ folder\n" +
		"::notice title=helpgen check::checked 3 pages in 2 regions: 2 errors, 2 warnings\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// validateSARIF checks a log against the vendored SARIF 2.1.0 schema.
func validateSARIF(t *testing.T, log []byte) {
	t.Helper()
	f, err := os.Open("testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(log))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, log)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("not valid SARIF 2.1.0: %v", err)
	}
}

func TestSARIFSchema(t *testing.T) {
	fs, s := sample()
	var b bytes.Buffer
	if err := WriteSARIF(&b, fs, s); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, b.Bytes())
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct{ Rules []struct{ ID string } }
			}
			Results []struct {
				RuleID, Level string
				RuleIndex     int
				Locations     []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine, StartColumn int }
					}
				}
				Properties struct{ Regions []string }
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if log.Version != "2.1.0" || len(run.Results) != 4 || len(run.Tool.Driver.Rules) != 4 {
		t.Fatalf("log: %+v", log)
	}
	r := run.Results[0]
	loc := r.Locations[0].PhysicalLocation
	if r.RuleID != Links || r.Level != "error" || run.Tool.Driver.Rules[r.RuleIndex].ID != Links ||
		loc.ArtifactLocation.URI != "content/a,b:c.md" || loc.Region.StartLine != 4 || loc.Region.StartColumn != 2 ||
		strings.Join(r.Properties.Regions, ",") != "JP,US" {
		t.Errorf("first result: %+v", r)
	}
	if r := run.Results[2]; r.Level != "warning" || r.Locations[0].PhysicalLocation.Region != nil {
		t.Errorf("file-level result: %+v", r)
	}
	if r := run.Results[3]; len(r.Locations) != 0 {
		t.Errorf("result without a file: %+v", r)
	}
	// The schema does reject what is not SARIF, so the check above means something.
	bad := bytes.Replace(b.Bytes(), []byte(`"level": "warning"`), []byte(`"level": "severe"`), 1)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	c := jsonschema.NewCompiler()
	f, _ := os.Open("testdata/sarif/sarif-schema-2.1.0.json")
	doc, _ := jsonschema.UnmarshalJSON(f)
	f.Close()
	_ = c.AddResource("s.json", doc)
	if sch, err := c.Compile("s.json"); err != nil || sch.Validate(inst) == nil {
		t.Errorf("a log with level \"severe\" validated (compile error %v)", err)
	}
}

// TestDefectsSARIFSchema: the defects site's whole report is valid SARIF.
func TestDefectsSARIFSchema(t *testing.T) {
	b, err := os.ReadFile("testdata/defects.sarif.golden")
	if err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, b)
}
