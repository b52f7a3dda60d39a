// Coding workbench: select text, pick codes, see codings as highlights and margin marks.
// Offsets are UTF-16 code units (JavaScript string indices); the server converts them.
(function () {
  "use strict";
  const boot = JSON.parse(document.getElementById("coding-boot").textContent);
  const textBox = document.getElementById("coding-text");
  const filter = document.getElementById("code-filter");
  const list = document.getElementById("code-list");
  const status = document.getElementById("selection-status");
  const errorBox = document.getElementById("coding-error");
  const codingList = document.getElementById("coding-list");
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  const blocks = Array.from(textBox.querySelectorAll(".block")).map(function (el) {
    const p = el.querySelector(".block-text");
    return { el: el, p: p, marks: el.querySelector(".marks"), text: p.textContent,
             start: Number(el.dataset.start16) };
  });
  let codings = boot.codings;
  let selection = null; // {start16, end16}
  let active = 0;
  let chosen = null; // id of the coding picked in the list or margin

  function forCoding(url, id) { return url.replace("999999999", String(id)); }

  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  // --- selection -> offsets ---------------------------------------------------------------
  function offsetOf(node, offset) {
    const el = node.nodeType === 1 ? node : node.parentElement;
    const blockEl = el && el.closest(".block");
    if (!blockEl) { return null; }
    const block = blocks.find(function (b) { return b.el === blockEl; });
    if (!block.p.contains(node)) { // a margin mark or the block itself: snap to the text's edge
      return block.start + (node === blockEl && offset > 1 ? block.text.length : 0);
    }
    const range = document.createRange();
    range.setStart(block.p, 0);
    range.setEnd(node, offset);
    return block.start + range.toString().length;
  }

  function readSelection() {
    const sel = window.getSelection();
    if (!sel.rangeCount || !textBox.contains(sel.anchorNode) || !textBox.contains(sel.focusNode)) {
      return; // focus moved to the picker: keep the last selection
    }
    const range = sel.getRangeAt(0);
    if (range.collapsed) { selection = null; showStatus(); return; }
    const a = offsetOf(range.startContainer, range.startOffset);
    const b = offsetOf(range.endContainer, range.endOffset);
    selection = a !== null && b !== null && b > a ? { start16: a, end16: b } : null;
    showStatus();
  }

  function excerpt(start, end) {
    let out = "";
    blocks.forEach(function (b) {
      const s = Math.max(start, b.start), e = Math.min(end, b.start + b.text.length);
      if (e > s) { out += (out ? " … " : "") + b.text.slice(s - b.start, e - b.start); }
    });
    return out;
  }

  function showStatus() {
    if (!selection) { status.textContent = status.dataset.empty || status.textContent; return; }
    status.dataset.empty = status.dataset.empty || status.textContent;
    const words = excerpt(selection.start16, selection.end16);
    const shown = words.length > 80 ? words.slice(0, 80) + "…" : words;
    // Quotation marks of the page's language: « … » in French, “…” in English.
    status.textContent = document.documentElement.lang === "fr" ? "« " + shown + " »" : "“" + shown + "”";
  }

  // --- rendering ----------------------------------------------------------------------------
  function renderBlock(block) {
    const end = block.start + block.text.length;
    const here = codings.filter(function (c) { return c.start16 < end && c.end16 > block.start; });
    const cuts = new Set([0, block.text.length]);
    here.forEach(function (c) {
      cuts.add(Math.max(0, c.start16 - block.start));
      cuts.add(Math.min(block.text.length, c.end16 - block.start));
    });
    const points = Array.from(cuts).sort(function (a, b) { return a - b; });
    block.p.textContent = "";
    for (let i = 0; i + 1 < points.length; i++) {
      const s = points[i], e = points[i + 1];
      const piece = block.text.slice(s, e);
      const over = here.filter(function (c) { return c.start16 - block.start <= s && c.end16 - block.start >= e; });
      if (!over.length) { block.p.appendChild(document.createTextNode(piece)); continue; }
      const mark = document.createElement("mark");
      mark.className = "coded" + (over.some(function (c) { return c.id === chosen; }) ? " chosen" : "");
      mark.dataset.codings = over.map(function (c) { return c.id; }).join(" ");
      mark.title = over.map(function (c) { return c.name; }).join(" · ");
      const colours = over.map(function (c) { return c.colour + "55"; });
      mark.style.background = colours.length === 1 ? colours[0]
        : "linear-gradient(" + colours.map(function (c, n) {
          return c + " " + (100 * n / colours.length) + "%, " + c + " " + (100 * (n + 1) / colours.length) + "%";
        }).join(", ") + ")";
      mark.textContent = piece;
      block.p.appendChild(mark);
    }
    block.marks.textContent = "";
    here.forEach(function (c) {
      const bar = document.createElement("span");
      bar.className = "margin-mark" + (c.id === chosen ? " chosen" : "");
      bar.style.background = c.colour;
      bar.title = c.name + (c.coder ? " — " + c.coder : "");
      bar.dataset.coding = c.id;
      bar.addEventListener("mousedown", function (event) { event.preventDefault(); choose(c.id); });
      block.marks.appendChild(bar);
    });
  }

  function renderList() {
    codingList.textContent = "";
    codings.forEach(function (c) {
      const li = document.createElement("li");
      li.dataset.coding = c.id;
      if (c.id === chosen) { li.className = "chosen"; }
      const head = document.createElement("button");
      head.type = "button";
      head.className = "link-like";
      head.innerHTML = "<span class='dot'></span>";
      head.firstChild.style.background = c.colour;
      head.appendChild(document.createTextNode(c.name + (c.quote ? " ❝" : "")));
      head.addEventListener("click", function () { choose(c.id); });
      const text = document.createElement("q");
      text.textContent = c.excerpt;
      const who = document.createElement("span");
      who.className = "muted";
      who.textContent = " " + c.coder + (c.assistant ? " + " + c.assistant : "");
      li.append(head, document.createElement("br"), text, who);
      if (c.id === chosen) {
        const tools = document.createElement("div");
        tools.className = "coding-tools";
        tools.append(
          button(codingList.dataset.labelRemove, "danger small", function () {
            post(forCoding(boot.delete, c.id), {});
          }),
          button(codingList.dataset.labelAdjust, "secondary small", function () {
            if (selection) { post(forCoding(boot.adjust, c.id), selection); }
          }),
        );
        const link = document.createElement("a");
        link.href = forCoding(boot.detail, c.id);
        link.textContent = codingList.dataset.labelDetail;
        tools.append(link);
        li.append(tools);
      }
      codingList.appendChild(li);
    });
  }

  function button(label, className, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }

  function render() { blocks.forEach(renderBlock); renderList(); }

  function choose(id) {
    const fromList = codingList.contains(document.activeElement);
    chosen = chosen === id ? null : id;
    render();
    // The list was rebuilt under the keyboard's focus: put it back on the coding's button.
    const head = codingList.querySelector('li[data-coding="' + id + '"] button');
    if (fromList && head) { head.focus(); }
  }

  // --- code picker --------------------------------------------------------------------------
  function matches() {
    const q = fold(filter.value.trim());
    return boot.codes.filter(function (c) {
      return c.codable && (!q || fold(c.name).includes(q) || fold(c.key).includes(q));
    });
  }

  function renderPicker() {
    const found = matches();
    active = Math.min(active, Math.max(0, found.length - 1));
    list.textContent = "";
    found.forEach(function (c, n) {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "code-option-" + c.id;
      li.dataset.code = c.id;
      li.style.paddingLeft = (0.3 + 0.6 * (filter.value ? 0 : c.depth)) + "rem";
      li.setAttribute("aria-selected", n === active ? "true" : "false");
      li.innerHTML = "<span class='dot'></span>";
      li.firstChild.style.background = c.colour;
      li.appendChild(document.createTextNode(c.name));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); apply([c.id]); });
      list.appendChild(li);
    });
    const current = list.children[active];
    // Focus stays in the filter; screen readers follow the active option through this.
    if (current) { filter.setAttribute("aria-activedescendant", current.id); } else { filter.removeAttribute("aria-activedescendant"); }
    if (current) { current.scrollIntoView({ block: "nearest" }); }
  }

  function apply(ids) {
    if (!selection) { errorBox.textContent = status.dataset.empty || ""; return; }
    post(boot.api, { start16: selection.start16, end16: selection.end16, codes: ids });
  }

  function post(url, body) {
    errorBox.textContent = "";
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { errorBox.textContent = data.error || response.statusText; return; }
        if (data.codings) {
          codings = data.codings;
          if (!codings.some(function (c) { return c.id === chosen; })) { chosen = null; }
          render();
        }
      });
    });
  }

  function undo() { post(boot.undo, { version: boot.version }); }

  // --- events -------------------------------------------------------------------------------
  const NAVIGATION = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End",
    "PageUp", "PageDown", "Tab", "Shift", "Control", "Alt", "Meta", "Escape"]);
  textBox.addEventListener("keydown", function (event) {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === "z") { event.preventDefault(); undo(); return; }
    if (NAVIGATION.has(event.key) || (mod && ["a", "c"].includes(event.key.toLowerCase()))) { return; }
    event.preventDefault(); // the text is read-only: contenteditable only gives a keyboard caret
    if (event.key === "Enter" || event.key.toLowerCase() === "c") { readSelection(); filter.focus(); }
  });
  ["beforeinput", "paste", "drop", "cut"].forEach(function (name) {
    textBox.addEventListener(name, function (event) { event.preventDefault(); });
  });
  document.addEventListener("selectionchange", readSelection);
  filter.addEventListener("input", function () { active = 0; renderPicker(); });
  filter.addEventListener("keydown", function (event) {
    const found = matches();
    if (event.key === "ArrowDown") { active = Math.min(active + 1, found.length - 1); renderPicker(); event.preventDefault(); }
    else if (event.key === "ArrowUp") { active = Math.max(active - 1, 0); renderPicker(); event.preventDefault(); }
    else if (event.key === "Enter") { event.preventDefault(); if (found[active]) { apply([found[active].id]); } }
    else if (event.key === "Escape") { filter.value = ""; renderPicker(); textBox.focus(); }
  });
  document.getElementById("undo-button").addEventListener("click", undo);
  document.addEventListener("keydown", function (event) {
    const inField = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (!inField && event.target !== textBox && (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z") {
      event.preventDefault();
      undo();
    }
  });
  render();
  renderPicker();
})();
