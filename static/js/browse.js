// Card browser: one box ticks every card on the page. Without this file, tick them one by one
// or choose "all matching cards".
"use strict";
document.addEventListener("change", (event) => {
  if (event.target.id !== "pick-all") return;
  document.querySelectorAll('.browser-table input[name="cards"]').forEach((box) => {
    box.checked = event.target.checked;
  });
});
document.addEventListener("htmx:load", () => {
  const all = document.getElementById("pick-all");
  if (all) all.hidden = false;
});
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("pick-all");
  if (all) all.hidden = false;
});
