// The one way notebook text (markdown, cell ids, file names, recorded versions, hypotheses) enters an
// exported script: as comment lines or as JSON literals, never as code. A `.falsify` file from
// someone else is untrusted input, and JavaScript ends a `//` comment at any of \n, \r, U+2028 and
// U+2029, so a comment must be split at every one of them, not only at \n.

const LINE_TERMINATOR = /\r\n|[\n\r\u2028\u2029]/;

/** `text` as `//` comment lines, one per line of the text whatever its line terminators. */
export function comment(text: string): string {
  return text
    .split(LINE_TERMINATOR)
    .map((line) => (line ? `// ${line}` : "//"))
    .join("\n");
}

/**
 * A value as a JavaScript expression that is data only. Every JSON text is one since ES2019 (U+2028
 * and U+2029 became legal inside string literals), and JSON has no syntax that runs anything.
 */
export function literal(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent);
}
