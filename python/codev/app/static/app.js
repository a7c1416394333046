// The workbench's only script: while a run or a brief is being made, poll
// /task and move the progress bar; when it ends, reload the page, which then
// shows the results (or what went wrong). Without it, the page still works:
// reload it by hand.
"use strict";

// A form sent once: a second click while the page loads would ask twice.
document.querySelectorAll("form").forEach(function (form) {
  form.addEventListener("submit", function () {
    const button = form.querySelector("button[type=submit]");
    if (button) setTimeout(function () { button.disabled = true; }, 0);
  });
});

(function () {
  const section = document.getElementById("task");
  if (!section) return;
  const bar = document.getElementById("progress");
  const label = document.getElementById("progress-text");
  const words = JSON.parse(section.dataset.words || "{}");
  async function poll() {
    let task;
    try {
      const response = await fetch("/task", { cache: "no-store" });
      task = await response.json();
    } catch (error) {
      label.textContent = words.lost || "…";
      setTimeout(poll, 2000);
      return;
    }
    if (task.run !== section.dataset.run || task.state !== "running") {
      window.location.reload();
      return;
    }
    if (task.total > 0) {
      bar.max = task.total;
      bar.value = task.done;
      label.textContent = (words.progress || "{done} / {total}")
        .replace("{done}", task.done.toLocaleString(document.documentElement.lang))
        .replace("{total}", task.total.toLocaleString(document.documentElement.lang));
    }
    setTimeout(poll, 400);
  }
  poll();
})();
