/**
 * Text from outside (an upstream's error message, an echoed input) cut to `max` characters, saying
 * how much was left out, so that no alert, log line or result grows with what a service sends.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = ` … [${text.length - max} more characters cut]`;
  return `${text.slice(0, Math.max(0, max - note.length))}${note}`;
}
