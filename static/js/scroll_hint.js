// Tables wider than the screen scroll sideways in their region ([data-scroll-hint] names the
// hint's id): the hint shows while the region's content is wider than the region itself, on a
// phone, not where the whole table fits. Without JavaScript the region's shaded edges
// (portal.css, .matrix-scroll) still show that there is more to the side.
// A file of its own: the Content-Security-Policy forbids inline scripts.
const regions = document.querySelectorAll("[data-scroll-hint]");
const update = () => {
  regions.forEach((region) => {
    const hint = document.getElementById(region.dataset.scrollHint);
    if (hint) hint.hidden = region.scrollWidth <= region.clientWidth;
  });
};
if (regions.length) {
  update();
  if ("ResizeObserver" in window) {
    const observer = new ResizeObserver(update);
    regions.forEach((region) => observer.observe(region));
  } else {
    window.addEventListener("resize", update);
  }
}
