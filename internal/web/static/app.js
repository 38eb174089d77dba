// Ringdesk UI behaviour: progressive enhancement only; every page works without it.
"use strict";
document.addEventListener("click", (e) => {
  const btn = e.target.closest("[data-copy]");
  if (!btn) return;
  const src = document.querySelector(btn.dataset.copy);
  if (!src) return;
  navigator.clipboard.writeText(src.textContent.trim()).then(() => {
    const old = btn.textContent;
    btn.textContent = document.documentElement.lang === "ru" ? "Скопировано" : "Copied";
    setTimeout(() => { btn.textContent = old; }, 1500);
  });
});
