// The sandbox page: one phone per demo retailer and vendor, its chat with Khaacho, polled once a second.
"use strict";

const state = { contacts: [], selected: null, rendered: "", timer: null };
const $ = (id) => document.getElementById(id);
const roles = [["retailer", "Retailers"], ["vendor", "Vendors"], ["unknown", "Other"]];
const tickLabels = { accepted: "accepted", sent: "sent", delivered: "delivered", read: "read", failed: "failed" };

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

async function loadContacts() {
  state.contacts = await (await fetch("/api/contacts")).json();
  const groups = $("phone-groups");
  groups.replaceChildren();
  for (const [role, heading] of roles) {
    const phones = state.contacts.filter((c) => c.role === role);
    if (phones.length === 0) continue;
    groups.append(el("h3", { id: `group-${role}` }, heading));
    const list = el("ul", { "aria-labelledby": `group-${role}` });
    for (const contact of phones) {
      list.append(el("li", {}, el("button", { type: "button", "aria-pressed": "false", "data-phone": contact.phone, onclick: () => select(contact) },
        el("span", { class: "name" }, contact.name),
        el("span", { class: "phone" }, `${contact.phone} · ${contact.role}`))));
    }
    groups.append(list);
  }
}

function select(contact) {
  state.selected = contact;
  state.rendered = "";
  for (const button of document.querySelectorAll(".phones button")) {
    button.setAttribute("aria-pressed", String(button.dataset.phone === contact.phone));
  }
  $("chat-title").textContent = contact.name;
  $("chat-phone").textContent = `${contact.phone} · ${contact.role}`;
  $("composer").hidden = false;
  $("notice").textContent = "";
  $("messages").replaceChildren();
  refresh();
  $("text").focus();
}

async function refresh() {
  clearTimeout(state.timer);
  const contact = state.selected;
  if (contact) {
    try {
      const messages = await (await fetch(`/api/conversations/${encodeURIComponent(contact.phone)}`)).json();
      const json = JSON.stringify(messages);
      if (contact === state.selected && json !== state.rendered) {
        state.rendered = json;
        render(messages);
      }
      // What the page shows is read, as a phone's open chat reads it.
      if (document.visibilityState === "visible" && messages.some((m) => m.direction === "out" && ["sent", "delivered"].includes(m.status))) {
        await fetch(`/api/conversations/${encodeURIComponent(contact.phone)}/read`, { method: "POST" });
      }
    } catch (error) {
      $("notice").textContent = `The sandbox did not answer: ${error}`;
    }
  }
  state.timer = setTimeout(refresh, 1000);
}

function render(messages) {
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...messages.map(bubble));
  if (atBottom || messages.length <= 1) list.scrollTop = list.scrollHeight;
}

function bubble(message) {
  const out = message.direction === "out";
  const failed = out && message.status === "failed";
  const time = new Date(message.timestamp).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const item = el("li", { class: `bubble ${out ? "out" : "in"}${failed ? " failed" : ""}`, "data-id": message.id, "data-status": message.status });
  if (message.template) item.append(el("span", { class: "tag" }, `Template ${message.template}${message.language ? ` (${message.language})` : ""}`));
  item.append(el("span", { class: "text" }, message.text ?? describe(message)));
  if (message.buttons) item.append(choices(message.buttons, "Reply buttons"));
  if (message.options) item.append(choices(message.options, message.optionsLabel ?? "Options", true));
  if (failed && message.errors) item.append(el("span", { class: "tag" }, message.errors.map((e) => `${e.code} ${e.title}`).join("; ")));
  const meta = el("span", { class: "meta" }, el("time", { datetime: message.timestamp }, time));
  if (out) meta.append(ticks(message.status));
  else meta.append(el("span", { class: "webhook", title: "What the webhook answered" }, ` · webhook ${message.status}`));
  item.append(meta);
  return item;
}

function describe(message) {
  return { image: "📷 Photo", audio: "🎤 Voice note", location: "📍 Location", reaction: "👍 Reaction" }[message.type] ?? `[${message.type}]`;
}

function ticks(status) {
  const text = { accepted: "…", sent: "✓", delivered: "✓✓", read: "✓✓", failed: "⚠" }[status] ?? status;
  return el("span", { class: `ticks ${status}`, role: "img", "aria-label": tickLabels[status] ?? status }, text);
}

function choices(options, label, list = false) {
  const group = el("div", { class: "choices", role: "group", "aria-label": label });
  if (list) group.append(el("p", { class: "label" }, label));
  for (const option of options) {
    const button = el("button", { type: "button", "data-reply": option.id, onclick: () => reply(option.id) }, option.title);
    if (option.description) {
      button.append(el("span", { class: "description" }, option.description));
      button.setAttribute("aria-description", option.description);
    }
    group.append(button);
  }
  return group;
}

async function post(body) {
  const answer = await fetch("/api/inbound", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ from: state.selected.phone, ...body }) });
  if (answer.ok) $("notice").textContent = "";
  else {
    const problem = await answer.json().catch(() => ({}));
    const errors = problem.errors ? Object.values(problem.errors).flat().join(" ") : "";
    $("notice").textContent = `Not delivered: ${problem.status ?? answer.status} ${problem.title ?? ""} ${errors}`.trim();
  }
  refresh();
}

function reply(id) { return post({ reply: id }); }

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("text").value.trim();
  if (!text) return;
  $("text").value = "";
  post({ text });
});

for (const button of document.querySelectorAll("[data-kind]")) {
  button.addEventListener("click", () => post({ kind: button.dataset.kind }));
}

loadContacts().then(() => {
  const wanted = new URLSearchParams(location.search).get("phone");
  const contact = state.contacts.find((c) => c.phone === wanted);
  if (contact) select(contact);
});
