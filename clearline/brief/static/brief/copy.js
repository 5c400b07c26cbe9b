// Copy buttons on the brief. Without scripts the buttons stay hidden and the text areas can be
// selected and copied by hand.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const area = document.getElementById(button.dataset.copy);
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(area.value);
      button.textContent = "Copied";
    } catch {
      area.focus();
      area.select();
      button.textContent = "Selected: press Ctrl+C (⌘C) to copy";
    }
    setTimeout(() => { button.textContent = label; }, 2500);
  });
});
