// Copy buttons for the channel renderings. Without scripts (or without the clipboard API) the
// buttons stay hidden and the text areas remain selectable.
(() => {
  if (!navigator.clipboard || !window.isSecureContext) return;
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector(".copied");
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value);
        status.textContent = "Copied.";
      } catch {
        source.focus();
        source.select();
        status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
      }
    });
  }
})();
