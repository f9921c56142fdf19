// End-to-end: an employee's self-log, handed to the officer and imported.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { By, journey, launch, sha256sum } from "./harness.mjs";
import { createLocker } from "./steps.mjs";

test("an employee logs an emergency in a self-log and sends the log; the officer checks the bundle before importing it", () =>
  journey("self-log", selfLogJourney));

async function selfLogJourney() {
  // The employee's own locker.
  let app = await launch();
  const bundle = join(app.home, "Documents", "min-logg.zip");
  let shot;
  try {
    const { ui, wd } = app;
    await ui.visible("unlock-form", 30_000);
    await createLocker(ui, { kind: "self-log", owner: "Emma Ansatt", org: "" });
    await ui.visible("case-heading", 15_000);
    await ui.shot("30-employee-home");

    // Something happening right now: "Ring 112" above everything.
    await ui.click("log-incident");
    await ui.visible("incident-form");
    await ui.type("inc-description", "Mannen fra i går står utenfor inngangen og roper");
    await ui.type("inc-wording", "Nå skal du få se");
    await ui.type("inc-place", "Hovedinngangen");
    await ui.select("inc-channel", "in_person");
    await ui.click("inc-perceived-frightening");
    await ui.click("inc-emergency");
    await ui.click("inc-save");
    await ui.visible("incident-detail");
    await ui.visible("emergency-banner", 15_000);
    assert.match(await ui.text("call-112"), /112/);
    // The number as text to dial on a phone, never a tel: link that would take the window.
    assert.equal(await ui.text("emergency-phone-number"), "112");
    assert.equal(await wd.executeScript("return document.querySelectorAll('a[href^=\"tel:\"]').length"), 0);
    await ui.shot("31-emergency-banner");

    // A screenshot of what was sent before, pasted as evidence.
    shot = join(mkdtempSync(join(tmpdir(), "varde-e2e-files-")), "melding.png");
    writeFileSync(shot, await ui.shot("32-before-paste"));
    await ui.paste([["melding.png", "image/png", readFileSync(shot).toString("base64")]]);
    await ui.visible("evidence-added", 30_000);

    // The emergency is over; the banner goes.
    await ui.click("emergency-over");
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="emergency-banner"]'))).length === 0, 15_000, "the banner to go");

    // "Send my log to the security officer".
    // Plain words for the employee: who gets it, what goes with it, a consent they can
    // read; no legal-basis list, no recipient kind, no question whether "the employee" was
    // told. It ends with how to hand the file over.
    await ui.click("tab-export");
    const form = await ui.text("export-wizard");
    for (const jargon of [/hjemmel/i, /Type mottaker/i, /personvernforordningen/i, /den ansatte/i, /sha256sum/i]) {
      assert.doesNotMatch(form, jargon, `no ${jargon} in the employee's form`);
    }
    assert.equal(await wd.executeScript("return !!document.querySelector('[data-testid=export-kind]')"), false);
    await ui.type("export-path", bundle);
    assert.equal(await (await ui.find("export-submit")).isEnabled(), false, "not without the employee's consent");
    await ui.click("export-consent");
    await ui.shot("33-send-log");
    await ui.click("export-submit");
    await ui.outcome("export-result", "export-error", 120_000);
    const after = await ui.text("export-result");
    assert.match(after, /minnepenn/);
    assert.match(after, /ikke kryptert/);
    assert.doesNotMatch(after, /openssl|sha256sum/);
    await ui.shot("33b-send-log-done");
  } finally {
    await app.quit();
  }

  // The officer's locker: check the bundle, then import it into a case.
  app = await launch();
  try {
    const { ui, wd } = app;
    await ui.visible("unlock-form", 30_000);
    await createLocker(ui);
    await ui.click("new-case");
    await ui.type("case-title", "Emma – trusler ved inngangen");
    await ui.click("case-create");
    await ui.visible("case-heading");
    await ui.click("tab-import");
    // A copy changed on the way (one byte of the screenshot): refused, in Norwegian words.
    const zip = readFileSync(bundle);
    const at = zip.indexOf(Buffer.from("IEND"));
    assert.ok(at > 200, "the screenshot is stored in the zip file");
    zip[at - 100] ^= 0xff;
    const tampered = join(mkdtempSync(join(tmpdir(), "varde-e2e-tampered-")), "endret.zip");
    writeFileSync(tampered, zip);
    await ui.type("import-path", tampered);
    await ui.click("import-check");
    const bad = await ui.visible("import-report", 60_000);
    assert.equal(await bad.getAttribute("data-ok"), "false");
    await ui.visible("import-problems");
    // What is on the screen: the technical detail stays folded away under «Tekniske detaljer».
    const problems = await wd.executeScript(
      `const list = document.querySelector('[data-testid="import-problems"]');
       if ([...list.querySelectorAll("details")].some((d) => d.open)) return "a detail is open";
       const copy = list.cloneNode(true);
       copy.querySelectorAll("details").forEach((d) => d.remove());
       return copy.textContent.replace(/\\s+/g, " ").trim();`,
    );
    assert.match(problems, /melding\.png: er endret eller skadet/, problems);
    assert.doesNotMatch(problems, /does not match|cannot be read|SHA256SUMS \(/, problems);
    await ui.shot("34a-import-tampered");
    await ui.type("import-path", bundle);
    await ui.click("import-check");
    const report = await ui.outcome("import-report", "import-error");
    assert.equal(await report.getAttribute("data-ok"), "true");
    assert.match(await ui.text("import-signature"), /gyldig|valid/i);
    assert.equal(await ui.text("import-evidence"), "1");
    await ui.shot("34-import-checked");
    // Nothing is written before the officer says so.
    assert.equal((await wd.executeScript("return document.body.innerText")).includes("Nå skal du få se"), false);
    assert.equal(await (await ui.find("import-submit")).isEnabled(), false, "not before the fingerprint is confirmed");
    await ui.click("import-fingerprint-checked");
    await ui.click("import-submit");
    await ui.outcome("import-result", "import-error");
    const counts = await ui.text("import-result-counts");
    assert.match(counts, /1/);
    await ui.shot("35-imported");

    // The imported incident, its wording and its original with the same SHA-256.
    await ui.click("tab-timeline");
    await ui.waitFor(async () => (await wd.executeScript("return document.body.innerText")).includes("Nå skal du få se"), 15_000, "the imported incident");
    await ui.click("tab-evidence");
    const [expected] = sha256sum([shot]);
    const hash = await ui.text("evidence-sha256");
    assert.equal(hash, expected, "the imported original has the hash sha256sum computes");

    // The officer adds the man at the door as a threat actor, known by a description, and
    // corrects the record when his name is known.
    await ui.click("tab-people");
    await ui.click("person-new");
    await ui.select("person-kind", "threat_actor");
    await ui.type("person-aliases", "Mannen ved inngangen");
    await ui.click("person-save");
    await ui.visible("person-list");
    await ui.click("person-edit");
    assert.equal(await (await ui.visible("person-form")).getAttribute("data-mode"), "edit");
    await ui.type("person-name", "Per Hansen");
    await ui.type("person-health-concern", "Virket forvirret og snakket om stemmer");
    await ui.type("person-reason", "Navnet oppgitt av vekteren");
    await ui.click("person-save");
    await ui.waitFor(async () => (await ui.text("person-list")).includes("Per Hansen"), 15_000, "the corrected name");
    await ui.shot("35b-person-corrected");

    // The concern for his health raises the health prompt; it says plainly what health
    // services may share with the police, and that the company gets none of it.
    await ui.click("tab-prompts");
    const healthPrompt = await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="prompt"][data-key="health_concern_report"]')))[0], 15_000, "the health prompt");
    const bases = await healthPrompt.findElement(By.css('[data-testid="health-bases"]'));
    await wd.executeScript("arguments[0].open = true; arguments[0].scrollIntoView({block: 'start'})", bases);
    await ui.waitFor(async () => (await bases.findElements(By.css('[data-testid="health-basis"]'))).length >= 4, 15_000, "the health bases");
    assert.match(await bases.getText(), /Virksomheten er ikke helsepersonell/);
    assert.match(await bases.getText(), /Helsepersonelloven § 31/);
    await ui.shot("35d-health-bases");

    // The imported incident says where it came from, and is linked to him afterwards.
    await ui.click("tab-timeline");
    await ui.click("incident-row");
    const origin = await ui.text("incident-origin");
    assert.match(origin, /Fra den ansattes egen logg/, origin);
    assert.match(origin, /min-logg\.zip/, origin);
    await ui.shot("35c-imported-incident-origin");
    await ui.click("incident-link-actor");
    await ui.visible("incident-form");
    await ui.waitFor(
      () => wd.executeScript(
        `const s = document.querySelector('[data-testid="inc-actor"]');
         const o = [...s.options].find((x) => x.text.includes("Per Hansen"));
         if (!o) return false;
         s.value = o.value; s.dispatchEvent(new Event("change", { bubbles: true }));
         return true;`),
      15_000,
      "the threat actor to choose",
    );
    await ui.type("inc-reason", "Koblet til trusselutøveren etter import");
    await ui.click("inc-save");
    await ui.visible("incident-detail");
    await ui.waitFor(async () => (await ui.text("incident-detail")).includes("Per Hansen"), 15_000, "the link to the actor");
    assert.equal((await wd.findElements(By.css('[data-testid="incident-link-actor"]'))).length, 0);

    // A concern report about him, written from the case: one-way, may enter his health
    // record; names neither the employee nor witnesses. Saved, then recorded as sent with
    // the basis described in words (a concern report is a purpose, not a legal basis).
    await ui.click("tab-prompts");
    const concern = await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="prompt"][data-key="health_concern_report"]')))[0], 15_000, "the health prompt");
    await concern.findElement(By.css('[data-testid="draft-concern"]')).click();
    await ui.visible("draft-page", 30_000);
    const notice = await ui.text("draft-notice");
    assert.match(notice, /kan sende en bekymringsmelding – den må ikke/, notice);
    assert.match(notice, /én vei/);
    assert.match(notice, /pasientjournal/);
    const concernDir = mkdtempSync(join(tmpdir(), "varde-e2e-concern-"));
    await ui.type("draft-path", join(concernDir, "bekymringsmelding.pdf"));
    await ui.click("draft-save");
    await ui.visible("draft-saved", 30_000);
    const concernText = execFileSync("pdftotext", ["-layout", join(concernDir, "bekymringsmelding.pdf"), "-"], { encoding: "utf8" });
    assert.match(concernText, /Bekymringsmelding/);
    assert.match(concernText, /Per Hansen/);
    assert.match(concernText, /Virket forvirret og snakket om stemmer/);
    assert.doesNotMatch(concernText, /Emma/, "the employee is not named to health services");
    await ui.shot("35e-concern-report-draft");
    await ui.select("draft-basis", "concern_report");
    assert.equal(await (await ui.visible("draft-sent-submit")).isEnabled(), false, "a purpose is not a basis: describe it first");
    await ui.type("draft-basis-text", "Personopplysningsloven § 11 og vår vurdering av vitale interesser; avklart med personvernombudet");
    await ui.click("draft-informed-yes");
    await ui.click("draft-sent-submit");
    assert.match(await ui.text("draft-sent-done", 15_000), /Bekymringsmelding om Per Hansen/);
    await ui.click("draft-close");
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="prompt"][data-key="health_concern_report"][data-state="open"]'))).length === 0, 15_000, "the health prompt to be handled");

    // Back to the case list, where the case now counts the imported incident.
    await ui.click("nav-cases");
    await ui.visible("case-list", 15_000);
    assert.match(await ui.text("case-list"), /Emma – trusler ved inngangen/);
    // Emma ended the emergency in her log: no «Ring 112» at the officer's desk hours later.
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="emergency-banner"], [data-testid="case-emergency"]'))).length === 0, 15_000, "no emergency banner for an emergency the employee ended");
    await ui.shot("36-case-list");
  } finally {
    await app.quit();
  }
}
