package searchbench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// writeCorpus writes an n-page site shaped like the seed pages: sections of
// 50 pages, titles with variables, headings with ids, nested region
// conditionals in paragraphs and lists, screenshots, cross-links and
// article-id aliases. It stands in until internal/corpus is on main.
func writeCorpus(dir string, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	write := func(rel, text string) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(text), 0o644)
	}
	if err := write("helpgen.toml", corpusConfig); err != nil {
		return err
	}
	if err := write("content/_index.md", "---\ntitle: \"{{%service%}} ヘルプ\"\n---\n\nヘルプのトップです。\n"); err != nil {
		return err
	}
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	sections := (n + 49) / 50
	url := func(i int) string { return fmt.Sprintf("/gen/s%03d/p%05d.html", i/50, i) }
	for s := range sections {
		if err := write(fmt.Sprintf("content/gen/s%03d/_index.md", s),
			fmt.Sprintf("---\ntitle: \"%sの%s\"\nweight: %d\n---\n\n%sについての記事です。\n", pick(nouns), pick(topics), s, pick(nouns))); err != nil {
			return err
		}
	}
	for i := range n {
		var b strings.Builder
		noun, verb := pick(nouns), pick(verbs)
		fmt.Fprintf(&b, "---\ntitle: \"%sを%s\"\nweight: %d\ndescription: \"{{%%service%%}}で%sを%s方法です。\"\naliases: [\"/ja/id/%06d\"]\n", noun, verb, i, noun, verb, 100000+i*7)
		if i%40 == 7 {
			b.WriteString("disabled: [CN]\n")
		}
		b.WriteString("---\n\n")
		fmt.Fprintf(&b, "%s  \n%s\n\n", sentence(r), sentence(r))
		for h := range 2 + r.IntN(4) {
			fmt.Fprintf(&b, "## %sを%s {#p%05d_%d}\n\n", pick(nouns), pick(verbs), i, h*10+10)
			fmt.Fprintf(&b, "%s{{%% enabled JP US %%}}%s{{%% /enabled %%}}{{%% enabled CN %%}}%s{{%% /enabled %%}}  \n", sentence(r), sentence(r), sentence(r))
			for k := range 2 + r.IntN(3) {
				fmt.Fprintf(&b, "1. %s  \n", sentence(r))
				if k == 1 {
					fmt.Fprintf(&b, "    {{%% disabled CN %%}}\n    * %s\n      {{%% enabled JP %%}}\n      * %s（{{%%CorpName%%}}）\n      {{%% /enabled %%}}\n    {{%% /disabled %%}}\n", sentence(r), sentence(r))
				}
				if k == 0 {
					fmt.Fprintf(&b, "    {{< screen src=\"/gen/img/p%05d_%d.png\" alt=\"%sの画面\" >}}  \n", i, h, pick(nouns))
				}
			}
			fmt.Fprintf(&b, "\n詳細は、[%sを%s](%s)を参照してください。\n\n", pick(nouns), pick(verbs), url(r.IntN(n)))
			if h == 1 {
				fmt.Fprintf(&b, "{{%% note %%}}\n%s{{%%store%%}}で確認できます。\n{{%% /note %%}}\n\n", sentence(r))
			}
		}
		if err := write(fmt.Sprintf("content/gen/s%03d/p%05d.md", i/50, i), b.String()); err != nil {
			return err
		}
	}
	return nil
}

func sentence(r *rand.Rand) string {
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	switch r.IntN(6) {
	case 0:
		return fmt.Sprintf("%sの%sで、[%s]をクリックします。", pick(screens), pick(places), pick(buttons))
	case 1:
		return fmt.Sprintf("%sが%s場合は、%sに%sを依頼してください。", pick(nouns), pick(states), pick(people), pick(nouns))
	case 2:
		return fmt.Sprintf("{{%%service%%}}の%sは、%sから%sできます。", pick(nouns), pick(screens), pick(verbs))
	case 3:
		return fmt.Sprintf("%sを%sと、%sが%sになります。", pick(nouns), pick(verbsTe), pick(nouns), pick(adjs))
	case 4:
		return fmt.Sprintf("%sは%d文字以上の%sを設定してください。", pick(nouns), 4+r.IntN(12), pick(nouns))
	}
	return fmt.Sprintf("%s %sの%sについては、%sに問い合わせてください。", pick(english), pick(nouns), pick(topics), pick(people))
}

var (
	nouns   = []string{"パスワード", "ログイン名", "メールアドレス", "アカウント", "ユーザー", "組織", "グループ", "役職", "アクセス権", "共通管理者", "アプリ", "スペース", "通知", "ドメイン", "サブドメイン", "証明書", "IPアドレス制限", "2要素認証", "SAML認証", "パスワードポリシー", "表示言語", "タイムゾーン", "プロフィール画像", "契約情報", "ライセンス", "ログ", "監査ログ", "CSVファイル", "APIトークン", "Webhook", "プラグイン", "バックアップ", "セキュリティ設定", "ブラウザー", "モバイルアプリ", "クライアント証明書", "シングルサインオン", "利用者", "招待メール", "ロック"}
	verbs   = []string{"変更する", "追加する", "削除する", "設定する", "確認する", "無効にする", "有効にする", "リセットする", "ダウンロードする", "登録する", "編集する", "移行する", "復元する", "解除する"}
	verbsTe = []string{"変更する", "追加する", "削除する", "有効にする", "無効にする", "登録する"}
	screens = []string{"ユーザー情報の編集画面", "{{%service%}} 共通管理画面", "組織の設定画面", "ログイン画面", "契約情報画面", "個人設定画面", "アプリの設定画面", "セキュリティの設定画面"}
	places  = []string{"右上", "左側のメニュー", "画面下部", "一覧", "詳細画面"}
	buttons = []string{"保存", "変更", "追加", "削除", "ロックを解除", "ダウンロード", "キャンセル", "次へ", "設定"}
	states  = []string{"分からない", "表示されない", "届かない", "使えない", "ロックされた", "変更できない", "期限切れの"}
	people  = []string{"管理者", "共通管理者", "{{%CorpName%}}", "販売パートナー", "システム管理者"}
	adjs    = []string{"必須", "無効", "有効", "表示されない状態", "使用できない状態"}
	topics  = []string{"管理", "設定", "トラブルシューティング", "よくある質問", "はじめに", "セキュリティ"}
	english = []string{"Kintone", "Google Chrome", "Microsoft Edge", "Safari", "Firefox", "iOS", "Android", "Active Directory", "Azure AD", "Okta"}
)

const corpusConfig = `title = "{{%service%}} ヘルプ"
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
`
