// End-to-end: a retention review that is due. A locker is prepared with the CLI as it
// was in 2025 (under faketime): two cases closed then, with reviews now passed. The
// officer sees the reviews on the case list, keeps one case with a new date and a
// reason, and starts the deletion of the other from its review.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { By, journey, launch } from "./harness.mjs";
import { PASS } from "./steps.mjs";

const CLI = process.env.VARDE_CLI_BINARY;

test("an officer keeps a case at its due retention review, or starts its deletion", () =>
  journey("retention", retentionJourney));

function prepare(home) {
  const env = { ...process.env, VARDE_LOCKER: join(home, "locker"), VARDE_PASSPHRASE: PASS };
  const at = (time, ...args) => execFileSync("faketime", [time, CLI, ...args], { env, encoding: "utf8" }).trim();
  at("2025-03-01 09:00:00", "init", "--name", "Siri Sikkerhet");
  const kept = at("2025-03-01 09:05:00", "case", "new", "--title", "Trusler i 2025");
  const gone = at("2025-03-01 09:06:00", "case", "new", "--title", "Sjikane i 2025");
  const inc = at("2025-03-01 09:10:00", "incident", "add", "--case", gone, "--at", "2025-02-28 21:14", "--channel", "sms", "--place", "Mobilen", "--description", "Sjikanøs SMS");
  const shot = join(home, "skjermbilde.png");
  writeFileSync(shot, "a screenshot of the thread");
  at("2025-03-01 09:11:00", "evidence", "add", "--incident", inc, shot);
  at("2025-03-01 10:00:00", "case", "close", kept, "--retention-review", "2025-09-01");
  at("2025-03-01 10:01:00", "case", "close", gone, "--retention-review", "2025-10-01");
  return { kept, gone };
}

async function retentionJourney() {
  assert.ok(CLI, "set VARDE_CLI_BINARY (scripts/e2e does)");
  const home = mkdtempSync(join(tmpdir(), "varde-e2e-home-"));
  const { kept, gone } = prepare(home);
  const app = await launch(home);
  const { ui, wd } = app;
  try {
    await ui.visible("unlock-form", 30_000);
    await ui.type("passphrase", PASS);
    await ui.click("unlock-submit");
    // Both reviews show on the case list.
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="case-review-due"]'))).length === 2, 30_000, "two due reviews");
    const due = await Promise.all((await wd.findElements(By.css('[data-testid="case-review-due"]'))).map((e) => e.getText()));
    assert.ok(due.includes("Gjennomgang av oppbevaring forfalt 01.09.2025"), due.join(" | "));
    await ui.shot("retention-01-list");

    // The first case is still needed: kept with a new date and the reason.
    await (await wd.findElement(By.xpath(`//*[@data-testid="open-case" and text()="${kept}"]`))).click();
    assert.match(await ui.text("case-retention-due", 15_000), /Gjennomgang for oppbevaring, forfalt 01\.09\.2025/);
    await ui.shot("retention-02-due");
    await ui.click("case-keep");
    await ui.type("case-keep-day", "01.01.2020");
    await ui.type("case-keep-reason", "Rettssak ventet våren 2027");
    await ui.click("case-keep-save");
    assert.match(await ui.text("case-keep-error", 15_000), /velg en dag etter i dag/);
    await ui.type("case-keep-day", "01.06.2099");
    await ui.click("case-keep-save");
    assert.match(await ui.text("case-retention-on", 15_000), /01\.06\.2099/);
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="case-retention-due"]'))).length === 0, 15_000, "the review to be settled");

    // The second is not: its review opens the deletion, which names what will go.
    await ui.click("nav-cases");
    await (await ui.find("open-case")).isDisplayed();
    await (await wd.findElement(By.xpath(`//*[@data-testid="open-case" and text()="${gone}"]`))).click();
    await ui.visible("case-retention-due", 15_000);
    await ui.click("case-review-delete");
    assert.match(await ui.text("case-delete-count-incidents", 15_000), /^Hendelser\s*1$/);
    assert.match(await ui.text("case-delete-count-originals_removed"), /^Originaler som slettes\s*1$/);
    await ui.shot("retention-03-delete-from-review");
  } finally {
    await app.quit();
  }
}
