package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/wskb/wskb/api"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/render"
	"github.com/wskb/wskb/kb/search"
)

// searchCmd is `wskb search [flags] QUERY | -`: the same search as
// /api/v1/search, offline, on the embedded entries. Exit 0 when something
// matched, 1 when nothing did, 2 on bad usage.
func searchCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("search", flag.ContinueOnError)
	fset.SetOutput(stderr)
	lang := fset.String("lang", "", "language of titles and snippets: en or zh (default: zh when the query has Chinese in it)")
	limit := fset.Int("limit", api.DefaultSearchLimit, fmt.Sprintf("most results to show, 1–%d", api.MaxSearchLimit))
	asJSON := fset.Bool("json", false, "print the JSON of /api/v1/search")
	db := fset.String("db", envOr("WSKB_DB", defaultDB()), "SQLite data file (env WSKB_DB)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: wskb search [--lang en|zh] [--limit N] [--json] [--db FILE] QUERY...   (- reads the query from stdin)")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	q := strings.Join(fset.Args(), " ")
	if q == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, search.MaxQuery+1))
		if err != nil {
			fmt.Fprintf(stderr, "wskb search: reading stdin: %v\n", err)
			return 2
		}
		q = string(b)
	}
	switch {
	case strings.TrimSpace(q) == "":
		fset.Usage()
		return 2
	case len(q) > search.MaxQuery:
		fmt.Fprintf(stderr, "wskb search: the query is longer than %d bytes; paste the error line, not the whole log\n", search.MaxQuery)
		return 2
	case *limit < 1 || *limit > api.MaxSearchLimit:
		fmt.Fprintf(stderr, "wskb search: --limit %d is outside 1–%d\n", *limit, api.MaxSearchLimit)
		return 2
	}
	l := kb.EN
	if *lang != "" {
		var ok bool
		if l, ok = kb.ParseLang(*lang); !ok {
			fmt.Fprintf(stderr, "wskb search: --lang %q: use en or zh\n", *lang)
			return 2
		}
	} else if search.HasHan(q) {
		l = kb.ZH
	}

	ctx := context.Background()
	s, msgs, st, err := api.OpenSearch(ctx, api.Embedded(), *db, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintf(stderr, "wskb: %v\n", err)
		return 1
	}
	defer st.Close()
	resp, err := api.Search(ctx, s, msgs, q, l, *limit)
	if err != nil {
		fmt.Fprintf(stderr, "wskb search: %v\n", err)
		return 1
	}
	if *asJSON {
		b, err := render.EncodeJSON(resp)
		if err != nil {
			fmt.Fprintf(stderr, "wskb search: %v\n", err)
			return 1
		}
		stdout.Write(b)
	} else {
		printResults(stdout, msgs, resp)
	}
	if len(resp.Results) == 0 {
		return 1
	}
	return 0
}

// printResults writes the results for a terminal: title, address, and why
// each matched.
func printResults(w io.Writer, msgs *render.Messages, r *api.SearchResponse) {
	t := func(id string, args ...any) string { return msgs.T(r.Lang, id, args...) }
	if b := r.Recognized.Bytes; b != nil {
		fmt.Fprintf(w, "%s %s: wskb decode %q\n\n", t("search.looks_like_bytes", "Length", b.Length), t("search.open_playground"), strings.TrimSpace(r.Query))
	}
	if len(r.Results) == 0 {
		fmt.Fprintln(w, t("search.none"))
		for _, s := range r.Suggestions {
			fmt.Fprintf(w, "  %s: %s\n", s.Title, s.URL)
		}
		return
	}
	for i, res := range r.Results {
		var tags []string
		if res.CloseCode != nil {
			tags = append(tags, fmt.Sprint(*res.CloseCode))
		}
		if res.HTTPStatus != nil {
			tags = append(tags, fmt.Sprint("HTTP ", *res.HTTPStatus))
		}
		tag := ""
		if len(tags) > 0 && res.Type == "entry" {
			tag = "  [" + strings.Join(tags, ", ") + "]"
		}
		fmt.Fprintf(w, "%d. %s%s\n   %s\n", i+1, res.Title, tag, res.URLs.HTML)
		for _, m := range res.Matched {
			switch m.Kind {
			case "signature":
				fmt.Fprintf(w, "   %s %q (%s)\n", t("search.why_signature"), m.Text, m.Ecosystem)
			case "close_code":
				if res.Type == "close_code" {
					fmt.Fprintf(w, "   %s\n", strings.TrimSuffix(strings.TrimSuffix(t("search.bare_code", "Code", m.Code), ":"), "："))
				} else {
					fmt.Fprintf(w, "   %s\n", t("search.why_close_code", "Code", m.Code))
				}
			case "http_status":
				fmt.Fprintf(w, "   %s\n", t("search.why_http_status", "Code", m.Code))
			case "text":
				fmt.Fprintf(w, "   %s: %s\n", t("search.field."+m.Field), m.Text)
			}
		}
	}
}
