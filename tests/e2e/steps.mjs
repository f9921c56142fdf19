// Steps the journeys share: creating a locker, logging an incident, fingerprinting the
// locker's files.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const PASS = "korrekt hest batteri stift";

export async function createLocker(ui, { kind = "officer", owner = "Siri Sikkerhet", org = "Eksempel AS" } = {}) {
  await ui.click("tab-create");
  await ui.click(kind === "officer" ? "kind-officer" : "kind-self-log");
  await ui.type("owner", owner);
  if (org) await ui.type("org", org);
  await ui.type("passphrase", PASS);
  await ui.type("passphrase-repeat", PASS);
  await ui.shot("01-create-locker");
  await ui.click("unlock-submit");
}

export async function logIncident(ui, { description, wording, threatening = false }) {
  await ui.click("log-incident");
  await ui.visible("incident-form");
  await ui.type("inc-description", description);
  if (wording) await ui.type("inc-wording", wording);
  await ui.type("inc-place", "Jobbtelefon");
  if (threatening) await ui.click("inc-perceived-threatening");
  await ui.click("inc-save");
  await ui.visible("incident-detail");
}

export function lockerFingerprint(dir) {
  const h = createHash("sha256");
  for (const f of ["locker.json", "locker.db"]) h.update(readFileSync(join(dir, f)));
  return h.digest("hex");
}
