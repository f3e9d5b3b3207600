// /docs: Swagger UI over the app's own OpenAPI document, started without an inline script.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: node.getAttribute("data-url"),
    domNode: node,
    deepLinking: true,
    validatorUrl: null, // never call out to swagger.io
    tryItOutEnabled: true,
  });
});
