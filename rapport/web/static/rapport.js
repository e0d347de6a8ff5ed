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
