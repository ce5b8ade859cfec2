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
	{"japanese katakana folds to hiragana", "パスワードリセット", []string{"ぱす", "すわ", "わー", "ーど", "どり", "りせ", "せっ", "っと", "と"}},
	{"hiragana and katakana alike", "ろぐいん ログイン", []string{"ろぐ", "ぐい", "いん", "ん", "ろぐ", "ぐい", "いん", "ん"}},
	{"iteration marks fold", "ヽヾゝ", []string{"ゝゞ", "ゞゝ", "ゝ"}},
	{"katakana without a hiragana twin stays", "ヷ", []string{"ヷ"}},
	{"japanese kanji", "共通管理者", []string{"共通", "通管", "管理", "理者", "者"}},
	{"japanese sentence with punctuation", "ログイン名を、伝えます。", []string{"ろぐ", "ぐい", "いん", "ん名", "名を", "を", "伝え", "えま", "ます", "す"}},
	{"chinese", "修改密码", []string{"修改", "改密", "密码", "码"}},
	{"korean", "비밀번호", []string{"비밀", "밀번", "번호", "호"}},
	{"single cjk character", "表", []string{"表"}},
	{"english words folded", "Reset the Password!", []string{"reset", "the", "password"}},
	{"digits are words", "ID 040150", []string{"id", "040150"}},
	{"mixed scripts joined where they touch", "Webブラウザーでcybozu.comにログイン", []string{"web", "bぶ", "ぶら", "らう", "うざ", "ざー", "ーで", "で", "でc", "cybozu", "com", "mに", "にろ", "ろぐ", "ぐい", "いん", "ん"}},
	{"digits then kanji", "8文字以上", []string{"8", "8文", "文字", "字以", "以上", "上"}},
	{"kanji then digits", "方法1と方法12", []string{"方法", "法", "法1", "1", "1と", "と方", "方法", "法", "法1", "12"}},
	{"katakana then latin", "パスワードURL", []string{"ぱす", "すわ", "わー", "ーど", "ど", "どu", "url"}},
	{"a space keeps scripts apart", "cybozu.com ストア", []string{"cybozu", "com", "すと", "とあ", "あ"}},
	{"long word joined by its last letter", strings.Repeat("b", 40) + "表", []string{strings.Repeat("b", MaxWord), "b表", "表"}},
	{"full-width latin", "ＡＢＣ　Ｌｏｇｉｎ", []string{"abc", "login"}},
	{"full-width digits", "０４０１５０", []string{"040150"}},
	{"half-width katakana", "ﾊﾟｽﾜｰﾄﾞ", []string{"ぱす", "すわ", "わー", "ーど", "ど"}},
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
		{"パスワード", []QueryTerm{{Text: "ぱすわーど", Keys: []string{"ぱす", "すわ", "わー", "ーど"}}}},
		{"ぱすわーど", []QueryTerm{{Text: "ぱすわーど", Keys: []string{"ぱす", "すわ", "わー", "ーど"}}}},
		{"パスワードを", []QueryTerm{{Text: "ぱすわーどを", Keys: []string{"ぱす", "すわ", "わー", "ーど", "どを"}}}},
		{"ログイン画面", []QueryTerm{{Text: "ろぐいん画面", Keys: []string{"ろぐ", "ぐい", "いん", "ん画", "画面"}}}},
		// Seven pairs: the four that cover the run and two of the three joins.
		{"パスワードを変更", []QueryTerm{{Text: "ぱすわーどを変更", Keys: []string{"ぱす", "すわ", "わー", "どを", "を変", "変更"}}}},
		{"管理", []QueryTerm{{Text: "管理", Keys: []string{"管理"}, Exact: true}}},
		{"表", []QueryTerm{{Text: "表", Keys: []string{"表"}, Prefix: true, Exact: true}}},
		{"pass", []QueryTerm{{Text: "pass", Keys: []string{"pass"}, Prefix: true, Exact: true}}},
		{"pass ", []QueryTerm{{Text: "pass", Keys: []string{"pass"}, Exact: true}}},
		{"p", []QueryTerm{{Text: "p", Keys: []string{"p"}, Exact: true}}},
		{"Reset PASSWORD", []QueryTerm{{Text: "reset", Keys: []string{"reset"}, Exact: true}, {Text: "password", Keys: []string{"password"}, Prefix: true, Exact: true}}},
		{"ロック ロック", []QueryTerm{{Text: "ろっく", Keys: []string{"ろっ", "っく"}}}},
		{"０４０１５０", []QueryTerm{{Text: "040150", Keys: []string{"040150"}, Prefix: true, Exact: true}}},
		{"  、。", nil},
		{"ログインできないときに最初に確認すること", []QueryTerm{{Text: "ろぐいんできないときに最初に確認すること",
			Keys: []string{"ろぐ", "いん", "ない", "に最", "確認", "こと"}}}},
		{"/ja/id/040150", []QueryTerm{{Text: "040150", Keys: []string{"040150"}, Prefix: true, Exact: true}}},
		{"https://jp.example.com/ja/id/040150.html", []QueryTerm{{Text: "040150", Keys: []string{"040150"}, Prefix: true, Exact: true}}},
		{"ID 040150", []QueryTerm{{Text: "040150", Keys: []string{"040150"}, Prefix: true, Exact: true}}},
		{"ＩＤ：０４０１５０", []QueryTerm{{Text: "040150", Keys: []string{"040150"}, Prefix: true, Exact: true}}},
		{"id 0401", []QueryTerm{{Text: "0401", Keys: []string{"0401"}, Prefix: true, Exact: true}}},
		{"10/11", []QueryTerm{{Text: "10", Keys: []string{"10"}, Exact: true}, {Text: "11", Keys: []string{"11"}, Prefix: true, Exact: true}}},
		{"id token", []QueryTerm{{Text: "id", Keys: []string{"id"}, Exact: true}, {Text: "token", Keys: []string{"token"}, Prefix: true, Exact: true}}},
		{"idp2", []QueryTerm{{Text: "idp2", Keys: []string{"idp2"}, Prefix: true, Exact: true}}},
		{"a b c d e f g h i j", []QueryTerm{{Text: "a", Keys: []string{"a"}, Exact: true}, {Text: "b", Keys: []string{"b"}, Exact: true}, {Text: "c", Keys: []string{"c"}, Exact: true},
			{Text: "d", Keys: []string{"d"}, Exact: true}, {Text: "e", Keys: []string{"e"}, Exact: true}, {Text: "f", Keys: []string{"f"}, Exact: true},
			{Text: "g", Keys: []string{"g"}, Exact: true}, {Text: "h", Keys: []string{"h"}, Exact: true}}},
		// Scripts that touch stay one phrase, joined by their junctions.
		{"方法1", []QueryTerm{{Text: "方法1", Keys: []string{"方法", "法1", "1"}, Prefix: true}}},
		{"方法1 ", []QueryTerm{{Text: "方法1", Keys: []string{"方法", "法1", "1"}}}},
		{"パスワードURL", []QueryTerm{{Text: "ぱすわーどurl", Keys: []string{"ぱす", "すわ", "わー", "ーど", "どu", "url"}, Prefix: true}}},
		{"cybozu.comストア", []QueryTerm{{Text: "cybozu", Keys: []string{"cybozu"}, Exact: true}, {Text: "comすとあ", Keys: []string{"com", "mす", "すと", "とあ"}}}},
		{"IPアドレス", []QueryTerm{{Text: "ipあどれす", Keys: []string{"ip", "pあ", "あど", "どれ", "れす"}}}},
		{"1表", []QueryTerm{{Text: "1表", Keys: []string{"1", "1表"}}}},
	} {
		got := ParseQuery(tc.in).Terms
		if !equalTerms(got, tc.want) {
			t.Errorf("ParseQuery(%q)\n got %+v\nwant %+v", tc.in, got, tc.want)
		}
	}
}

// Matches is the definition of what a phrase finds, which the corpus test
// checks the whole search against.
func TestMatches(t *testing.T) {
	for _, tc := range []struct {
		q, text string
		want    bool
	}{
		{"方法1", "方法1を選びます", true},
		{"方法1", "方法12を選びます", true},
		{"方法1 ", "方法12を選びます", false},
		{"方法1", "方法 1", false},
		{"方法1", "寸法1", false},
		{"1方法", "21方法", false},
		{"1方法", "x 1方法", true},
		{"パスワードURL", "ぱすわーどurlを", true},
		{"パスワードURL ", "ぱすわーどurls", false},
		{"cybozu.comストア", "cybozu.com すとあ", false},
		{"cybozu.comストア", "cybozu.comすとあ", true},
		{"pass", "bypass", false},
		{"pass", "password", true},
		{"pass ", "password", false},
		{"pass ", "a pass.", true},
		{"ロック", "ろっくされる", true},
		{"ックさ", "ろっくされる", true},
		{"amp", "a&b", false},
	} {
		q := ParseQuery(tc.q)
		got := true
		for _, term := range q.Terms {
			got = got && term.Matches(Normalize(tc.text))
		}
		if got != tc.want {
			t.Errorf("%q in %q: %v, want %v", tc.q, tc.text, got, tc.want)
		}
	}
}

func equalTerms(a, b []QueryTerm) bool {
	return slices.EqualFunc(a, b, func(x, y QueryTerm) bool {
		return x.Text == y.Text && x.Prefix == y.Prefix && x.Exact == y.Exact && slices.Equal(x.Keys, y.Keys)
	})
}

func FuzzTerms(f *testing.F) {
	for _, tc := range tokenCases {
		f.Add(tc.in)
	}
	for _, q := range []string{"方法1", "パスワードURL ", "cybozu.comストア", "1表x", "ｶﾞ1"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		Terms(n, func(term string) {
			if term == "" || !strings.Contains(n, term) {
				t.Fatalf("term %q is not a non-empty substring of %q", term, n)
			}
		})
		// Every phrase of a query is found in its own text, and every key
		// a phrase looks up is a term of that text: what holds the phrase
		// holds its keys.
		q := ParseQuery(s)
		if articleQuery(n) != "" {
			return
		}
		for _, pt := range q.Terms {
			if !pt.Matches(n) {
				t.Fatalf("%q: phrase %q does not match its own text %q", s, pt.Text, n)
			}
			terms := TermList(pt.Text)
			for _, k := range pt.Keys {
				if !slices.Contains(terms, k) {
					t.Fatalf("%q: key %q of phrase %q is not among its terms %q", s, k, pt.Text, terms)
				}
			}
		}
	})
}
