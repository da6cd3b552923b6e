// Command wskb serves the WebSocket failure knowledge base and checks its
// entries.
//
//	wskb [serve] [--addr :8080] [--db FILE] [--dev]
//	wskb check [DIR]
//	wskb search QUERY
//	wskb decode [HEX | -]
//	wskb handshake [FILE | -]
//	wskb mcp [--db FILE]
//	wskb encode [TEXT]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/wskb/wskb/api"
	"github.com/wskb/wskb/entries"
	"github.com/wskb/wskb/kb"
)

const usage = `wskb: the WebSocket failure knowledge base

Usage:
  wskb [serve] [flags]   run the web service (the default)
  wskb check [DIR]       validate entry files (DIR defaults to the embedded entries)
  wskb lookup CODE | ID  show a close code or an entry (--lang, --json, --md)
  wskb search QUERY      find the entries that explain an error line (- reads stdin)
  wskb decode [HEX | -]  decode WebSocket frames (exit 1 when they break the protocol)
  wskb handshake [FILE]  check a pasted opening handshake (exit 1 when it is broken)
  wskb export DIR        write the knowledge base as files (--format json|ndjson|md)
  wskb encode [TEXT]     build a frame and print it as hex
  wskb mcp [--db FILE]   serve the MCP tools over stdin/stdout (for AI assistants)
  wskb help              show this help

Run "wskb serve --help" for the service's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run returns the exit code: 0 success, 1 failure, 2 usage.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && (len(args[0]) == 0 || args[0][0] != '-') {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args, stderr)
	case "check":
		return check(args, stdout, stderr)
	case "mcp":
		return mcpCmd(args, os.Stdin, stdout, stderr)
	case "lookup":
		return lookupCmd(args, stdout, stderr)
	case "export":
		return exportCmd(args, stdout, stderr)
	case "search":
		return searchCmd(args, os.Stdin, stdout, stderr)
	case "handshake":
		return handshakeCmd(args, os.Stdin, stdout, stderr)
	case "decode":
		return decodeCmd(args, os.Stdin, stdout, stderr)
	case "encode":
		return encodeCmd(args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "wskb: unknown command %q\n\n%s", cmd, usage)
	return 2
}

func serve(args []string, stderr io.Writer) int {
	fset := flag.NewFlagSet("serve", flag.ContinueOnError)
	fset.SetOutput(stderr)
	addr := fset.String("addr", envOr("WSKB_ADDR", ":8080"), "listen address (env WSKB_ADDR)")
	db := fset.String("db", envOr("WSKB_DB", defaultDB()), "SQLite data file, created with its folder when missing (env WSKB_DB)")
	cacheFlag := fset.String("search-cache", envOr("WSKB_SEARCH_CACHE", strconv.Itoa(api.DefaultSearchCache)), "how many search answers to keep in memory; 0 turns the cache off (env WSKB_SEARCH_CACHE)")
	dev := fset.Bool("dev", false, "read entries/, templates/, i18n/ and static/ from the working directory instead of the embedded copies")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(stderr, "wskb serve: unexpected argument %q\n", fset.Arg(0))
		return 2
	}
	if *db == "" {
		fmt.Fprintln(stderr, "wskb serve: --db needs the path of the data file")
		return 2
	}
	cache, err := strconv.Atoi(*cacheFlag)
	if err != nil || cache < 0 {
		fmt.Fprintf(stderr, "wskb serve: --search-cache %q is not a whole number ≥ 0\n", *cacheFlag)
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))

	src := api.Embedded()
	if *dev {
		src = api.Sources{Entries: os.DirFS("entries"), Templates: os.DirFS("templates"), I18n: os.DirFS("i18n"), Static: os.DirFS("static"), EntriesName: "entries/"}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv, st, err := api.Boot(ctx, src, *db, log)
	if err != nil {
		fmt.Fprintf(stderr, "wskb: %v\n", err)
		return 1
	}
	srv.SetSearchCache(cache)
	go srv.Compress()
	hs := srv.HTTPServer(*addr)
	errc := make(chan error, 1)
	go func() {
		log.Info("listening", "addr", *addr)
		if err := hs.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
		close(errc)
	}()
	code := 0
	select {
	case err := <-errc:
		log.Error("server stopped", "err", err)
		code = 1
	case <-ctx.Done():
		stop() // a second signal stops the process at once
		log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := hs.Shutdown(sctx); err != nil {
			log.Error("shutdown", "err", err)
			code = 1
		}
		cancel()
	}
	if err := st.Close(); err != nil {
		log.Error("closing the store", "err", err)
		code = 1
	}
	log.Info("stopped")
	return code
}

func check(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("check", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprintln(stderr, "usage: wskb check [DIR]  (DIR defaults to the embedded entries)") }
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var (
		fsys fs.FS = entries.FS
		name       = "entries/"
		what       = "the embedded entries"
	)
	switch fset.NArg() {
	case 0:
	case 1:
		dir := fset.Arg(0)
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "wskb check: %s is not a folder\n", dir)
			return 2
		}
		fsys, name, what = os.DirFS(dir), filepath.ToSlash(filepath.Clean(dir))+"/", dir
	default:
		fset.Usage()
		return 2
	}
	list, err := kb.Load(fsys, name)
	if err != nil {
		var ps kb.Problems
		if errors.As(err, &ps) {
			for _, p := range ps {
				fmt.Fprintln(stderr, p.String())
			}
			fmt.Fprintf(stderr, "%d problem(s) in %s\n", len(ps), what)
		} else {
			fmt.Fprintf(stderr, "wskb check: %v\n", err)
		}
		return 1
	}
	fmt.Fprintf(stdout, "%d entries in %s: all valid\n", len(list), what)
	return 0
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// defaultDB is the data file's default place, which needs no setup:
// $XDG_DATA_HOME/wskb/wskb.db (~/.local/share/wskb/wskb.db) on Unix, the
// user's application-data folder on macOS and Windows, and the temporary
// folder when there is no home.
func defaultDB() string {
	var dir string
	switch runtime.GOOS {
	case "darwin", "windows", "ios", "plan9":
		dir, _ = os.UserConfigDir()
	default:
		if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
			dir = d
		} else if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".local", "share")
		}
	}
	if dir == "" {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "wskb", "wskb.db")
}
