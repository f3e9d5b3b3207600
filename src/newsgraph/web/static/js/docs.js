/* newsgraph: the API docs page (/docs) — Swagger UI (vendored) over the app's own /openapi.json.
 * Nothing is fetched from elsewhere: no online validator badge, no CDN. */
(function () {
  "use strict";

  function main() {
    const holder = document.getElementById("swagger-ui");
    if (!holder || typeof window.SwaggerUIBundle !== "function") return;
    window.SwaggerUIBundle({
      url: holder.dataset.url || "/openapi.json",
      domNode: holder,
      deepLinking: true,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      validatorUrl: null,
      tryItOutEnabled: false,
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
