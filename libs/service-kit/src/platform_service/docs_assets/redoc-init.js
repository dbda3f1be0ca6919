// Starts ReDoc on /redoc (a file, not an inline script: the page's CSP allows 'self' only).
window.addEventListener("load", function () {
  var root = document.getElementById("redoc");
  Redoc.init(root.dataset.openapiUrl, { hideDownloadButton: false }, root);
});
