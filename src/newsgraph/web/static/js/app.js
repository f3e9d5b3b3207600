/* newsgraph: small enhancements on every page; each page works without them.
 *
 * - A link to a quote (/articles/12#q-340) focuses the quote, so its speaker, kind and cue
 *   show as they do on hover or keyboard focus; Escape hides them again.
 * - Filter forms leave their empty fields out of the URL, so the links people share are short
 *   (/search?q=nato instead of /search?q=nato&source=&actor=&place=&topic=&from=&to=).
 */
(function () {
  "use strict";

  function focusTargetQuote() {
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (!/^q-\d+$/.test(id)) return;
    const quote = document.getElementById(id);
    if (!quote || !quote.classList.contains("quote")) return;
    quote.classList.add("quote-target");
    quote.focus({ preventScroll: true });
    quote.scrollIntoView({ block: "center" });
  }

  function onKey(event) {
    if (event.key !== "Escape") return;
    const active = document.activeElement;
    const quote = active && active.closest ? active.closest(".quote") : null;
    if (quote) {
      quote.blur();
      if (active !== quote) active.blur();
    }
  }

  function compactForms() {
    const forms = document.querySelectorAll('form[method="get" i]');
    for (const form of forms) {
      form.addEventListener("submit", function () {
        for (const field of form.elements) {
          if (field.name && !field.disabled && (field.type === "search" || field.type === "text" || field.type === "date" ||
              field.tagName === "SELECT") && field.value === "") {
            field.disabled = true;
            field.dataset.ngEmptied = "1";
          }
        }
      });
    }
    // back to a page from the history cache: its fields work again
    window.addEventListener("pageshow", function () {
      for (const field of document.querySelectorAll("[data-ng-emptied]")) {
        field.disabled = false;
        delete field.dataset.ngEmptied;
      }
    });
  }

  function main() {
    focusTargetQuote();
    window.addEventListener("hashchange", focusTargetQuote);
    document.addEventListener("keydown", onKey);
    compactForms();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
