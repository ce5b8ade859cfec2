package search

import (
	"strings"
	"testing"
)

var benchText = strings.Repeat("ユーザー情報の編集画面で、[ロックを解除]をクリックします。cybozu.comの共通管理者に依頼してください。", 20)

func BenchmarkScanTerms(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	var t termList
	for b.Loop() {
		scanTerms(benchText, &t)
	}
}

func BenchmarkNormalizeTerms(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	n := 0
	for b.Loop() {
		Terms(Normalize(benchText), func(string) { n++ })
	}
}

func BenchmarkIndexDocs(b *testing.B) {
	docs := make([]*Doc, 1000)
	size := 0
	for i := range docs {
		docs[i] = &Doc{URL: "/a/b.html", Title: "ロックを解除する", Sections: []Section{{Text: string([]rune(benchText)[:200])}, {ID: "x", Heading: "管理者に依頼する", Text: string([]rune(benchText)[100:400])}}}
		size += 1500
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		NewIndex(docs, Options{Workers: 1})
	}
}
