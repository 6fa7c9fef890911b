// In the chat, "Open document" shows the page in a dialog over the chat (Esc or Close shuts
// it) instead of leaving it; the frame is sandboxed without scripts, and the page's own CSP
// forbids them too. Modified clicks (new tab) and the link itself still work without this.
(() => {
  let dialog = null;
  const viewer = () => {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.id = "document-viewer";
    dialog.setAttribute("aria-label", "Document");
    const bar = document.createElement("div");
    bar.className = "bar";
    const tab = document.createElement("a");
    tab.id = "document-new-tab";
    tab.textContent = "Open in a new tab";
    tab.target = "_blank";
    tab.rel = "noopener";
    const close = document.createElement("button");
    close.type = "button";
    close.id = "document-close";
    close.textContent = "Close";
    close.addEventListener("click", () => dialog.close());
    const frame = document.createElement("iframe");
    frame.title = "Document";
    frame.setAttribute("sandbox", "allow-same-origin");
    frame.setAttribute("referrerpolicy", "no-referrer");
    bar.append(tab, close);
    dialog.append(bar, frame);
    dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
    dialog.addEventListener("close", () => { frame.src = "about:blank"; });
    document.body.append(dialog);
    return dialog;
  };
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest("#chat a[href]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey
        || event.altKey) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !url.pathname.endsWith("/document")) return;
    event.preventDefault();
    event.stopPropagation();
    const shown = viewer();
    shown.querySelector("#document-new-tab").href = url.href;
    url.searchParams.set("embed", "1");
    shown.querySelector("iframe").src = url.href;
    shown.showModal();
    shown.querySelector("#document-close").focus();
  }, true);
})();
