// studyapp: small progressive enhancements. Pages work without this file.
"use strict";
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    document.querySelectorAll("details.account-menu[open]").forEach((menu) => menu.removeAttribute("open"));
  }
});
