// What the chat page does that Gradio has no setting for: after every answer the newest question
// is scrolled to the top of the conversation (its answer starts under it); Send is disabled
// while the box is empty and the question's length is counted against the limit; and an
// answer's export links ask the server for the file, then download it.
(() => {
  const $ = (selector) => document.querySelector(selector);

  const scroller = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight) {
        return node;
      }
    }
    return null;
  };

  const showLatest = () => {
    sync();
    const asked = document.querySelectorAll('#chat [data-testid="user"]');
    if (!asked.length) return;
    const last = asked[asked.length - 1];
    const box = scroller(last);
    if (!box) return;
    const top = last.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop = Math.max(0, box.scrollTop + top - 12);
  };

  const sync = () => {
    // Gradio labels a message with its source text: for an answer, that is its HTML.
    for (const answer of document.querySelectorAll('#chat [data-testid="bot"][aria-label*="<"]')) {
      answer.setAttribute("aria-label", "Footnote's answer");
    }
    const box = $("#question textarea");
    const send = $("#send");
    if (!box || !send) return;
    const empty = !box.value.trim();
    if (send.disabled !== empty) {
      send.disabled = empty;
      send.setAttribute("aria-disabled", String(empty));
    }
    const count = $("#question-count");
    const limit = Number(box.getAttribute("maxlength")) || 0;
    if (count && limit) {
      const used = box.value.length;
      count.textContent = `${used.toLocaleString("en")} / ${limit.toLocaleString("en")}`;
      count.classList.toggle("fn-near", used > 0.9 * limit);
    }
  };

  let queued = false;
  const soon = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; sync(); });
  };
  document.addEventListener("input", soon, true);
  new MutationObserver(soon).observe(document.documentElement, { childList: true, subtree: true });

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest('#chat a[href^="#export:"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const request = $("#export-request textarea, #export-request input");
    if (!request) return;
    request.value = link.getAttribute("href").slice("#export:".length);
    request.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(() => $("#export-run").click(), 50);
  }, true);

  const download = () => {
    const link = $("#download a[download]") || $("#download a");
    if (link) link.click();
  };

  window.footnote = { showLatest, download, sync };
})();
