package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/wskb/wskb/api"
	"github.com/wskb/wskb/kb/frame"
)

// TestProblemEntriesExist: every decoder problem mapped to an entry names a
// kind of problem the decoder has and an entry that ships.
func TestProblemEntriesExist(t *testing.T) {
	srv := newServer(t)
	for id, entry := range api.ProblemEntries {
		if !slices.Contains(frame.ProblemIDs, id) {
			t.Errorf("ProblemEntries maps %q, which the decoder never reports", id)
		}
		if rec := do(t, srv, req{path: "/api/v1/entries/" + entry}); rec.Code != http.StatusOK {
			t.Errorf("ProblemEntries[%q] = %q: GET gives %d", id, entry, rec.Code)
		}
	}
}

// TestDecodeLinksTheViolationsEntry: a problem links the entry for that
// violation, in the request's language.
func TestDecodeLinksTheViolationsEntry(t *testing.T) {
	srv := newServer(t)
	rec := do(t, srv, req{method: http.MethodPost, path: "/api/v1/decode", header: map[string]string{"Content-Type": "application/json"},
		body: strings.NewReader(`{"hex": "c1 02 68 69", "lang": "zh"}`)})
	var out struct {
		Problems []struct{ ID, URL string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	for _, p := range out.Problems {
		if p.ID == "rsv1-no-extension" {
			if p.URL != "/zh/entries/communication/frame-rsv1-set-without-permessage-deflate" {
				t.Errorf("rsv1-no-extension links %q", p.URL)
			}
			return
		}
	}
	t.Errorf("no rsv1-no-extension problem in %s", rec.Body)
}
