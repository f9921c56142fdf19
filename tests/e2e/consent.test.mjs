// End-to-end: messages from one number before anyone knows who sends them, and a
// disclosure that rests on the employee's consent. Two SMS from the same number (typed
// two ways) are persistent: the case suggests an «ukjent trusselutøver» and links both in
// one click. The employee's consent is recorded, a bundle is exported on it, and once the
// consent is withdrawn no further export can rest on it — and the page says why.
// Run by scripts/e2e (which builds the app, starts Xvfb and provides tauri-driver).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { By, journey, launch } from "./harness.mjs";
import { createLocker } from "./steps.mjs";

test("one sender, persistent before it has a name; a consent recorded, used and withdrawn", () =>
  journey("consent", consentJourney));

async function sms(ui, { description, sender }) {
  await ui.click("log-incident");
  await ui.visible("incident-form");
  await ui.select("inc-channel", "sms");
  await ui.type("inc-description", description);
  await ui.type("inc-place", "Jobbmobilen");
  await ui.type("inc-sender", sender);
  await ui.click("inc-save");
  await ui.visible("incident-detail");
}

async function consentJourney() {
  const app = await launch();
  const { ui, wd, home } = app;
  try {
    await ui.visible("unlock-form", 30_000);
    await createLocker(ui);
    await ui.click("new-case");
    await ui.type("case-title", "SMS fra ukjent nummer");
    await ui.click("case-create");
    await ui.visible("case-heading");

    // The threatened employee, who will consent.
    await ui.click("tab-people");
    await ui.click("person-new");
    await ui.select("person-kind", "employee");
    await ui.type("person-name", "Kari Nordmann");
    await ui.click("person-save");
    await ui.waitFor(async () => (await ui.text("person-list")).includes("Kari Nordmann"), 15_000, "the person to be listed");

    // Two messages from one number, typed two ways, with no threat actor: persistent.
    await ui.click("tab-timeline");
    await sms(ui, { description: "SMS: «Du slipper ikke unna»", sender: "+47 912 34 567" });
    assert.equal((await wd.findElements(By.css('[data-testid="sender-suggestion"]'))).length, 0, "one message is no pattern");
    await sms(ui, { description: "Ny SMS kvelden etter", sender: "912 34 567" });
    const suggestion = await ui.text("sender-suggestion");
    assert.match(suggestion, /2 hendelser fra \+47 912 34 567 er ikke knyttet til noen trusselutøver/, suggestion);
    assert.match(suggestion, /vedvarende/);
    const report = await wd.findElements(By.css('[data-testid="prompt"][data-key="police_report"][data-state="open"]'));
    assert.equal(report.length, 1, "the repeated sender raises the police report prompt");
    await ui.shot("40-same-sender-suggestion");
    await ui.click("sender-link");
    assert.match(await ui.text("senders-linked"), /2 hendelser er knyttet til personen/);
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="sender-suggestion"]'))).length === 0, 15_000, "the suggestion to go");
    await ui.click("tab-people");
    await ui.waitFor(async () => (await ui.text("person-list")).includes("+47 912 34 567"), 15_000, "the unknown threat actor with the number");
    await ui.shot("41-unknown-actor-recorded");

    // The employee's consent, recorded before anything is shared on it.
    await ui.click("tab-ledger");
    await ui.visible("consents-empty");
    await ui.click("consent-new");
    await ui.type("consent-scope", "Loggen over meldingene");
    await ui.type("consent-recipient", "Advokatfirmaet Lund");
    await ui.type("consent-how", "Skriftlig, e-post til sikkerhetsansvarlig");
    await ui.click("consent-save");
    await ui.waitFor(async () => (await ui.text("consent-status")).includes("Gjelder"), 15_000, "the consent to be in force");
    await ui.shot("42-consent-recorded");

    // An export on the consent: the consent is named (the only one, so chosen).
    await ui.click("tab-export");
    await ui.type("export-recipient", "Advokatfirmaet Lund");
    await ui.select("export-kind", "lawyer");
    await ui.select("export-basis", "consent");
    await ui.visible("consent-pick");
    await ui.type("export-path", join(home, "Documents", "til-advokat.zip"));
    await ui.click("export-submit");
    await ui.outcome("export-result", "export-error", 120_000);
    await ui.click("tab-ledger");
    await ui.waitFor(async () => (await ui.text("consent-row")).includes("brukt ved 1 utlevering"), 15_000, "the disclosure on the consent");
    const ledger = await ui.text("ledger-table");
    assert.match(ledger, /Advokatfirmaet Lund/);
    assert.match(ledger, /Kari Nordmann/, "the ledger names whose information left");
    assert.match(ledger, /Trusselutøver \(\+47 912 34 567\)/, "the unknown threat actor by their number");

    // Withdrawn: said plainly, and no further export can rest on it.
    await ui.click("consent-withdraw");
    await ui.type("consent-withdraw-how", "Muntlig i møte med Siri");
    await ui.click("consent-withdraw-save");
    const done = await ui.text("consent-withdrawn-done", 15_000);
    assert.match(done, /Varde godtar ingen flere utleveringer på det\. 1 utlevering ble gjort før og står i loggen\./, done);
    assert.match(await ui.text("consent-status"), /Trukket tilbake/);
    await ui.shot("43-consent-withdrawn");
    await ui.click("tab-export");
    await ui.type("export-recipient", "Advokatfirmaet Lund");
    await ui.select("export-basis", "consent");
    assert.match(await ui.text("consent-pick-none"), /Ingen samtykker som gjelder/);
    await ui.type("export-path", join(home, "Documents", "igjen.zip"));
    assert.equal(await (await ui.visible("export-submit")).isEnabled(), false, "no export on a withdrawn consent");
    await ui.shot("44-export-without-consent");
  } finally {
    await app.quit();
  }
}
