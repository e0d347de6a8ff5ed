// Rapport web pages: small, project-written progressive enhancement (Apache-2.0).
// Pages work without it; nothing here talks to another host.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Buttons with data-confirm ask before submitting their form.
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
