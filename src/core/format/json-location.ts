// Reading JSON text into values, and saying where things are in it. `JSON.parse` does the real work
// (it is the fastest parser there is), but it accepts what would not survive a round trip: numbers
// a double cannot hold (9007199254740993 and 1e-400 would be rewritten as other numbers) and nesting
// deep enough to overflow the stack of whatever walks the value next. `readJson` refuses both, with
// the offset of the problem: a quick pass over text JSON.parse accepted, and, only when it did not,
// a strict scanner that says where the text is malformed. Both are linear and keep their stack in
// an array, so no depth of input can overflow them.

export interface TextPosition {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export type JsonPath = ReadonlyArray<string | number>;

/** Nesting deeper than this is refused (documented in the format's README section). */
export const MAX_JSON_DEPTH = 256;

export type JsonProblemKind = "syntax" | "too-deep" | "inexact-number";

export interface JsonProblem {
  kind: JsonProblemKind;
  offset: number;
  message: string;
}

export function positionAt(text: string, offset: number): TextPosition {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < clamped; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}

export interface JsonRead {
  /** What JSON.parse made of the text, when it could read it. */
  value?: unknown;
  /** The first problem; none when the value is exactly what the text says. */
  problem?: JsonProblem;
  /** Whether an object has the key `__proto__` (which copies made by assignment drop). */
  protoKey: boolean;
}

export function readJson(text: string): JsonRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const scan = new Scan(text, undefined);
    return { problem: scan.run() ?? { kind: "syntax", offset: 0, message: "Malformed JSON" }, protoKey: false };
  }
  const { problem, protoKey } = checkParsed(text);
  return problem ? { value, problem, protoKey } : { value, protoKey };
}

/**
 * Depth, numbers and `__proto__` keys of text JSON.parse accepted: only structure is looked at,
 * strings are skipped with indexOf (their bytes are most of a notebook: sources, base64 images).
 */
function checkParsed(text: string): { problem?: JsonProblem; protoKey: boolean } {
  let depth = 0;
  let protoKey = false;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = text.indexOf('"', i + 1);
      while (isEscaped(text, end)) end = text.indexOf('"', end + 1);
      const length = end - i - 1;
      if (length >= 9 && length <= 54 && !protoKey && isKey(text, end + 1)) {
        const raw = text.slice(i + 1, end);
        protoKey = (raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw) === "__proto__";
      }
      i = end + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return { problem: { kind: "too-deep", offset: i, message: TOO_DEEP }, protoKey };
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      let exponent = false;
      for (let d = text.charCodeAt(end); (d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x2b || d === 0x2d || d === 0x65 || d === 0x45; d = text.charCodeAt(++end)) {
        if (d === 0x65 || d === 0x45) exponent = true;
      }
      // Up to 15 characters and no exponent: at most 15 significant digits, which a double holds.
      if ((end - i > 15 || exponent) && !isExact(text.slice(i, end))) return { problem: inexact(text.slice(i, end), i), protoKey };
      i = end;
    } else i++;
  }
  return { protoKey };
}

/** Whether the quote at `at` is escaped (preceded by an odd number of backslashes). */
function isEscaped(text: string, at: number): boolean {
  let k = at - 1;
  while (text.charCodeAt(k) === 0x5c) k--;
  return (at - 1 - k) % 2 === 1;
}

/** Whether the string ending before `at` is an object key (a colon follows). */
function isKey(text: string, at: number): boolean {
  let i = at;
  for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  return text.charCodeAt(i) === 0x3a;
}

const TOO_DEEP = `nesting deeper than ${MAX_JSON_DEPTH} levels is not supported`;

function inexact(literal: string, offset: number): JsonProblem {
  const shown = literal.length > 40 ? `${literal.slice(0, 40)}…` : literal;
  return { kind: "inexact-number", offset, message: `the number ${shown} cannot be kept exactly (read as a double it is ${String(Number(literal))}); write it as a string to keep every digit` };
}

/** Offset of the value at `path` (or of the deepest existing ancestor) in JSON text. */
export function findPathOffset(text: string, path: JsonPath): number {
  const scan = new Scan(text, path);
  scan.run();
  return scan.best;
}

const PLAIN_STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

const OBJECT = 1;
const ARRAY = 2;

/**
 * A strict RFC 8259 scanner as a loop over an explicit stack. With a target path it records where
 * the deepest prefix of the path starts (`best`); `matched` is how many leading components of the
 * current path equal the target's, kept up to date as members are entered and left.
 */
class Scan {
  private i = 0;
  best = 0;
  /** The containers entered: OBJECT or ARRAY. */
  private readonly stack: number[] = [];
  /** Per depth: the member index of the current array element. */
  private readonly index: number[] = [];
  private matched = 0;

  constructor(
    private readonly s: string,
    private readonly target: JsonPath | undefined,
  ) {}

  run(): JsonProblem | undefined {
    const s = this.s;
    const stack = this.stack;
    this.ws();
    // expect: a value (V), or after one: ',' or the container's end (A).
    let expectValue = true;
    for (;;) {
      if (expectValue) {
        this.mark();
        const c = s.charCodeAt(this.i);
        if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
          if (stack.length >= MAX_JSON_DEPTH) return this.problem("too-deep", TOO_DEEP);
          this.i++;
          stack.push(c === 0x7b ? OBJECT : ARRAY);
          this.ws();
          const close = c === 0x7b ? 0x7d : 0x5d;
          if (s.charCodeAt(this.i) === close) {
            this.i++;
            this.leave();
            expectValue = false;
          } else if (c === 0x7b) {
            const failed = this.member();
            if (failed) return failed;
          } else {
            this.index[stack.length] = 0;
            this.enter(0);
          }
          if (expectValue) {
            this.ws();
            continue;
          }
        } else {
          const failed = c === 0x22 ? this.string() : this.scalar(c);
          if (failed) return failed;
          expectValue = false;
        }
      }
      this.ws();
      if (!stack.length) {
        if (this.i < s.length) return this.problem("syntax", "Unexpected text after the end of the JSON document");
        return undefined;
      }
      const c = s.charCodeAt(this.i);
      const top = stack[stack.length - 1];
      if (c === 0x2c /* , */) {
        this.i++;
        this.ws();
        if (top === OBJECT) {
          const failed = this.member();
          if (failed) return failed;
        } else {
          const next = ++this.index[stack.length];
          this.enter(next);
        }
        this.ws();
        expectValue = true;
      } else if (c === (top === OBJECT ? 0x7d : 0x5d)) {
        this.i++;
        this.leave();
      } else {
        return this.problem("syntax", top === OBJECT ? "Expected ',' or '}' after a property value" : "Expected ',' or ']' after an array element");
      }
    }
  }

  /** At a property name: reads `"name"` and `:`, leaving the scanner at the member's value. */
  private member(): JsonProblem | undefined {
    const s = this.s;
    if (s.charCodeAt(this.i) !== 0x22) return this.problem("syntax", "Expected a property name in double quotes");
    const start = this.i + 1;
    const failed = this.string();
    if (failed) return failed;
    const raw = s.slice(start, this.i - 1);
    const key = () => (raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw);
    this.ws();
    if (s.charCodeAt(this.i) !== 0x3a /* : */) return this.problem("syntax", "Expected ':' after a property name");
    this.i++;
    this.ws();
    const depth = this.stack.length;
    this.enter(this.target && this.matched >= depth - 1 && depth <= this.target.length ? key() : undefined);
    return undefined;
  }

  /** The current container's member `component` (undefined: certainly not the target's) is entered. */
  private enter(component: string | number | undefined): void {
    const t = this.target;
    if (!t) return;
    const depth = this.stack.length;
    this.matched = this.matched >= depth - 1 && depth <= t.length && component !== undefined && t[depth - 1] === component ? depth : Math.min(this.matched, depth - 1);
  }

  private leave(): void {
    this.stack.pop();
    this.matched = Math.min(this.matched, this.stack.length);
  }

  private mark(): void {
    if (this.target && this.matched === this.stack.length) this.best = this.i;
  }

  private string(): JsonProblem | undefined {
    const s = this.s;
    this.i++;
    for (;;) {
      PLAIN_STRING_RUN.lastIndex = this.i;
      PLAIN_STRING_RUN.test(s);
      this.i = PLAIN_STRING_RUN.lastIndex;
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return undefined;
      }
      if (c === 0x5c) {
        const e = s[this.i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 2, this.i + 6))) return this.problem("syntax", "Invalid \\u escape in a string");
          this.i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i += 2;
        else return this.problem("syntax", "Invalid escape in a string");
        continue;
      }
      if (Number.isNaN(c)) return this.problem("syntax", "Unterminated string");
      return this.problem("syntax", c === 0x0a ? "Unterminated string (a newline inside a string must be written \\n)" : "Control character in a string");
    }
  }

  private scalar(c: number): JsonProblem | undefined {
    const s = this.s;
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = this.i;
      const m = NUMBER.exec(s);
      if (!m) return this.problem("syntax", "Invalid number");
      if (!isExact(m[0])) return inexact(m[0], this.i);
      this.i += m[0].length;
      return undefined;
    }
    for (const word of ["true", "false", "null"]) {
      if (s.startsWith(word, this.i)) {
        this.i += word.length;
        return undefined;
      }
    }
    return this.problem("syntax", Number.isNaN(c) ? "Unexpected end of file: a value was expected" : `Unexpected character ${characterName(s.codePointAt(this.i)!)}: a value was expected`);
  }

  private ws(): void {
    WHITESPACE.lastIndex = this.i;
    WHITESPACE.test(this.s);
    this.i = WHITESPACE.lastIndex;
  }

  private problem(kind: JsonProblemKind, message: string): JsonProblem {
    return { kind, offset: this.i, message };
  }
}

/**
 * Whether the double `JSON.parse` makes of a number literal, written back as JSON does, is the same
 * decimal number: it is when JavaScript writes it back as it is (what JSON.stringify wrote), else
 * the two are compared digit by digit (1.0 and 1E2 are exact, 9007199254740993 is not).
 */
function isExact(literal: string): boolean {
  const value = Number(literal);
  if (!Number.isFinite(value)) return false;
  const written = String(value);
  return written === literal || sameDecimal(literal, written);
}

function sameDecimal(a: string, b: string): boolean {
  const x = decimal(a);
  const y = decimal(b);
  // Zero is zero whatever its sign or exponent.
  if (!x.digits || !y.digits) return !x.digits && !y.digits;
  return x.negative === y.negative && x.digits === y.digits && x.exponent === y.exponent;
}

/** A number literal as sign, significant digits without leading or trailing zeros, and exponent. */
function decimal(literal: string): { negative: boolean; digits: string; exponent: number } {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal)!;
  const fraction = m[3] ?? "";
  let digits = `${m[2]}${fraction}`.replace(/^0+/, "");
  let exponent = Number(m[4] ?? 0) - fraction.length;
  const trailing = digits.length - digits.replace(/0+$/, "").length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return { negative: m[1] === "-", digits, exponent };
}

/**
 * A character as an error message can show it: printable ASCII as itself, anything else by its code
 * point, since U+00A0 or U+3000 printed as itself looks like an ordinary space, or like nothing.
 */
function characterName(code: number): string {
  if (code > 0x20 && code < 0x7f) return `'${String.fromCharCode(code)}'`;
  const point = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return /\s/u.test(String.fromCodePoint(code)) ? `${point} (a space JSON does not allow)` : point;
}
