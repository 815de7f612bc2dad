// Installed in a page before Streamlit's own scripts, by the browser tests (tests/conftest.py) and the
// server benchmark's browser sessions. It tells them when a script run has finished and been drawn:
//
// - It reads every websocket message from the server and counts the script_finished messages
//   (ForwardMsg field 6; status 2, "finished early for a rerun", is not an end).
// - A run counts as done (`done`) once its message has arrived AND either the app root's script state
//   has switched to an idle value or two animation frames have passed (React has drawn it).
//   `consumed` is for the caller: the runs it has already waited for. `doneAt`: when the last one was.
// - It notes when an armed action reached the page (`actionAt`, from a click or Enter seen in the
//   capture phase, before Streamlit's own handlers), so the benchmark can time from there.
(() => {
  if (window.__stHarness) return;
  const h = (window.__stHarness = { pending: 0, done: 0, consumed: 0, armed: false, actionAt: null });
  const IDLE = ["notRunning", "compilationError"];
  const confirm = () => {
    if (!h.pending) return;
    h.done += h.pending;
    h.pending = 0;
    h.doneAt = performance.now();
  };

  // Top-level protobuf scan: the value of varint field 6 (script_finished), or -1.
  const scriptFinished = (bytes) => {
    let i = 0;
    const varint = () => {
      let value = 0, scale = 1, byte;
      do { byte = bytes[i++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80);
      return value;
    };
    while (i < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const v = varint(); if (field === 6) return v; }
      else if (wire === 2) { const length = varint(); i += length; }  // not i += varint(): i is read first
      else if (wire === 1) { i += 8; }
      else if (wire === 5) { i += 4; }
      else return -1;
    }
    return -1;
  };
  const onFrame = (buffer) => {
    const status = scriptFinished(new Uint8Array(buffer));
    if (status >= 0 && status !== 2) {
      h.pending += 1;
      requestAnimationFrame(() => requestAnimationFrame(confirm));
    }
  };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const data = event.data;
        if (data instanceof ArrayBuffer) onFrame(data);
        else if (data instanceof Blob) data.arrayBuffer().then(onFrame);
      });
    }
  };

  new MutationObserver((mutations) => {
    for (const m of mutations) {
      const now = m.target.getAttribute("data-test-script-state");
      if (IDLE.includes(now) && !IDLE.includes(m.oldValue)) confirm();
    }
  }).observe(document, {
    subtree: true, attributes: true, attributeOldValue: true,
    attributeFilter: ["data-test-script-state"],
  });

  const seen = () => { if (h.armed) { h.armed = false; h.actionAt = performance.now(); } };
  window.addEventListener("click", seen, true);
  window.addEventListener("keydown", (event) => { if (event.key === "Enter") seen(); }, true);
})();
