// The playground works without this script: the form decodes on the server.
// The script adds live decoding as you type and fills the form from the
// example links, fetching the same server-rendered result.
(function () {
  "use strict";
  var form = document.getElementById("decode-form");
  var result = document.getElementById("result");
  if (!form || !result || !window.fetch || !window.DOMParser) {
    return;
  }
  var timer = 0;
  var seq = 0;
  var copy = document.getElementById("copy-link");
  var share = document.getElementById("share-link");
  if (copy && share && navigator.clipboard) {
    copy.hidden = share.hidden;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(new URL(share.getAttribute("href"), location.href).href).then(function () {
        copy.textContent = copy.getAttribute("data-done");
      });
    });
  }

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "" && value !== "0") {
        params.append(key, value);
      }
    });
    return params;
  }

  function decode() {
    var params = query();
    var url = form.getAttribute("action") + "?" + params.toString();
    var mine = ++seq;
    var post = url.length > 4000;
    fetch(post ? form.getAttribute("action") : url, post ? { method: "POST", body: params } : {})
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (mine !== seq) {
          return; // a newer decode is on its way
        }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("result");
        if (fresh) {
          result.innerHTML = fresh.innerHTML;
        }
        var link = doc.getElementById("share-link");
        var old = document.getElementById("share-link");
        if (old && link) {
          old.setAttribute("href", link.getAttribute("href"));
          old.hidden = link.hidden;
          copy.hidden = link.hidden || !navigator.clipboard;
        }
        if (!post && window.history && history.replaceState) {
          history.replaceState(null, "", url);
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
})();
