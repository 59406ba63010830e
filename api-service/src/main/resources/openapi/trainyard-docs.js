// Swagger UI on this server's own description. validatorUrl null: the default would send the
// document to an outside validator, which the page's CSP (and an offline install) forbids.
// persistAuthorization false: a pasted API key lives only as long as the page.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  validatorUrl: null,
  persistAuthorization: false,
  tryItOutEnabled: false,
  displayOperationId: false,
});
