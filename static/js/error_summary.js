// The error summary of a refused form (templates/includes/_error_summary.html), as GOV.UK's:
// focus moves to it when the page loads, so that a screen reader reads it out first, and each
// of its links moves focus to the field it names, with the field's label or legend scrolled
// into view above it (the browser alone would scroll the input to the very top and hide
// them). A file of its own: the Content-Security-Policy forbids inline scripts.
document.querySelectorAll("[data-error-summary]").forEach((summary, index) => {
  if (index === 0) {
    summary.focus();
  }
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const input = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!input) {
      return;
    }
    event.preventDefault();
    const fieldset = input.closest("fieldset");
    const legend = fieldset && fieldset.querySelector("legend");
    const label = legend || (input.labels && input.labels[0]);
    (label || input).scrollIntoView();
    input.focus({ preventScroll: true });
  });
});
