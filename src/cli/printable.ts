/**
 * Characters that act on a terminal instead of printing: C0 and C1 controls (an escape sequence in
 * a customer id or a matter title could recolour, move the cursor or retitle the window) and the
 * bidirectional overrides and isolates (they reorder what is shown). `keep: 'separators'` keeps tab and
 * line breaks, which a message's word wrap treats as spaces.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_SEPARATORS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text from the input as the CLI prints it to a terminal: each such character written out as `\uXXXX`, visibly. */
export function printable(text: string, keep: 'separators' | 'nothing' = 'nothing'): string {
  const pattern = keep === 'separators' ? CONTROLS_BUT_SEPARATORS : CONTROLS;
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  return text.replace(pattern, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
