// Pages waiting for a PDF that the worker is making (committee/core/renderings.py): each
// element with data-rendering-status-url asks that address how it is going, less and less
// often, shows the status in its [data-rendering-label], and loads the page again once the
// PDF is done (or has failed), which then offers the file or says what happened.
// Without JavaScript the page has a link (and, on the waiting pages, a refresh) instead.
// A file of its own: the Content-Security-Policy forbids inline scripts.
document.querySelectorAll("[data-rendering-status-url]").forEach((element) => {
  const url = element.dataset.renderingStatusUrl;
  const label = element.querySelector("[data-rendering-label]");
  let pause = 1000;
  const later = (longest) => {
    pause = Math.min(pause * 1.5, longest);
    window.setTimeout(ask, pause);
  };
  const ask = () => {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((state) => {
        if (state.done) {
          window.location.reload();
          return;
        }
        if (label && state.label && label.textContent !== state.label) {
          label.textContent = state.label;
        }
        later(10000);
      })
      .catch(() => later(30000));
  };
  window.setTimeout(ask, pause);
});
