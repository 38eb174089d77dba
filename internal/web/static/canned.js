// Canned replies in the ticket composer. Typing "/" at the start of a line
// of the message opens a picker filtered by what follows the "/"; Ctrl+/
// (Cmd+/) in the message, or the "Canned reply" button, opens it with a
// search field of its own. Up and Down move, Enter or Tab (or a click)
// puts the chosen reply in place of the "/..." or at the cursor, Esc
// closes. The server fills the placeholders for this ticket
// (GET data-url?q=, with the session cookie), so the rule lives in Go.
// Without this script the composer is a plain text box.
"use strict";
(() => {
  const root = document.querySelector("[data-canned-picker]");
  const form = root && root.closest("form");
  const ta = form && form.querySelector("textarea[name=body]");
  if (!ta) return;
  const pop = root.querySelector(".cn-pop");
  const q = root.querySelector(".cn-q");
  const list = root.querySelector(".cn-list");
  const openBtn = root.querySelector(".cn-open");
  let mode = ""; // "": closed; "slash": the query is typed in the message; "search": in the picker's field
  let range = null; // the part of the message the reply replaces: {start, end}
  let dismissed = -1; // the line start of a "/" the agent closed with Esc
  let items = [];
  let active = -1;
  let seq = 0;
  let timer = 0;
  let wantQ = null; // the query last asked for
  let shownQ = null; // the query of the replies shown
  let chooseWhenLoaded = false; // Enter came before the replies of the query
  let inserting = false;
  let swallowEnter = false; // the Enter that chose a reply

  // slashAt returns the "/query" the cursor ends, at the start of its line.
  const slashAt = () => {
    if (ta.selectionStart !== ta.selectionEnd) return null;
    const pos = ta.selectionStart;
    const v = ta.value;
    const start = pos === 0 ? 0 : v.lastIndexOf("\n", pos - 1) + 1;
    const token = v.slice(start, pos);
    if (!token.startsWith("/") || token.startsWith("//") || token.startsWith("/ ") || token.length > 60) return null;
    return { start, end: pos, q: token.slice(1) };
  };
  const owner = () => (mode === "search" ? q : ta);
  const setActive = (i) => {
    const opts = list.querySelectorAll("[role=option]");
    active = opts.length ? (i + opts.length) % opts.length : -1;
    opts.forEach((o, n) => o.setAttribute("aria-selected", n === active ? "true" : "false"));
    if (active >= 0) {
      owner().setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    } else {
      owner().removeAttribute("aria-activedescendant");
    }
  };
  const render = (message) => {
    list.replaceChildren();
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "cn-empty";
      li.textContent = message || root.dataset.empty;
      list.append(li);
    }
    items.forEach((c, i) => {
      const li = document.createElement("li");
      li.id = "cn-opt-" + c.id;
      li.setAttribute("role", "option");
      li.dataset.index = String(i);
      const head = document.createElement("div");
      head.className = "cn-opt-head";
      const title = document.createElement("strong");
      title.textContent = c.title;
      head.append(title);
      if (c.shortcut) {
        const sc = document.createElement("code");
        sc.textContent = "/" + c.shortcut;
        head.append(" ", sc);
      }
      const scope = document.createElement("span");
      scope.className = c.shared ? "pill" : "pill ok";
      scope.textContent = c.shared ? root.dataset.shared : root.dataset.personal;
      head.append(" ", scope);
      const text = document.createElement("div");
      text.className = "cn-opt-text";
      text.textContent = c.text;
      li.append(head, text);
      list.append(li);
    });
    setActive(0);
  };
  const load = async (query) => {
    const mine = ++seq;
    try {
      const res = await fetch(root.dataset.url + "?q=" + encodeURIComponent(query),
        { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!res.ok) throw new Error("HTTP " + res.status);
      const data = await res.json();
      if (mine !== seq || !mode) return; // a newer query, or closed meanwhile
      items = data.canned_replies || [];
      shownQ = query;
      render();
      if (chooseWhenLoaded) {
        chooseWhenLoaded = false;
        choose(active);
      }
    } catch (_) {
      if (mine !== seq || !mode) return;
      items = [];
      shownQ = query;
      chooseWhenLoaded = false;
      render(root.dataset.failed);
    }
  };
  const ask = (query) => {
    if (query === wantQ) return;
    wantQ = query;
    clearTimeout(timer);
    timer = setTimeout(() => load(query), shownQ === null ? 0 : 120);
  };
  const open = (how) => {
    mode = how;
    pop.hidden = false;
    q.hidden = how !== "search";
    openBtn.setAttribute("aria-expanded", "true");
    if (how === "slash") {
      ta.setAttribute("aria-controls", "cn-list");
      ta.setAttribute("aria-expanded", "true");
    }
    pop.scrollIntoView({ block: "nearest" });
  };
  const close = (refocus) => {
    const was = mode;
    mode = "";
    pop.hidden = true;
    list.replaceChildren();
    items = [];
    active = -1;
    wantQ = shownQ = null;
    chooseWhenLoaded = false;
    clearTimeout(timer);
    seq++;
    openBtn.setAttribute("aria-expanded", "false");
    ["aria-controls", "aria-expanded", "aria-activedescendant"].forEach((a) => ta.removeAttribute(a));
    q.removeAttribute("aria-activedescendant");
    if (refocus && was === "search" && range) {
      ta.focus();
      ta.setSelectionRange(range.start, range.end);
    }
  };
  // choose puts reply i in place of the range, as typing would (so the
  // browser's undo takes it back and the draft keeper sees an input).
  const choose = (i) => {
    const c = items[i];
    if (!c) return;
    if (mode === "slash") {
      const s = slashAt();
      if (s) range = { start: s.start, end: s.end };
    }
    const { start, end } = range;
    inserting = true;
    ta.focus();
    ta.setSelectionRange(start, end);
    let done = false;
    try { done = document.execCommand("insertText", false, c.text); } catch (_) { done = false; }
    if (!done) {
      ta.setRangeText(c.text, start, end, "end");
      ta.dispatchEvent(new Event("input", { bubbles: true }));
    }
    inserting = false;
    close(false);
  };
  const openSearch = () => {
    range = { start: ta.selectionStart, end: ta.selectionEnd };
    open("search");
    q.value = "";
    q.focus();
    ask("");
  };
  // keys handles the picker's keys in the message (slash mode) or in the
  // search field; it reports whether the key was the picker's.
  const keys = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const loading = wantQ !== shownQ;
    switch (e.key) {
      case "ArrowDown":
      case "ArrowUp":
        setActive(active + (e.key === "ArrowDown" ? 1 : -1));
        break;
      case "Enter":
      case "Tab":
        swallowEnter = e.key === "Enter";
        if (loading) chooseWhenLoaded = true;
        else if (items.length) choose(active);
        else if (mode === "slash" || e.key === "Tab") { swallowEnter = false; return false; } // a new line, or the next field
        break;
      case "Escape":
        if (mode === "slash") {
          const s = slashAt();
          dismissed = s ? s.start : -1;
        }
        close(true);
        break;
      default:
        return false;
    }
    e.preventDefault();
    e.stopPropagation(); // the ticket page's own keys (Esc leaves the field) stay out of it
    return true;
  };

  ta.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.code === "Slash") {
      e.preventDefault();
      if (mode === "search") close(true); else { close(false); openSearch(); }
      return;
    }
    if (mode === "slash") keys(e);
  });
  // The "/query" is read again whenever the message changes or the cursor
  // moves within it.
  const follow = () => {
    if (inserting || mode === "search") return;
    const s = slashAt();
    if (!s) {
      dismissed = -1;
      if (mode === "slash") close(false);
      return;
    }
    if (s.start === dismissed) return;
    if (mode !== "slash") open("slash");
    ask(s.q);
  };
  // Browsers skip the keypress of a keydown whose default was prevented,
  // but keys sent as separate events (DevTools, some assistive tools) still
  // bring one, which would type a new line after the reply: swallow it.
  [ta, q].forEach((el) => {
    el.addEventListener("keypress", (e) => { if (e.key === "Enter" && swallowEnter) e.preventDefault(); });
    el.addEventListener("keyup", (e) => { if (e.key === "Enter") swallowEnter = false; });
  });
  ta.addEventListener("input", follow);
  ta.addEventListener("click", follow);
  ta.addEventListener("keyup", (e) => {
    if (["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key)) follow();
  });
  ta.addEventListener("blur", () => setTimeout(() => {
    if (mode === "slash" && document.activeElement !== ta) close(false);
  }, 150));
  q.addEventListener("input", () => ask(q.value.trim()));
  q.addEventListener("keydown", (e) => {
    if (!keys(e) && e.key === "Enter") e.preventDefault(); // never sends the reply form
  });
  q.addEventListener("blur", () => setTimeout(() => {
    if (mode === "search" && !root.contains(document.activeElement)) close(false);
  }, 150));
  openBtn.addEventListener("click", () => {
    if (mode === "search") close(true); else { close(false); openSearch(); }
  });
  // mousedown, not click: it comes before the message or the field loses focus.
  list.addEventListener("mousedown", (e) => {
    const li = e.target.closest("[role=option]");
    if (!li) return;
    e.preventDefault();
    choose(Number(li.dataset.index));
  });
  list.addEventListener("mousemove", (e) => {
    const li = e.target.closest("[role=option]");
    if (li && Number(li.dataset.index) !== active) setActive(Number(li.dataset.index));
  });
})();
