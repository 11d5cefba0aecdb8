// netmap's page script. Loaded by base.html as <script type="module">, so it runs only in
// browsers GOV.UK Frontend supports, after the document is parsed. No inline script exists
// anywhere in netmap (the Content-Security-Policy forbids it).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

// govuk-frontend-jinja's page template would add these two classes with an inline script;
// netmap's loader removes that script (web/templating.py), so they are added here. GOV.UK
// Frontend's components only initialise when <body> has "govuk-frontend-supported".
document.body.classList.add("js-enabled", "govuk-frontend-supported");

initAll();

// Buttons or links marked data-app-print="true" open the print dialog (no onclick attributes).
for (const el of document.querySelectorAll("[data-app-print]")) {
  el.hidden = false;
  el.addEventListener("click", (event) => {
    event.preventDefault();
    window.print();
  });
}

// Focus after a page load (issue 19, WCAG 2.4.3): GOV.UK Frontend's error summary and success
// banner take focus themselves when they start (above). Otherwise an element the page marks
// data-app-focus="true" takes it: on the map, the row of the person just moved with the keyboard
// (its #person-… address focuses it too, being focusable), so the
// next Tab reaches their buttons again.
const focusTarget = document.querySelector("[data-app-focus]");
if (focusTarget && (document.activeElement === document.body || !document.activeElement)) {
  if (!focusTarget.hasAttribute("tabindex")) focusTarget.setAttribute("tabindex", "-1");
  focusTarget.focus();
}
// A page reached at an address with a #fragment (a save that returns to "#invite") scrolls to
// it after load, and the browser then moves focus to the page: give it back to what had it.
const focusedOnLoad = document.activeElement !== document.body ? document.activeElement : null;
if (focusedOnLoad && window.location.hash) {
  window.addEventListener("load", () => setTimeout(() => {
    if ((document.activeElement === document.body || !document.activeElement) && focusedOnLoad.isConnected) {
      // GOV.UK Frontend drops the banner's tabindex="-1" when it loses focus: put it back.
      if (!focusedOnLoad.hasAttribute("tabindex")) focusedOnLoad.setAttribute("tabindex", "-1");
      focusedOnLoad.focus();
    }
  }, 0));
}

// --- Phones and tablets (issue 19 item 2): tables that do not fit become stacked summaries --
// Every GOV.UK table's cells get their column's heading as data-label. A table wider than the
// box it sits in gets app-table--stacked: app.css then shows each row as a block, each cell
// under its heading (the "Phones and tablets" block there). Measured again when the window
// changes size and when a script redraws a table's rows (the map's table).
const labelCells = (table) => {
  const heads = [...table.querySelectorAll("thead th")];
  if (!heads.length) return;
  const words = [];
  for (const th of heads) {
    const span = Number(th.getAttribute("colspan")) || 1;
    for (let i = 0; i < span; i += 1) words.push(th.textContent.replace(/\s+/g, " ").trim());
  }
  for (const row of table.querySelectorAll("tbody tr, tfoot tr")) {
    let column = 0;
    for (const cell of row.children) {
      const label = words[column];
      if (label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
      column += Number(cell.getAttribute("colspan")) || 1;
    }
  }
};
// Stacked when it is wider than its box, or has so many columns for the width that words
// would be squeezed into a few letters a line (under about 110 px a column).
const MIN_COLUMN = 110;
const stackIfWide = (table) => {
  const box = table.parentElement;
  if (!box) return;
  table.classList.remove("app-table--stacked");
  const firstRow = table.querySelector("tr");
  const columns = firstRow ? [...firstRow.children].reduce(
    (n, cell) => n + (Number(cell.getAttribute("colspan")) || 1), 0) : 1;
  if (table.offsetWidth > box.clientWidth + 1 || columns * MIN_COLUMN > box.clientWidth) {
    table.classList.add("app-table--stacked");
  }
};
const tables = [...document.querySelectorAll("table.govuk-table")];
for (const table of tables) {
  labelCells(table);
  stackIfWide(table);
  new MutationObserver(() => {
    labelCells(table);
    stackIfWide(table);
  }).observe(table, { childList: true, subtree: true });
}
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => tables.forEach(stackIfWide), 100);
});
// A box that scrolls sideways on its own (the young person's map picture on a phone) can be
// reached and scrolled with the keyboard too, and says what it is; the picture starts at its
// middle, where "Me" is.
const scrollBoxes = () => {
  for (const box of document.querySelectorAll(".app-my-map__figure, .app-table-wrap")) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      const caption = box.querySelector("figcaption, caption");
      box.setAttribute("aria-label", `${caption ? caption.textContent.trim() : "Table"} `
        + "(scroll sideways to see all of it)");
      if (box.matches("figure")) box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2;
    } else if (!scrolls && box.getAttribute("role") === "region") {
      for (const name of ["tabindex", "role", "aria-label"]) box.removeAttribute(name);
    }
  }
};
scrollBoxes();
window.addEventListener("resize", () => setTimeout(scrollBoxes, 150));
// --- end of phones and tablets ---
