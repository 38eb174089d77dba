// Ringdesk UI behaviour: progressive enhancement only; every page works without it.
// The Content-Security-Policy allows scripts from /static only: no inline
// scripts or on* attributes. Bind behaviour here through data-* attributes.
"use strict";

// data-copy="#selector": copy the element's text. navigator.clipboard exists
// only in secure contexts (https or localhost); elsewhere the text is
// selected and copied the old way, or left selected for Ctrl+C.
document.addEventListener("click", (e) => {
  const btn = e.target.closest("[data-copy]");
  if (!btn) return;
  const src = document.querySelector(btn.dataset.copy);
  if (!src) return;
  const ru = document.documentElement.lang === "ru";
  const done = (ok) => {
    const old = btn.dataset.label || btn.textContent;
    btn.dataset.label = old;
    btn.textContent = ok ? (ru ? "Скопировано" : "Copied") : (ru ? "Нажмите Ctrl+C" : "Press Ctrl+C");
    setTimeout(() => { btn.textContent = old; }, 1500);
  };
  const fallback = () => {
    const range = document.createRange();
    range.selectNodeContents(src);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (_) { ok = false; }
    done(ok);
  };
  const text = src.textContent.trim();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(() => done(true), fallback);
  } else {
    fallback();
  }
});

// Logging out forgets the reply drafts kept in this browser (tickets.js),
// so the next person at a shared computer does not find them.
document.addEventListener("submit", (e) => {
  const f = e.target;
  if (!f.action || new URL(f.action, location.href).pathname !== "/logout") return;
  try {
    Object.keys(localStorage).filter((k) => k.startsWith("ringdesk:draft:")).forEach((k) => localStorage.removeItem(k));
  } catch (_) { /* storage disabled: nothing kept */ }
});

// Menus (<details data-menu>: the top bar's on a narrow screen, the ticket
// list's views and filters) open and close without a script; this adds what
// a menu button does besides: aria-expanded on the button, Escape closes
// the menu and returns to its button, a click elsewhere closes it.
(() => {
  const menus = () => Array.from(document.querySelectorAll("details[data-menu]"));
  const sync = (d) => {
    const s = d.querySelector(":scope > summary");
    if (s) s.setAttribute("aria-expanded", String(d.open));
  };
  menus().forEach((d) => {
    sync(d);
    d.addEventListener("toggle", () => sync(d));
  });
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !e.target.closest) return;
    const d = e.target.closest("details[data-menu][open]");
    if (!d) return;
    d.open = false;
    const s = d.querySelector(":scope > summary");
    if (s) s.focus();
  });
  document.addEventListener("click", (e) => {
    menus().forEach((d) => { if (d.open && !d.contains(e.target)) d.open = false; });
  });
})();
