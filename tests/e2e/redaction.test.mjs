// End-to-end: a redacted copy for HR. The officer opens a chat screenshot, drags a box
// over the name bar, types a second box, removes a third, and saves the copy; the
// original's SHA-256 is unchanged. The export to HR sends the copy instead of the
// original (sha256sum -c passes, the manifest names the original and the boxes, the copy
// carries no metadata chunk); with the police as recipient the copies are not offered.
// Run by scripts/e2e (which builds the app, starts Xvfb and provides tauri-driver).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { By, journey, launch, sha256sum } from "./harness.mjs";
import { createLocker } from "./steps.mjs";

const FIXTURES = process.env.VARDE_E2E_FIXTURES;
const SHOT = "skjermbilde-chat.png";

test("a redacted copy is drawn, saved and sent to HR while the police get the original", () =>
  journey("redaction", redactionJourney));

/** The chunk types of a PNG file, in order. */
function pngChunks(buf) {
  const out = [];
  for (let at = 8; at + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(at);
    out.push(buf.toString("latin1", at + 4, at + 8));
    at += 12 + len;
  }
  return out;
}

async function redactionJourney() {
  assert.ok(FIXTURES, "VARDE_E2E_FIXTURES names the directory of sample files");
  const fixture = join(FIXTURES, SHOT);
  const [originalSha] = sha256sum([fixture]);
  const app = await launch();
  const { ui, wd, home } = app;
  try {
    await ui.visible("unlock-form", 30_000);
    await createLocker(ui);
    await ui.click("new-case");
    await ui.type("case-title", "Trusler i Messenger");
    await ui.click("case-create");
    await ui.visible("case-heading");

    await ui.click("log-incident");
    await ui.visible("incident-form");
    await ui.select("inc-channel", "social_media");
    await ui.type("inc-description", "Truende meldinger i Messenger");
    await ui.type("inc-place", "Messenger");
    await ui.paste([[SHOT, "image/png", readFileSync(fixture).toString("base64")]]);
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="pending-file"]'))).length === 1, 10_000, "the screenshot waiting");
    await ui.click("inc-save");
    await ui.visible("incident-detail");
    const item = await ui.visible("evidence-item", 20_000);
    await (await item.findElement(By.css('[data-testid="evidence-view"]'))).click();
    await ui.visible("viewer-image", 15_000);

    // Draw: drag over the name bar (the image is 480 × 640; shown at whatever size fits).
    await ui.click("viewer-redact");
    const img = await ui.visible("redact-image", 10_000);
    await ui.waitFor(() => wd.executeScript("return arguments[0].complete && arguments[0].naturalWidth === 480", img), 10_000, "the image to load");
    const rect = await img.getRect();
    const sx = rect.width / 480;
    const sy = rect.height / 640;
    // W3C pointer offsets from an element are from its centre.
    const off = (x, y) => ({ origin: img, x: Math.round(x * sx - rect.width / 2), y: Math.round(y * sy - rect.height / 2) });
    await wd.actions({ async: true }).move(off(85, 20)).press().move(off(200, 40)).move(off(335, 60)).release().perform();
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="redact-box"]'))).length === 1, 10_000, "the drawn box");
    const drawn = await ui.text("redact-item");
    const m = /Felt 1: x (\d+), y (\d+), (\d+) × (\d+) piksler/.exec(drawn);
    assert.ok(m, drawn);
    const [x, y, w, h] = m.slice(1).map(Number);
    // Where the pointer went, within the rounding of the shown size.
    const near = (a, b) => Math.abs(a - b) <= Math.ceil(2 / Math.min(sx, sy)) + 1;
    assert.ok(near(x, 85) && near(y, 20) && near(x + w, 335) && near(y + h, 60), drawn);

    // Type a box (the sender's name in the first bubble), and one too many, then remove it.
    await wd.findElement(By.css('[data-testid="redact"] summary')).click();
    for (const [bx, by, bw, bh] of [[20, 120, 340, 30], [0, 600, 50, 50]]) {
      await ui.type("redact-x", String(bx));
      await ui.type("redact-y", String(by));
      await ui.type("redact-w", String(bw));
      await ui.type("redact-h", String(bh));
      await ui.click("redact-add");
    }
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="redact-box"]'))).length === 3, 5_000, "three boxes");
    await ui.click("redact-remove-3");
    await ui.waitFor(async () => (await wd.findElements(By.css('[data-testid="redact-box"]'))).length === 2, 5_000, "two boxes");
    const items = await wd.findElements(By.css('[data-testid="redact-item"]'));
    assert.equal(await items[1].getText(), "Felt 2: x 20, y 120, 340 × 30 piksler");
    // A typed box that reaches past the image is refused by the core, at the boxes.
    await ui.type("redact-x", "400");
    await ui.type("redact-y", "0");
    await ui.type("redact-w", "100");
    await ui.type("redact-h", "10");
    await ui.click("redact-add");
    await ui.click("redact-save");
    assert.equal(await ui.text("redact-error"), "Felt 3 er tomt eller går utenfor bildet, som er 480 × 640 piksler.");
    await ui.click("redact-remove-3");
    // The boxes as the officer sees them over the picture.
    await wd.executeScript("arguments[0].scrollIntoView({ block: 'start' })", img);
    await ui.shot("60-redact-drawn");
    await ui.axe("redact");

    await ui.click("redact-save");
    await ui.visible("redact-saved", 15_000);
    assert.match(await ui.text("redact-saved"), /Sladdet kopi \d+ er lagret\. Originalen er uendret\./);
    await ui.visible("viewer-copy-image", 10_000);
    assert.match(await ui.text("viewer-copy"), /Kopi \d+: 2 felt å sladde, laget .* av Siri Sikkerhet/);
    // The copy's pixels inside the drawn box are black, as the window shows them.
    const black = await wd.executeScript(
      `const img = document.querySelector('[data-testid="viewer-copy-image"]');
       const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
       const g = c.getContext('2d'); g.drawImage(img, 0, 0);
       const d = g.getImageData(arguments[0], arguments[1], arguments[2], arguments[3]).data;
       for (let i = 0; i < d.length; i += 4) if (d[i] || d[i + 1] || d[i + 2] || d[i + 3] !== 255) return false;
       return true;`,
      x, y, w, h,
    );
    assert.equal(black, true, "every pixel of the drawn box is black in the copy");
    // The original is unchanged: its SHA-256 is the file's.
    assert.match(await ui.text("viewer"), new RegExp(`SHA-256 ${originalSha}`));
    await ui.shot("61-redact-saved");
    await ui.click("viewer-close");

    // The export wizard: for the police the copies are not offered…
    await ui.click("tab-export");
    await ui.visible("export-copies", 20_000);
    await ui.visible("export-copies-police");
    // …for HR they are, chosen by default.
    await ui.type("export-recipient", "HR-avdelingen, Eksempel AS");
    await ui.select("export-kind", "employer");
    await ui.select("export-basis", "employer_duty_aml_4_3_4");
    const evidenceId = await wd.executeScript("return document.querySelector('[data-testid^=\"export-copy-\"]').value");
    assert.equal(await wd.findElement(By.css(`[data-testid="export-copy-${evidenceId}"]`)).isSelected(), true);
    const out = join(home, "Documents", "til-hr.zip");
    await ui.type("export-path", out);
    await ui.click("export-preview-show");
    await ui.visible("export-preview-page", 60_000);
    // The preview speaks of the recipient, and of the copy instead of "0 originals".
    assert.equal(await ui.text("export-preview-title"), "Dette får mottakeren");
    assert.match(await ui.text("export-preview-originals"), /^evidence\/ – 1 sladdet kopi i stedet for originalen, [\d,]+ kB$/);
    await ui.shot("62-export-copies");
    await ui.click("export-submit");
    await ui.outcome("export-result", "export-error", 120_000);

    const unzipped = mkdtempSync(join(tmpdir(), "varde-e2e-hr-"));
    execFileSync("unzip", ["-q", out, "-d", unzipped]);
    const check = spawnSync("sha256sum", ["-c", "--strict", "SHA256SUMS"], { cwd: unzipped, encoding: "utf8" });
    assert.equal(check.status, 0, `sha256sum -c failed:\n${check.stdout}${check.stderr}`);
    assert.match(check.stdout, /skjermbilde-chat-sladdet\.png: OK/);
    const manifest = JSON.parse(readFileSync(join(unzipped, "manifest.json"), "utf8"));
    const entry = manifest.evidence.find((e) => e.version === "redacted");
    assert.ok(entry, "the manifest has the redacted copy");
    assert.equal(entry.redaction.original_sha256, originalSha);
    assert.equal(entry.redaction.regions.length, 2);
    assert.notEqual(entry.sha256, originalSha);
    assert.ok(!readFileSync(join(unzipped, "SHA256SUMS"), "utf8").includes(originalSha), "the original did not go to HR");
    const copy = readFileSync(join(unzipped, entry.path));
    const [copySha] = sha256sum([join(unzipped, entry.path)]);
    assert.equal(copySha, entry.sha256);
    assert.deepEqual([...new Set(pngChunks(copy))], ["IHDR", "IDAT", "IEND"], "the copy holds pixels only");
    assert.ok(readdirSync(join(unzipped, "evidence")).length > 0);
  } finally {
    await app.quit();
  }
}
