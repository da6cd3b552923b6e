package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

func TestPlayground(t *testing.T) {
	srv := newServer(t)
	for _, tt := range []struct {
		name, path string
		status     int
		contains   []string
	}{
		{"empty", "/playground", 200, []string{"WebSocket frame decoder", `name="hex"`, "Masked “Hello”"}},
		{"zh", "/zh/playground", 200, []string{"WebSocket 帧解码器", `action="/zh/playground"`}},
		{"decode", "/playground?hex=81+85+37+fa+21+3d+7f+9f+4d+51+58", 200, []string{"“Hello”", "37fa213d", "1 000 0001 · 1 0000101", "Read as hex: 11 bytes, 1 frames", `id="share-link"`}},
		{"deflate", "/playground?hex=c1+07+f2+48+cd+c9+c9+07+00&deflate=1", 200, []string{"inflated", "“Hello”"}},
		{"problem links", "/playground?hex=c1+7e+00+05+48+65+6c+6c+6f+88+02+03+ee", 200, []string{"RSV1 is set", `href="https://www.rfc-editor.org/rfc/rfc6455#section-5.2"`, `href="/codes/1006"`,
			`href="/entries/communication/frame-rsv1-set-without-permessage-deflate">what it means`, `href="/entries/communication/websocket-close-code-invalid-on-the-wire">what it means`}},
		{"zh problem links", "/zh/playground?hex=88+02+03+f1", 200, []string{`href="/zh/codes/1009"`}},
		{"bad input", "/playground?hex=81+zz", 400, []string{`class="error-box"`, "line 1, column 4"}},
		{"builder", "/playground?build=1&opcode=close&fin=1&close_code=1009&close_reason=big", 200, []string{"88 05 03 f1 62 69 67", `href="/codes/1009">1009</a>`}},
		{"builder bad", "/playground?build=1&opcode=nope", 400, []string{"opcode"}},
		{"builder rsv", "/playground?build=1&opcode=binary&fin=1&rsv2=1&rsv3=1", 200, []string{"b2 00", "RSV2 or RSV3 is set"}},
		{"escaped", "/playground?hex=%3Cscript%3E", 400, []string{"&lt;script&gt;"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, srv, req{path: tt.path})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			body := rec.Body.String()
			if strings.Contains(body, "<script>") {
				t.Error("input reached the page unescaped")
			}
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
		})
	}
	// A large paste goes by POST.
	form := url.Values{"hex": {strings.Repeat("81 00 ", 3000)}}
	rec := do(t, srv, req{method: http.MethodPost, path: "/playground", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: strings.NewReader(form.Encode())})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "3000 frames") || !strings.Contains(rec.Body.String(), "Showing the first 500 of 3000 rows") || strings.Count(rec.Body.String(), "<tr") > 2*500+3 {
		t.Errorf("POST: %d", rec.Code)
	}
	// Over 1 MiB of input: the page says so, with the status 413.
	form = url.Values{"hex": {strings.Repeat("00", 1<<19+1)}}
	rec = do(t, srv, req{method: http.MethodPost, path: "/playground", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: strings.NewReader(form.Encode())})
	if rec.Code != 413 || !strings.Contains(rec.Body.String(), "hex: the input is 1048578 bytes") || strings.Contains(rec.Body.String(), "code=413") {
		t.Errorf("oversized POST: %d", rec.Code)
	}
}

// TestBrowserPlayground: in headless Chromium, an example and pasted bytes
// decode live through the script; with JavaScript off the plain form
// decodes on the server.
func TestBrowserPlayground(t *testing.T) {
	ts := httptest.NewServer(newServer(t))
	defer ts.Close()
	ctx := browser(t)
	var p problems
	p.watch(t, ctx)
	var apiCalls atomic.Int32
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && strings.HasSuffix(e.Request.URL, "/api/v1/decode") && e.Request.Method == "POST" {
			apiCalls.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}

	// With JavaScript: an example button fills the form and decodes.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/playground"),
		chromedp.WaitVisible(chromedp.CSS("footer.site")),
		chromedp.Click(chromedp.CSS(`a.example[data-hex^="81 85"]`)),
		chromedp.WaitVisible(chromedp.CSS("table.frames")),
	); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.querySelector("table.messages td.payload .text").textContent`); got != "“Hello”" {
		t.Errorf("example decoded to %q", got)
	}
	// Typing a broken frame shows its problem and the link to its code.
	eval[string](t, ctx, `document.getElementById("hex").value = ""`)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#hex"), "88 01 03"),
		chromedp.WaitVisible(chromedp.CSS("ul.problems li.problem")),
	); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.querySelector("ul.problems li.problem").textContent`); !strings.Contains(got, "1002") || !strings.Contains(got, "1 byte") {
		t.Errorf("problem shown: %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector("ul.problems li.problem a.badge").getAttribute("href")`); got != "/codes/1002" {
		t.Errorf("problem link %q", got)
	}
	if apiCalls.Load() < 2 {
		t.Errorf("the script made %d calls to POST /api/v1/decode, want one per decode", apiCalls.Load())
	}
	if got := eval[string](t, ctx, "location.search"); !strings.Contains(got, "hex=88+01+03") {
		t.Errorf("the address does not follow the decode: %q", got)
	}
	p.check(t, "/playground with JavaScript")

	// In Chinese, the live result is in Chinese too.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/zh/playground"),
		chromedp.WaitVisible(chromedp.CSS("footer.site")),
		chromedp.SendKeys(chromedp.CSS("#hex"), "88 01 03"),
		chromedp.WaitVisible(chromedp.CSS("ul.problems li.problem")),
	); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.querySelector("ul.problems li.problem").textContent`); !strings.Contains(got, "第 0 帧") || !strings.Contains(got, "状态码需要 2 字节") {
		t.Errorf("Chinese live problem: %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector("ul.problems li.problem a.badge").getAttribute("href")`); got != "/zh/codes/1002" {
		t.Errorf("Chinese problem link %q", got)
	}

	// Without JavaScript: the form submits and the server decodes.
	ctx2 := browser(t)
	if err := chromedp.Do(ctx2, disableJS(), chromedp.Navigate(ts.URL+"/zh/playground"), chromedp.WaitVisible(chromedp.CSS("footer.site"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx2,
		chromedp.SendKeys(chromedp.CSS("#hex"), "81 05 48 65 6c 6c 6f"),
		chromedp.Click(chromedp.CSS(`#decode-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("table.frames")),
	); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx2, "location.search"); !strings.Contains(got, "hex=81+05") {
		t.Errorf("no-JS decode URL %q", got)
	}
	if got := eval[string](t, ctx2, `document.querySelector("p.summary").textContent`); !strings.Contains(got, "1 帧") {
		t.Errorf("Chinese summary %q", got)
	}
}
