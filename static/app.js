// Run on every page run of app.py with the page's settings (tilannekuva/web/assets.py):
// { lang: "fi" | "sv" | "en", tableLabel: the catalogue's label of a scrolling table }.
// No "less than" sign anywhere in this file: Streamlit parses st.html as HTML before it runs the
// script, and a tag-like text inside it (even in a comment) stopped the script from running.
(settings) => {
  // Streamlit declares the page as English (html lang="en", streamlit/streamlit#15726); screen readers need the UI's
  // language (WCAG 3.1.1).
  document.documentElement.lang = settings.lang;
  window.tilannekuvaTableLabel = settings.tableLabel;
  if (window.tilannekuvaTables) return;
  window.tilannekuvaTables = true;
  // A table wider than the screen scrolls sideways (on a phone, by design since issue #8): its
  // scrolling box takes the keyboard's focus and is named, so it can be scrolled without a mouse
  // (WCAG 2.1.1; axe's scrollable-region-focusable). Only boxes that do scroll become tab stops,
  // checked again when the page changes or its width does.
  let queued = false;
  const mark = () => {
    queued = false;
    document.querySelectorAll("[data-testid=stTable] > div").forEach((box) => {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && box.getAttribute("tabindex") !== "0") {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", window.tilannekuvaTableLabel);
      } else if (!scrolls && box.hasAttribute("tabindex")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
    // The file uploader's drop zone is a labelled section with role="presentation" and a
    // tabindex (Streamlit 1.67): axe's presentation-role-conflict, and a screen reader may drop
    // its name. A labelled group is what it is; its button stays the keyboard's way in.
    document.querySelectorAll("[data-testid=stFileUploaderDropzone][role=presentation]").forEach((zone) => {
      zone.setAttribute("role", "group");
    });
  };
  const queue = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(mark);
    }
  };
  new MutationObserver(queue).observe(document.body, { childList: true, subtree: true });
  window.addEventListener("resize", queue);
  queue();
  // A link from a list to a municipality's page (the worklist, the chase list: issue #21) opens in
  // the same tab: Streamlit opens every markdown link in a new one. The address carries the view,
  // so the page opens as linked; a click with a modifier key or the middle button still opens a
  // new tab, as the reader asked.
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target.closest ? event.target.closest("a[href^='municipality?']") : null;
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      event.stopPropagation();
      window.location.assign(link.href);
    },
    true,
  );
}
