// WCAG 2.1 AA checks run inside the page (project-written; no third-party engine).
// Returns a list of problems, each a short string naming the element.
() => {
  const problems = [];
  const describe = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const name = el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "";
    return `${el.tagName.toLowerCase()}${id}${name}`;
  };
  const visible = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== "hidden" && style.display !== "none" &&
      (box.width > 0 || box.height > 0);
  };
  const text = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");

  // 3.1.1: the page names its language.
  if (!document.documentElement.lang) problems.push("html has no lang attribute");
  if (!document.title.trim()) problems.push("page has no title");

  // 1.3.1 / 4.1.2: every form control has an accessible name.
  const nameOf = (el) => {
    if (el.getAttribute("aria-label")) return el.getAttribute("aria-label");
    const by = el.getAttribute("aria-labelledby");
    if (by) return by.split(/\s+/).map((id) => text(document.getElementById(id))).join(" ");
    if (el.labels && el.labels.length) return [...el.labels].map(text).join(" ");
    if (el.tagName === "BUTTON") return text(el);
    if (el.type === "submit" || el.type === "button") return el.value;
    return el.getAttribute("title") || "";
  };
  for (const el of document.querySelectorAll("input, select, textarea, button")) {
    if (el.type === "hidden") continue;
    if (!nameOf(el).trim()) problems.push(`no accessible name: ${describe(el)}`);
  }
  // Radio and checkbox groups are fieldsets with a legend.
  for (const el of document.querySelectorAll("input[type=radio]")) {
    const group = el.closest("fieldset");
    if (!group || !text(group.querySelector("legend"))) {
      problems.push(`radio outside a fieldset with a legend: ${describe(el)}`);
    }
  }
  // Descriptions point at elements that exist and say something.
  for (const el of document.querySelectorAll("[aria-describedby]")) {
    for (const id of el.getAttribute("aria-describedby").split(/\s+/)) {
      if (!text(document.getElementById(id))) {
        problems.push(`aria-describedby names a missing or empty #${id}: ${describe(el)}`);
      }
    }
  }
  // 1.1.1: images and drawings have a text alternative (or are marked decorative).
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push(`img without alt: ${img.src.slice(0, 40)}`);
  }
  for (const svg of document.querySelectorAll("svg")) {
    if (svg.closest("svg") !== svg) continue; // nested drawing: the outer one counts
    const hidden = svg.getAttribute("aria-hidden") === "true";
    const named = svg.getAttribute("aria-label") || svg.getAttribute("aria-labelledby") ||
      text(svg.querySelector(":scope > title"));
    if (!hidden && !named) problems.push(`svg without a text alternative: ${describe(svg)}`);
  }
  // 1.3.1: one h1, and no heading level skipped on the way down.
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(visible);
  if (headings.filter((h) => h.tagName === "H1").length !== 1) {
    problems.push("the page needs exactly one h1");
  }
  let level = 0;
  for (const h of headings) {
    const next = Number(h.tagName[1]);
    if (next > level + 1) problems.push(`heading skips a level: ${h.tagName} "${text(h)}"`);
    level = next;
  }
  // 1.4.3: contrast of text against its effective background, >= 4.5:1 (3:1 large text).
  const rgba = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const luminance = ([r, g, b]) => {
    const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const bg = rgba(getComputedStyle(node).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    return layers.reverse().reduce((under, layer) => over(layer, under), [255, 255, 255, 1]);
  };
  const checked = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || checked.has(el) || !visible(el)) continue;
    if (el.closest("svg, [aria-hidden=true], .skip")) continue;
    checked.add(el);
    const style = getComputedStyle(el);
    const bg = background(el);
    const fg = over(rgba(style.color), bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push(`contrast ${ratio.toFixed(2)}:1 for "${text(el).slice(0, 30)}" (${describe(el)})`);
    }
  }
  return problems;
}
