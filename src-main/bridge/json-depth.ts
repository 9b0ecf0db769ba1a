/**
 * Does a JSON text nest arrays or objects deeper than `max`? A scan of the
 * raw bytes (strings skipped, escapes honoured), made before JSON.parse: a
 * few megabytes of `[[[[…` would otherwise become hundreds of megabytes of
 * nested arrays before any schema could refuse them.
 */
export function jsonDepthExceeds(body: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const byte of body) {
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === 0x5c) escaped = true;
      else if (byte === 0x22) inString = false;
      continue;
    }
    if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (byte === 0x5d || byte === 0x7d) depth -= 1;
  }
  return false;
}
