package handshake

import (
	"strconv"
	"strings"
	"sync"
	"text/template"
)

// entry describes one check: its fixed status and reference, and its
// message as a text/template over .A0, .A1 ... (the Check's Args). The
// English template produces Check.Message; the Chinese one is its
// translation. Each ID has exactly one status and one message, so a UI can
// translate a Check from its ID and Args alone.
type entry struct {
	id, status, rfc string
	en, zh          string
}

const (
	pass = "pass"
	warn = "warn"
	fail = "fail"
)

const (
	rfc6455c  = "RFC 6455 §4.1"
	rfc6455rd = "RFC 6455 §4.2.1"
	rfc6455s  = "RFC 6455 §4.2.2"
	rfc8441m  = "RFC 8441 §4"
	rfc8441w  = "RFC 8441 §5"
	rfc7692   = "RFC 7692 §7"
	rfc6455e  = "RFC 6455 §9.1"
)

var entries = []entry{
	// What could be checked.
	{"input-missing", fail, "",
		"Neither a request nor a response was given, so there is nothing to check.",
		"既没有提供请求，也没有提供响应，无从检查。"},
	{"request-missing", warn, "",
		"Only the response was given, so the request line, Host, Upgrade, Connection, Sec-WebSocket-Key, Sec-WebSocket-Version and Origin were not checked, and Sec-WebSocket-Accept and the negotiated subprotocol and extensions could not be compared with what the client sent.",
		"只提供了响应，因此没有检查请求行、Host、Upgrade、Connection、Sec-WebSocket-Key、Sec-WebSocket-Version 和 Origin，也无法将 Sec-WebSocket-Accept 以及协商出的子协议和扩展与客户端发送的内容进行对照。"},
	{"response-missing", warn, "",
		"Only the request was given, so the status, Sec-WebSocket-Accept and the negotiated subprotocol and extensions were not checked; paste the response too to check the whole handshake.",
		"只提供了请求，因此没有检查响应状态码、Sec-WebSocket-Accept 以及协商出的子协议和扩展；把响应也粘贴进来，即可检查完整的握手。"},
	{"http-mismatch", warn, "",
		"The request is {{.A0}} but the response is {{.A1}}; a request and its response always use the same HTTP version, so these probably come from different connections.",
		"请求是 {{.A0}}，响应却是 {{.A1}}；一个请求与它的响应总是使用相同的 HTTP 版本，所以二者很可能来自不同的连接。"},

	// Request line, HTTP/1.1.
	{"request-line-missing", warn, rfc6455c,
		"The request has no request line (such as GET /chat HTTP/1.1), so the method and HTTP version were not checked.",
		"请求没有请求行（例如 GET /chat HTTP/1.1），因此没有检查请求方法和 HTTP 版本。"},
	{"method-get", pass, rfc6455c,
		"The request method is GET, as the WebSocket handshake requires.",
		"请求方法是 GET，符合 WebSocket 握手的要求。"},
	{"method-not-get", fail, rfc6455c,
		"The request method is {{.A0}}, but a WebSocket handshake over HTTP/1.1 must be a GET request; servers answer anything else with an error such as 400 or 405.",
		"请求方法是 {{.A0}}，但通过 HTTP/1.1 进行的 WebSocket 握手必须是 GET 请求；对其他方法，服务器会返回 400 或 405 之类的错误。"},
	{"http-version-ok", pass, rfc6455c,
		"The request uses {{.A0}}; the handshake needs HTTP/1.1 or later.",
		"请求使用 {{.A0}}；握手要求 HTTP/1.1 或更高版本。"},
	{"http-version-old", fail, rfc6455c,
		"The request uses {{.A0}}, but the handshake needs HTTP/1.1 or later: HTTP/1.0 has no Upgrade mechanism to switch the connection to WebSocket.",
		"请求使用 {{.A0}}，但握手要求 HTTP/1.1 或更高版本：HTTP/1.0 没有把连接切换为 WebSocket 的 Upgrade 机制。"},

	// Request line, HTTP/2 (RFC 8441).
	{"h2-method-connect", pass, rfc8441m,
		":method is CONNECT, as an extended CONNECT request for a WebSocket over HTTP/2 requires.",
		":method 为 CONNECT，符合通过 HTTP/2 建立 WebSocket 的扩展 CONNECT 请求的要求。"},
	{"h2-method-not-connect", fail, rfc8441m,
		":method is {{.A0}}, but a WebSocket over HTTP/2 is opened with an extended CONNECT request (:method CONNECT with :protocol websocket); a GET with Upgrade headers does not work over HTTP/2.",
		":method 为 {{.A0}}，但通过 HTTP/2 建立 WebSocket 要使用扩展 CONNECT 请求（:method 为 CONNECT，:protocol 为 websocket）；带 Upgrade 头的 GET 在 HTTP/2 上行不通。"},
	{"h2-method-missing", fail, rfc8441m,
		"The HTTP/2 request has no :method pseudo-header; a WebSocket over HTTP/2 needs :method CONNECT with :protocol websocket.",
		"该 HTTP/2 请求没有 :method 伪头；通过 HTTP/2 建立 WebSocket 需要 :method 为 CONNECT 且 :protocol 为 websocket。"},
	{"h2-protocol-websocket", pass, rfc8441w,
		":protocol is {{.A0}}, so this extended CONNECT request opens a WebSocket. A client may send :protocol only after the server's SETTINGS frame set SETTINGS_ENABLE_CONNECT_PROTOCOL to 1 (RFC 8441 §3); headers do not show SETTINGS frames, so look in the HTTP/2 frame log if the server refuses the request.",
		":protocol 为 {{.A0}}，因此这个扩展 CONNECT 请求会建立 WebSocket。客户端只有在服务器的 SETTINGS 帧把 SETTINGS_ENABLE_CONNECT_PROTOCOL 设为 1 之后才能发送 :protocol（RFC 8441 §3）；请求头里看不到 SETTINGS 帧，如果服务器拒绝了请求，请到 HTTP/2 帧日志里确认。"},
	{"h2-protocol-missing", fail, rfc8441m,
		"The request has no :protocol pseudo-header; without :protocol websocket a CONNECT request asks for a plain tunnel, not a WebSocket. Clients send :protocol only when the server advertised SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441 §3).",
		"请求没有 :protocol 伪头；缺少 :protocol websocket 时，CONNECT 请求只是在请求普通隧道，而不是 WebSocket。只有服务器通告了 SETTINGS_ENABLE_CONNECT_PROTOCOL = 1（RFC 8441 §3），客户端才会发送 :protocol。"},
	{"h2-protocol-wrong", fail, rfc8441w,
		":protocol is {{.A0}}, but it must be websocket to open a WebSocket.",
		":protocol 为 {{.A0}}，但要建立 WebSocket，它必须是 websocket。"},
	{"h2-protocol-not-shown", warn, rfc8441m,
		"The request line says {{.A0}} but the pseudo-headers are not shown, so :protocol websocket could not be checked; copy the headers from a view that shows :method and :protocol.",
		"请求行标明 {{.A0}}，但没有显示伪头，因此无法检查 :protocol websocket；请从能显示 :method 和 :protocol 的视图中复制请求头。"},
	{"h2-pseudo-missing", fail, rfc8441m,
		"The extended CONNECT request lacks {{.A0}}; unlike a plain CONNECT it must carry :scheme and :path.",
		"该扩展 CONNECT 请求缺少 {{.A0}}；与普通 CONNECT 不同，它必须带有 :scheme 和 :path。"},
	{"h2-connection-headers", fail, "RFC 9113 §8.2.2",
		"The HTTP/2 request carries {{.A0}}; connection-specific headers such as Upgrade and Connection are not allowed in HTTP/2, and a request with them is malformed.",
		"该 HTTP/2 请求带有 {{.A0}}；HTTP/2 不允许 Upgrade、Connection 之类的连接专用头，带有它们的请求属于格式错误。"},
	{"h2-no-key", pass, rfc8441w,
		"This handshake uses HTTP/2 (RFC 8441), which has no Sec-WebSocket-Key or Sec-WebSocket-Accept: the :protocol pseudo-header takes their place, so there is no key to verify.",
		"该握手使用 HTTP/2（RFC 8441），其中没有 Sec-WebSocket-Key 和 Sec-WebSocket-Accept：由 :protocol 伪头取代了它们，因此没有需要验证的密钥。"},

	// Request headers.
	{"host-present", pass, rfc6455c,
		"The request names the host {{.A0}} (Host or :authority).",
		"请求指明了主机 {{.A0}}（Host 或 :authority）。"},
	{"host-missing", fail, rfc6455c,
		"The request has no Host header (or :authority for HTTP/2); HTTP/1.1 servers must reject such a request with 400, and virtual hosts and proxies cannot route it.",
		"请求没有 Host 头（HTTP/2 中为 :authority）；HTTP/1.1 服务器必须以 400 拒绝这样的请求，虚拟主机和代理也无法为它选择路由。"},
	{"host-duplicate", fail, "RFC 9112 §3.2",
		"The request has more than one Host header ({{.A0}}); servers must reject it with 400 Bad Request.",
		"请求带有多个 Host 头（{{.A0}}）；服务器必须以 400 Bad Request 拒绝它。"},
	{"upgrade-websocket", pass, rfc6455c,
		"The request has Upgrade: {{.A0}}, which contains the websocket token.",
		"请求带有 Upgrade: {{.A0}}，其中包含 websocket 标记。"},
	{"upgrade-missing", fail, rfc6455c,
		"The request has no Upgrade header, so it does not ask to switch protocols; if it was sent, a proxy removed it, since Upgrade is a hop-by-hop header that a proxy passes on only when configured to.",
		"请求没有 Upgrade 头，因此并未请求切换协议；如果客户端发送过它，那就是被代理删除了，因为 Upgrade 是逐跳头，代理只有经过配置才会转发。"},
	{"upgrade-not-websocket", fail, rfc6455c,
		"The request has Upgrade: {{.A0}}, which does not contain the websocket token (case does not matter), so the server will not switch to WebSocket.",
		"请求带有 Upgrade: {{.A0}}，其中不含 websocket 标记（不区分大小写），因此服务器不会切换到 WebSocket。"},
	{"connection-upgrade", pass, rfc6455c,
		"The request has Connection: {{.A0}}, which contains the Upgrade token.",
		"请求带有 Connection: {{.A0}}，其中包含 Upgrade 标记。"},
	{"connection-missing", fail, rfc6455c,
		"The request has no Connection header; without Connection: Upgrade the Upgrade header is ignored, often because a proxy dropped both hop-by-hop headers.",
		"请求没有 Connection 头；缺少 Connection: Upgrade 时 Upgrade 头会被忽略，这通常是因为代理丢弃了这两个逐跳头。"},
	{"connection-no-upgrade", fail, rfc6455c,
		"The request has Connection: {{.A0}}, which does not contain the Upgrade token (a list such as \"keep-alive, Upgrade\" is fine), so the Upgrade header is ignored; reverse proxies send this unless configured to pass the upgrade on.",
		"请求带有 Connection: {{.A0}}，其中不含 Upgrade 标记（\"keep-alive, Upgrade\" 这样的列表是可以的），因此 Upgrade 头会被忽略；反向代理若未配置为转发升级请求，就会发出这样的值。"},
	{"version-13", pass, rfc6455c,
		"Sec-WebSocket-Version is 13, the version defined by RFC 6455.",
		"Sec-WebSocket-Version 为 13，即 RFC 6455 定义的版本。"},
	{"version-missing", fail, rfc6455c,
		"The request has no Sec-WebSocket-Version header; it must be 13, and servers answer a request without it with 400 or 426.",
		"请求没有 Sec-WebSocket-Version 头；它的值必须是 13，服务器对缺少该头的请求会返回 400 或 426。"},
	{"version-not-13", fail, rfc6455c,
		"Sec-WebSocket-Version is {{.A0}}, but it must be 13; a server that does not support the version answers 426 Upgrade Required and lists the versions it supports.",
		"Sec-WebSocket-Version 为 {{.A0}}，但它必须是 13；不支持该版本的服务器会返回 426 Upgrade Required，并列出它支持的版本。"},
	{"version-duplicate", fail, "RFC 6455 §11.3.5",
		"The request has more than one Sec-WebSocket-Version header ({{.A0}}); it must appear once, with the value 13.",
		"请求带有多个 Sec-WebSocket-Version 头（{{.A0}}）；它只能出现一次，且值为 13。"},
	{"key-valid", pass, rfc6455c,
		"Sec-WebSocket-Key {{.A0}} is the base64 encoding of 16 bytes, as required.",
		"Sec-WebSocket-Key {{.A0}} 是 16 字节数据的 base64 编码，符合要求。"},
	{"key-missing", fail, rfc6455c,
		"The request has no Sec-WebSocket-Key header; the server cannot compute Sec-WebSocket-Accept and must reject the handshake, usually with 400.",
		"请求没有 Sec-WebSocket-Key 头；服务器无法计算 Sec-WebSocket-Accept，必须拒绝握手，通常返回 400。"},
	{"key-invalid", fail, rfc6455c,
		"Sec-WebSocket-Key {{.A0}} is not valid base64; it must be 16 random bytes encoded in base64 (24 characters ending in ==), and strict servers reject it with 400.",
		"Sec-WebSocket-Key {{.A0}} 不是有效的 base64；它必须是 16 个随机字节的 base64 编码（以 == 结尾的 24 个字符），严格的服务器会以 400 拒绝。"},
	{"key-wrong-length", fail, rfc6455c,
		"Sec-WebSocket-Key {{.A0}} decodes to {{.A1}} bytes, but it must be exactly 16 random bytes; strict servers reject it with 400.",
		"Sec-WebSocket-Key {{.A0}} 解码后为 {{.A1}} 字节，但它必须恰好是 16 个随机字节；严格的服务器会以 400 拒绝。"},
	{"key-duplicate", fail, "RFC 6455 §11.3.1",
		"The request has more than one Sec-WebSocket-Key value ({{.A0}}); the header must appear once, so the server cannot tell which key to answer and should reject the handshake.",
		"请求带有多个 Sec-WebSocket-Key 值（{{.A0}}）；该头只能出现一次，否则服务器无法确定应答哪个密钥，应当拒绝握手。"},
	{"origin-present", pass, "RFC 6455 §10.2",
		"The request sends Origin: {{.A0}}. Browsers always send it; a server that checks origins compares it with its allow-list and rejects other origins, typically with 403.",
		"请求发送了 Origin: {{.A0}}。浏览器总会发送它；进行来源检查的服务器会将其与允许列表比对，拒绝其他来源，通常返回 403。"},
	{"origin-missing", warn, "RFC 6455 §10.2",
		"The request has no Origin header. Browsers always send one, so this request probably comes from a non-browser client; that is allowed, but a server that checks origins may reject it, typically with 403.",
		"请求没有 Origin 头。浏览器总会发送它，所以这个请求很可能来自非浏览器客户端；这是允许的，但进行来源检查的服务器可能会拒绝它，通常返回 403。"},

	// Response status.
	{"status-missing", warn, rfc6455c,
		"The response has no status line (or :status), so the status was not checked; the other headers are checked as if the handshake had succeeded.",
		"响应没有状态行（或 :status），因此没有检查状态码；其余响应头按握手成功的情形进行检查。"},
	{"status-101", pass, rfc6455s,
		"The server answered 101 Switching Protocols: it accepted the upgrade to WebSocket.",
		"服务器返回 101 Switching Protocols：它接受了升级到 WebSocket 的请求。"},
	{"h2-status-200", pass, rfc8441w,
		"The server answered :status {{.A0}}, a 2xx status that accepts the extended CONNECT; the stream now carries WebSocket frames.",
		"服务器返回 :status {{.A0}}，这是接受扩展 CONNECT 的 2xx 状态码；此后该流承载 WebSocket 帧。"},
	{"status-200", fail, rfc6455c,
		"The server answered {{.A0}} instead of 101 Switching Protocols: the URL reached an ordinary HTTP handler, or a proxy or CDN answered without passing the upgrade on, so no WebSocket was opened.",
		"服务器返回 {{.A0}} 而不是 101 Switching Protocols：该 URL 到达的是普通的 HTTP 处理程序，或者是代理或 CDN 未转发升级请求就直接作答，因此没有建立 WebSocket。"},
	{"status-redirect", fail, rfc6455c,
		"The server answered {{.A0}}, a redirect{{if .A1}} to {{.A1}}{{end}}. WebSocket clients do not follow redirects, so the handshake fails; connect to the final URL (often wss:// instead of ws://, or the path with or without a trailing slash).",
		"服务器返回 {{.A0}}，这是一个重定向{{if .A1}}，目标为 {{.A1}}{{end}}。WebSocket 客户端不会跟随重定向，因此握手失败；请直接连接最终的 URL（常见的情况是用 wss:// 代替 ws://，或者路径末尾要加上或去掉斜杠）。"},
	{"status-400", fail, rfc6455rd,
		"The server answered 400 Bad Request: it rejected the handshake itself, usually because a required header is missing or wrong (Sec-WebSocket-Key, Sec-WebSocket-Version, Upgrade, Connection), or a proxy removed the Upgrade and Connection headers on the way.",
		"服务器返回 400 Bad Request：它拒绝了握手本身，通常是因为某个必需的头缺失或有误（Sec-WebSocket-Key、Sec-WebSocket-Version、Upgrade、Connection），或者途中的代理删除了 Upgrade 和 Connection 头。"},
	{"status-401", fail, "RFC 6455 §10.5",
		"The server answered 401 Unauthorized: the endpoint needs authentication. The browser WebSocket API cannot set an Authorization header, so send credentials in a cookie, as a token in the URL, or in the first message.",
		"服务器返回 401 Unauthorized：该端点需要身份验证。浏览器的 WebSocket API 无法设置 Authorization 头，因此请通过 Cookie、URL 中的令牌或第一条消息发送凭据。"},
	{"status-403", fail, "RFC 6455 §10.2",
		"The server answered 403 Forbidden: usually its origin check rejected the Origin header, authentication failed, or a WAF or CDN blocked the request.",
		"服务器返回 403 Forbidden：通常是来源检查拒绝了 Origin 头、身份验证失败，或者 WAF、CDN 拦截了请求。"},
	{"status-404", fail, "RFC 9110 §15.5.5",
		"The server answered 404 Not Found: no WebSocket handler answers at this path; check the path, a trailing slash, and any prefix a proxy adds or strips.",
		"服务器返回 404 Not Found：这个路径上没有 WebSocket 处理程序；请检查路径、末尾斜杠，以及代理添加或去掉的路径前缀。"},
	{"status-426", fail, "RFC 6455 §4.4",
		"The server answered 426 Upgrade Required: it does not accept the WebSocket version the client sent (or wants another protocol) and should list the versions it supports in Sec-WebSocket-Version.",
		"服务器返回 426 Upgrade Required：它不接受客户端发送的 WebSocket 版本（或者要求使用其他协议），并应在 Sec-WebSocket-Version 中列出它支持的版本。"},
	{"status-429", fail, "RFC 6585 §4",
		"The server answered 429 Too Many Requests: a rate limit rejected the handshake; wait (see Retry-After) and reconnect with backoff rather than at once.",
		"服务器返回 429 Too Many Requests：握手被限流拒绝；请等待（参见 Retry-After），并以退避方式重连，而不是立即重试。"},
	{"status-5xx", fail, "RFC 9110 §15.6",
		"The server answered {{.A0}}, a server error: with 502, 503 or 504 a reverse proxy or load balancer usually could not reach the upstream, timed out, or is not configured to pass WebSocket upgrades on; check the proxy and application logs.",
		"服务器返回 {{.A0}}，这是服务器错误：出现 502、503 或 504 时，通常是反向代理或负载均衡器无法连接上游、等待超时，或者没有配置转发 WebSocket 升级请求；请检查代理和应用的日志。"},
	{"status-other", fail, rfc6455c,
		"The server answered {{.A0}} instead of 101 Switching Protocols, so the WebSocket connection was not established.",
		"服务器返回 {{.A0}} 而不是 101 Switching Protocols，因此 WebSocket 连接没有建立。"},
	{"server-versions", warn, "RFC 6455 §4.4",
		"The server lists the WebSocket versions it supports in Sec-WebSocket-Version: {{.A0}}. The client must retry with one of them; browsers speak only version 13.",
		"服务器在 Sec-WebSocket-Version 中列出了它支持的 WebSocket 版本：{{.A0}}。客户端必须改用其中之一重试；浏览器只支持版本 13。"},

	// Response headers, HTTP/1.1.
	{"resp-upgrade-websocket", pass, rfc6455s,
		"The response has Upgrade: {{.A0}}, as a 101 response must.",
		"响应带有 Upgrade: {{.A0}}，符合 101 响应的要求。"},
	{"resp-upgrade-missing", fail, rfc6455c,
		"The 101 response has no Upgrade header, so the client must fail the connection; a proxy may have removed this hop-by-hop header.",
		"该 101 响应没有 Upgrade 头，客户端必须使连接失败；这个逐跳头可能被代理删除了。"},
	{"resp-upgrade-not-websocket", fail, rfc6455c,
		"The 101 response has Upgrade: {{.A0}}, which is not websocket, so the client must fail the connection.",
		"该 101 响应带有 Upgrade: {{.A0}}，而不是 websocket，客户端必须使连接失败。"},
	{"resp-connection-upgrade", pass, rfc6455s,
		"The response has Connection: {{.A0}}, which contains the Upgrade token.",
		"响应带有 Connection: {{.A0}}，其中包含 Upgrade 标记。"},
	{"resp-connection-missing", fail, rfc6455c,
		"The 101 response has no Connection header; it must have Connection: Upgrade, or the client fails the connection.",
		"该 101 响应没有 Connection 头；它必须带有 Connection: Upgrade，否则客户端会使连接失败。"},
	{"resp-connection-no-upgrade", fail, rfc6455c,
		"The 101 response has Connection: {{.A0}}, which does not contain the Upgrade token, so the client must fail the connection.",
		"该 101 响应带有 Connection: {{.A0}}，其中不含 Upgrade 标记，客户端必须使连接失败。"},
	{"h2-resp-connection-headers", fail, "RFC 9113 §8.2.2",
		"The HTTP/2 response carries {{.A0}}; connection-specific headers such as Upgrade and Connection are not allowed in HTTP/2, and a response with them is malformed.",
		"该 HTTP/2 响应带有 {{.A0}}；HTTP/2 不允许 Upgrade、Connection 之类的连接专用头，带有它们的响应属于格式错误。"},
	{"accept-match", pass, rfc6455s,
		"Sec-WebSocket-Accept {{.A0}} matches the key: it is base64(SHA-1(key + \"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\")).",
		"Sec-WebSocket-Accept {{.A0}} 与密钥相符：它等于 base64(SHA-1(key + \"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\"))。"},
	{"accept-mismatch", fail, rfc6455s,
		"Sec-WebSocket-Accept is {{.A0}}, but the key gives {{.A1}}, so the client fails the connection; the server or a proxy computed it from another key, or with the wrong GUID or encoding.",
		"Sec-WebSocket-Accept 为 {{.A0}}，但根据密钥应为 {{.A1}}，因此客户端会使连接失败；服务器或代理是用别的密钥，或用错误的 GUID 或编码计算出这个值的。"},
	{"accept-missing", fail, rfc6455c,
		"The 101 response has no Sec-WebSocket-Accept header, so the client must fail the connection.",
		"该 101 响应没有 Sec-WebSocket-Accept 头，客户端必须使连接失败。"},
	{"accept-duplicate", fail, "RFC 6455 §11.3.3",
		"The response has more than one Sec-WebSocket-Accept value ({{.A0}}); the header must appear once, so the client fails the connection.",
		"响应带有多个 Sec-WebSocket-Accept 值（{{.A0}}）；该头只能出现一次，因此客户端会使连接失败。"},
	{"accept-unverifiable", warn, rfc6455s,
		"The response has Sec-WebSocket-Accept {{.A0}}, but the request has no single Sec-WebSocket-Key, so it could not be verified.",
		"响应带有 Sec-WebSocket-Accept {{.A0}}，但请求中没有唯一的 Sec-WebSocket-Key，因此无法验证。"},

	// Subprotocol.
	{"subprotocol-selected", pass, rfc6455c,
		"The server selected the subprotocol {{.A0}}, which the client offered.",
		"服务器选定了子协议 {{.A0}}，它在客户端提供的列表中。"},
	{"subprotocol-none", pass, rfc6455c,
		"The client offered no subprotocol and the server selected none.",
		"客户端没有提供子协议，服务器也没有选定子协议。"},
	{"subprotocol-not-selected", fail, rfc6455s,
		"The client offered the subprotocols {{.A0}} but the response has no Sec-WebSocket-Protocol. Browsers fail the connection (Chrome: \"Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received\"); the server must echo one of the offered values.",
		"客户端提供了子协议 {{.A0}}，但响应中没有 Sec-WebSocket-Protocol。浏览器会使连接失败（Chrome 报错：\"Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received\"）；服务器必须原样返回所提供的值之一。"},
	{"subprotocol-not-offered", fail, rfc6455c,
		"The response selects the subprotocol {{.A0}}, but the client offered only {{.A1}}, so the client must fail the connection (the comparison is case-sensitive).",
		"响应选定了子协议 {{.A0}}，但客户端只提供了 {{.A1}}，因此客户端必须使连接失败（比较时区分大小写）。"},
	{"subprotocol-unrequested", fail, rfc6455c,
		"The response selects the subprotocol {{.A0}}, but the client offered none, so the client must fail the connection.",
		"响应选定了子协议 {{.A0}}，但客户端并未提供任何子协议，因此客户端必须使连接失败。"},
	{"subprotocol-multiple", fail, rfc6455s,
		"The response has Sec-WebSocket-Protocol {{.A0}}, but the server must select exactly one of the offered subprotocols; clients fail the connection.",
		"响应带有 Sec-WebSocket-Protocol {{.A0}}，但服务器只能从提供的子协议中选定一个；客户端会使连接失败。"},
	{"subprotocol-offer-invalid", fail, "RFC 6455 §11.3.4",
		"The request's Sec-WebSocket-Protocol {{.A0}} is not a list of distinct tokens; browsers refuse such values (new WebSocket throws a SyntaxError) and servers may reject the handshake.",
		"请求的 Sec-WebSocket-Protocol {{.A0}} 不是由互不相同的标记组成的列表；浏览器不接受这样的值（new WebSocket 会抛出 SyntaxError），服务器也可能拒绝握手。"},

	// Extensions.
	{"extensions-offer-invalid", fail, rfc6455e,
		"The request's Sec-WebSocket-Extensions {{.A0}} does not follow the extension grammar (comma-separated extensions, each with ';'-separated parameters whose values are tokens or quoted strings).",
		"请求的 Sec-WebSocket-Extensions {{.A0}} 不符合扩展的语法（以逗号分隔的扩展，每个扩展带有以 ';' 分隔的参数，参数值为标记或带引号的字符串）。"},
	{"extensions-invalid", fail, rfc6455e,
		"The response's Sec-WebSocket-Extensions {{.A0}} does not follow the extension grammar (comma-separated extensions, each with ';'-separated parameters whose values are tokens or quoted strings), so the client fails the connection.",
		"响应的 Sec-WebSocket-Extensions {{.A0}} 不符合扩展的语法（以逗号分隔的扩展，每个扩展带有以 ';' 分隔的参数，参数值为标记或带引号的字符串），因此客户端会使连接失败。"},
	{"extension-not-offered", fail, rfc6455c,
		"The response accepts the extension {{.A0}}, which the client did not offer, so the client must fail the connection.",
		"响应接受了扩展 {{.A0}}，但客户端并未提供它，因此客户端必须使连接失败。"},
	{"extension-duplicate", fail, rfc6455e,
		"The response accepts the extension {{.A0}} more than once; a server accepts at most one offer of an extension, so the client fails the connection.",
		"响应多次接受了扩展 {{.A0}}；服务器对同一扩展最多只能接受一个提议，因此客户端会使连接失败。"},
	{"extensions-accepted", pass, rfc6455e,
		"The server accepted the extensions {{.A0}}, all of which the client offered.",
		"服务器接受了扩展 {{.A0}}，它们都是客户端提供过的。"},
	{"extensions-declined", pass, rfc6455e,
		"The client offered {{.A0}} and the server accepted none; the connection works without extensions (no compression).",
		"客户端提供了 {{.A0}}，服务器一个也没有接受；连接在没有扩展（不压缩）的情况下照常工作。"},
	{"deflate-accepted", pass, rfc7692,
		"The server accepted the compression extension: {{.A0}}.",
		"服务器接受了压缩扩展：{{.A0}}。"},
	{"deflate-offer-invalid", warn, rfc7692,
		"The client's permessage-deflate offer {{.A0}} has an unknown, repeated or out-of-range parameter; a server must decline such an offer.",
		"客户端的 permessage-deflate 提议 {{.A0}} 含有未知、重复或超出范围的参数；服务器必须拒绝这样的提议。"},
	{"deflate-param-unknown", fail, rfc7692,
		"The response's permessage-deflate has the unknown parameter {{.A0}}; only server_no_context_takeover, client_no_context_takeover, server_max_window_bits and client_max_window_bits are defined, so the client fails the connection.",
		"响应的 permessage-deflate 带有未知参数 {{.A0}}；只定义了 server_no_context_takeover、client_no_context_takeover、server_max_window_bits 和 client_max_window_bits，因此客户端会使连接失败。"},
	{"deflate-param-duplicate", fail, rfc7692,
		"The response's permessage-deflate has the parameter {{.A0}} more than once, so the client fails the connection.",
		"响应的 permessage-deflate 多次带有参数 {{.A0}}，因此客户端会使连接失败。"},
	{"deflate-param-value", fail, "RFC 7692 §7.1.1",
		"The response's permessage-deflate parameter {{.A0}} has the value {{.A1}}, but it takes no value, so the client fails the connection.",
		"响应的 permessage-deflate 参数 {{.A0}} 带有值 {{.A1}}，但该参数不接受值，因此客户端会使连接失败。"},
	{"deflate-window-bits-invalid", fail, "RFC 7692 §7.1.2",
		"The response's permessage-deflate parameter {{.A0}} must have a value from 8 to 15, but it is \"{{.A1}}\", so the client fails the connection.",
		"响应的 permessage-deflate 参数 {{.A0}} 的值必须在 8 到 15 之间，但实际为 \"{{.A1}}\"，因此客户端会使连接失败。"},
	{"deflate-client-bits-unoffered", fail, "RFC 7692 §7.1.2.2",
		"The response has client_max_window_bits, but the client's offer did not include it, so the client cannot honour it and must fail the connection.",
		"响应带有 client_max_window_bits，但客户端的提议中并没有这个参数，客户端无法遵从，必须使连接失败。"},
}

// CheckIDs lists every ID Inspect can report.
var CheckIDs = func() []string {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.id
	}
	return ids
}()

var byID = func() map[string]*entry {
	m := make(map[string]*entry, len(entries))
	for i := range entries {
		m[entries[i].id] = &entries[i]
	}
	return m
}()

var templates = sync.OnceValue(func() map[string]*template.Template {
	m := make(map[string]*template.Template, len(entries))
	for _, e := range entries {
		m[e.id] = template.Must(template.New(e.id).Parse(e.en))
	}
	return m
})

// Templates returns the message templates by language ("en", "zh") and
// key "check.<id>": text/template text over .A0, .A1 ... (Check.Args). The
// English template filled with a Check's Args gives its Message.
func Templates() map[string]map[string]string {
	out := map[string]map[string]string{"en": {}, "zh": {}}
	for _, e := range entries {
		out["en"]["check."+e.id] = e.en
		out["zh"]["check."+e.id] = e.zh
	}
	return out
}

// TemplateData turns Args into the data the templates use: A0, A1 ...
func TemplateData(args []any) map[string]any {
	data := make(map[string]any, len(args))
	for i, a := range args {
		data["A"+strconv.Itoa(i)] = a
	}
	return data
}

// newCheck builds a Check from the catalog.
func newCheck(id string, args ...any) Check {
	e := byID[id]
	if e == nil {
		return Check{ID: id, Status: fail, Message: id, Args: args}
	}
	var b strings.Builder
	if err := templates()[id].Execute(&b, TemplateData(args)); err != nil {
		b.Reset()
		b.WriteString(e.en)
	}
	if args == nil {
		args = []any{}
	}
	return Check{ID: id, Status: e.status, Message: b.String(), RFC: e.rfc, Args: args}
}
