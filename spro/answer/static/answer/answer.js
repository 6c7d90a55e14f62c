// "Imprimer" on the answer page: the button is hidden until this script runs (the page works without JavaScript;
// the browser's own print command uses the same print stylesheet).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-imprimer]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
