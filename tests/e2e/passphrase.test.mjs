// End-to-end: a wrong passphrase changes nothing; the idle lock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { journey, launch } from "./harness.mjs";
import { PASS, createLocker, lockerFingerprint } from "./steps.mjs";

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
