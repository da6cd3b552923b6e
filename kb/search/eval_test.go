package search_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/search"
)

// evalItem is one real error line from testdata/eval.json: collected from
// public issue threads, documentation and library source (Source), with
// the entry that explains it.
type evalItem struct {
	Line      string `json:"line"`
	Expect    string `json:"expect"`
	Ecosystem string `json:"ecosystem"`
	Source    string `json:"source"`
}

// Issue 5 asks for at least 90 % top-1 and 97 % top-3 on this set; the
// test fails below them.
const (
	minTop1 = 90.0
	minTop3 = 97.0
)

// TestEvaluation measures search on the evaluation set: the share of lines
// whose entry comes first (top-1) and among the first three (top-3). Run
// with -v to see the figures and every miss.
func TestEvaluation(t *testing.T) {
	b, err := os.ReadFile("testdata/eval.json")
	if err != nil {
		t.Fatal(err)
	}
	var items []evalItem
	if err := json.Unmarshal(b, &items); err != nil {
		t.Fatal(err)
	}
	if len(items) < 50 {
		t.Fatalf("the evaluation set has %d lines; it needs at least 50", len(items))
	}
	s := shipped(t)
	var top1, top3 int
	var misses []string
	for _, it := range items {
		if it.Line == "" || it.Expect == "" || !(strings.HasPrefix(it.Source, "https://") || strings.HasPrefix(it.Source, "http://")) {
			t.Errorf("incomplete item: %+v", it)
			continue
		}
		l := kb.EN
		if search.HasHan(it.Line) {
			l = kb.ZH
		}
		res, err := s.Search(context.Background(), search.Parse(it.Line), l, 3)
		if err != nil {
			t.Fatal(err)
		}
		rank := 0
		var got []string
		for i, r := range res.Entries {
			got = append(got, strings.TrimPrefix(r.Entry.ID, "communication/"))
			if r.Entry.ID == it.Expect && rank == 0 {
				rank = i + 1
			}
		}
		switch {
		case rank == 1:
			top1++
			top3++
		case rank > 1:
			top3++
			misses = append(misses, fmt.Sprintf("rank %d: %.90q\n    want %s\n    got  %v", rank, it.Line, it.Expect, got))
		default:
			misses = append(misses, fmt.Sprintf("missed: %.90q\n    want %s\n    got  %v", it.Line, it.Expect, got))
		}
	}
	n := float64(len(items))
	p1, p3 := 100*float64(top1)/n, 100*float64(top3)/n
	t.Logf("evaluation: %d lines, top-1 %.1f %% (%d), top-3 %.1f %% (%d)", len(items), p1, top1, p3, top3)
	for _, m := range misses {
		t.Log(m)
	}
	if p1 < minTop1 || p3 < minTop3 {
		t.Errorf("top-1 %.1f %% (floor %.0f %%), top-3 %.1f %% (floor %.0f %%)", p1, minTop1, p3, minTop3)
	}
}
