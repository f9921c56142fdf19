// verify.html in headless Chromium (Debian's `chromium`, driven by playwright-core): the
// page a police officer opens from an unzipped bundle on a machine without OpenSSL 3.
// The browser is offline for the page: every request that is not the bundle's own files
// is refused and recorded, so a page that tried to fetch anything would fail the test.
import { chromium } from "playwright-core";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const CHROMIUM = process.env.VARDE_CHROMIUM ?? "/usr/bin/chromium";

/** Open `folder`/verify.html, choose `folder` in its folder picker, and read the verdict. */
export async function verifyInBrowser(folder) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const context = await browser.newContext();
    const requests = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto(pathToFileURL(join(folder, "verify.html")).href);
    await page.setInputFiles("#folder", folder);
    await page.waitForSelector("body[data-result]", { timeout: 60_000 });
    const result = await page.evaluate(() => ({
      result: document.body.dataset.result,
      verdict: document.getElementById("verdict")?.textContent ?? "",
      signature: document.getElementById("signature")?.dataset.state ?? "",
      fingerprint: (document.getElementById("fingerprint")?.textContent ?? "").replace(/\s+/g, ""),
      rows: [...document.querySelectorAll("tr[data-status]")].map((r) => [r.dataset.path, r.dataset.status]),
    }));
    return { ...result, requests, errors, screenshot: await page.screenshot({ fullPage: true }) };
  } finally {
    await browser.close();
  }
}
