// Print buttons on print-ready pages (no inline scripts: the Content-Security-Policy forbids them).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
