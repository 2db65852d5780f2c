const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
/** The longest grapheme cluster there is room for beyond a cut (a family emoji, a flag with tags). */
const LOOK_PAST = 64;

/**
 * The longest start of `text` of at most `max` UTF-16 units that ends on a grapheme boundary: an
 * emoji, a flag or a letter with its accents is kept whole or left out whole, never split into a
 * broken character. Only the text around the cut is segmented.
 */
export function headOf(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  const from = Math.max(0, max - LOOK_PAST);
  let end = from;
  for (const { index } of graphemes.segment(text.slice(from, max + LOOK_PAST))) {
    if (from + index > max) break;
    end = from + index;
  }
  // A cut at `from` itself may split a cluster that began before it: step back over a trailing surrogate.
  if (end === from && from > 0 && /[\uDC00-\uDFFF]/.test(text[from] ?? "")) end--;
  return text.slice(0, end);
}

/**
 * Text from outside (an upstream's error message, an echoed input) cut to `max` characters, saying
 * how much was left out, so that no alert, log line or result grows with what a service sends.
 * The cut falls on a grapheme boundary.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = ` … [${text.length - max} more characters cut]`;
  return `${headOf(text, Math.max(0, max - note.length))}${note}`;
}

/** `text` in at most `max` characters, ending in "…" when cut (on a grapheme boundary). */
export const ellipsis = (text: string, max: number): string =>
  text.length <= max ? text : `${headOf(text, max - 1)}…`;

/**
 * JSON of a value from outside, cut to `max` characters: a value too deeply nested (or cyclic) to
 * print is named, never thrown (a 20,000-level event throws RangeError from JSON.stringify).
 */
export function echoJson(value: unknown, max: number): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = "(a value too deeply nested or cyclic to print)";
  }
  return cutText(text, max);
}

/** The longest alert id sent anywhere (an SNS attribute, a channel's header or footer). */
export const MAX_ALERT_ID = 200;

/** cyrb53: a fast 53-bit string hash, enough to keep two long ids apart. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0");
}

/**
 * An alert id as sent: at most MAX_ALERT_ID printable ASCII characters (it travels in HTTP
 * headers). A longer or non-ASCII one keeps a readable start and a hash of the whole, so that
 * two different ids stay different and the same id stays the same (a repeat is still dropped).
 */
export function boundedId(id: string): string {
  if (id.length <= MAX_ALERT_ID && /^[\x20-\x7e]*$/.test(id)) return id;
  const readable = id.slice(0, MAX_ALERT_ID).replace(/[^\x20-\x7e]/g, "?");
  return `${readable.slice(0, MAX_ALERT_ID - 16)}~${hash53(id)}`;
}
