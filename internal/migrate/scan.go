package migrate

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template/parse"

	"github.com/BurntSushi/toml"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/sitefs"
)

// writeConfig renders helpgen.toml: title, languages, per-region baseURL
// and params with their types, and the check's skipPrefixes.
func writeConfig(cfgs []*hugoConfig, opt Options, skip []string) []byte {
	var b bytes.Buffer
	files := make([]string, len(cfgs))
	for i, c := range cfgs {
		files[i] = c.file
	}
	fmt.Fprintf(&b, "# Written by helpgen migrate hugo from %s.\n", strings.Join(files, ", "))
	fmt.Fprintf(&b, "title = %s\n", tomlString(cfgs[0].title))
	var langs []string
	for _, c := range cfgs {
		if c.lang != "" && !slices.Contains(langs, c.lang) {
			langs = append(langs, c.lang)
		}
	}
	if len(langs) > 0 {
		fmt.Fprintf(&b, "languages = [%s]\n", quoteAll(langs))
		fmt.Fprintf(&b, "defaultLanguage = %s\n", tomlString(langs[0]))
	}
	if cfgs[0].theme != "" {
		fmt.Fprintf(&b, "theme = %s\n", tomlString(cfgs[0].theme))
	}
	if !cfgs[0].lower {
		b.WriteString("disablePathToLower = true\n")
	}
	keys := paramKeys(cfgs)
	for _, c := range cfgs {
		fmt.Fprintf(&b, "\n[regions.%s]\nbaseURL = %s\n", c.region, tomlString(c.baseURL))
		params := map[string]any{}
		for _, k := range keys {
			v, ok := c.params[k]
			if !ok {
				v = zeroLike(cfgs, k)
			}
			params[k] = v
		}
		if len(params) == 0 {
			continue
		}
		fmt.Fprintf(&b, "[regions.%s.params]\n", c.region)
		var enc bytes.Buffer
		if err := toml.NewEncoder(&enc).Encode(params); err == nil {
			b.Write(enc.Bytes())
		}
	}
	if len(skip) > 0 {
		fmt.Fprintf(&b, "\n[check]\n# links under these paths lead to other sites on the same domain\nskipPrefixes = [%s]\n", quoteAll(skip))
	}
	return b.Bytes()
}

// zeroLike is the empty value of the type param k has in another region.
func zeroLike(cfgs []*hugoConfig, k string) any {
	for _, c := range cfgs {
		switch c.params[k].(type) {
		case bool:
			return false
		case int64:
			return int64(0)
		case float64:
			return 0.0
		case []any:
			return []any{}
		case map[string]any:
			return map[string]any{}
		case string:
			return ""
		}
	}
	return ""
}

func tomlString(s string) string {
	var b bytes.Buffer
	_ = toml.NewEncoder(&b).Encode(map[string]string{"k": s})
	return strings.TrimSpace(strings.TrimPrefix(b.String(), "k = "))
}

func quoteAll(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = tomlString(s)
	}
	return strings.Join(q, ", ")
}

// skipPrefixes finds the root-relative links of the content that lead to
// no file of the site, and returns their first two path segments: the
// sibling sites on the same domain that the checker must not report.
func skipPrefixes(site fs.FS) ([]string, error) {
	exists := map[string]bool{}
	var links []string
	md := goldmark.New()
	err := fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		switch top, rest, _ := strings.Cut(p, "/"); top {
		case sitefs.StaticDir:
			exists["/"+rest] = true
		case sitefs.ContentDir:
			if strings.HasSuffix(rest, ".md") {
				exists["/"+strings.TrimSuffix(strings.TrimSuffix(rest, ".md"), "_index")] = true
				if src, err := fs.ReadFile(site, p); err == nil {
					links = append(links, mdLinks(md, src)...)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range links {
		if resolves(l, exists) {
			continue
		}
		segs := strings.Split(strings.Trim(l, "/"), "/")
		if len(segs) < 2 {
			continue
		}
		prefix := "/" + segs[0] + "/" + segs[1] + "/"
		if !slices.Contains(out, prefix) && !anyContentUnder(prefix, exists) {
			out = append(out, prefix)
		}
	}
	slices.Sort(out)
	return out, nil
}

func anyContentUnder(prefix string, exists map[string]bool) bool {
	for p := range exists {
		if strings.HasPrefix(p+"/", prefix) {
			return true
		}
	}
	return false
}

func resolves(link string, exists map[string]bool) bool {
	p := strings.TrimSuffix(link, "/")
	for _, cand := range []string{p, strings.TrimSuffix(p, ".html"), strings.TrimSuffix(p, "/index.html") + "/", p + "/"} {
		if exists[strings.TrimSuffix(cand, "/")] || exists[cand] {
			return true
		}
	}
	return false
}

// mdLinks returns the root-relative link destinations of a Markdown page.
func mdLinks(md goldmark.Markdown, src []byte) []string {
	var out []string
	doc := md.Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			dest := string(l.Destination)
			if strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//") {
				dest, _, _ = strings.Cut(dest, "#")
				dest, _, _ = strings.Cut(dest, "?")
				out = append(out, dest)
			}
		}
		return ast.WalkContinue, nil
	})
	return out
}

// scanTemplates lists, positioned, the functions of the site's shortcodes,
// render hooks and the partials they call that helpgen lacks, and the
// layouts the built-in theme replaces.
func scanTemplates(site fs.FS, theme string, funcs []string) diag.List {
	known := map[string]bool{}
	for _, f := range append(goBuiltins, funcs...) {
		known[f] = true
	}
	var out diag.List
	roots := []string{sitefs.LayoutsDir}
	if theme != "" {
		roots = append(roots, path.Join(sitefs.ThemesDir, theme, sitefs.LayoutsDir))
	}
	for i, root := range roots {
		_ = fs.WalkDir(site, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || path.Ext(p) != ".html" {
				return nil
			}
			rel := strings.TrimPrefix(p, root+"/")
			switch {
			case strings.HasPrefix(rel, "shortcodes/"), strings.HasPrefix(rel, "_default/_markup/"), strings.HasPrefix(rel, "_markup/"), strings.HasPrefix(rel, "partials/"),
				strings.HasPrefix(rel, "_partials/"):
				out = append(out, scanFuncs(site, p, known)...)
				name := strings.TrimSuffix(path.Base(rel), ".html")
				if strings.HasPrefix(rel, "shortcodes/") && slices.Contains([]string{"enabled", "disabled", "enabled2", "disabled2"}, name) {
					out = append(out, &diag.Error{File: p, Severity: diag.SevWarning,
						Msg:  name + " is replaced by helpgen's built-in region conditional",
						Hint: "helpgen evaluates enabled/disabled (and enabled2/disabled2) in the source, for each region; this template is not used"})
				}
			case i == 0:
				out = append(out, &diag.Error{File: p, Severity: diag.SevWarning,
					Msg:  "a Hugo layout in helpgen's place: helpgen uses layouts/" + rel + " instead of its own, with its own page data",
					Hint: "move it out of layouts/ to use helpgen's theme, or rewrite it for helpgen's page data (README, Layouts)"})
			default:
				out = append(out, &diag.Error{File: p, Severity: diag.SevWarning,
					Msg:  "layout not used: helpgen's built-in theme writes the pages",
					Hint: "of a theme, only shortcodes, render hooks, partials and i18n carry over"})
			}
			return nil
		})
	}
	return out
}

// goBuiltins are the functions of Go's template language itself.
var goBuiltins = []string{"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
	"println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne"}

// scanFuncs reports each call of a function helpgen does not provide.
func scanFuncs(site fs.FS, file string, known map[string]bool) diag.List {
	src, err := fs.ReadFile(site, file)
	if err != nil {
		return nil
	}
	source := diag.NewSource(file, src)
	tree := parse.New(file)
	tree.Mode = parse.SkipFuncCheck | parse.ParseComments
	trees := map[string]*parse.Tree{}
	if _, err := tree.Parse(string(src), "", "", trees); err != nil {
		// Unknown functions are no parse error in SkipFuncCheck mode: this
		// is a syntax error, which Hugo refuses as well.
		return diag.List{{File: file, Severity: diag.SevWarning, Msg: err.Error(), Hint: "the template does not parse; fix it before migrating"}}
	}
	var out diag.List
	seen := map[string]bool{}
	for _, t := range trees {
		walk(t.Root, func(n parse.Node) {
			id, ok := n.(*parse.IdentifierNode)
			if !ok || known[id.Ident] || seen[id.Ident] {
				return
			}
			seen[id.Ident] = true
			e := source.Errorf(int(id.Pos), "rewrite the template without it, or leave the shortcode to the built-in one of the same name",
				"function %q is not provided by helpgen", id.Ident)
			e.Severity = diag.SevWarning
			out = append(out, e)
		})
	}
	return out
}

// walk calls f on every node under n.
func walk(n parse.Node, f func(parse.Node)) {
	if n == nil {
		return
	}
	f(n)
	switch x := n.(type) {
	case *parse.ListNode:
		if x != nil {
			for _, c := range x.Nodes {
				walk(c, f)
			}
		}
	case *parse.ActionNode:
		walk(x.Pipe, f)
	case *parse.PipeNode:
		if x != nil {
			for _, c := range x.Cmds {
				walk(c, f)
			}
		}
	case *parse.CommandNode:
		for _, a := range x.Args {
			walk(a, f)
		}
	case *parse.ChainNode:
		walk(x.Node, f)
	case *parse.IfNode:
		walkBranch(&x.BranchNode, f)
	case *parse.RangeNode:
		walkBranch(&x.BranchNode, f)
	case *parse.WithNode:
		walkBranch(&x.BranchNode, f)
	case *parse.TemplateNode:
		walk(x.Pipe, f)
	}
}

func walkBranch(b *parse.BranchNode, f func(parse.Node)) {
	walk(b.Pipe, f)
	if b.List != nil {
		walk(b.List, f)
	}
	if b.ElseList != nil {
		walk(b.ElseList, f)
	}
}
