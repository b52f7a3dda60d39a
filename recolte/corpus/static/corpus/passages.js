// Passages arrive after the page (HTMX): bring the one named in the address into view.
document.addEventListener("htmx:afterSettle", function (event) {
  if (!event.target.matches("[data-passages]") || !location.hash.startsWith("#p-")) return;
  var target = document.getElementById(location.hash.slice(1));
  if (target) {
    target.classList.add("targeted");
    target.scrollIntoView({block: "center"});
  }
});
