/**
 * Data for the page's script, as JSON in `<script type="application/json">`: the browser neither
 * runs nor entity-decodes it, so it costs its JSON and no more (as escaped text in the markup every
 * quote was six bytes). Only what could end or confuse the element is escaped: every `<` (so
 * neither `</script` nor `<!--` can appear) and U+2028/U+2029 (line breaks to older JavaScript),
 * each as a `\u` escape, which `JSON.parse` reads back as the same character. They occur only
 * inside JSON strings, where such an escape is valid.
 */
export function jsonScript(id: string, value: unknown): string {
  const json = JSON.stringify(value).replace(/[<\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<script type="application/json" id="${id}">${json}</script>`;
}
