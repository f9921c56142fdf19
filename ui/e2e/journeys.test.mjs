// End-to-end journeys in the real Varde window. Run by scripts/e2e (which builds the app,
// starts Xvfb and provides tauri-driver); each test starts the app in its own HOME.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { By, journey, launch, sha256sum } from "./harness.mjs";

const PASS = "korrekt hest batteri stift";

async function createLocker(ui, { kind = "officer", owner = "Siri Sikkerhet", org = "Eksempel AS" } = {}) {
  await ui.click("tab-create");
  await ui.click(kind === "officer" ? "kind-officer" : "kind-self-log");
  await ui.type("owner", owner);
  if (org) await ui.type("org", org);
  await ui.type("passphrase", PASS);
  await ui.type("passphrase-repeat", PASS);
  await ui.shot("01-create-locker");
  await ui.click("unlock-submit");
}

async function logIncident(ui, { description, wording, threatening = false }) {
  await ui.click("log-incident");
  await ui.visible("incident-form");
  await ui.type("inc-description", description);
  if (wording) await ui.type("inc-wording", wording);
  await ui.type("inc-place", "Jobbtelefon");
  if (threatening) await ui.click("inc-perceived-threatening");
  await ui.click("inc-save");
  await ui.visible("incident-detail");
}

function lockerFingerprint(dir) {
  const h = createHash("sha256");
  for (const f of ["locker.json", "locker.db"]) h.update(readFileSync(join(dir, f)));
  return h.digest("hex");
}

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

    // First incident: logged, not (yet) marked as threatening. No report prompt.
    await logIncident(ui, { description: "SMS fra ukjent nummer etter møtet", wording: "Du skal angre på dette" });

    // Two screenshots of the thread, pasted in order.
    await ui.click("evidence-as-thread");
    await ui.type("evidence-thread-id", "SMS +47 400 00 000");
    await ui.click("evidence-whole-thread");
    const work = mkdtempSync(join(tmpdir(), "varde-e2e-files-"));
    const shots = [];
    for (const n of [1, 2]) {
      const png = await ui.shot(`02-before-paste-${n}`);
      const file = join(work, `skjermbilde-${n}.png`);
      writeFileSync(file, png);
      shots.push(file);
    }
    await ui.paste(shots.map((f, i) => [`skjermbilde-${i + 1}.png`, "image/png", readFileSync(f).toString("base64")]));
    await ui.visible("evidence-added", 30_000);
    const expected = sha256sum(shots);
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="incident-detail"] [data-testid="evidence-item"]'))).length === 2, 20_000, "two evidence items");
    const shown = await Promise.all(
      (await wd.findElements(By.css('[data-testid="incident-detail"] [data-testid="evidence-sha256"]'))).map((e) => e.getText()),
    );
    assert.deepEqual(shown.sort(), [...expected].sort(), "the hashes shown are those sha256sum computes");
    await sleep(1500); // thumbnails arrive in the background
    await ui.shot("03-incident-with-evidence");
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

    // Record it as done with the police's reference number.
    await prompt.findElement(By.css('[data-testid="prompt-done"]')).click();
    await prompt.findElement(By.css('[data-testid="prompt-with-whom"]')).sendKeys("Oslo politidistrikt");
    await prompt.findElement(By.css('[data-testid="prompt-reference"]')).sendKeys("POL-2026-12345");
    await prompt.findElement(By.css('[data-testid="prompt-save"]')).click();
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
    const basis = await ui.visible("export-basis");
    const options = await basis.findElements(By.css("option"));
    let basisValue = "";
    for (const o of options) {
      const v = await o.getAttribute("value");
      if (v && v !== "other") {
        basisValue = v;
        break;
      }
    }
    await ui.select("export-basis", basisValue);
    const out = join(home, "Documents", "bundle.zip");
    await ui.type("export-path", out);
    await ui.shot("08-export");
    await ui.click("export-submit");
    await ui.visible("export-result", 120_000);
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

    // The disclosure is in the ledger.
    await ui.click("tab-ledger");
    await sleep(800);
    const ledger = await wd.findElement(By.css('[role="tabpanel"]')).getText();
    assert.match(ledger, /Oslo politidistrikt/);
    await ui.shot("10-ledger");
  } finally {
    await app.quit();
  }
}

test("a wrong passphrase is refused with a clear message and changes nothing; the app locks itself when idle", () =>
  journey("passphrase", passphraseJourney));

async function passphraseJourney() {
  let app = await launch();
  const home = app.home;
  try {
    await app.ui.visible("unlock-form", 30_000);
    await createLocker(app.ui, { owner: "Ola Ansvarlig", org: "" });
    await app.ui.click("new-case");
    await app.ui.type("case-title", "Sak som må overleve låsing");
    await app.ui.click("case-create");
    await app.ui.visible("case-heading");
    await app.ui.click("lock");
    await app.ui.visible("unlock-form");
  } finally {
    await app.quit();
  }

  const dir = join(home, "locker");
  const before = lockerFingerprint(dir);
  app = await launch(home);
  const { ui, wd } = app;
  try {
    await ui.visible("unlock-form", 30_000);
    await ui.type("passphrase", "ikke riktig passordfrase");
    await ui.click("unlock-submit");
    const msg = await ui.text("unlock-error");
    assert.match(msg, /Feil passordfrase/);
    assert.match(msg, /ingenting ble endret/);
    await ui.shot("21-wrong-passphrase");
    assert.equal(lockerFingerprint(dir), before, "a wrong passphrase changed the locker");

    // The right one opens it, with the case still there.
    await ui.type("passphrase", PASS);
    await ui.click("unlock-submit");
    await ui.waitFor(async () => (await wd.executeScript("return document.body.innerText")).includes("Sak som må overleve låsing"), 15_000, "the case after unlocking");

    // Idle lock: one minute without activity locks the app.
    await ui.click("nav-settings");
    await ui.shot("12-settings");
    await ui.type("idle-minutes", "1");
    await wd.executeScript("document.activeElement && document.activeElement.blur()");
    await sleep(65_000); // no WebDriver traffic while idle
    await ui.visible("locked-notice", 40_000);
    await ui.shot("22-locked-idle");
    const notice = await ui.text("locked-notice");
    assert.match(notice, /låst etter 1 min/);
  } finally {
    await app.quit();
  }
}
