#!/usr/bin/env bash
# Load test on loopback: /healthz, the entry routes, decode and search in the same run,
# wrk with 2 threads and 64 connections for 10 s each. Not part of CI (the
# numbers depend on the machine); the README's performance section quotes it.
# Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
addr=127.0.0.1:${PORT:-18080}
tmp=$(mktemp -d)
trap 'kill $pid $pid2 2>/dev/null; wait $pid $pid2 2>/dev/null; rm -rf "$tmp"' EXIT
go build -tags sqlite_fts5 -o "$tmp/wskb" ./cmd/wskb
"$tmp/wskb" serve --addr "$addr" --db "$tmp/wskb.db" 2>/dev/null &
pid=$!
# A second server without the search cache, for the search's own cost.
addr2=127.0.0.1:$((${PORT:-18080} + 1))
"$tmp/wskb" serve --addr "$addr2" --db "$tmp/wskb2.db" --search-cache 0 2>/dev/null &
pid2=$!
for _ in $(seq 100); do curl -fs "http://$addr/healthz" >/dev/null && curl -fs "http://$addr2/healthz" >/dev/null && break; sleep 0.1; done
entry=/api/v1/entries/communication/websocket-close-frame-1009-message-too-large
rps() { wrk -t2 -c64 -d10s "${@:2}" "http://$addr$1" | awk '/Requests\/sec/ {print $2}'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.0f", 100*a/b}'; }
wrk -t2 -c64 -d2s "http://$addr/healthz" >/dev/null # warm up
gz=(-H "Accept-Encoding: gzip")
h=$(rps /healthz)
e=$(rps "$entry")
p=$(rps "${entry/\/api\/v1/}")
eg=$(rps "$entry" "${gz[@]}")
pg=$(rps "${entry/\/api\/v1/}" "${gz[@]}")
d=$(rps /api/v1/decode -s .ci/wrk-decode.lua)
# A 150-character pasted line: a timestamp, a URL and Chrome's handshake error.
line="2024-05-01T10:00:00.123Z WebSocket connection to 'wss://api.example.com/socket' failed: Error during WebSocket handshake: Unexpected response code: 400"
q="/api/v1/search?q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$line")"
sc=$(rps "$q")
sb=$(rps "/api/v1/search?q=1006")
su=$(wrk -t2 -c64 -d10s "http://$addr2$q" | awk '/Requests\/sec/ {print $2}')
echo "healthz:                 $h req/s"
echo "entry JSON:              $e req/s ($(pct "$e" "$h")% of healthz)"
echo "entry HTML:              $p req/s ($(pct "$p" "$h")% of healthz)"
echo "entry JSON, gzip client: $eg req/s ($(pct "$eg" "$h")% of healthz)"
echo "entry HTML, gzip client: $pg req/s ($(pct "$pg" "$h")% of healthz)"
echo "decode, 1 KiB frame:     $d req/s ($(pct "$d" "$h")% of healthz)"
echo "search, pasted line:     $sc req/s ($(pct "$sc" "$h")% of healthz)"
echo "search, 1006:            $sb req/s ($(pct "$sb" "$h")% of healthz)"
echo "search, pasted line, no cache: $su req/s ($(pct "$su" "$h")% of healthz)"
