// Note editor: Ctrl+S (Cmd+S) saves; a "line N" link in the preview puts the cursor on that line.
// The editor works without this file: Save and Preview are ordinary submit buttons.
"use strict";
(() => {
  const source = () => document.getElementById("source");

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      const save = document.querySelector("#editor-form [data-save]");
      if (!save) return;
      event.preventDefault();
      save.form.requestSubmit(save);
    }
  });

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-line]");
    const textarea = source();
    if (!link || !textarea) return;
    event.preventDefault();
    const wanted = Number(link.dataset.line);
    const lines = textarea.value.split("\n");
    let start = 0;
    for (let i = 0; i < Math.min(wanted - 1, lines.length); i += 1) start += lines[i].length + 1;
    const end = start + (lines[wanted - 1] || "").length;
    textarea.focus();
    textarea.setSelectionRange(start, end);
    // Scroll the chosen line into view: the share of lines above it is the share of the height.
    textarea.scrollTop = Math.max(0, (textarea.scrollHeight * (wanted - 1)) / lines.length - 40);
  });
})();
