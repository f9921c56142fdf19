// End-to-end: what Varde reads from the files threats come in. An e-mail is shown with its
// headers, its text and its attachment, which becomes evidence of its own; a WhatsApp
// export is shown as the conversation it was, and one message becomes an incident with
// the exact words and time, linked to the message. The samples are made up (varde-read's
// samples, written by scripts/e2e into $VARDE_E2E_FIXTURES).
// Run by scripts/e2e (which builds the app, starts Xvfb and provides tauri-driver).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { By, journey, launch } from "./harness.mjs";
import { createLocker } from "./steps.mjs";

const FIXTURES = process.env.VARDE_E2E_FIXTURES;

test("an e-mail and a chat export read inside Varde; a message becomes an incident", () =>
  journey("reading", readingJourney));

const file = (name, type) => [name, type, readFileSync(join(FIXTURES, name)).toString("base64")];

async function open(ui, wd, name) {
  const items = await wd.findElements(By.css('[data-testid="incident-detail"] [data-testid="evidence-item"]'));
  for (const item of items) {
    if ((await item.getText()).includes(name)) {
      await (await item.findElement(By.css('[data-testid="evidence-view"]'))).click();
      return ui.visible("viewer", 15_000);
    }
  }
  throw new Error(`no evidence item named ${name}`);
}

async function close(ui, wd) {
  await ui.click("viewer-close");
  await ui.waitFor(async () => !(await wd.executeScript("return !!document.querySelector('[data-testid=\"viewer\"]')")), 10_000, "the viewer to close");
}

async function readingJourney() {
  assert.ok(FIXTURES, "VARDE_E2E_FIXTURES names the directory of sample files");
  const app = await launch();
  const { ui, wd } = app;
  try {
    await ui.visible("unlock-form", 30_000);
    await createLocker(ui);
    await ui.click("new-case");
    await ui.type("case-title", "Trusler på e-post og WhatsApp");
    await ui.click("case-create");
    await ui.visible("case-heading");

    await ui.click("log-incident");
    await ui.visible("incident-form");
    await ui.select("inc-channel", "email");
    await ui.type("inc-description", "Kari videresendte en e-post og en WhatsApp-chat");
    await ui.type("inc-place", "Karis jobb-e-post og mobil");
    await ui.paste([
      file("trussel.eml", "message/rfc822"),
      file("WhatsApp-chat med +47 912 34 567.txt", "text/plain"),
      file("samtale.wav", "audio/wav"),
    ]);
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="pending-file"]'))).length === 3, 10_000, "three files waiting");
    await ui.click("inc-save");
    await ui.visible("incident-detail");
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="incident-detail"] [data-testid="evidence-item"]'))).length === 3, 20_000, "three evidence items");

    // The e-mail: its headers, its text, its attachment.
    await open(ui, wd, "trussel.eml");
    await ui.visible("reading-email", 15_000);
    assert.equal(await ui.text("email-subject"), "Du skal få betale for dette");
    assert.equal(await ui.text("email-from"), "Ukjent avsender <anonym.avsender@example.net>");
    assert.match(await ui.text("email-date"), /21\.11\.2026 21:14 \(UTC\+1\)/);
    assert.match(await ui.text("email-body"), /Du skal få svi for det du gjorde 🔪\nNeste gang står jeg utenfor døra\./);
    assert.match(await ui.text("reading-parser"), /Lest av Varde \(mail-parser 0\.11\)\. Originalen er uendret/);
    await ui.shot("50-viewer-email");
    await ui.click("extract-attachment");
    await ui.waitFor(async () => /Lagret som bevis #\d+/.test(await ui.text("email-attachment")), 15_000, "the attachment to be stored");
    // Its raw text is one click away.
    await ui.click("viewer-raw");
    assert.match(await ui.text("viewer-text"), /^Return-Path: <anonym\.avsender@example\.net>/);
    await close(ui, wd);
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="incident-detail"] [data-testid="evidence-item"]'))).length === 4, 20_000, "the attachment as its own evidence");

    // The recording: listened to in the viewer, the call noted in the incident.
    await open(ui, wd, "samtale.wav");
    await ui.visible("viewer-audio", 15_000);
    assert.match(await ui.text("audio-duration"), /2\.5 sekunder/);
    await ui.shot("54-recording-in-viewer");
    await ui.click("call-open");
    await ui.visible("call-note", 10_000);
    // Prefilled from the recording's own time; the officer corrects it.
    assert.equal(await (await ui.visible("cn-at")).getAttribute("value"), "2026-11-21 21:14");
    await ui.type("cn-at", "2026-11-21 20:50");
    await ui.type("cn-caller", "en mann som kalte seg «Kim»");
    await ui.type("cn-number", "+47 912 34 567");
    // WebDriver's typing drops an emoji, so the words go in as a paste would put them.
    await wd.executeScript(
      "const f = arguments[0]; f.value = arguments[1]; f.dispatchEvent(new Event('input', {bubbles: true}));",
      await ui.visible("cn-words"),
      "Jeg vet hvor du bor. Du skal få svi 🔪",
    );
    await ui.shot("55-call-note");
    await ui.click("cn-save");
    await ui.waitFor(async () => /notert i hendelsen \(versjon 2\)/.test(await ui.text("call-noted")), 15_000, "the call to be noted");
    await close(ui, wd);
    await ui.waitFor(async () => /Jeg vet hvor du bor\. Du skal få svi 🔪/.test(await ui.text("incident-detail")), 15_000, "the words in the incident");

    // The chat, as the conversation it was.
    await open(ui, wd, "WhatsApp-chat");
    await ui.visible("reading-chat", 15_000);
    const messages = await wd.findElements(By.css('[data-testid="chat-message"]'));
    assert.equal(messages.length, 5);
    assert.match(await messages[2].getText(), /nr\. 3\s+\+47 912 34 567\s+21\.11\.2026 21:14\s+Du vet godt hvem jeg er\.\nJeg vet hvor du bor 🔪\nPass deg\./);
    await ui.shot("51-viewer-chat");
    // The app's notice has no button; the threat is message no. 3.
    await (await messages[2].findElement(By.css('[data-testid="message-to-incident"]'))).click();
    await ui.visible("message-incident", 10_000);
    assert.equal(await (await ui.visible("mi-at")).getAttribute("value"), "2026-11-21 21:14");
    assert.equal(await ui.text("mi-wording"), "Du vet godt hvem jeg er.\nJeg vet hvor du bor 🔪\nPass deg.");
    await ui.shot("52-message-to-incident");
    await ui.click("mi-save");
    await ui.waitFor(async () => /Logget som hendelse #\d+/.test(await ui.text("message-logged")), 15_000, "the incident to be logged");
    await close(ui, wd);
    await ui.click("incident-close");
    await ui.waitFor(
      async () => {
        const rows = await wd.findElements(By.css('[data-testid="incident-row"]'));
        const texts = await Promise.all(rows.map((r) => r.getText()));
        return texts.some((x) => x.includes("21.11.2026 21:14") && x.includes("Sosiale medier"));
      },
      15_000,
      "the new incident on the timeline",
    );
    await ui.shot("53-timeline-with-message-incident");
    // The incident names the message: its detail shows the words, from the thread.
    const rows = await wd.findElements(By.css('[data-testid="incident-row"]'));
    for (const r of rows) if ((await r.getText()).includes("21.11.2026 21:14")) await r.click();
    await ui.visible("incident-detail");
    assert.match(await ui.text("incident-detail"), /Du vet godt hvem jeg er\.\nJeg vet hvor du bor 🔪\nPass deg\./);
  } finally {
    await app.quit();
  }
}
