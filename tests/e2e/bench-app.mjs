// The app's memory and start-up, in the real window (scripts/bench-app): the time from
// the app's process start to an unlock screen that takes a passphrase, and the PSS of
// every process of the app (varde-app and the WebKit processes it starts) on the unlock
// screen and on the page of a case of 1,000 incidents. Not a test: it prints figures.
import { readFileSync, readdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { launch } from "./harness.mjs";

const HOME = process.env.BENCH_APP_HOME;
const PASS = "benchmark passphrase";
const SETTLE = Number(process.env.BENCH_APP_SETTLE_MS ?? 3000);

/** pid → { ppid, comm, starttime (clock ticks since boot) } of every process. */
function processes() {
  const out = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(d), { ppid: Number(f[1]), comm, start: Number(f[19]) });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The varde-app started for HOME, and every process below it. */
function appProcesses() {
  const all = processes();
  const app = [...all.keys()].find((pid) => {
    if (all.get(pid).comm !== "varde-app") return false;
    try {
      return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`HOME=${HOME}`);
    } catch {
      return false;
    }
  });
  if (!app) return { app: null, pids: [] };
  const pids = [app];
  for (let i = 0; i < pids.length; i++) {
    for (const [pid, p] of all) if (p.ppid === pids[i]) pids.push(pid);
  }
  return { app, pids, all };
}

function pssMb() {
  const { pids, all } = appProcesses();
  const rows = pids.map((pid) => {
    const kb = Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
    return { comm: all.get(pid).comm, mb: kb / 1024 };
  });
  return { total: rows.reduce((s, r) => s + r.mb, 0), rows };
}

function startedAtMs(pid) {
  const ticks = processes().get(pid).start;
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  const hz = 100; // USER_HZ on Linux
  return Date.now() - (uptime - ticks / hz) * 1000;
}

const app = await launch(HOME);
const { wd, ui } = app;
try {
  // Poll tightly: the passphrase field is there and enabled.
  let ready;
  for (;;) {
    const ok = await wd
      .executeScript(`const p = document.querySelector('[data-testid="passphrase"]'); return !!p && !p.disabled && p.offsetParent !== null`)
      .catch(() => false);
    if (ok) {
      ready = Date.now();
      break;
    }
    await sleep(20);
  }
  const { app: pid } = appProcesses();
  const startMs = ready - startedAtMs(pid);
  await sleep(SETTLE);
  const unlockScreen = pssMb();
  await ui.type("passphrase", PASS);
  await ui.click("unlock-submit");
  await ui.click("open-case");
  await ui.waitFor(async () => (await wd.executeScript(`return document.querySelectorAll('[data-testid="incident-row"]').length`)) > 0, 60_000, "the case's incidents");
  await sleep(SETTLE);
  const casePage = pssMb();
  const rows = await wd.executeScript(`return document.querySelectorAll('[data-testid="incident-row"]').length`);
  await ui.shot("bench-app-case-page");
  const fmt = (m) => m.rows.map((r) => `${r.comm} ${r.mb.toFixed(1)}`).join(", ");
  console.log(`start to an interactive unlock screen: ${startMs.toFixed(0)} ms`);
  console.log(`PSS on the unlock screen: ${unlockScreen.total.toFixed(1)} MB (${fmt(unlockScreen)})`);
  console.log(`PSS on the case page (${rows} incident rows shown): ${casePage.total.toFixed(1)} MB (${fmt(casePage)})`);
} finally {
  await app.quit();
}
