// Errors from the core arrive as {code, message}. The codes the UI acts on get our own
// words; anything else shows the core's plain message.
import type { IpcError } from "../api";
import { t } from "../i18n/index.svelte";

const known: Record<string, string> = {
  wrong_passphrase: "error.wrong_passphrase",
  not_a_locker: "error.not_a_locker",
  newer_locker: "error.newer_locker",
  locker_in_use: "error.locker_in_use",
  disk_full: "error.disk_full",
  not_unlocked: "error.not_unlocked",
};

export function errorText(e: IpcError | unknown): string {
  const err = e as IpcError;
  if (err && typeof err === "object" && "code" in err) {
    const key = known[err.code];
    if (key) return t(key);
    return err.message;
  }
  return String(e);
}
