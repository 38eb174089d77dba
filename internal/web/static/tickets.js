// Ticket list keyboard: "/" focuses search, j/k move, Enter opens.
"use strict";
(() => {
  const rows = () => Array.from(document.querySelectorAll("#tk-list tbody tr"));
  let cur = -1;
  const select = (i) => {
    const list = rows();
    if (!list.length) return;
    cur = Math.max(0, Math.min(list.length - 1, i));
    list.forEach((r, n) => r.classList.toggle("sel", n === cur));
    list[cur].scrollIntoView({ block: "nearest" });
  };
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t.closest && t.closest("input, textarea, select, [contenteditable]")) {
      if (e.key === "Escape") t.blur();
      return;
    }
    if (e.key === "/") {
      const s = document.getElementById("tk-search");
      if (s) { e.preventDefault(); s.focus(); s.select(); }
    } else if (e.key === "j") {
      select(cur + 1);
    } else if (e.key === "k") {
      select(cur - 1);
    } else if (e.key === "Enter" && cur >= 0) {
      const r = rows()[cur];
      if (r) window.location.href = r.dataset.href;
    }
  });
})();
