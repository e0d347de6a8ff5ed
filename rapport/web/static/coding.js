// The coding screen of the workbench (rapport/web/pages/coding.py): keyboard-first,
// every change saved at once through the JSON API, no page reload per turn.
// Project-written (Apache-2.0); talks to this server only.
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("coding-data").textContent);
  const csrf = document.querySelector("input[name=csrf_token]")?.value || "";
  const items = [...document.querySelectorAll(".coding-turn")];
  const list = document.getElementById("coding-codes");
  const note = document.getElementById("coding-note");
  const status = document.getElementById("coding-status");
  const defs = document.getElementById("coding-definitions");
  const mine = new Map(Object.entries(data.mine).map(([i, v]) => [Number(i), v]));
  const undo = [];
  let current = 0;
  let noteTimer = null;

  const codesFor = (role) => data.codes.filter((c) => c.speaker === "any" || c.speaker === role);
  const labelsOf = (i) => (mine.get(i)?.labels || []).slice();

  function showChips(i) {
    const chips = items[i].querySelector(".chips");
    const labels = labelsOf(i);
    chips.textContent = labels.join(", ");
    items[i].classList.toggle("coded", mine.has(i));
    items[i].classList.toggle("noted", Boolean(mine.get(i)?.note));
  }

  function progress() {
    document.getElementById("coding-progress").textContent =
      `${mine.size} of ${items.length} turns coded`;
  }

  function render() {
    items.forEach((el, i) => {
      el.classList.toggle("current", i === current);
      el.setAttribute("aria-current", i === current ? "true" : "false");
    });
    const turn = data.turns[current];
    document.getElementById("coding-position").textContent =
      `Turn ${current + 1} of ${items.length} (${turn.role})`;
    list.replaceChildren();
    const labels = labelsOf(current);
    for (const code of codesFor(turn.role)) {
      const li = document.createElement("li");
      li.dataset.code = code.name;
      li.className = labels.includes(code.name) ? "on" : "";
      const key = document.createElement("kbd");
      key.textContent = code.key;
      li.append(key, ` ${code.name}`);
      if (turn.model.includes(code.name)) li.append(" (model)");
      li.title = code.definition;
      li.addEventListener("click", () => toggle(code.name));
      list.append(li);
    }
    note.value = mine.get(current)?.note || "";
    items[current].scrollIntoView({ block: "nearest" });
    progress();
  }

  async function save(i, labels, noteText) {
    if (data.finished) return;
    const entry = { labels, note: noteText ?? (mine.get(i)?.note || "") };
    mine.set(i, entry);
    showChips(i);
    if (i === current) render();
    status.textContent = "saving…";
    const started = performance.now();
    try {
      const answer = await fetch(data.saveUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ turn_index: data.turns[i].index, labels, note: entry.note }),
      });
      const body = await answer.json();
      status.textContent = body.ok
        ? `saved (${Math.round(performance.now() - started)} ms)`
        : `not saved: ${body.error}`;
      status.dataset.state = body.ok ? "saved" : "error";
    } catch (err) {
      status.textContent = "not saved: the server did not answer";
      status.dataset.state = "error";
    }
  }

  function toggle(name) {
    const before = labelsOf(current);
    let after;
    if (before.includes(name)) after = before.filter((x) => x !== name);
    else after = data.single ? [name] : [...before, name].sort();
    undo.push([current, before]);
    save(current, after);
  }

  function move(step) {
    current = Math.max(0, Math.min(items.length - 1, current + step));
    render();
  }

  note.addEventListener("input", () => {
    clearTimeout(noteTimer);
    const i = current;
    noteTimer = setTimeout(() => save(i, labelsOf(i), note.value), 400);
  });
  note.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { note.blur(); event.preventDefault(); }
  });
  items.forEach((el, i) => el.addEventListener("click", () => { current = i; render(); }));

  document.addEventListener("keydown", (event) => {
    if (event.target === note || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLButtonElement) return;
    const key = event.key;
    if (key === "j" || key === "ArrowDown") move(1);
    else if (key === "k" || key === "ArrowUp") move(-1);
    else if (key === "?") defs.hidden = !defs.hidden;
    else if (key === "n") note.focus();
    else if (key === "u" || key === "z") {
      const last = undo.pop();
      if (last) { current = last[0]; save(last[0], last[1]); }
    } else if (key === "Enter" && data.assisted) {
      undo.push([current, labelsOf(current)]);
      save(current, data.turns[current].model.slice());
    } else {
      const code = codesFor(data.turns[current].role).find((c) => c.key === key);
      if (!code) return;
      toggle(code.name);
    }
    event.preventDefault();
  });

  items.forEach((_, i) => showChips(i));
  render();
})();
