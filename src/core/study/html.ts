// The participants' side of a study as one self-contained HTML file: no network (its Content
// Security Policy allows nothing but its own inline script, by hash, and data: images), no build
// step, any browser. Keyboard-driven: type the participant code and press Enter; answer each trial
// with the key shown on its button (the choice itself when every choice is one character, else
// 1–9); press S at the end to save the answers as a JSON file the participant sends back. The same
// page runs in a VS Code webview ("Falsify: Take Study"), where saving goes through the extension.
// The study travels as JSON in a <script type="application/json"> block and every text is set with
// textContent, so the study's words can never become markup or code.
import { createHash } from "node:crypto";
import type { StudyPage } from "./schema";

/** The study page as a complete HTML document. */
export function studyHtml(page: StudyPage): string {
  const data = JSON.stringify(page).replace(/</g, "\\u003c");
  const hash = createHash("sha256").update(PAGE_SCRIPT).digest("base64");
  const csp = `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; form-action 'none'; base-uri 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${escapeHtml(page.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main id="app"></main>
<script type="application/json" id="falsify-study">${data}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** The study page embedded in a study HTML file (what "Falsify: Take Study" reads back), unvalidated. */
export function studyPageJson(html: string): unknown {
  const match = /<script type="application\/json" id="falsify-study">([\s\S]*?)<\/script>/.exec(html);
  if (!match) return undefined;
  try {
    return JSON.parse(match[1]);
  } catch {
    return undefined;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --accent: #0b57d0; --paper: #ffffff; }
body { margin: 0; font: 18px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--paper); }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.2rem 0 0.5rem; }
p.instructions, p.note { white-space: pre-wrap; }
p.note { color: var(--muted); font-size: 0.95rem; }
label { display: block; margin: 0.8rem 0 0.2rem; font-weight: 600; }
input { font: inherit; padding: 0.4rem 0.6rem; border: 2px solid var(--muted); border-radius: 4px; min-width: 14rem; }
button { font: inherit; padding: 0.5rem 1rem; margin: 0.25rem 0.5rem 0.25rem 0; border: 2px solid var(--accent); border-radius: 6px; background: var(--paper); color: var(--accent); cursor: pointer; }
button.primary { background: var(--accent); color: #ffffff; }
button:focus-visible, input:focus-visible, [tabindex]:focus-visible { outline: 3px solid #b3261e; outline-offset: 2px; }
kbd { font: 0.85em ui-monospace, monospace; border: 1px solid var(--muted); border-radius: 3px; padding: 0 0.3em; margin-left: 0.4em; }
.pictures { display: flex; flex-wrap: wrap; gap: 1.5rem; }
figure { margin: 0; }
figure img { image-rendering: pixelated; border: 1px solid var(--muted); display: block; }
figcaption { color: var(--muted); font-size: 0.95rem; }
.error { color: #b3261e; font-weight: 600; }
pre { white-space: pre-wrap; word-break: break-all; font-size: 0.8rem; }
`;

// Plain ES2019 for any browser; runs the same in a VS Code webview (acquireVsCodeApi) or alone.
const PAGE_SCRIPT = `
(function () {
  "use strict";
  var study = JSON.parse(document.getElementById("falsify-study").textContent);
  var vscode = typeof acquireVsCodeApi === "function" ? acquireVsCodeApi() : null;
  var app = document.getElementById("app");
  var singleKeys = study.choices.every(function (c) { return c.length === 1; }) &&
    new Set(study.choices.map(function (c) { return c.toLowerCase(); })).size === study.choices.length;
  var keyOf = function (i) { return singleKeys ? study.choices[i].toLowerCase() : i < 9 ? String(i + 1) : null; };
  var onKey = null;
  document.addEventListener("keydown", function (event) {
    if (onKey && !event.altKey && !event.ctrlKey && !event.metaKey) onKey(event);
  });

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs.text; else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function show(children, focus) {
    app.textContent = "";
    children.forEach(function (child) { if (child) app.appendChild(child); });
    (focus || app.querySelector("h1")).focus();
  }
  function pictures(ids) {
    return el("div", { "class": "pictures" }, ids.map(function (id) {
      var image = study.images[id];
      return el("figure", {}, [
        el("img", { src: image.src, alt: image.alt, width: String(image.width) }),
        image.caption ? el("figcaption", { text: image.caption }) : null
      ]);
    }));
  }

  function start() {
    var code = el("input", { id: "code", name: "code", autocomplete: "off", "aria-describedby": "code-help", required: "" });
    var fields = study.fields.map(function (field) {
      return { id: field.id, input: el("input", { id: "field-" + field.id, autocomplete: "off" }), label: field.label };
    });
    var error = el("p", { "class": "error", role: "alert" });
    var begin = el("button", { type: "submit", "class": "primary" }, [document.createTextNode("Start"), el("kbd", { text: "Enter" })]);
    var form = el("form", { novalidate: "" }, [
      el("label", { "for": "code", text: "Participant code" }),
      code,
      el("p", { id: "code-help", "class": "note", text: "The code the study's author gave you, e.g. " + study.sessions[0].participant + "." })
    ].concat(fields.reduce(function (all, f) {
      return all.concat([el("label", { "for": "field-" + f.id, text: f.label }), f.input]);
    }, [])).concat([error, begin]));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var wanted = code.value.trim().toUpperCase();
      var session = study.sessions.filter(function (s) { return s.participant.toUpperCase() === wanted; })[0];
      if (!session) { error.textContent = "No session has the code \\u201c" + code.value.trim() + "\\u201d. Check the code you were given."; code.focus(); return; }
      var answers = { format: "falsify-study-answers", version: 1, study: study.id, participant: session.participant, fields: {}, answers: [], complete: false };
      fields.forEach(function (f) { if (f.input.value.trim()) answers.fields[f.id] = f.input.value.trim(); });
      trial(session, answers, 0);
    });
    onKey = null;
    show([
      el("h1", { tabindex: "-1", text: study.title }),
      study.instructions ? el("p", { "class": "instructions", text: study.instructions }) : null,
      el("p", { "class": "note", text: "Your answers stay on this computer until you save them to a file and send it. The file holds your participant code, your choices and how long each took" + (study.fields.length ? ", and what you type in the boxes below" : "") + "; nothing else about you." }),
      form
    ], code);
  }

  function trial(session, answers, k) {
    var t = session.trials[k];
    var shownAt = performance.now();
    var choose = function (i) {
      answers.answers.push({ trial: t.token, choice: study.choices[i], ms: Math.round(performance.now() - shownAt) });
      if (k + 1 < session.trials.length) trial(session, answers, k + 1); else done(answers);
    };
    var buttons = study.choices.map(function (choice, i) {
      var button = el("button", { type: "button", "data-choice": choice }, [document.createTextNode(choice), keyOf(i) ? el("kbd", { text: keyOf(i) }) : null]);
      button.addEventListener("click", function () { choose(i); });
      return button;
    });
    onKey = function (event) {
      var i = study.choices.findIndex(function (c, j) { return keyOf(j) === event.key.toLowerCase(); });
      if (i >= 0) { event.preventDefault(); choose(i); }
    };
    show([
      el("h1", { tabindex: "-1", text: "Trial " + (k + 1) + " of " + session.trials.length }),
      pictures(t.stimuli),
      t.explanation.length ? el("h2", { text: "Explanation" }) : null,
      t.explanation.length ? pictures(t.explanation) : null,
      el("h2", { id: "question", text: study.question }),
      el("div", { role: "group", "aria-labelledby": "question" }, buttons)
    ]);
  }

  function done(answers) {
    answers.complete = true;
    var json = JSON.stringify(answers, null, 2);
    var status = el("p", { role: "status" });
    var save = el("button", { type: "button", "class": "primary" }, [document.createTextNode("Save answers"), el("kbd", { text: "S" })]);
    var saveAnswers = function () {
      if (vscode) { vscode.postMessage({ type: "answers", answers: answers }); status.textContent = "Saving\\u2026"; return; }
      var link = el("a", { href: URL.createObjectURL(new Blob([json], { type: "application/json" })), download: answers.study + "-" + answers.participant + ".json" });
      document.body.appendChild(link);
      link.click();
      link.remove();
      status.textContent = "Saved as " + link.download + " in your downloads. Send that file to the study's author.";
    };
    save.addEventListener("click", saveAnswers);
    onKey = function (event) { if (event.key.toLowerCase() === "s") { event.preventDefault(); saveAnswers(); } };
    if (vscode) window.addEventListener("message", function (event) {
      if (event.data && event.data.type === "saved") status.textContent = "Saved to " + event.data.path + ".";
      if (event.data && event.data.type === "save-failed") status.textContent = "Not saved: " + event.data.message;
    });
    show([
      el("h1", { tabindex: "-1", text: "Thank you" }),
      el("p", { text: "You answered all " + answers.answers.length + " trials. Save your answers and send the file to the study's author." }),
      save,
      status,
      el("details", {}, [el("summary", { text: "Show the answers file" }), el("pre", { text: json })])
    ], save);
  }

  start();
})();
`;
