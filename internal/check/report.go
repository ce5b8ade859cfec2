package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/helpgen/helpgen/internal/diag"
)

// Summary counts findings by severity.
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Pages    int `json:"pages"`
	Regions  int `json:"regions"`
}

// Summarize counts fs; pages and regions say how much was checked.
func Summarize(fs []Finding, pages, regions int) Summary {
	s := Summary{Pages: pages, Regions: regions}
	for _, f := range fs {
		if f.Severity == diag.SevWarning {
			s.Warnings++
		} else {
			s.Errors++
		}
	}
	return s
}

// WriteText prints each finding as path:line:col: message [regions] with its
// source line, caret and hint, then the summary.
func WriteText(w io.Writer, fs []Finding, s Summary) error {
	for _, f := range fs {
		if _, err := fmt.Fprintln(w, f.Detail()); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, s.String())
	return err
}

func (s Summary) String() string {
	if s.Errors == 0 && s.Warnings == 0 {
		return fmt.Sprintf("checked %d pages in %d regions: no problems", s.Pages, s.Regions)
	}
	return fmt.Sprintf("checked %d pages in %d regions: %d error%s, %d warning%s",
		s.Pages, s.Regions, s.Errors, diag.Plural(s.Errors), s.Warnings, diag.Plural(s.Warnings))
}

// jsonFinding is one finding in --format json.
type jsonFinding struct {
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Col      int      `json:"col,omitempty"`
	Severity string   `json:"severity"`
	Check    string   `json:"check"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"`
	Regions  []string `json:"regions"`
}

type jsonReport struct {
	Findings []jsonFinding `json:"findings"`
	Summary  Summary       `json:"summary"`
}

// WriteJSON prints the findings and summary as one JSON object, for CI.
func WriteJSON(w io.Writer, fs []Finding, s Summary) error {
	r := jsonReport{Findings: make([]jsonFinding, len(fs)), Summary: s}
	for i, f := range fs {
		regions := f.Regions
		if regions == nil {
			regions = []string{}
		}
		r.Findings[i] = jsonFinding{File: f.File, Line: f.Line, Col: f.Col, Severity: f.Severity.String(),
			Check: f.Check, Message: f.Msg, Hint: f.Hint, Regions: regions}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// Errors turns errors that stopped the site from loading or rendering into
// findings of check "build", so both formats can report them.
func Errors(err error) []Finding {
	l := diag.Flatten(err)
	out := make([]Finding, len(l))
	for i, e := range l {
		out[i] = Finding{Error: e, Check: "build"}
	}
	return out
}

// WriteGitHub prints each finding as a GitHub Actions workflow command, so
// that it appears on its line in a pull request, then the summary as a
// notice. Values are escaped as the runner expects (%, CR, LF in the
// message; also : and , in properties).
func WriteGitHub(w io.Writer, fs []Finding, s Summary) error {
	for _, f := range fs {
		kind := "error"
		if f.Severity == diag.SevWarning {
			kind = "warning"
		}
		var props []string
		if f.File != "" {
			props = append(props, "file="+ghProperty(f.File))
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line))
				if f.Col > 0 {
					props = append(props, fmt.Sprintf("col=%d", f.Col))
				}
			}
		}
		props = append(props, "title="+ghProperty("helpgen check: "+f.Check))
		msg := f.Msg
		if len(f.Regions) > 0 {
			msg += " [" + strings.Join(f.Regions, ", ") + "]"
		}
		if f.Hint != "" {
			msg += "\n" + f.Hint
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", kind, strings.Join(props, ","), ghData(msg)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "::notice title=helpgen check::%s\n", ghData(s.String()))
	return err
}

func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
