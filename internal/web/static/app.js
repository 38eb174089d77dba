// Ringdesk UI behaviour: progressive enhancement only; every page works without it.
"use strict";

// copyText puts text on the clipboard: the Clipboard API where the page is
// a secure context, else a hidden textarea and execCommand("copy").
function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text).catch(() => copyFallback(text));
  }
  return copyFallback(text);
}

function copyFallback(text) {
  return new Promise((resolve, reject) => {
    const ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    ok ? resolve() : reject(new Error("copy failed"));
  });
}

document.addEventListener("click", (e) => {
  const btn = e.target.closest("[data-copy]");
  if (!btn) return;
  const src = document.querySelector(btn.dataset.copy);
  if (!src) return;
  const ru = document.documentElement.lang === "ru";
  const old = btn.textContent;
  copyText(src.textContent.trim()).then(() => {
    btn.textContent = ru ? "Скопировано" : "Copied";
  }, () => {
    // Copying is not allowed here: select the text so Ctrl+C works.
    const range = document.createRange();
    range.selectNodeContents(src);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    btn.textContent = ru ? "Нажмите Ctrl+C" : "Press Ctrl+C";
  }).finally(() => {
    setTimeout(() => { btn.textContent = old; }, 1500);
  });
});
