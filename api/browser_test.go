package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium (Debian's package) for one test. Outside
// CI a machine without Chromium skips the test; in CI (CI=true) that is a
// failure, so a green CI always means the browser tests ran.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; .ci/run installs it")
		}
		t.Skip("chromium is not installed (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelC := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	return ctx
}

// problems collects what a page must not produce: console errors (CSP
// violations among them), uncaught exceptions and failed requests.
type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) watch(t *testing.T, ctx context.Context) {
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				msg = fmt.Sprintf("console %s: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL)
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
		case *network.EventResponseReceived:
			if e.Response.Status >= 400 {
				msg = fmt.Sprintf("HTTP %d for %s", e.Response.Status, e.Response.URL)
			}
		case *network.EventLoadingFailed:
			msg = "loading failed: " + e.ErrorText
		}
		if msg != "" {
			p.mu.Lock()
			p.list = append(p.list, msg)
			p.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

// expect removes one message that the page is meant to produce.
func (p *problems) expect(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, m := range p.list {
		if m == msg {
			p.list = append(p.list[:i], p.list[i+1:]...)
			return
		}
	}
}

func (p *problems) check(t *testing.T, page string) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.list {
		t.Errorf("%s: %s", page, m)
	}
	p.list = nil
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func media(features ...*emulation.MediaFeature) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features})
		return err
	})
}

func printMedia() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})
}

// TestBrowserPages loads the pages in headless Chromium: no console errors
// or CSP violations, the style sheet applies, the language switch stays on
// the same page, phones get no sideways scrolling, dark mode follows the
// system and print hides the navigation.
func TestBrowserPages(t *testing.T) {
	ts := httptest.NewServer(newServer(t))
	defer ts.Close()
	ctx := browser(t)
	var p problems
	p.watch(t, ctx)

	entry := "/entries/" + id1009
	for _, path := range []string{"/", "/zh/", entry, "/zh" + entry, "/codes/1006", "/zh/codes/4000", "/nope"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+path), chromedp.WaitVisible(chromedp.CSS("footer.site"))); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if path == "/nope" {
			p.expect("HTTP 404 for " + ts.URL + "/nope")
			p.expect("console network: Failed to load resource: the server responded with a status of 404 (Not Found) " + ts.URL + "/nope")
		}
		p.check(t, path)
		if got := eval[string](t, ctx, `getComputedStyle(document.querySelector("header.site")).borderBottomStyle`); got != "solid" {
			t.Errorf("%s: the style sheet did not apply (header border %q)", path, got)
		}
	}

	// The language switch goes to the same page in the other language, and back.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+entry),
		chromedp.Click(chromedp.CSS("a.lang-switch")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="zh-Hans"] footer.site`)),
	); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, "location.pathname"); got != "/zh"+entry {
		t.Errorf("switch to Chinese went to %s", got)
	}
	if h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`); !strings.Contains(h1, "关闭码 1009") {
		t.Errorf("Chinese page title %q", h1)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("a.lang-switch")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] footer.site`)),
	); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, "location.pathname"); got != entry {
		t.Errorf("switch back to English went to %s", got)
	}

	// A phone: nothing wider than the screen.
	for _, path := range []string{"/", entry, "/zh" + entry, "/codes/1009", "/playground?hex=81+85+37+fa+21+3d+7f+9f+4d+51+58", "/zh/playground"} {
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
			chromedp.Navigate(ts.URL+path),
			chromedp.WaitVisible(chromedp.CSS("footer.site")),
		); err != nil {
			t.Fatal(err)
		}
		if w := eval[int](t, ctx, "document.documentElement.scrollWidth"); w > 375 {
			t.Errorf("%s on a 375px phone is %dpx wide: it scrolls sideways", path, w)
			// Name the culprits: the first elements that reach past the screen.
			t.Log(eval[string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 376).slice(0, 8).map(e => e.tagName + "." + e.className + ": " + e.textContent.slice(0, 80)).join("\n")`))
		}
	}

	// Dark mode follows the system setting.
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		media(&emulation.MediaFeature{Name: "prefers-color-scheme", Value: "dark"}),
		chromedp.Navigate(ts.URL+entry),
		chromedp.WaitVisible(chromedp.CSS("footer.site")),
	); err != nil {
		t.Fatal(err)
	}
	if bg := eval[string](t, ctx, "getComputedStyle(document.body).backgroundColor"); bg != "rgb(15, 20, 25)" {
		t.Errorf("dark mode background %q", bg)
	}
	if err := chromedp.Do(ctx, media(&emulation.MediaFeature{Name: "prefers-color-scheme", Value: "light"})); err != nil {
		t.Fatal(err)
	}
	if bg := eval[string](t, ctx, "getComputedStyle(document.body).backgroundColor"); bg != "rgb(255, 255, 255)" {
		t.Errorf("light mode background %q", bg)
	}

	// Print: no navigation, link targets shown.
	if err := chromedp.Do(ctx, printMedia()); err != nil {
		t.Fatal(err)
	}
	if d := eval[string](t, ctx, `getComputedStyle(document.querySelector("header.site")).display`); d != "none" {
		t.Errorf("print shows the site header (display %q)", d)
	}
	p.check(t, "after emulation")
}

// disableJS turns page scripts off, as a browser with JavaScript disabled.
func disableJS() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}
