package bench

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/helpgen/helpgen/internal/corpus"
)

// HugoRow compares helpgen and Hugo on one generated corpus: helpgen builds
// every region in one process, Hugo runs once per region (one config file
// each); the figures of a run add Hugo's runs up (peak RSS: the largest).
type HugoRow struct {
	Pages       int   // content pages
	CorpusBytes int64 // bytes of Markdown written
	Regions     int
	Helpgen     Proc // medians
	Hugo        Proc // medians
}

// Proc is what one or more processes took: wall time, CPU time (user and
// system) and peak resident set size.
type Proc struct {
	Wall, CPU time.Duration
	RSS       int64
}

// Ratios are helpgen's figures over Hugo's.
func (r HugoRow) Ratios() (wall, cpu, rss float64) {
	return float64(r.Helpgen.Wall) / float64(r.Hugo.Wall), float64(r.Helpgen.CPU) / float64(r.Hugo.CPU),
		float64(r.Helpgen.RSS) / float64(r.Hugo.RSS)
}

// HugoTarget is the wall-time ratio helpgen aims at: a seventh of Hugo's.
const HugoTarget = 1.0 / 7

// RunHugo generates each size's corpus, writes a minimal Hugo layout beside
// it and builds it opt.Runs times with helpgen and with the Hugo binary at
// hugo, alternating, so that a slow moment of the machine hits both alike.
func RunHugo(opt Options, hugo string) ([]HugoRow, error) {
	if opt.Runs < 1 {
		opt.Runs = 1
	}
	if _, err := exec.LookPath(hugo); err != nil {
		return nil, fmt.Errorf("hugo: %w (make bench-hugo installs it)", err)
	}
	tmp, err := os.MkdirTemp("", "helpgen-bench-hugo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if opt.OutDir == "" {
		opt.OutDir = DefaultOutDir()
	}
	outTmp, err := os.MkdirTemp(opt.OutDir, "helpgen-bench-hugo-out-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(outTmp)
	var rows []HugoRow
	for _, n := range opt.Sizes {
		site := filepath.Join(tmp, fmt.Sprintf("corpus-%d", n))
		st, err := corpus.Write(site, corpus.Options{Pages: n, Seed: opt.Seed, Size: opt.PageSize})
		if err != nil {
			return nil, fmt.Errorf("generating %d pages: %w", n, err)
		}
		configs, err := WriteHugoLayout(site)
		if err != nil {
			return nil, err
		}
		logf(opt.Log, "generated %d pages (%d bytes of Markdown a page) and a Hugo layout for %d regions", n, st.Bytes/int64(n), len(configs))
		row := HugoRow{Pages: n, CorpusBytes: st.Bytes, Regions: len(configs)}
		var hg, hu []Proc
		for run := range opt.Runs {
			p, err := helpgenProc(opt.Exe, site, filepath.Join(outTmp, "helpgen"))
			if err != nil {
				return nil, err
			}
			hg = append(hg, p)
			q, err := hugoProc(hugo, site, configs, filepath.Join(outTmp, "hugo"))
			if err != nil {
				return nil, err
			}
			hu = append(hu, q)
			logf(opt.Log, "%d pages, run %d: helpgen %.2f s (CPU %.2f s, %d MB), Hugo %.2f s (CPU %.2f s, %d MB)", n, run+1,
				p.Wall.Seconds(), p.CPU.Seconds(), p.RSS>>20, q.Wall.Seconds(), q.CPU.Seconds(), q.RSS>>20)
		}
		row.Helpgen, row.Hugo = medianProc(hg), medianProc(hu)
		rows = append(rows, row)
		_ = os.RemoveAll(site)
	}
	return rows, nil
}

// helpgenProc is one `helpgen build` of every region in a fresh process.
func helpgenProc(exe, site, dest string) (Proc, error) {
	_ = os.RemoveAll(dest)
	cmd := exec.Command(exe, "build", site, dest)
	cmd.Env = append(os.Environ(), ChildEnv+"=1")
	return runProc(cmd)
}

// hugoProc runs Hugo once per region config, one after another, into fresh
// folders, and adds their times up.
func hugoProc(hugo, site string, configs []string, dest string) (Proc, error) {
	var sum Proc
	for _, c := range configs {
		out := filepath.Join(dest, strings.TrimSuffix(strings.TrimPrefix(c, "config_"), ".toml"))
		_ = os.RemoveAll(out)
		cmd := exec.Command(hugo, "--quiet", "--source", site, "--config", c, "--destination", out, "--noBuildLock")
		cmd.Env = append(os.Environ(), "HUGO_CACHEDIR="+filepath.Join(dest, "cache"))
		p, err := runProc(cmd)
		if err != nil {
			return sum, fmt.Errorf("hugo --config %s: %w", c, err)
		}
		sum.Wall += p.Wall
		sum.CPU += p.CPU
		sum.RSS = max(sum.RSS, p.RSS)
	}
	return sum, nil
}

// runProc runs cmd and measures it from outside: wall, user+system CPU and
// peak RSS, so that helpgen and Hugo are measured alike.
func runProc(cmd *exec.Cmd) (Proc, error) {
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t := time.Now()
	err := cmd.Run()
	wall := time.Since(t)
	if err != nil {
		return Proc{}, fmt.Errorf("%v\n%s%s", err, out.String(), errb.String())
	}
	p := Proc{Wall: wall, CPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		p.RSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return p, nil
}

// medianProc takes the median of each figure on its own.
func medianProc(ps []Proc) Proc {
	var wall, cpu []time.Duration
	var rss []int64
	for _, p := range ps {
		wall, cpu, rss = append(wall, p.Wall), append(cpu, p.CPU), append(rss, p.RSS)
	}
	slices.Sort(rss)
	return Proc{Wall: median(wall), CPU: median(cpu), RSS: rss[len(rss)/2]}
}

// hugoShortcodes are the templates of the shortcodes the corpus uses, the
// way a Hugo help site writes them: region conditionals compare their
// arguments with the TargetRegion param, variables print a param.
var hugoShortcodes = map[string]string{
	"enabled":  `{{- if in .Params $.Site.Params.TargetRegion }}{{ .Inner }}{{ end -}}`,
	"disabled": `{{- if not (in .Params $.Site.Params.TargetRegion) }}{{ .Inner }}{{ end -}}`,
	"screen":   `<img class="screenshot" src="{{ .Get "src" }}" alt="{{ .Get "alt" }}" data-action="zoom">`,
	"note":     "<aside class=\"admonition note\"><div class=\"admonition-alt\"><span>メモ</span></div>\n<div class=\"admonition-content\">{{ .Inner | markdownify }}</div></aside>",
	"warning":  "<aside class=\"admonition warning\"><div class=\"admonition-alt\"><span>注意</span></div>\n<div class=\"admonition-content\">{{ .Inner | markdownify }}</div></aside>",
}

// hugoPage is the minimal page and list layout: title and content.
const hugoPage = `<!DOCTYPE html>
<html><head><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><article class="article">{{ .Content }}</article></body></html>
`

// helpgenConfig is the part of a generated helpgen.toml Hugo's configs need.
type helpgenConfig struct {
	Title   string
	Regions map[string]struct {
		BaseURL string         `toml:"baseURL"`
		Params  map[string]any `toml:"params"`
	}
}

// WriteHugoLayout writes, beside a generated corpus in site, one Hugo config
// file per region of its helpgen.toml (config_jp.toml, …: its params plus
// TargetRegion), a shortcode template per shortcode and variable, and the
// minimal layouts. It returns the config files' names.
func WriteHugoLayout(site string) ([]string, error) {
	var hc helpgenConfig
	if _, err := toml.DecodeFile(filepath.Join(site, "helpgen.toml"), &hc); err != nil {
		return nil, err
	}
	sc := filepath.Join(site, "layouts", "shortcodes")
	def := filepath.Join(site, "layouts", "_default")
	for _, d := range []string{sc, def} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	files := map[string]string{
		filepath.Join(def, "single.html"): hugoPage,
		filepath.Join(def, "list.html"):   hugoPage,
	}
	for name, tmpl := range hugoShortcodes {
		files[filepath.Join(sc, name+".html")] = tmpl
	}
	var configs []string
	for code, r := range hc.Regions {
		var b strings.Builder
		fmt.Fprintf(&b, "baseURL = %q\ntitle = %q\nlanguageCode = \"ja-jp\"\ndefaultContentLanguage = \"ja\"\nuglyURLs = true\n", r.BaseURL, hc.Title)
		b.WriteString("disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n")
		b.WriteString("[markup.goldmark.renderer]\nunsafe = true\n[markup.goldmark.extensions]\ntypographer = false\n")
		fmt.Fprintf(&b, "[params]\nTargetRegion = %q\n", code)
		keys := make([]string, 0, len(r.Params))
		for k := range r.Params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s = %q\n", k, fmt.Sprint(r.Params[k]))
			files[filepath.Join(sc, k+".html")] = "{{ $.Site.Params." + k + " }}"
		}
		name := "config_" + strings.ToLower(code) + ".toml"
		files[filepath.Join(site, name)] = b.String()
		configs = append(configs, name)
	}
	sort.Strings(configs)
	for name, text := range files {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	return configs, nil
}

// PrintHugo writes the comparison and the ratios.
func PrintHugo(w io.Writer, opt Options, hugo string, rows []HugoRow) {
	fmt.Fprintf(w, "helpgen vs Hugo (%s): median of %d runs, alternating; helpgen builds every region in one process,\n", hugoVersion(hugo), opt.Runs)
	fmt.Fprintln(w, "Hugo runs once per region with a minimal layout (its times added up, RSS the largest);")
	fmt.Fprintln(w, "CPU = user+system time, which other programs on the machine disturb less than wall time.")
	fmt.Fprintf(w, "corpus: internal/corpus, %s pages; output written under %s (%s)\n\n", opt.PageSize, opt.OutDir, fsType(opt.OutDir))
	fmt.Fprintf(w, "%7s %7s %8s %8s %8s %8s %8s %8s %8s %8s %8s\n",
		"pages", "MD B/pg", "hg s", "Hugo s", "wall ×", "hg CPU", "Hugo CPU", "CPU ×", "hg MB", "Hugo MB", "RSS ×")
	for _, r := range rows {
		wall, cpu, rss := r.Ratios()
		flag := ""
		if wall > HugoTarget {
			flag = fmt.Sprintf("  OVER TARGET (wall ≤ 1/%.0f of Hugo's)", 1/HugoTarget)
		}
		fmt.Fprintf(w, "%7d %7d %8.2f %8.2f %8.3f %8.2f %8.2f %8.3f %8.0f %8.0f %8.3f%s\n",
			r.Pages, r.CorpusBytes/int64(max(r.Pages, 1)), r.Helpgen.Wall.Seconds(), r.Hugo.Wall.Seconds(), wall,
			r.Helpgen.CPU.Seconds(), r.Hugo.CPU.Seconds(), cpu, mb(r.Helpgen.RSS), mb(r.Hugo.RSS), rss, flag)
	}
}

func hugoVersion(hugo string) string {
	out, err := exec.Command(hugo, "version").Output()
	if err != nil {
		return hugo
	}
	f := strings.Fields(string(out))
	if len(f) > 1 {
		return "Hugo " + strings.TrimPrefix(f[1], "v")
	}
	return strings.TrimSpace(string(out))
}
