// Rapport web pages: small, project-written progressive enhancement (Apache-2.0).
// Pages work without it; nothing here talks to another host.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Buttons with data-confirm ask before submitting their form.
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
  for (const button of document.querySelectorAll("[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
});

// == feedback forms (rapport/web/pages/feedback.py) ==============================
document.addEventListener("DOMContentLoaded", () => {
  // After a rejected submission, move focus to the list of unanswered questions.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  // The one-time link is selected whole on focus, ready to copy.
  for (const input of document.querySelectorAll("input[data-select-all]")) {
    input.addEventListener("focus", () => input.select());
  }
});
// == end feedback forms ==========================================================

// == session page (rapport/web/pages/sessions.py) ================================
document.addEventListener("DOMContentLoaded", () => {
  // The transcript filter also works as a plain GET form; with script it filters in
  // place, without reloading the page, and announces the count.
  const select = document.querySelector("select[data-live-filter]");
  if (!select) return;
  const list = document.getElementById(select.dataset.liveFilter);
  const count = document.getElementById("filter-count");
  select.addEventListener("change", () => {
    let shown = 0;
    for (const turn of list.querySelectorAll(".turn")) {
      const codes = (turn.dataset.codes || "").split(" ");
      turn.hidden = select.value !== "" && !codes.includes(select.value);
      if (!turn.hidden) shown += 1;
    }
    if (count) count.textContent = `${shown} turns shown`;
  });
});
// == end session page ============================================================
