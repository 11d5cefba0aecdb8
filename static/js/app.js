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
