// Study settings: offer this browser's own time zone when the settings name another one.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.querySelector("select[name=time_zone]");
  const hint = document.getElementById("zone-hint");
  if (!select || !hint) return;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const known = Array.from(select.options).some((option) => option.value === zone);
  if (!zone || !known || zone === select.value) return;
  hint.querySelector("[data-zone]").textContent = zone.replaceAll("_", " ");
  hint.hidden = false;
  hint.querySelector("button").addEventListener("click", () => {
    select.value = zone;
    hint.hidden = true;
    select.focus();
  });
});
