// The mapping conversation's rings (web/templates/conversation/rings.html): a circle of five
// rings to drag people onto, by touch or mouse, on top of the ring buttons under each name.
// The buttons stay the way to do it by keyboard, and the form works without this script:
// dragging someone only ticks the button of the ring they were dropped on.

// How far out each ring reaches, as a share of the circle's radius (conversation.css).
const OUTER = { 1: 1, 2: 0.84, 3: 0.68, 4: 0.52, 5: 0.36 };
const CENTRE = 0.16;
// The angle (radians) either side of the top of each ring kept free of people.
const GAP = 0.45;

function ringOf(person) {
  const checked = person.querySelector("input[type=radio]:checked");
  return checked ? Number(checked.value) : 3;
}

function ringAt(distance) {
  for (const ring of [5, 4, 3, 2]) {
    if (distance <= OUTER[ring]) return ring;
  }
  return 1;
}

function setRing(person, ring) {
  const input = person.querySelector(`input[type=radio][value="${ring}"]`);
  if (input && !input.checked) {
    input.checked = true;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

function init(form) {
  const target = form.querySelector("[data-conv-target]");
  if (!target) return;
  const people = [...form.querySelectorAll(".app-conv-person")];
  const status = document.createElement("p");
  status.className = "govuk-visually-hidden";
  status.setAttribute("aria-live", "polite");
  target.after(status);
  const tokens = new Map();

  function layout() {
    const byRing = { 1: [], 2: [], 3: [], 4: [], 5: [] };
    for (const person of people) byRing[ringOf(person)].push(person);
    for (const ring of [1, 2, 3, 4, 5]) {
      const inner = ring === 5 ? CENTRE : OUTER[ring + 1];
      const radius = (OUTER[ring] + inner) / 2;
      const list = byRing[ring];
      list.forEach((person, i) => {
        // Round the ring, leaving its top clear for the ring's name.
        const angle = -Math.PI / 2 + GAP + ((i + 0.5) * (2 * Math.PI - 2 * GAP)) / list.length;
        const token = tokens.get(person);
        token.style.left = `${50 + 50 * radius * Math.cos(angle)}%`;
        token.style.top = `${50 + 50 * radius * Math.sin(angle)}%`;
      });
    }
  }

  function highlight(ring) {
    for (const el of target.querySelectorAll("[data-ring]")) {
      el.classList.toggle("app-conv-target__ring--drop", Number(el.dataset.ring) === ring);
    }
  }

  function where(event) {
    const box = target.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    const half = box.width / 2;
    return { x, y, box, distance: Math.hypot(x - half, y - box.height / 2) / half };
  }

  for (const person of people) {
    const token = document.createElement("button");
    token.type = "button";
    token.className = "app-conv-token";
    if (/lost touch/.test(person.querySelector("legend").textContent)) {
      token.classList.add("app-conv-token--lost");
    }
    token.textContent = person.dataset.name;
    token.dataset.connection = person.dataset.connection;
    // The buttons under each name are the keyboard's way: the token is for pointers only.
    token.tabIndex = -1;
    token.setAttribute("aria-hidden", "true");
    tokens.set(person, token);
    target.append(token);

    let dragging = null;
    token.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      token.setPointerCapture(event.pointerId);
      dragging = event.pointerId;
      token.classList.add("app-conv-token--dragging");
    });
    token.addEventListener("pointermove", (event) => {
      if (dragging !== event.pointerId) return;
      const at = where(event);
      token.style.left = `${(100 * at.x) / at.box.width}%`;
      token.style.top = `${(100 * at.y) / at.box.height}%`;
      highlight(ringAt(at.distance));
    });
    const drop = (event) => {
      if (dragging !== event.pointerId) return;
      dragging = null;
      token.classList.remove("app-conv-token--dragging");
      highlight(null);
      const ring = ringAt(where(event).distance);
      setRing(person, ring);
      const name = person.querySelector(`label[for="${person.querySelector(`input[value="${ring}"]`).id}"]`);
      status.textContent = `${person.dataset.name}: ${name ? name.textContent : ring}`;
      layout();
    };
    token.addEventListener("pointerup", drop);
    token.addEventListener("pointercancel", (event) => {
      dragging = null;
      token.classList.remove("app-conv-token--dragging");
      highlight(null);
      layout();
    });
  }

  form.addEventListener("change", layout);
  target.hidden = false;
  target.dataset.state = "ready";
  layout();
}

for (const form of document.querySelectorAll("[data-conv-rings]")) init(form);
