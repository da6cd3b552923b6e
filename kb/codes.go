package kb

import "strconv"

// Sources for the close-code registry.
const (
	RFC6455Codes  = "https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1"
	RFC6455Ranges = "https://www.rfc-editor.org/rfc/rfc6455#section-7.4.2"
	IANARegistry  = "https://www.iana.org/assignments/websocket/websocket.xhtml#close-code-number"
	WHATWGClose   = "https://websockets.spec.whatwg.org/#dom-websocket-close"
	hybiMsg09670  = "https://www.ietf.org/mail-archive/web/hybi/current/msg09670.html"
	hybiMsg10748  = "https://www.ietf.org/mail-archive/web/hybi/current/msg10748.html"
)

// MaxCloseCode is the largest value a close code page exists for: 4999 is the
// top of the private-use range (RFC 6455 §7.4.2); the two-byte field allows
// more, but no range is defined for them.
const MaxCloseCode = 4999

// Code ranges (RFC 6455 §7.4.2).
const (
	RangeUnused     = "unused"     // 0–999
	RangeProtocol   = "protocol"   // 1000–2999
	RangeRegistered = "registered" // 3000–3999
	RangePrivate    = "private"    // 4000–4999
)

// Registered is one row of the IANA WebSocket Close Code Number registry.
type Registered struct {
	Code         int
	Name         string // the registry's name, verbatim
	Reference    string // what the registry cites
	ReferenceURL string
	Meaning      Text
	// Wire says whether an endpoint may put the code in a Close frame.
	Wire bool
}

// registry is the complete IANA registry as of this writing: 1000–1015,
// 3000, 3003 and 3008.
var registry = []Registered{
	{1000, "Normal Closure", "RFC 6455", RFC6455Codes, Text{
		"The connection did what it was opened for and is being closed normally.",
		"连接已完成其用途，正常关闭。"}, true},
	{1001, "Going Away", "RFC 6455", RFC6455Codes, Text{
		"An endpoint is going away: a server shutting down, or a browser navigating away from the page.",
		"一端即将离开：例如服务器正在关机，或浏览器离开了当前页面。"}, true},
	{1002, "Protocol error", "RFC 6455", RFC6455Codes, Text{
		"An endpoint is closing because it received something that breaks the WebSocket protocol.",
		"一端因收到违反 WebSocket 协议的数据而关闭连接。"}, true},
	{1003, "Unsupported Data", "RFC 6455", RFC6455Codes, Text{
		"An endpoint received a type of data it cannot accept, such as binary data at a text-only endpoint.",
		"一端收到了无法接受的数据类型，例如只处理文本的一端收到了二进制消息。"}, true},
	{1004, "Reserved", "RFC 6455", RFC6455Codes, Text{
		"Reserved; a meaning might be defined in the future. Endpoints do not send it, and most libraries treat it as invalid when received.",
		"保留值，将来可能定义含义。端点不应发送它，多数库收到它时会视为无效关闭码。"}, false},
	{1005, "No Status Rcvd", "RFC 6455", RFC6455Codes, Text{
		"Never sent on the wire: APIs report it when a Close frame arrived without a status code.",
		"不会出现在线路上：收到的 Close 帧没有携带状态码时，API 用它来表示。"}, false},
	{1006, "Abnormal Closure", "RFC 6455", RFC6455Codes, Text{
		"Never sent on the wire: APIs report it when the connection ended without a Close frame, for example a failed handshake, a network drop or a proxy timeout.",
		"不会出现在线路上：连接在没有 Close 帧的情况下断开时由 API 报告，例如握手失败、网络中断或代理超时。"}, false},
	{1007, "Invalid frame payload data", "RFC 6455", RFC6455Codes, Text{
		"An endpoint received data inconsistent with the message type, such as invalid UTF-8 in a text message.",
		"一端收到的数据与消息类型不符，例如文本消息中含有非法 UTF-8。"}, true},
	{1008, "Policy Violation", "RFC 6455", RFC6455Codes, Text{
		"An endpoint received a message that violates its policy; the generic code when no other fits or details are hidden.",
		"一端收到了违反其策略的消息；没有更合适的关闭码或需要隐藏细节时使用的通用关闭码。"}, true},
	{1009, "Message Too Big", "RFC 6455", RFC6455Codes, Text{
		"An endpoint received a message too big for it to process.",
		"一端收到的消息过大，无法处理。"}, true},
	{1010, "Mandatory Ext.", "RFC 6455", RFC6455Codes, Text{
		"The client is closing because the server did not negotiate an extension the client requires.",
		"客户端关闭连接，因为服务器没有协商客户端必需的扩展。"}, true},
	{1011, "Internal Error", "RFC 6455, RFC Errata 3227", RFC6455Codes, Text{
		"The server (or, per RFC Errata 3227, any endpoint) met an unexpected condition that stopped it from fulfilling the request.",
		"服务器（按 RFC 勘误 3227，也可以是任一端）遇到意外情况，无法继续处理请求。"}, true},
	{1012, "Service Restart", "IETF HyBi list (A. Melnikov)", hybiMsg09670, Text{
		"The service is restarting; a client may reconnect, using a randomised delay of 5–30 s.",
		"服务正在重启；客户端可以重新连接，重连前应随机等待 5–30 秒。"}, true},
	{1013, "Try Again Later", "IETF HyBi list (A. Melnikov)", hybiMsg09670, Text{
		"The service is temporarily overloaded; a client may reconnect later.",
		"服务暂时过载；客户端可以稍后重新连接。"}, true},
	{1014, "Bad Gateway", "IETF HyBi list (A. Melnikov)", hybiMsg10748, Text{
		"A gateway or proxy received an invalid response from the upstream server, like HTTP 502.",
		"网关或代理从上游服务器收到了无效响应，类似 HTTP 502。"}, true},
	{1015, "TLS handshake", "RFC 6455", RFC6455Codes, Text{
		"Never sent on the wire: APIs report it when the TLS handshake failed, for example on a certificate that cannot be verified.",
		"不会出现在线路上：TLS 握手失败时（例如证书无法验证）由 API 报告。"}, false},
	{3000, "Unauthorized", "IANA registry", IANARegistry, Text{
		"Registered for applications: the client is not authenticated, the WebSocket counterpart of HTTP 401.",
		"为应用注册：客户端未通过身份验证，相当于 WebSocket 版的 HTTP 401。"}, true},
	{3003, "Forbidden", "IANA registry", IANARegistry, Text{
		"Registered for applications: the client is authenticated but not allowed, the counterpart of HTTP 403.",
		"为应用注册：客户端已认证但没有权限，相当于 HTTP 403。"}, true},
	{3008, "Timeout", "IANA registry", IANARegistry, Text{
		"Registered for applications: a timeout, the counterpart of HTTP 408.",
		"为应用注册：超时，相当于 HTTP 408。"}, true},
}

var registryByCode = func() map[int]*Registered {
	m := make(map[int]*Registered, len(registry))
	for i := range registry {
		m[registry[i].Code] = &registry[i]
	}
	return m
}()

// Registry returns the IANA registry rows in code order. The slice is shared:
// do not modify it.
func Registry() []Registered { return registry }

// CodeInfo is everything wskb says about one close code.
type CodeInfo struct {
	Code int `json:"code"`
	// Name is the IANA name, or "" when the code is not registered.
	Name         string `json:"name"`
	Reference    string `json:"reference"`
	ReferenceURL string `json:"reference_url"`
	Meaning      *Text  `json:"meaning"`
	Range        string `json:"range"`
	// Wire: may an endpoint send it in a Close frame?
	Wire bool `json:"wire_allowed"`
	// BrowserClose: does WebSocket.close(code) in a browser accept it?
	BrowserClose bool `json:"browser_close_allowed"`
}

// ParseCloseCode parses s as a close code 0–4999 as it appears in a URL: only
// ASCII digits, no sign, at most 4 digits after leading zeros are dropped.
func ParseCloseCode(s string) (int, error) {
	if s == "" || len(s) > 8 {
		return 0, Errorf(ENOTFOUND, "%q is not a close code: close codes are whole numbers from 0 to %d", s, MaxCloseCode)
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, Errorf(ENOTFOUND, "%q is not a close code: close codes are whole numbers from 0 to %d", s, MaxCloseCode)
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > MaxCloseCode {
		return 0, Errorf(ENOTFOUND, "%s is outside the close-code space: codes run from 0 to %d", s, MaxCloseCode)
	}
	return n, nil
}

// LookupCode describes code, which must be within 0–MaxCloseCode.
func LookupCode(code int) CodeInfo {
	ci := CodeInfo{Code: code, Reference: "RFC 6455 §7.4.2", ReferenceURL: RFC6455Ranges}
	switch {
	case code < 1000:
		ci.Range = RangeUnused
	case code < 3000:
		ci.Range = RangeProtocol
	case code < 4000:
		ci.Range = RangeRegistered
		ci.Wire = true
	default:
		ci.Range = RangePrivate
		ci.Wire = true
	}
	if r, ok := registryByCode[code]; ok {
		ci.Name, ci.Reference, ci.ReferenceURL = r.Name, r.Reference, r.ReferenceURL
		m := r.Meaning
		ci.Meaning = &m
		ci.Wire = r.Wire
	}
	// WHATWG WebSockets Standard, close(): anything but 1000 and
	// 3000–4999 throws InvalidAccessError.
	ci.BrowserClose = code == 1000 || (code >= 3000 && code <= 4999)
	return ci
}
