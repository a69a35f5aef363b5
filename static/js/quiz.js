// Exam timer: counts down to the server's deadline and submits the exam when it is reached.
// The server enforces the deadline on its own; this only keeps the page honest and friendly.
"use strict";
(() => {
  const clock = document.getElementById("deadline");
  if (!clock) return;
  const deadline = Date.parse(clock.getAttribute("datetime"));
  const form = document.getElementById(clock.dataset.submitForm);
  const pad = (n) => String(n).padStart(2, "0");
  const tick = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    clock.textContent = h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
    clock.parentElement.classList.toggle("urgent", left <= 60);
    if (left === 0) {
      clearInterval(timer);
      if (form) form.submit();
    }
  };
  const timer = setInterval(tick, 1000);
  tick();
})();
