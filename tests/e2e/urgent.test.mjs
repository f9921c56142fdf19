// End-to-end: the moments a stressed officer meets. «Ring 112» must not take the window
// away from the app; a mistyped date is answered in Norwegian at the date field; the call
// is recorded when the officer confirms it; a record is corrected with its earlier version
// kept; a mistyped import path is "the file does not exist", not a tampered bundle; a
// phone number typed with spaces is found across cases.
// Run by scripts/e2e (which builds the app, starts Xvfb and provides tauri-driver).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { journey, launch } from "./harness.mjs";
import { createLocker } from "./steps.mjs";

test("an officer under stress: a wrong date, an emergency with 112 that keeps the window, a mistyped import path", () =>
  journey("urgent", urgentJourney));

/** Where the window is: the app's own page, with its root element. */
async function where(wd) {
  return wd.executeScript("return [location.protocol + '//' + location.host, !!document.getElementById('app')]");
}

async function urgentJourney() {
  const app = await launch();
  const { ui, wd, home } = app;
  try {
    await ui.visible("unlock-form", 30_000);
    // The passphrase rule is the core's, shown before typing; a short one is measured.
    await ui.click("tab-create");
    const rule = await ui.text("passphrase-rule");
    assert.match(rule, /Minst 12 tegn/, rule);
    await ui.type("passphrase", "kort frase");
    const meter = await ui.text("passphrase-strength");
    assert.match(meter, /For kort: 10 av minst 12 tegn/, meter);
    await ui.shot("20-passphrase-rule");
    await ui.click("tab-open");
    await createLocker(ui);

    await ui.click("new-case");
    await ui.type("case-title", "Trusler på telefon");
    await ui.click("case-create");
    await ui.visible("case-heading");
    const start = await where(wd);
    assert.equal(start[1], true);

    // A wrong date: the form says so at the date field, in Norwegian, and saves nothing.
    await ui.click("log-incident");
    await ui.visible("incident-form");
    await ui.type("inc-date", "32.13.2026");
    await ui.type("inc-description", "Ringte fra 934 12 877 og sa han står utenfor");
    await ui.type("inc-place", "Jobbtelefon");
    await ui.click("inc-emergency");
    await ui.click("inc-save");
    const dateError = await ui.text("field-error-occurred_at");
    assert.match(dateError, /«32\.13\.2026.*» er ikke et tidspunkt Varde kan lese/, dateError);
    assert.doesNotMatch(dateError, /invalid|YYYY|write/i, dateError);
    const focused = await wd.executeScript("return document.activeElement && document.activeElement.id");
    assert.equal(focused, "inc-date", "focus moves to the date field");
    await ui.shot("21-wrong-date-at-the-field");

    // Corrected: saved as an ongoing emergency. The banner shows 112 large, as text.
    const today = await wd.executeScript(
      "return new Intl.DateTimeFormat('nb-NO', {timeZone: 'Europe/Oslo', day: '2-digit', month: '2-digit', year: 'numeric'}).format(new Date())",
    );
    await ui.type("inc-date", today);
    await (await ui.visible("inc-time")).clear();
    await ui.click("inc-save");
    await ui.visible("incident-detail");
    await ui.visible("emergency-banner");
    assert.equal(await ui.text("emergency-phone-number"), "112");
    const links = await wd.executeScript("return [...document.querySelectorAll('a[href^=\"tel:\"], a[href^=\"mailto:\"]')].length");
    assert.equal(links, 0, "no tel: or mailto: link anywhere on the page");
    await ui.shot("22-emergency-banner");

    // Copying the number, and every way a page can try to leave: the window stays.
    await ui.click("emergency-phone-copy");
    await ui.visible("emergency-phone-copied");
    await wd.executeScript(
      `for (const href of ["tel:112", "https://www.politiet.no/", "mailto:x@example.org"]) {
         const a = document.createElement("a"); a.href = href; document.body.appendChild(a); a.click(); a.remove();
       }`,
    );
    await sleep(1000);
    await wd.executeScript("location.href = 'tel:112'").catch(() => {});
    await sleep(1500);
    assert.deepEqual(await where(wd), start, "the window is still on the app");
    await ui.visible("emergency-banner");
    await ui.shot("23-still-on-the-app");

    // A record that needs correcting: every field can be changed, with a reason, and the
    // earlier version stays viewable.
    await ui.click("incident-edit");
    await ui.visible('incident-form');
    const mode = await wd.executeScript("return document.querySelector('[data-testid=\"incident-form\"]').dataset.mode");
    assert.equal(mode, "edit");
    assert.equal(await (await ui.visible("inc-place")).getAttribute("value"), "Jobbtelefon", "the form starts from the record");
    // WebDriver's typing drops characters outside the BMP (an emoji), so the threat is
    // pasted into the field as a person would paste it from the phone.
    await wd.executeScript(
      "const f = arguments[0]; f.value = arguments[1]; f.dispatchEvent(new Event('input', {bubbles: true}));",
      await ui.visible("inc-wording"),
      "Jeg står utenfor nå 🔪",
    );
    await ui.select("inc-place-kind", "home");
    await ui.type("inc-reason", "Ordlyden manglet");
    await ui.shot("26-correcting-an-incident");
    await ui.click("inc-save");
    await ui.visible("incident-detail");
    await ui.visible("incident-versions");
    const detail = await wd.executeScript("return document.querySelector('[data-testid=\"incident-detail\"]').textContent");
    assert.match(detail, /«Jeg står utenfor nå 🔪»/, detail);
    assert.match(detail, /Hjemme/, detail);
    await ui.click("incident-versions");
    await ui.shot("27-corrected-with-earlier-version");

    // The officer confirms the call: recorded on the emergency prompt, the banner goes.
    await ui.click("emergency-called");
    await ui.waitFor(async () => (await wd.executeScript("return !document.querySelector('[data-testid=\"emergency-banner\"]')")), 15_000, "the banner to go");
    await ui.click("tab-prompts");
    const recorded = await ui.text("prompt-last-with-whom");
    assert.match(recorded, /112/, recorded);
    await ui.shot("24-call-recorded");

    // A mistyped import path: the file does not exist — not a tampered bundle.
    await ui.click("tab-import");
    await ui.type("import-path", join(home, "Documents", "egenlogg-som-ikke-finnes.zip"));
    await ui.click("import-check");
    const importError = await ui.text("import-error");
    assert.match(importError, /finnes ikke/, importError);
    assert.doesNotMatch(importError, /Signatur|ny eksport|No such file/i, importError);
    const report = await wd.executeScript("return !!document.querySelector('[data-testid=\"import-report\"]')");
    assert.equal(report, false, "no check report for a file that could not be read");
    await ui.shot("25-import-missing-file");

    // A cross-case search for the caller's number, typed another way than it was logged.
    await ui.click("nav-cases");
    await ui.type("case-search", "+47 93412877");
    await ui.visible("search-hit", 10_000);
    const hit = await wd.executeScript(
      "const h = document.querySelector('[data-testid=\"search-hit\"]'); return [h.dataset.kind, h.dataset.case, h.textContent]",
    );
    assert.equal(hit[0], "incident", hit[2]);
    assert.match(hit[1], /V-\d{4}-0001/);
    assert.match(hit[2], /934 12 877/);
    await ui.shot("28-search-across-cases");

    // The case list: sortable by its columns, the threatened employee shown.
    await (await ui.visible("case-search")).clear();
    await wd.executeScript("const f = document.querySelector('[data-testid=\"case-search\"]'); f.value = ''; f.dispatchEvent(new Event('input', {bubbles: true}));");
    await ui.visible("case-row");
    await ui.click("sort-last");
    const sort = await wd.executeScript("return document.querySelector('[data-testid=\"sort-last\"]').closest('th').getAttribute('aria-sort')");
    assert.equal(sort, "descending", "the latest incident first");
    assert.equal(await ui.text("case-employee"), "–");
    await ui.shot("29-case-list-sorted");
  } finally {
    await app.quit();
  }
}
