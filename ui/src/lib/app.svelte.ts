// What the whole window shares: the open session, where the user is, open emergencies,
// and the idle lock.
import { api, asIpcError } from "../api";
import type { IpcError } from "../api";
import type { Emergency } from "../bindings/Emergency";
import type { Session } from "../bindings/Session";

export type Route =
  | { name: "cases" }
  | { name: "case"; reference: string; tab?: string }
  | { name: "contacts" }
  | { name: "settings" }
  | { name: "employee" };

export const app = $state({
  session: null as Session | null,
  route: { name: "cases" } as Route,
  emergencies: [] as Emergency[],
  /** Set when the emergency check itself failed: shown as prominently as an emergency. */
  emergencyError: null as IpcError | null,
  /** Shown on the unlock screen after the app locked itself. */
  lockedNotice: "",
  /** Bumped after every write, so views reload what they show. */
  version: 0,
});

export function go(route: Route): void {
  app.route = route;
  void refreshEmergencies();
}

export function home(): Route {
  return app.session?.mode === "self_log" ? { name: "employee" } : { name: "cases" };
}

/** Call after a write: views reload and the emergency banner is re-checked. */
export function changed(): void {
  app.version++;
  void refreshEmergencies();
}

export async function refreshEmergencies(): Promise<void> {
  if (!app.session) return;
  try {
    app.emergencies = await api.emergencies();
    app.emergencyError = null;
  } catch (e) {
    // Never behave as if there were no emergency: keep what was known and say the check
    // failed (the banner shows it above everything).
    app.emergencyError = asIpcError(e);
  }
}

export function signedIn(s: Session): void {
  app.session = s;
  app.lockedNotice = "";
  app.route = home();
  changed();
}

export async function lockNow(notice = ""): Promise<void> {
  try {
    await api.lock();
  } catch (e) {
    console.error(asIpcError(e).message);
  }
  app.session = null;
  app.emergencies = [];
  app.emergencyError = null;
  app.lockedNotice = notice;
}

// Idle lock: minutes of no keyboard or pointer activity, kept in local storage.
const IDLE_KEY = "varde.idleMinutes";
export function idleMinutes(): number {
  const v = Number(typeof localStorage !== "undefined" ? localStorage.getItem(IDLE_KEY) : null);
  return Number.isFinite(v) && v >= 1 && v <= 240 ? v : 10;
}
export function setIdleMinutes(m: number): void {
  localStorage.setItem(IDLE_KEY, String(Math.min(240, Math.max(1, Math.round(m)))));
  startIdleWatch();
}

let lastActivity = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;
export function noteActivity(): void {
  lastActivity = Date.now();
}
export function startIdleWatch(onLock?: () => void): void {
  if (timer) clearInterval(timer);
  lastActivity = Date.now();
  timer = setInterval(() => {
    if (app.session && Date.now() - lastActivity > idleMinutes() * 60_000) {
      void lockNow("idle").then(() => onLock?.());
    }
  }, 5_000);
}
/** For tests: pretend the user has been idle for this long. */
export function pretendIdleFor(ms: number): void {
  lastActivity = Date.now() - ms;
}
