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

// Keys on a question: 1-5 or A-E choose an option (toggle for select-several), Enter does the
// primary action (the first submit button of the form, as browsers submit it).
(() => {
  const form = document.querySelector(".question-form");
  if (!form) return;
  const choices = Array.from(form.querySelectorAll('input[name="choice"]'));
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing = target instanceof HTMLInputElement && target.type === "text";
    if (typing || target instanceof HTMLTextAreaElement) return;
    const key = event.key.toLowerCase();
    let position = -1;
    if (/^[1-9]$/.test(key)) position = Number(key) - 1;
    else if (/^[a-e]$/.test(key)) position = key.charCodeAt(0) - 97;
    if (position >= 0 && position < choices.length) {
      const choice = choices[position];
      if (choice.disabled) return;
      event.preventDefault();
      if (choice.type === "checkbox") choice.checked = !choice.checked;
      else choice.checked = true;
      choice.focus();
      return;
    }
    if (event.key === "Enter" && !(target instanceof HTMLButtonElement) && !(target instanceof HTMLAnchorElement)) {
      event.preventDefault();
      form.requestSubmit(form.querySelector('button[type="submit"]'));
    }
  });
})();
