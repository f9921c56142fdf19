// Drives the real Varde window: tauri-driver (WebDriver for Tauri) in front of
// WebKitWebDriver, under the X server that scripts/e2e starts. Each session gets its own
// HOME, so lockers, exports and settings never touch the user's.
import { spawn, execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Builder, By, until } from "selenium-webdriver";

export { By, until };

const APP = process.env.VARDE_APP_BINARY;
const DRIVER = process.env.TAURI_DRIVER ?? "tauri-driver";
export const SHOTS = process.env.VARDE_E2E_SHOTS ?? join(tmpdir(), "varde-e2e-shots");
mkdirSync(SHOTS, { recursive: true });

const SETTLE_MS = Number(process.env.VARDE_E2E_SETTLE_MS ?? 700);
let port = 4444 + Math.floor(Math.random() * 2000);

/** A step log beside the screenshots: what the test was doing when it stopped. */
export function note(msg) {
  lastSign = Date.now();
  appendFileSync(join(SHOTS, "steps.log"), `${new Date().toISOString()} ${msg}\n`);
}

// WebKitWebDriver sometimes never answers a command (the app and the page are idle; see
// ARCHITECTURE.md, Testing). A watchdog ends a session that shows no sign of life for
// this long, so the journey fails fast and `journey()` can run it once more.
const STALL_MS = Number(process.env.VARDE_E2E_STALL_MS ?? 75_000);
let lastSign = Date.now();
const touch = () => (lastSign = Date.now());

// Accessibility: axe-core runs on every screen a journey takes a screenshot of; the
// journey fails at its end when any screen had a violation (all of them are listed).
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const axeViolations = [];

/** Run a journey; if the driver stalled, run it once more in a fresh app. */
export async function journey(name, body) {
  for (let attempt = 1; ; attempt++) {
    const stalls = stallCount;
    try {
      axeViolations.length = 0;
      const out = await body();
      if (axeViolations.length) {
        throw new Error(`screens failed their checks (axe-core, a shifted window):\n${axeViolations.join("\n")}`);
      }
      return out;
    } catch (e) {
      if (stallCount === stalls || attempt >= 2) throw e;
      note(`${name}: the driver stalled (${e}); running the journey again`);
    }
  }
}
let stallCount = 0;

/** Start tauri-driver and the app in a fresh HOME; returns the session and helpers. */
export async function launch(home = mkdtempSync(join(tmpdir(), "varde-e2e-home-"))) {
  if (!APP) throw new Error("set VARDE_APP_BINARY to the varde-app binary (scripts/e2e does)");
  const p = port;
  port += 2; // tauri-driver on p, WebKitWebDriver on p + 1
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, ".local/share"),
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DOCUMENTS_DIR: join(home, "Documents"),
    VARDE_LOCKER: join(home, "locker"),
    // No accessibility bus under Xvfb: WebKitGTK otherwise talks to AT-SPI, which can
    // stall the automation session.
    NO_AT_BRIDGE: "1",
  };
  mkdirSync(join(home, "Documents"), { recursive: true });
  const driver = spawn(DRIVER, ["--port", String(p), "--native-port", String(p + 1)], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so WebKitWebDriver and the app end with it
  });
  const killAll = () => {
    try {
      process.kill(-driver.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  };
  let log = "";
  driver.stdout.on("data", (d) => (log += d));
  driver.stderr.on("data", (d) => (log += d));
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${p}/status`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  // No waiting for "page loads": the app is one page, and WebKitWebDriver otherwise can
  // wait forever on loads that never end for it (the IPC fetches).
  const caps = { browserName: "wry", pageLoadStrategy: "none", "tauri:options": { application: APP } };
  let wd;
  try {
    wd = await new Builder().usingServer(`http://127.0.0.1:${p}/`).withCapabilities(caps).build();
  } catch (e) {
    killAll();
    throw new Error(`could not start the app through tauri-driver: ${e}\n${log}`);
  }
  touch();
  const watchdog = setInterval(() => {
    if (Date.now() - lastSign > STALL_MS) {
      stallCount++;
      note(`no answer from the driver for ${STALL_MS} ms: ending the session`);
      killAll();
      clearInterval(watchdog);
    }
  }, 1000);
  await wd.manage().setTimeouts({ implicit: 0, script: 30_000 });
  // Wait for the app's page itself (not the blank page the window starts with).
  for (let i = 0; i < 150; i++) {
    const ready = await wd
      .executeScript("return document.readyState === 'complete' && !!document.getElementById('app') && location.protocol !== 'about:'")
      .catch(() => false);
    if (ready) break;
    await sleep(200);
  }
  // Keep the page's uncaught errors, to report them when a step fails.
  await wd.executeScript(
    `window.__vardeErrors = [];
     addEventListener("error", (e) => __vardeErrors.push(String(e.message)));
     addEventListener("unhandledrejection", (e) => __vardeErrors.push("rejection: " + JSON.stringify(e.reason)));`,
  );
  // WebKitWebDriver answers a screenshot (and, it seems, some other commands) only after
  // the page's next rendering update, and an idle page has none: the command then waits
  // for ever. A 2-pixel, all but transparent dot that never stops animating keeps the page
  // painting, so every command gets its update. It lives outside the app's root element.
  await wd.executeScript(
    `const d = document.createElement("div");
     d.setAttribute("aria-hidden", "true");
     d.dataset.e2eHeartbeat = "";
     Object.assign(d.style, { position: "fixed", right: "0", bottom: "0", width: "2px", height: "2px",
       background: "#000", opacity: "0.01", pointerEvents: "none", zIndex: "2147483647" });
     document.body.appendChild(d);
     d.animate([{ opacity: 0.01 }, { opacity: 0.02 }], { duration: 500, iterations: Infinity, direction: "alternate" });`,
  );
  const ui = helpers(wd);
  return {
    wd,
    home,
    ui,
    async quit() {
      clearInterval(watchdog);
      try {
        const errors = await Promise.race([wd.executeScript("return window.__vardeErrors || []"), sleep(5000).then(() => ["(no answer)"])]);
        if (errors.length) note(`page errors: ${JSON.stringify(errors)}`);
        await Promise.race([wd.quit(), sleep(15_000)]);
      } catch (e) {
        note(`quit: ${e}`);
      } finally {
        killAll();
      }
    },
  };
}

function helpers(wd) {
  const css = (testid) => By.css(`[data-testid="${testid}"]`);
  const h = {
    css,
    /** Wait for an element, asking four times a second (not in a tight loop). */
    async find(testid, timeout = 10_000) {
      note(`find ${testid}`);
      const end = Date.now() + timeout;
      for (;;) {
        // While the page is still loading (the session starts before it, see
        // pageLoadStrategy) a script can be cut off by the load: ask again.
        const found = await wd
          .executeScript(`return document.querySelector('[data-testid="${testid}"]')`)
          .catch((e) => {
            if (/unload|frame/i.test(String(e))) return null;
            throw e;
          });
        touch();
        if (found) return found;
        if (Date.now() > end) {
          await h.shot(`failed-find-${testid}`).catch(() => {});
          throw new Error(`no [data-testid=${testid}] within ${timeout} ms`);
        }
        await sleep(250);
      }
    },
    async visible(testid, timeout = 10_000) {
      const el = await h.find(testid, timeout);
      const end = Date.now() + timeout;
      while (!(await el.isDisplayed())) {
        touch();
        if (Date.now() > end) throw new Error(`[data-testid=${testid}] not visible within ${timeout} ms`);
        await sleep(250);
      }
      return el;
    },
    async click(testid) {
      note(`click ${testid}`);
      const el = await h.visible(testid);
      await wd.executeScript("arguments[0].scrollIntoView({block: 'center'})", el);
      await el.click();
      // Let the page settle (its IPC calls answer and it re-renders) before the next
      // WebDriver command: WebKitWebDriver has been seen to stall for good on a command
      // that raced with a re-render.
      await sleep(SETTLE_MS);
      return el;
    },
    async type(testid, text, { clear = true } = {}) {
      const el = await h.visible(testid);
      // A field below the fold of a scrolled dialog is "not interactable" until shown.
      await wd.executeScript("arguments[0].scrollIntoView({block: 'center'})", el);
      if (clear) await el.clear();
      await el.sendKeys(text);
      return el;
    },
    /** Wait for `okId`; fail at once, with the message shown, if `errorId` appears first. */
    async outcome(okId, errorId, timeout = 60_000) {
      note(`outcome ${okId} or ${errorId}`);
      const end = Date.now() + timeout;
      for (;;) {
        const [ok, err] = await wd.executeScript(
          `return [document.querySelector('[data-testid="${okId}"]'), document.querySelector('[data-testid="${errorId}"]')]`,
        );
        touch();
        if (ok) return ok;
        if (err) throw new Error(`[data-testid=${errorId}] says: ${await err.getText()}`);
        if (Date.now() > end) throw new Error(`neither ${okId} nor ${errorId} within ${timeout} ms`);
        await sleep(250);
      }
    },
    async text(testid, timeout) {
      const el = await h.visible(testid, timeout);
      return el.getText();
    },
    async select(testid, value) {
      const el = await h.visible(testid);
      await wd.executeScript(
        "const s = arguments[0]; s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));",
        el,
        value,
      );
    },
    async waitFor(fn, timeout = 15_000, what = "condition") {
      note(`wait for ${what}`);
      const end = Date.now() + timeout;
      for (;;) {
        const v = await fn().catch(() => false);
        touch();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await sleep(250);
      }
    },
    /** Paste files as a clipboard paste would deliver them to the page. */
    async paste(files) {
      await wd.executeScript(
        `const files = arguments[0].map(([name, type, b64]) => {
           const bin = atob(b64);
           const bytes = new Uint8Array(bin.length);
           for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
           return new File([bytes], name, { type });
         });
         let data;
         try { data = new DataTransfer(); files.forEach((f) => data.items.add(f)); }
         catch { data = { files }; }
         const ev = new Event("paste", { bubbles: true, cancelable: true });
         Object.defineProperty(ev, "clipboardData", { value: data });
         window.dispatchEvent(ev);`,
        files,
      );
    },
    /** A screenshot of the window, kept for people to look at; axe-core checks the screen. */
    async shot(name) {
      const png = await wd.takeScreenshot();
      writeFileSync(join(SHOTS, `${name}.png`), Buffer.from(png, "base64"));
      if (!name.startsWith("failed-")) {
        await h.axe(name);
        // The window itself never scrolls: only the page and the menu do, each inside its
        // own box. A shifted window cuts off the menu and leaves a grey band.
        const shifted = await wd.executeScript(
          `return ["html", "body", "#app", ".shell"].map((s) => document.querySelector(s))
             .filter((e) => e && (e.scrollTop !== 0 || e.scrollLeft !== 0))
             .map((e) => (e.id ? "#" + e.id : e.className || e.tagName.toLowerCase()) + " scrolled by " + e.scrollTop);`,
        );
        for (const s of shifted) axeViolations.push(`  ${name}: the window is shifted (${s})`);
      }
      return Buffer.from(png, "base64");
    },
    /** Run axe-core on the page as it is; violations are kept for the journey's end. */
    async axe(screen) {
      note(`axe ${screen}`);
      const has = await wd.executeScript("return typeof window.axe !== 'undefined'");
      if (!has) await wd.executeScript(AXE);
      const result = await wd.executeAsyncScript(
        `const done = arguments[arguments.length - 1];
         axe.run(document, { resultTypes: ["violations"] })
           .then((r) => done(r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }))))
           .catch((e) => done([{ id: "axe-error", help: String(e), nodes: [] }]));`,
      );
      touch();
      for (const v of result) axeViolations.push(`  ${screen}: ${v.id} – ${v.help} (${v.nodes.join("; ")})`);
      return result;
    },
  };
  return h;
}

export function sha256sum(files) {
  const out = execFileSync("sha256sum", files, { encoding: "utf8" });
  return out
    .trim()
    .split("\n")
    .map((l) => l.split(/\s+/)[0]);
}
