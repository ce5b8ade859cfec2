// Package corpus writes generated help sites shaped like the real pages
// helpgen is built for: numbered procedures with nested items, conditional
// blocks nested inside indented list items, region variables in titles and
// bodies, screenshots, headings with explicit ids, admonitions, tables,
// cross-links with anchors and links to sibling sites. Benchmarks and tests
// use it to measure and exercise the pipeline at sizes no hand-written site
// reaches.
//
// The generated site is deterministic for a seed and checks clean: every
// link reaches a page that exists in each region that can follow it, every
// anchor names a heading that exists in every region, and every image exists.
package corpus

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Options say what to generate.
type Options struct {
	Pages      int   // content pages, not counting section pages; default 5,000
	Seed       int64 // same seed, same site
	PerSection int   // pages per section; default 50
	Size       Size  // how long a page is; Small when unset
}

// Size is how much Markdown a generated page holds.
type Size int

const (
	// Small pages average about 2.2 KB: the seeds' constructs, each once or
	// twice. Tests use them where the length of a page does not matter.
	Small Size = iota
	// Real pages average about 5 KB, like the seed pages (4.9 and 5.3 KB):
	// a troubleshooting section of nested procedures and a questions
	// section on top of a small page. Benchmarks use them.
	Real
)

// ParseSize reads "small" or "real".
func ParseSize(s string) (Size, error) {
	switch s {
	case "small":
		return Small, nil
	case "real":
		return Real, nil
	}
	return Small, fmt.Errorf("corpus size %q: want small or real", s)
}

// String is the name ParseSize reads.
func (s Size) String() string {
	if s == Real {
		return "real"
	}
	return "small"
}

// Stats describe what Write wrote.
type Stats struct {
	Pages    int   // content pages
	Sections int   // section pages (_index.md), home included
	Images   int   // screenshot files
	Bytes    int64 // bytes of Markdown
}

// Images is the number of distinct screenshots the pages share.
const Images = 24

// Config is the generated site's helpgen.toml: three regions whose
// variables differ, a sibling-site prefix for the checker to skip.
const Config = `title = "{{%service%}} ヘルプ"
languages = ["ja", "en", "zh"]
defaultLanguage = "ja"

[regions.JP]
baseURL = "https://jp.help.example.com/"
[regions.JP.params]
service = "cybozu.com"
slash = "cybozu.com"
CorpName = "サイボウズ"
store = "cybozu.com ストア"

[regions.US]
baseURL = "https://us.help.example.com/"
[regions.US.params]
service = "Kintone"
slash = "Kintone"
CorpName = "Kintone Corporation"
store = "Kintone Store"

[regions.CN]
baseURL = "https://cn.help.example.com/"
[regions.CN.params]
service = "cybozu.cn"
slash = "cybozu.cn"
CorpName = "Cybozu"
store = "cybozu.cn ストア"

[check]
skipPrefixes = ["/ja/settings/"]
`

// Words the generated sentences are made of.
var (
	subjects = []string{"ユーザー", "{{%slash%}}共通管理者", "組織の管理者", "アプリの管理者", "システム管理者", "利用者", "担当者"}
	objects  = []string{"パスワード", "ログイン名", "メールアドレス", "組織", "グループ", "アクセス権", "IPアドレス制限", "二要素認証", "ライセンス", "通知", "ファイル", "ブラウザーの設定", "セキュリティ設定", "利用状況"}
	verbs    = []string{"変更します", "確認します", "設定します", "追加します", "削除します", "リセットします", "有効にします", "無効にします", "保存します", "ダウンロードします"}
	buttons  = []string{"保存", "キャンセル", "設定", "追加する", "削除する", "変更する", "次へ", "戻る", "適用", "ログインでお困りですか？"}
	screens  = []string{"ログイン画面", "{{%service%}}共通管理画面", "ユーザー情報の画面", "組織の設定画面", "パスワードの変更画面", "セキュリティの画面", "メールの入力画面"}
	topics   = []string{"ログイン", "パスワード", "ユーザー管理", "組織とグループ", "セキュリティ", "契約とライセンス", "通知", "データの書き出し", "外部サービス連携", "ブラウザーとアプリ"}
)

// page is what other pages need to know to link to one.
type page struct {
	url     string
	anchor  string // a heading id present in every region
	regions string // front matter restriction, "" when in every region
}

// Write generates a site under dir: helpgen.toml, content/ and static/.
func Write(dir string, o Options) (Stats, error) {
	if o.Pages <= 0 {
		o.Pages = 5000
	}
	if o.PerSection <= 0 {
		o.PerSection = 50
	}
	g := &gen{r: rand.New(rand.NewPCG(uint64(o.Seed), 0x68656c7067656e)), dir: dir, size: o.Size}
	var st Stats
	if err := g.write("helpgen.toml", []byte(Config)); err != nil {
		return st, err
	}
	if err := writeImages(filepath.Join(dir, "static", "general", "img-ja")); err != nil {
		return st, err
	}
	st.Images = Images

	// Plan every page first so cross-links can point anywhere.
	pages := make([]page, o.Pages)
	for i := range pages {
		sec := i / o.PerSection
		p := page{
			url:    fmt.Sprintf("/general/ja/s%04d/p%06d.html", sec, i),
			anchor: fmt.Sprintf("p%06d_10", i),
		}
		switch {
		case i%40 == 17:
			p.regions = "disabled: [CN]"
		case i%97 == 5:
			p.regions = "enabled: [JP]"
		}
		pages[i] = p
	}
	sections := (o.Pages + o.PerSection - 1) / o.PerSection

	home := "---\ntitle: \"{{%service%}} ヘルプ\"\n---\n\n{{%service%}}の使い方と、困ったときの対処方法を説明します。\n"
	if err := g.write("content/_index.md", []byte(home)); err != nil {
		return st, err
	}
	if err := g.write("content/general/_index.md", []byte("---\ntitle: \"{{%service%}}共通管理\"\nweight: 1\n---\n\n{{%service%}}の共通管理の操作を説明します。\n")); err != nil {
		return st, err
	}
	if err := g.write("content/general/ja/_index.md", []byte("---\ntitle: \"共通管理ヘルプ\"\nweight: 1\n---\n\nトピックを選んでください。\n")); err != nil {
		return st, err
	}
	st.Sections = 3
	for s := 0; s < sections; s++ {
		topic := topics[s%len(topics)]
		idx := fmt.Sprintf("---\ntitle: \"%s %d\"\nweight: %d\ndescription: \"%sについて、{{%%service%%}}で行う操作です。\"\n---\n\n%sについて説明します。\n",
			topic, s+1, (s+1)*10, topic, topic)
		if err := g.write(fmt.Sprintf("content/general/ja/s%04d/_index.md", s), []byte(idx)); err != nil {
			return st, err
		}
		st.Sections++
	}
	for i := range pages {
		b := g.page(i, pages)
		if err := g.write(strings.TrimSuffix(strings.TrimPrefix(pages[i].url, "/"), ".html")+".md", b, "content"); err != nil {
			return st, err
		}
		st.Bytes += int64(len(b))
	}
	st.Pages = o.Pages
	return st, nil
}

type gen struct {
	r    *rand.Rand
	dir  string
	size Size
	b    bytes.Buffer
}

func (g *gen) write(rel string, b []byte, under ...string) error {
	name := filepath.Join(append(append([]string{g.dir}, under...), filepath.FromSlash(rel))...)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o644)
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) sentence() string {
	return fmt.Sprintf("%sが%sを%s", g.pick(subjects), g.pick(objects), g.pick(verbs))
}

// link returns a Markdown link to a page other than self that the reader of
// every region holding self can follow, wrapped in a conditional when the
// target is restricted.
func (g *gen) link(self int, pages []page) string {
	j := g.r.IntN(len(pages))
	if j == self {
		j = (j + 1) % len(pages)
	}
	t := pages[j]
	l := fmt.Sprintf("[%sについて](%s)", g.pick(objects), t.url)
	if g.r.IntN(2) == 0 {
		l = fmt.Sprintf("[%sの手順](%s#%s)", g.pick(objects), t.url, t.anchor)
	}
	switch t.regions {
	case "disabled: [CN]":
		return "{{% disabled CN %}}詳細は、" + l + "を参照してください。{{% /disabled %}}"
	case "enabled: [JP]":
		return "{{% enabled JP %}}詳細は、" + l + "を参照してください。{{% /enabled %}}"
	}
	return "詳細は、" + l + "を参照してください。"
}

func (g *gen) screen(alt string) string {
	return fmt.Sprintf(`{{< screen src="/general/img-ja/corpus_img%02d.png" alt="%s" >}}`, g.r.IntN(Images), alt)
}

// page writes page i's Markdown.
func (g *gen) page(i int, pages []page) []byte {
	b := &g.b
	b.Reset()
	p := pages[i]
	obj := g.pick(objects)
	fmt.Fprintf(b, "---\ntitle: \"%sを%s{{%% enabled US %%}}（{{%%service%%}}）{{%% /enabled %%}}\"\nweight: %d\n", obj, g.pick(verbs), (i%50+1)*10)
	if g.r.IntN(3) > 0 {
		fmt.Fprintf(b, "description: \"{{%%service%%}}で%sを扱う方法です。\"\n", obj)
	}
	if p.regions != "" {
		b.WriteString(p.regions + "\n")
	}
	if i%25 == 3 {
		fmt.Fprintf(b, "aliases: [\"/ja/id/%06d\"]\n", 40000+i)
	}
	b.WriteString("---\n\n")

	fmt.Fprintf(b, "%s。  \n%sの画面で操作します。\n\n", g.sentence(), "{{%service%}}")
	b.WriteString("{{% enabled JP %}}\n" + g.sentence() + "。{{%CorpName%}}のサポートにも問い合わせできます。\n{{% /enabled %}}\n\n")
	if g.r.IntN(2) == 0 {
		fmt.Fprintf(b, "{{%% warning %%}}\n%s前に、%sを確認してください。\n{{%% /warning %%}}\n\n", g.pick(verbs), g.pick(objects))
	}

	// The first heading exists in every region: other pages link to it.
	fmt.Fprintf(b, "## %sの手順{#%s}\n\n", obj, p.anchor)
	steps := 3 + g.r.IntN(4)
	for s := 0; s < steps; s++ {
		fmt.Fprintf(b, "1. [%s]をクリックします。  \n", g.pick(buttons))
		switch g.r.IntN(5) {
		case 0:
			scr := g.pick(screens)
			fmt.Fprintf(b, "  %sが表示されます。  \n  %s  \n", scr, g.screen(scr))
		case 1:
			// A conditional nested in an indented list item, tags on their own lines.
			b.WriteString("\n    {{% disabled CN %}}\n")
			fmt.Fprintf(b, "    * %s。\n    * {{%%store%%}}で%sを確認します。\n", g.sentence(), g.pick(objects))
			b.WriteString("    {{% /disabled %}}\n")
			fmt.Fprintf(b, "    * %s。\n\n", g.sentence())
		case 2:
			fmt.Fprintf(b, "  %s  \n", g.link(i, pages))
		case 3:
			b.WriteString("\n    1. " + g.sentence() + "。  \n")
			b.WriteString("    {{% enabled JP US %}}\n")
			b.WriteString("    1. " + g.sentence() + "。  \n")
			b.WriteString("        {{% enabled US %}}\n        * {{%service%}}の" + g.pick(objects) + "を確認します。\n        {{% /enabled %}}\n")
			b.WriteString("    {{% /enabled %}}\n\n")
		default:
			fmt.Fprintf(b, "  %s。\n", g.sentence())
		}
	}
	b.WriteString("\n")

	fmt.Fprintf(b, "## %sの設定項目{#p%06d_20}\n\n", g.pick(objects), i)
	b.WriteString("| 項目 | 説明 |\n|---|---|\n")
	for r := 0; r < 2+g.r.IntN(3); r++ {
		fmt.Fprintf(b, "| %s | %s。 |\n", g.pick(objects), g.sentence())
	}
	b.WriteString("| 契約 | {{%store%}}で確認します。 |\n\n")

	if g.size == Real {
		g.troubleshoot(i, pages)
		g.questions(i, pages)
	}
	if g.r.IntN(3) == 0 {
		fmt.Fprintf(b, "{{%% enabled JP %%}}\n## {{%%CorpName%%}}に問い合わせる{#p%06d_30}\n\n%s。\n{{%% /enabled %%}}\n\n", i, g.sentence())
	}
	if g.r.IntN(2) == 0 {
		fmt.Fprintf(b, "{{%% note %%}}\n%s場合は、[ブラウザーの設定方法](/ja/settings/browser/webbrowser.html)を参照してください。\n{{%% /note %%}}\n\n", g.pick(objects))
	}
	fmt.Fprintf(b, "## 関連ページ{#p%06d_90}\n\n* %s\n* [この手順の先頭へ](#%s)\n", i, g.link(i, pages), p.anchor)
	return bytes.Clone(b.Bytes())
}

// troubleshoot writes a Real page's longer procedure, shaped like the seeds'
// troubleshooting pages: numbered steps, each with nested numbered items
// whose continuation lines hold bullets, screenshots, links to the page's own
// headings and to other pages, and conditionals nested two lists deep.
func (g *gen) troubleshoot(i int, pages []page) {
	b := &g.b
	p := pages[i]
	fmt.Fprintf(b, "## %sができない場合{#p%06d_40}\n\n", g.pick(objects), i)
	fmt.Fprintf(b, "下記の手順で問題が解決できるかどうか試してください。%s。  \n\n", g.sentence())
	for s := 0; s < 2+g.r.IntN(3); s++ {
		fmt.Fprintf(b, "1. %s。  \n\n", g.sentence())
		for k := 0; k < 1+g.r.IntN(3); k++ {
			fmt.Fprintf(b, "    1. %sを確認しましたか？  \n       %s。  \n", g.pick(objects), g.sentence())
			switch g.r.IntN(4) {
			case 0:
				fmt.Fprintf(b, "       * 「%s」をクリックする\n       * 「%s」をクリックする\n", g.pick(buttons), g.pick(buttons))
			case 1:
				scr := g.pick(screens)
				fmt.Fprintf(b, "       %sの[%s]をクリックします。  \n       %s  \n", scr, g.pick(buttons), g.screen(scr))
			case 2:
				b.WriteString("       {{% disabled CN %}}\n")
				fmt.Fprintf(b, "       * {{%%store%%}}で%sを確認する。\n       * %s。\n", g.pick(objects), g.sentence())
				b.WriteString("       {{% /disabled %}}\n")
			default:
				fmt.Fprintf(b, "       **[%sの手順](#%s)を参照してください。**  \n       %s  \n", g.pick(objects), p.anchor, g.link(i, pages))
			}
			b.WriteString("\n")
		}
	}
}

// questions writes a Real page's questions and answers: bold questions,
// answers with a link or a region's variable, one answer for Japan only.
func (g *gen) questions(i int, pages []page) {
	b := &g.b
	fmt.Fprintf(b, "## よくある質問{#p%06d_50}\n\n", i)
	for q := 0; q < 2+g.r.IntN(2); q++ {
		fmt.Fprintf(b, "**%sを%sことはできますか？**  \n%s。%s\n\n", g.pick(objects), g.pick(verbs), g.sentence(), g.link(i, pages))
	}
	fmt.Fprintf(b, "{{%% enabled JP %%}}\n**{{%%CorpName%%}}に%sを依頼できますか？**  \n%s。\n{{%% /enabled %%}}\n\n", g.pick(objects), g.sentence())
}

// writeImages writes the shared screenshots: small PNGs, each a different
// colour so their bytes differ.
func writeImages(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for n := 0; n < Images; n++ {
		img := image.NewPaletted(image.Rect(0, 0, 64, 40), color.Palette{
			color.RGBA{0xf4, 0xf6, 0xf8, 0xff},
			color.RGBA{uint8(40 + n*8), 0x70, uint8(200 - n*6), 0xff},
		})
		for y := 4; y < 12; y++ {
			for x := 4; x < 4+2*n%56+4; x++ {
				img.SetColorIndex(x, y, 1)
			}
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("corpus_img%02d.png", n)), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
