package search

import (
	"slices"
	"strings"
	"testing"
)

// tokenCases are shared with the browser test, which runs search.js's
// tokenizer on the same inputs and expects the same terms.
var tokenCases = []struct {
	name, in string
	want     []string
}{
	{"japanese katakana", "パスワードリセット", []string{"パス", "スワ", "ワー", "ード", "ドリ", "リセ", "セッ", "ット", "ト"}},
	{"japanese kanji", "共通管理者", []string{"共通", "通管", "管理", "理者", "者"}},
	{"japanese sentence with punctuation", "ログイン名を、伝えます。", []string{"ログ", "グイ", "イン", "ン名", "名を", "を", "伝え", "えま", "ます", "す"}},
	{"chinese", "修改密码", []string{"修改", "改密", "密码", "码"}},
	{"korean", "비밀번호", []string{"비밀", "밀번", "번호", "호"}},
	{"single cjk character", "表", []string{"表"}},
	{"english words folded", "Reset the Password!", []string{"reset", "the", "password"}},
	{"digits are words", "ID 040150", []string{"id", "040150"}},
	{"mixed scripts", "Webブラウザーでcybozu.comにログイン", []string{"web", "ブラ", "ラウ", "ウザ", "ザー", "ーで", "で", "cybozu", "com", "にロ", "ログ", "グイ", "イン", "ン"}},
	{"digits then kanji", "8文字以上", []string{"8", "文字", "字以", "以上", "上"}},
	{"full-width latin", "ＡＢＣ　Ｌｏｇｉｎ", []string{"abc", "login"}},
	{"full-width digits", "０４０１５０", []string{"040150"}},
	{"half-width katakana", "ﾊﾟｽﾜｰﾄﾞ", []string{"パス", "スワ", "ワー", "ード", "ド"}},
	{"accents kept", "Café crème", []string{"café", "crème"}},
	{"long word cut", strings.Repeat("a", 40), []string{strings.Repeat("a", MaxWord)}},
	{"only punctuation", "「」、。!?", nil},
	{"empty", "", nil},
}

func TestTerms(t *testing.T) {
	for _, tc := range tokenCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := TermList(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("TermList(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// The reader's examples from the issue: a word inside a longer compound is
// found because every key of its query is a term of the compound.
func TestSubwordFound(t *testing.T) {
	for _, tc := range []struct{ word, text string }{
		{"パスワード", "パスワードリセット"},
		{"管理者", "共通管理者"},
		{"密码", "修改密码"},
		{"ABC", "ＡＢＣ"},
		{"login", "LOGIN"},
	} {
		have := map[string]bool{}
		for _, term := range TermList(tc.text) {
			have[term] = true
		}
		for _, qt := range ParseQuery(tc.word).Terms {
			for _, key := range qt.Keys {
				if !have[key] {
					t.Errorf("%q: key %q of %q not among %q", tc.word, key, tc.word, TermList(tc.text))
				}
			}
		}
	}
}

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []QueryTerm
	}{
		{"パスワード", []QueryTerm{{Text: "パスワード", Keys: []string{"パス", "スワ", "ワー", "ード"}}}},
		{"パスワードを", []QueryTerm{{Text: "パスワードを", Keys: []string{"パス", "スワ", "ワー", "ード", "ドを"}}}},
		{"ログイン画面", []QueryTerm{{Text: "ログイン画面", Keys: []string{"ログ", "グイ", "イン", "ン画", "画面"}}}},
		// Seven pairs: the four that cover the run and two of the three joins.
		{"パスワードを変更", []QueryTerm{{Text: "パスワードを変更", Keys: []string{"パス", "スワ", "ワー", "ドを", "を変", "変更"}}}},
		{"管理", []QueryTerm{{Text: "管理", Keys: []string{"管理"}}}},
		{"表", []QueryTerm{{Text: "表", Keys: []string{"表"}, Prefix: true}}},
		{"pass", []QueryTerm{{Text: "pass", Keys: []string{"pass"}, Prefix: true}}},
		{"pass ", []QueryTerm{{Text: "pass", Keys: []string{"pass"}}}},
		{"p", []QueryTerm{{Text: "p", Keys: []string{"p"}}}},
		{"Reset PASSWORD", []QueryTerm{{Text: "reset", Keys: []string{"reset"}}, {Text: "password", Keys: []string{"password"}, Prefix: true}}},
		{"ロック ロック", []QueryTerm{{Text: "ロック", Keys: []string{"ロッ", "ック"}}}},
		{"０４０１５０", []QueryTerm{{Text: "040150", Keys: []string{"040150"}, Prefix: true}}},
		{"  、。", nil},
		{"ログインできないときに最初に確認すること", []QueryTerm{{Text: "ログインできないときに最初に確認すること",
			Keys: []string{"ログ", "イン", "ない", "に最", "確認", "こと"}}}},
		{"/ja/id/040150", []QueryTerm{{Text: "040150", Keys: []string{"040150"}, Prefix: true}}},
		{"https://jp.example.com/ja/id/040150.html", []QueryTerm{{Text: "040150", Keys: []string{"040150"}, Prefix: true}}},
		{"ID 040150", []QueryTerm{{Text: "040150", Keys: []string{"040150"}, Prefix: true}}},
		{"ＩＤ：０４０１５０", []QueryTerm{{Text: "040150", Keys: []string{"040150"}, Prefix: true}}},
		{"id 0401", []QueryTerm{{Text: "0401", Keys: []string{"0401"}, Prefix: true}}},
		{"10/11", []QueryTerm{{Text: "10", Keys: []string{"10"}}, {Text: "11", Keys: []string{"11"}, Prefix: true}}},
		{"id token", []QueryTerm{{Text: "id", Keys: []string{"id"}}, {Text: "token", Keys: []string{"token"}, Prefix: true}}},
		{"idp2", []QueryTerm{{Text: "idp2", Keys: []string{"idp2"}, Prefix: true}}},
		{"a b c d e f g h i j", []QueryTerm{{Text: "a", Keys: []string{"a"}}, {Text: "b", Keys: []string{"b"}}, {Text: "c", Keys: []string{"c"}},
			{Text: "d", Keys: []string{"d"}}, {Text: "e", Keys: []string{"e"}}, {Text: "f", Keys: []string{"f"}}, {Text: "g", Keys: []string{"g"}}, {Text: "h", Keys: []string{"h"}}}},
	} {
		got := ParseQuery(tc.in).Terms
		if !equalTerms(got, tc.want) {
			t.Errorf("ParseQuery(%q)\n got %+v\nwant %+v", tc.in, got, tc.want)
		}
	}
}

func equalTerms(a, b []QueryTerm) bool {
	return slices.EqualFunc(a, b, func(x, y QueryTerm) bool {
		return x.Text == y.Text && x.Prefix == y.Prefix && slices.Equal(x.Keys, y.Keys)
	})
}

func FuzzTerms(f *testing.F) {
	for _, tc := range tokenCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		Terms(n, func(term string) {
			if term == "" || !strings.Contains(n, term) {
				t.Fatalf("term %q is not a non-empty substring of %q", term, n)
			}
		})
		ParseQuery(s)
	})
}
