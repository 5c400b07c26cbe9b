// Live fan-out progress: while anything is pending, read the counts once a second and write
// them into the table. Without scripts the numbers are those of the page load.
(() => {
  const section = document.getElementById("delivery-progress");
  if (!section) return;
  const status = document.getElementById("progress-status");
  const show = (row, numbers) => {
    for (const state of ["delivered", "pending", "failed"]) {
      const cell = section.querySelector(`tr[data-channel="${row}"] td[data-state="${state}"]`);
      if (cell) cell.textContent = String(numbers[state]);
    }
  };
  const poll = async () => {
    let counts;
    try {
      const answer = await fetch(section.dataset.countsUrl, { credentials: "same-origin" });
      if (!answer.ok) return;
      counts = await answer.json();
    } catch {
      setTimeout(poll, 3000);
      return;
    }
    for (const [channel, numbers] of Object.entries(counts.channels)) show(channel, numbers);
    show("all", counts);
    if (counts.pending > 0 || counts.waiting) {
      setTimeout(poll, 1000);
    } else {
      status.textContent = counts.total ? "Every delivery is settled." : "";
    }
  };
  if (section.dataset.live === "1") setTimeout(poll, 1000);
})();
