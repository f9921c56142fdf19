// End-to-end: the officer's journey from a new locker to a bundle the police verify.
// Run by scripts/e2e (which builds the app, starts Xvfb and provides tauri-driver).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { By, journey, launch, sha256sum } from "./harness.mjs";
import { createLocker, logIncident } from "./steps.mjs";
import { verifyInBrowser } from "./browser.mjs";

test("an officer logs incidents with screenshots, is prompted to report, records it and exports a bundle the police can verify", () =>
  journey("officer", officerJourney));

async function officerJourney() {
  const app = await launch();
  const { ui, wd, home } = app;
  try {
    await ui.visible("unlock-form", 30_000);
    await ui.shot("00-unlock");
    await createLocker(ui);

    // A case.
    await ui.click("new-case");
    await ui.type("case-title", "Trusler mot saksbehandler");
    await ui.click("case-create");
    const heading = await ui.text("case-heading");
    const reference = /V-\d{4}-\d{4}/.exec(heading)?.[0];
    assert.ok(reference, `case reference in "${heading}"`);

    // First incident: not (yet) marked as threatening, so no report prompt; logged in one
    // form with two screenshots of the thread, pasted before the first save.
    await ui.click("log-incident");
    await ui.visible("incident-form");
    const missing = await ui.text("inc-missing");
    assert.match(missing, /Fyll inn stedet og hva som skjedde for å lagre/, "a disabled Save says what is missing");
    assert.equal(await (await ui.visible("inc-save")).isEnabled(), false);
    await ui.type("inc-description", "SMS fra ukjent nummer etter møtet");
    await ui.type("inc-wording", "Du skal angre på dette");
    const work = mkdtempSync(join(tmpdir(), "varde-e2e-files-"));
    const shots = [];
    for (const n of [1, 2]) {
      // Two different screenshots: the second is taken after the place is typed.
      if (n === 2) await ui.type("inc-place", "Jobbtelefon");
      const png = await ui.shot(`02-before-paste-${n}`);
      const file = join(work, `skjermbilde-${n}.png`);
      writeFileSync(file, png);
      shots.push(file);
    }
    assert.notEqual(sha256sum(shots)[0], sha256sum(shots)[1], "two different screenshots");
    await ui.paste(shots.map((f, i) => [`skjermbilde-${i + 1}.png`, "image/png", readFileSync(f).toString("base64")]));
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="pending-file"]'))).length === 2, 10_000, "two files waiting");
    assert.equal(await (await ui.visible("pending-as-thread")).isSelected(), true, "two screenshots of an SMS are offered as a thread");
    await ui.type("pending-thread-id", "SMS +47 400 00 000");
    await ui.click("pending-whole-thread");
    assert.equal(await ui.text("inc-save"), "Lagre hendelsen og 2 filer");
    assert.equal((await wd.findElements(By.css('[data-testid="inc-missing"]'))).length, 0, "nothing missing");
    await ui.shot("02c-incident-form-with-files");
    await ui.click("inc-save");
    await ui.visible("incident-detail");
    const expected = sha256sum(shots);
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="incident-detail"] [data-testid="evidence-item"]'))).length === 2, 20_000, "two evidence items");
    const shown = await Promise.all(
      (await wd.findElements(By.css('[data-testid="incident-detail"] [data-testid="evidence-sha256"]'))).map((e) => e.getText()),
    );
    assert.deepEqual(shown.sort(), [...expected].sort(), "the hashes shown are those sha256sum computes");
    await sleep(1500); // thumbnails arrive in the background
    await ui.shot("03-incident-with-evidence");

    // The thread is corrected after the files are in: the second screenshot came first.
    await ui.click("thread-edit");
    await ui.visible("thread-form");
    await (await wd.findElements(By.css('[data-testid="thread-down"]')))[0].click();
    await ui.type("thread-reason", "Rekkefølgen som på telefonen");
    await ui.shot("03a-thread-edit");
    await ui.click("thread-save");
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="thread-form"]'))).length === 0, 15_000, "the thread to be saved");
    assert.match(await ui.text("thread-summary"), /SMS: «SMS \+47 400 00 000» – 2 skjermbilder · hele tråden/);
    const order = await wd.executeScript(
      `return [...document.querySelectorAll('[data-testid="incident-detail"] [data-testid="evidence-item"]')].map((e) => e.innerText)`,
    );
    assert.match(order.join("\n"), /skjermbilde-2\.png[\s\S]*skjermbilde-1\.png/, "the gallery follows the new order");

    // The whole screenshot inside Varde, decrypted in memory, no other program needed.
    await ui.click("evidence-view");
    const img = await ui.visible("viewer-image", 15_000);
    await ui.waitFor(() => wd.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img), 10_000, "the image to load");
    await ui.shot("03b-viewer");
    await ui.click("viewer-close");
    await ui.waitFor(async () => !(await wd.executeScript("return !!document.querySelector('[data-testid=\"viewer\"]')")), 10_000, "the viewer to close");
    const prompts1 = await wd.findElements(By.css('[data-testid="prompt"][data-key="police_report"]'));
    assert.equal(prompts1.length, 0, "no police-report prompt after one mild incident");

    // A second, threatening incident: the police-report prompt appears.
    await logIncident(ui, { description: "Ny melding, nå med adressen min", wording: "Jeg vet hvor du bor", threatening: true });
    const prompt = await ui.waitFor(async () => {
      const els = await wd.findElements(By.css('[data-testid="prompt"][data-key="police_report"][data-state="open"]'));
      return els[0];
    }, 15_000, "the police-report prompt");
    assert.ok(prompt);
    await wd.executeScript("window.scrollTo(0, 0); document.querySelector('main').scrollTo(0, 0)");
    await ui.shot("04-report-prompt");

    // Varde drafts the police report from the case: the warning first, then the parts,
    // the first page as it will print; saved as PDF and Word, then recorded as sent.
    await prompt.findElement(By.css('[data-testid="draft-police"]')).click();
    await ui.visible("draft-page", 30_000);
    assert.match(await ui.text("draft-notice"), /kan få se saksdokumentene/);
    const parts = await ui.text("draft-sections");
    for (const part of ["Anmelder", "Fornærmede", "Den anmeldte", "Hva som har skjedd", "Bevis", "Straffebud som kan være aktuelle"]) {
      assert.ok(parts.includes(part), `the draft has the part «${part}»: ${parts}`);
    }
    await ui.click("draft-restraining");
    await ui.waitFor(async () => (await ui.text("draft-sections")).includes("Begjæringer"), 20_000, "the draft to be laid out again");
    const draftDir = mkdtempSync(join(tmpdir(), "varde-e2e-draft-"));
    await ui.type("draft-path", join(draftDir, "anmeldelse.pdf"));
    await ui.shot("04a-police-report-draft");
    await ui.click("draft-save");
    await ui.visible("draft-saved", 30_000);
    const draftText = execFileSync("pdftotext", ["-layout", join(draftDir, "anmeldelse.pdf"), "-"], { encoding: "utf8" });
    assert.match(draftText, /Anmeldelse/);
    assert.match(draftText, /Jeg vet hvor du bor/, "the exact wording is in the draft");
    assert.match(draftText, /straffeprosessloven § 222 a/, "the restraining order request chosen");
    assert.ok(readFileSync(join(draftDir, "anmeldelse.docx")).subarray(0, 2).toString() === "PK", "the Word file beside it");
    await ui.type("draft-recipient", "Oslo politidistrikt");
    await ui.select("draft-basis", "legitimate_interest_legal_claims");
    await ui.click("draft-informed-yes");
    await ui.type("draft-case-number", "POL-2026-12345");
    await ui.click("draft-sent-submit");
    assert.match(await ui.text("draft-sent-done", 15_000), /Anmeldelse: 2 hendelser/);
    await ui.shot("04b-police-report-sent");
    await ui.click("draft-close");
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="prompt"][data-key="police_report"][data-state="open"]'))).length === 0, 15_000, "the prompt to be recorded");
    await ui.click("tab-prompts");
    const recorded = await ui.text("prompt-last-action");
    assert.match(recorded, /POL-2026-12345/);

    // The checklist and the audit trail, for the screenshots.
    await ui.click("tab-checklist");
    await ui.visible("checklist-item");
    await ui.shot("05-checklist");
    await ui.click("tab-evidence");
    await ui.visible("evidence-item");
    await sleep(1000);
    await ui.shot("06-evidence");
    await ui.click("tab-audit");
    await sleep(1000);
    await ui.shot("07-audit");

    // Export the bundle and check it the way the police would.
    await ui.click("tab-export");
    await ui.type("export-recipient", "Oslo politidistrikt");
    await ui.select("export-basis", "legitimate_interest_legal_claims");
    const out = join(home, "Documents", "bundle.zip");
    await ui.type("export-path", out);
    // Before writing: what the police will receive, and the report's first page.
    await ui.click("export-preview-show");
    const page = await ui.visible("export-preview-page", 60_000);
    await ui.waitFor(() => wd.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", page), 15_000, "the first page to show");
    assert.match(await ui.text("export-preview-originals"), /evidence\/ – 2 originaler uendret/);
    assert.match(await ui.text("export-preview-files"), /report\.pdf – rapporten, \d+ sider/);
    await wd.executeScript("arguments[0].scrollIntoView({block: 'center'})", page);
    await ui.shot("08-export");
    await ui.click("export-submit");
    await ui.outcome("export-result", "export-error", 120_000);
    await ui.shot("09-exported");
    const unzipped = mkdtempSync(join(tmpdir(), "varde-e2e-bundle-"));
    execFileSync("unzip", ["-q", out, "-d", unzipped]);
    const root = readdirSync(unzipped).length === 1 && !readdirSync(unzipped).includes("SHA256SUMS") ? join(unzipped, readdirSync(unzipped)[0]) : unzipped;
    const check = spawnSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: root, encoding: "utf8" });
    assert.equal(check.status, 0, `sha256sum -c failed:\n${check.stdout}${check.stderr}`);
    assert.match(check.stdout, /skjermbilde-1\.png: OK/);
    const sig = spawnSync("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", "signing-key.pem", "-rawin", "-in", "SHA256SUMS", "-sigfile", "SHA256SUMS.sig"], { cwd: root, encoding: "utf8" });
    assert.equal(sig.status, 0, sig.stdout + sig.stderr);
    assert.match(sig.stdout, /Signature Verified Successfully/);

    // The police on a machine without OpenSSL 3: verify.html in a browser, offline.
    const fingerprint = (await ui.text("export-fingerprint")).replace(/\s+/g, "");
    const good = await verifyInBrowser(root);
    writeFileSync(join(process.env.VARDE_E2E_SHOTS ?? tmpdir(), "09b-verify-html.png"), good.screenshot);
    assert.equal(good.result, "ok", good.verdict);
    assert.equal(good.signature, "ok");
    assert.equal(good.fingerprint, fingerprint, "the page shows the key's fingerprint");
    assert.ok(good.rows.some(([p, s]) => /skjermbilde-1\.png$/.test(p) && s === "ok"), JSON.stringify(good.rows));
    assert.deepEqual(good.requests, [], "the page asks the network for nothing");
    assert.deepEqual(good.errors, []);
    // A changed original is named; a changed signature is caught.
    const shotFile = good.rows.find(([p]) => /skjermbilde-1\.png$/.test(p))[0];
    const original = readFileSync(join(root, shotFile));
    const changed = Buffer.from(original);
    changed[200] ^= 0xff;
    writeFileSync(join(root, shotFile), changed);
    const tampered = await verifyInBrowser(root);
    assert.equal(tampered.result, "bad");
    assert.deepEqual(tampered.rows.filter(([, st]) => st !== "ok"), [[shotFile, "changed"]]);
    assert.equal(tampered.signature, "ok", "SHA256SUMS itself is unchanged");
    writeFileSync(join(root, shotFile), original);
    const sigPath = join(root, "SHA256SUMS.sig");
    const sigBytes = readFileSync(sigPath);
    const badSig = Buffer.from(sigBytes);
    badSig[10] ^= 0x01;
    writeFileSync(sigPath, badSig);
    const forged = await verifyInBrowser(root);
    assert.equal(forged.result, "bad");
    assert.equal(forged.signature, "bad");
    assert.ok(forged.rows.every(([, st]) => st === "ok"), "every file is still as listed");
    writeFileSync(sigPath, sigBytes);

    // The bundle went out with the employee «not yet» told: the case reminds the officer
    // until it is recorded that she was told; the ledger names whose information left.
    await ui.click("tab-timeline");
    assert.match(await ui.text("case-not-informed-reminder", 15_000), /ikke ennå/);
    await ui.click("case-not-informed-open");
    await ui.visible("ledger-table", 15_000);
    const ledger = await wd.findElement(By.css('[role="tabpanel"]')).getText();
    assert.match(ledger, /Oslo politidistrikt/);
    assert.match(ledger, /Om: ingen personer/, "the ledger says whose information left (no persons are in this case)");
    await ui.click("ledger-inform");
    await ui.type("ledger-inform-how", "Fortalt i møte med den ansatte");
    await ui.click("ledger-inform-save");
    await ui.visible("ledger-informed-later", 15_000);
    await ui.shot("10-ledger");
    await ui.click("tab-timeline");
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="case-not-informed-reminder"]'))).length === 0, 15_000, "the reminder to go");

    // A date for the next risk review; then the case is closed, and closing asks when it
    // is to be reviewed for retention (a year on, unless changed).
    await ui.click("case-review-edit");
    await ui.type("case-review-day", "15.01.2099");
    await ui.click("case-review-save");
    await ui.waitFor(async () => (await ui.text("case-review-on")).includes("15.01.2099"), 15_000, "the review date");
    await ui.click("case-close");
    const proposed = await (await ui.visible("case-retention-day")).getAttribute("value");
    assert.match(proposed, /^\d{2}\.\d{2}\.\d{4}$/, "a retention review date is proposed");
    // A day already passed is refused at the field, in Norwegian, and the case stays open.
    await ui.type("case-retention-day", "01.01.2020");
    await ui.click("case-close-confirm");
    const refused = await ui.text("case-close-error", 15_000);
    assert.match(refused, /velg en dag etter i dag/, refused);
    assert.doesNotMatch(refused, /retention|must|after today/i, "no English at the field");
    assert.equal(await ui.text("case-status"), "Åpen");
    await ui.type("case-retention-day", "01.02.2099");
    await ui.shot("11-close-with-retention-review");
    await ui.click("case-close-confirm");
    assert.match(await ui.text("case-retention-on", 15_000), /01\.02\.2099/);

    // The police have opened a case: a legal hold, with its reason, until it is lifted.
    await ui.click("case-hold-edit");
    await ui.visible("case-hold-form");
    await ui.type("case-hold-reason-input", "Politiet etterforsker, sak 26-1234");
    await ui.click("case-hold-save");
    assert.match(await ui.text("case-hold", 15_000), /^Sletteforbud siden \d{2}\.\d{2}\.\d{4}$/);
    assert.match(await ui.text("case-hold-reason"), /Politiet etterforsker, sak 26-1234\. Saken kan ikke slettes/);
    await ui.shot("12-legal-hold");
    // While the hold stands, deletion says why it is refused before anything is filled in.
    await ui.click("case-delete");
    assert.match(await ui.text("case-delete-on-hold", 15_000), /sletteforbud \(Politiet etterforsker, sak 26-1234\) og kan ikke slettes/);
    assert.equal((await wd.findElements(By.css('[data-testid="case-delete-confirm"]'))).length, 0, "no delete button while on hold");
    await ui.click("case-delete");
    await ui.click("case-hold-edit");
    await ui.type("case-hold-reason-input", "Saken er henlagt");
    await ui.click("case-hold-save");
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="case-hold"]'))).length === 0, 15_000, "the hold to be lifted");

    // The retention review: the case is deleted for good, with a reason, the reference
    // typed again, and a signed receipt the stock openssl checks.
    await ui.click("case-delete");
    await ui.visible("case-delete-form", 15_000);
    assert.match(await ui.text("case-delete-count-incidents"), /^Hendelser\s*\d+$/);
    assert.match(await ui.text("case-delete-count-evidence"), /^Bevisposter\s*\d+$/);
    assert.match(await ui.text("case-delete-count-audit_events_erased"), /^Revisjonshendelser som mister innholdet\s*\d+$/);
    const receipt = join(home, "Documents", "kvittering.json");
    await ui.type("case-delete-reason", "Oppbevaringstiden er ute");
    await ui.type("case-delete-path", receipt);
    await ui.type("case-delete-typed", "V-feil");
    assert.equal(await (await ui.visible("case-delete-confirm")).isEnabled(), false, "a mistyped reference does not delete");
    await ui.type("case-delete-typed", reference);
    await ui.shot("13-delete-confirm");
    await ui.click("case-delete-confirm");
    assert.match(await ui.text("case-deleted", 30_000), new RegExp(`${reference} er slettet`));
    const files = await ui.text("case-deleted-files");
    for (const ext of ["json", "sig", "pem", "pdf"]) assert.ok(files.includes(`kvittering.${ext}`), files);
    assert.equal((await wd.findElements(By.css('[data-testid="case-heading"]'))).length, 0, "nothing of the deleted case stays on screen");
    await ui.shot("14-deleted");
    const signature = spawnSync("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", join(home, "Documents", "kvittering.pem"), "-rawin", "-in", receipt, "-sigfile", join(home, "Documents", "kvittering.sig")], { encoding: "utf8" });
    assert.equal(signature.status, 0, signature.stdout + signature.stderr);
    const json = JSON.parse(readFileSync(receipt, "utf8"));
    assert.equal(json.case_reference, reference);
    assert.equal(json.reason, "Oppbevaringstiden er ute");
    assert.ok(!readFileSync(receipt, "utf8").includes("saksbehandler"), "the receipt names no one");
    await ui.click("case-deleted-back");
    await ui.visible("new-case", 15_000);
    await ui.waitFor(async () => (await wd.findElements(By.xpath(`//*[@data-testid="open-case" and text()="${reference}"]`))).length === 0, 15_000, "the deleted case to leave the list");
    // Its receipt stays in the locker, listed in Settings.
    await ui.click("nav-settings");
    assert.match(await ui.text("receipt-row", 15_000), new RegExp(`${reference}[\\s\\S]*Oppbevaringstiden er ute`));
  } finally {
    await app.quit();
  }
}
