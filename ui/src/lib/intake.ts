// Files coming into the window: dropped (as paths, streamed by the backend) or pasted (as
// bytes), for the evidence box of a saved incident and of one not saved yet.
import { desktop } from "../api";

/** The name a pasted file is stored under: its own, or a dated «skjermbilde-…» for a
 *  clipboard image that came without one (`n` keeps several pasted at once apart). */
export function pastedName(f: File, n: number): string {
  if (f.name && f.name !== "image.png") return f.name;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return `skjermbilde-${stamp}-${n}.${f.type.split("/")[1] || "png"}`;
}

/** While a component is mounted: files dropped on the window go to `onPaths`, files pasted
 *  (Ctrl+V) to `onPasted`, and `onHover` says whether files are held over the window.
 *  Returns the function that stops listening (for `onMount`). */
export function listenForFiles(
  onPaths: (paths: string[]) => void,
  onPasted: (files: File[]) => void,
  onHover: (over: boolean) => void,
): () => void {
  let unlisten: (() => void) | null = null;
  let live = true;
  desktop.onDrop(onPaths, onHover).then((u) => { if (live) unlisten = u; else u(); }, () => {});
  const onPaste = (ev: ClipboardEvent) => {
    const files = [...(ev.clipboardData?.files ?? [])];
    if (!files.length) return;
    ev.preventDefault();
    onPasted(files);
  };
  window.addEventListener("paste", onPaste);
  return () => {
    live = false;
    unlisten?.();
    window.removeEventListener("paste", onPaste);
  };
}

/** `list` with item `i` moved `by` places (−1 up, +1 down); the same list past either end. */
export function moved<T>(list: T[], i: number, by: number): T[] {
  const j = i + by;
  if (j < 0 || j >= list.length) return list;
  const next = [...list];
  [next[i], next[j]] = [next[j], next[i]];
  return next;
}
