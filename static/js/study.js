// Review screen keys, as in Anki: Space/Enter show the answer, 1-4 grade, U undo,
// "-" bury, "@" suspend. Every key clicks a real button, so htmx and plain forms both work.
"use strict";
(() => {
  const click = (selector) => {
    const button = document.querySelector(selector);
    if (button && !button.disabled) {
      button.click();
      return true;
    }
    return false;
  };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    if (typing) {
      // The optional answer box: Space in it while empty shows the answer, as it would
      // anywhere else on the card; Enter submits its form, which shows the answer too.
      if (target.id === "typed" && event.key === " " && target.value.trim() === "") {
        if (click("#show-answer")) event.preventDefault();
      }
      return;
    }
    if (target && target.tagName === "BUTTON" && (event.key === " " || event.key === "Enter")) return;
    let handled = false;
    if (event.key === " " || event.key === "Enter") handled = click("#show-answer");
    else if (["1", "2", "3", "4"].includes(event.key)) handled = click(`.grades button[data-rating="${event.key}"]`);
    else if (event.key === "u" || event.key === "U") handled = click("#undo");
    else if (event.key === "-") handled = click("#bury");
    else if (event.key === "@") handled = click("#suspend");
    if (handled) event.preventDefault();
  });
  // After htmx swaps a new card in, move focus to the card so screen readers and keys follow.
  // Never to the answer box: it would take Space from a keyboard user (click it to type).
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "study-card") {
      const swapped = document.getElementById("study-card");
      if (swapped) { swapped.setAttribute("tabindex", "-1"); swapped.focus({ preventScroll: true }); }
    }
  });
})();
