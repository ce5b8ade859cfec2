package search

import (
	"strings"
	"testing"

	"github.com/helpgen/helpgen/internal/corpus"
	"github.com/helpgen/helpgen/internal/model"
	"github.com/helpgen/helpgen/internal/output"
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

// BenchmarkWriteRegion writes the index of one region of 1,000 real-sized
// pages from its pages' Facts (memory), and from a spill that takes every
// page first (spill): the difference is what the spill costs a build.
func BenchmarkWriteRegion(b *testing.B) {
	r := builtCorpus(b, corpus.Options{Pages: 1000, Seed: 1, Size: corpus.Real})[0]
	discard := model.FileWriter(output.OutputFunc(func(string, string, []byte) error { return nil }))
	b.Run("memory", func(b *testing.B) {
		w := Writer(DefaultOptions)
		for b.Loop() {
			if err := w.WriteRegion(r, discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("spill", func(b *testing.B) {
		w := Writer(DefaultOptions).(model.Spiller)
		dir := b.TempDir()
		for b.Loop() {
			s := w.Spill(dir)
			for _, pg := range r.Pages {
				if err := s.Take(pg); err != nil {
					b.Fatal(err)
				}
			}
			if err := s.WriteRegion(r, discard); err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
}
