// The playground works without this script: the form decodes on the server.
// The script decodes live through POST /api/v1/decode as you type, renders
// the answer with DOM methods (text is never parsed as HTML), keeps the
// share link current, fills the form from the example links and copies
// links.
(function () {
  "use strict";
  var form = document.getElementById("decode-form");
  var result = document.getElementById("result");
  if (!form || !result || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var ui = JSON.parse(result.getAttribute("data-ui") || "{}");
  var lang = result.getAttribute("data-lang") || "en";
  var home = result.getAttribute("data-home") || "/";
  var rows = parseInt(result.getAttribute("data-rows"), 10) || 500;
  var share = document.getElementById("share-link");
  var copy = document.getElementById("copy-link");
  var timer = 0;
  var seq = 0;

  function t(id, values) {
    var s = ui[id] || id;
    Object.keys(values || {}).forEach(function (k) {
      s = s.split("{" + k + "}").join(String(values[k]));
    });
    return s;
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }

  function page(path) {
    return home === "/" ? path : home.replace(/\/$/, "") + path;
  }

  function rfcURL(ref) {
    var m = /^RFC (\d+) §([\d.]+)$/.exec(ref || "");
    return m ? "https://www.rfc-editor.org/rfc/rfc" + m[1] + "#section-" + m[2] : "https://www.rfc-editor.org/rfc/rfc6455";
  }

  function hexPreview(h) {
    var bytes = h.match(/../g) || [];
    var s = bytes.slice(0, 512).join(" ");
    return bytes.length > 512 ? s + " … (" + bytes.length + " bytes)" : s;
  }

  function pad(n, width) {
    var s = n.toString(2);
    while (s.length < width) {
      s = "0" + s;
    }
    return s;
  }

  function headerBits(f) {
    var len7 = f.length_bits === 16 ? 126 : f.length_bits === 64 ? 127 : f.payload_length;
    return (f.fin ? "1" : "0") + " " + (f.rsv1 ? "1" : "0") + (f.rsv2 ? "1" : "0") + (f.rsv3 ? "1" : "0") + " " +
      pad(f.opcode, 4) + " · " + (f.masked ? "1" : "0") + " " + pad(len7, 7);
  }

  function payloadCell(f, text) {
    var td = el("td", { "class": "payload" });
    if (f.type === "close" && f.close_code !== null) {
      td.appendChild(el("a", { href: page("/codes/" + f.close_code) }, [String(f.close_code)]));
      if (f.close_reason) {
        td.appendChild(document.createTextNode(" “" + f.close_reason + "”"));
      }
      td.appendChild(el("br"));
    }
    td.appendChild(el("code", {}, [hexPreview(f.payload_hex)]));
    if (text) {
      td.appendChild(el("br"));
      td.appendChild(el("span", { "class": "text" }, ["“" + text + "”"]));
    }
    return td;
  }

  function table(cls, head, rows) {
    var tr = el("tr", {}, head.map(function (h) { return el("th", {}, [h]); }));
    return el("div", { "class": "table-scroll" }, [el("table", { "class": cls }, [el("thead", {}, [tr]), el("tbody", {}, rows)])]);
  }

  function render(doc) {
    var out = [];
    out.push(el("p", { "class": "summary" }, [t("playground.summary", {
      Format: doc.input.format, Bytes: doc.input.bytes, Frames: doc.frames.length,
      Messages: doc.messages.length, Problems: doc.problems.length
    })]));
    if (doc.problems.length) {
      out.push(el("h2", {}, [t("playground.problems")]));
      out.push(el("ul", { "class": "problems" }, doc.problems.map(function (p) {
        var where = p.frame >= 0 ? t("playground.frame_n", { N: p.frame }) : t("playground.stream");
        var code = p.close_code !== null ?
          el("a", { "class": "badge badge-code", href: page("/codes/" + p.close_code) }, [String(p.close_code)]) :
          el("span", { "class": "badge" }, [t("playground.note")]);
        var li = el("li", { "class": p.close_code !== null ? "problem" : "notice" }, [
          el("span", { "class": "where" }, [where]), " ", code, " ",
          el("span", { "class": "msg" }, [p.message]), " ",
          el("a", { "class": "rfc", href: rfcURL(p.rfc), rel: "noopener" }, [p.rfc])
        ]);
        if (p.url) {
          li.appendChild(document.createTextNode(" · "));
          li.appendChild(el("a", { href: p.url }, [t("playground.explain")]));
        }
        return li;
      })));
    }
    out.push(el("h2", {}, [t("playground.frames")]));
    out.push(table("frames", ["#", t("playground.offset"), "FIN", "RSV1", "RSV2", "RSV3", "opcode", "MASK", t("playground.length"), t("playground.header"), t("playground.payload")],
      doc.frames.slice(0, rows).map(function (f, i) {
        var length = [String(f.payload_length) + " ", el("span", { "class": "form" }, ["(" + t("playground.bits", { N: f.length_bits }) + ")"])];
        if (!f.complete) {
          length.push(" ", el("span", { "class": "form" }, [t("playground.present", { N: f.payload_hex.length / 2 })]));
        }
        var row = el("tr", f.complete ? {} : { "class": "partial" }, [
          el("td", {}, [String(i)]), el("td", {}, [String(f.offset)]),
          el("td", {}, [f.fin ? "1" : "0"]), el("td", {}, [f.rsv1 ? "1" : "0"]), el("td", {}, [f.rsv2 ? "1" : "0"]), el("td", {}, [f.rsv3 ? "1" : "0"]),
          el("td", {}, [el("code", {}, ["0x" + f.opcode.toString(16).toUpperCase()]), " " + f.type]),
          el("td", {}, f.masked ? ["1 ", el("code", {}, [f.mask_key])] : ["0"]),
          el("td", {}, length),
          el("td", {}, [el("code", { "class": "bits" }, [headerBits(f)]), " ", el("span", { "class": "form" }, [f.header_length + " B"])]),
          payloadCell(f, f.type === "close" ? null : f.text)
        ]);
        return row;
      })));
    if (doc.frames.length > rows) {
      out.push(el("p", { "class": "note" }, [t("playground.rows_capped", { N: rows, Total: doc.frames.length })]));
    }
    if (doc.messages.length) {
      out.push(el("h2", {}, [t("playground.messages")]));
      out.push(table("messages", ["#", t("playground.type"), t("playground.fragments"), t("playground.size"), t("playground.content")],
        doc.messages.slice(0, rows).map(function (m, i) {
          var kind = m.type;
          if (m.compressed) {
            kind += " · " + (m.inflated ? t("playground.inflated") : t("playground.compressed"));
          }
          if (!m.complete) {
            kind += " · " + t("playground.incomplete");
          }
          var content = el("td", { "class": "payload" });
          if (m.text !== null && m.text !== "") {
            content.appendChild(el("span", { "class": "text" }, ["“" + m.text + "”"]));
            content.appendChild(el("br"));
          }
          content.appendChild(el("code", {}, [hexPreview(m.payload_hex)]));
          return el("tr", {}, [el("td", {}, [String(i)]), el("td", {}, [kind]), el("td", {}, [String(m.fragments)]),
            el("td", {}, [m.payload_hex.length / 2 + " B"]), content]);
        })));
      if (doc.messages.length > rows) {
        out.push(el("p", { "class": "note" }, [t("playground.rows_capped", { N: rows, Total: doc.messages.length })]));
      }
    }
    return out;
  }

  function show(nodes) {
    while (result.firstChild) {
      result.removeChild(result.firstChild);
    }
    nodes.forEach(function (n) { result.appendChild(n); });
  }

  function params() {
    var p = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "" && value !== "0") {
        p.append(key, value);
      }
    });
    return p;
  }

  function decode() {
    var p = params();
    var mine = ++seq;
    var link = form.getAttribute("action") + "?" + p.toString();
    if (!p.get("hex")) {
      show([]);
      return;
    }
    p.set("lang", lang);
    fetch("/api/v1/decode", { method: "POST", body: p })
      .then(function (r) { return r.json(); })
      .then(function (doc) {
        if (mine !== seq) {
          return; // a newer decode is on its way
        }
        if (doc.error) {
          show([el("p", { "class": "error-box", role: "alert" }, [doc.error.message])]);
        } else {
          show(render(doc));
        }
        if (share) {
          share.setAttribute("href", link);
          share.hidden = link.length > 4096;
          if (copy) {
            copy.hidden = share.hidden || !navigator.clipboard;
          }
        }
        if (link.length <= 4096 && window.history && history.replaceState) {
          history.replaceState(null, "", link);
        }
      })
      .catch(function () { /* keep the last result; the form still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(decode, 250);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);

  Array.prototype.forEach.call(document.querySelectorAll("a.example"), function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      form.elements.hex.value = a.getAttribute("data-hex");
      form.elements.deflate.checked = a.getAttribute("data-deflate") === "1";
      decode();
    });
  });

  if (copy && share && navigator.clipboard) {
    copy.hidden = share.hidden;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(new URL(share.getAttribute("href"), location.href).href).then(function () {
        copy.textContent = copy.getAttribute("data-done");
      });
    });
  }
})();
