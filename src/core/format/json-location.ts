// Positions inside JSON text, for error messages a user can act on. `JSON.parse` is used for the
// real work (it is the fastest parser there is); this scanner runs only after something failed, to
// say *where*: the offset of a syntax error, or the offset of the value at a schema path.

export interface TextPosition {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export type JsonPath = ReadonlyArray<string | number>;

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

/** Where and why `text` is not valid JSON, or undefined when it is valid. */
export function findSyntaxError(text: string): { offset: number; message: string } | undefined {
  try {
    new Scanner(text, undefined).document();
    return undefined;
  } catch (error) {
    if (error instanceof ScanError) return { offset: error.offset, message: error.message };
    throw error;
  }
}

/** Offset of the value at `path` (or of the deepest existing ancestor) in valid JSON text. */
export function findPathOffset(text: string, path: JsonPath): number {
  const scanner = new Scanner(text, path);
  try {
    scanner.document();
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
  }
  return scanner.best;
}

class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** A strict RFC 8259 recursive-descent scanner that records where a target path's value starts. */
class Scanner {
  private i = 0;
  /** Offset of the deepest prefix of the target path seen so far. */
  best = 0;

  constructor(
    private readonly s: string,
    private readonly target: JsonPath | undefined,
  ) {}

  document(): void {
    this.ws();
    this.value([]);
    this.ws();
    if (this.i < this.s.length) this.fail("Unexpected text after the end of the JSON document");
  }

  private fail(message: string): never {
    throw new ScanError(message, this.i);
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else break;
    }
  }

  private mark(path: (string | number)[]): void {
    const t = this.target;
    if (!t || path.length > t.length) return;
    for (let k = 0; k < path.length; k++) if (path[k] !== t[k]) return;
    this.best = this.i;
  }

  private value(path: (string | number)[]): void {
    this.mark(path);
    const c = this.s[this.i];
    if (c === "{") return this.object(path);
    if (c === "[") return this.array(path);
    if (c === '"') return void this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const word of ["true", "false", "null"]) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    this.fail(c === undefined ? "Unexpected end of file: a value was expected" : `Unexpected character '${c}': a value was expected`);
  }

  private object(path: (string | number)[]): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail("Expected a property name in double quotes");
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ":") this.fail("Expected ':' after a property name");
      this.i++;
      this.ws();
      this.value([...path, key]);
      this.ws();
      const c = this.s[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "}") {
        this.i++;
        return;
      }
      this.fail("Expected ',' or '}' after a property value");
    }
  }

  private array(path: (string | number)[]): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return;
    }
    for (let index = 0; ; index++) {
      this.ws();
      this.value([...path, index]);
      this.ws();
      const c = this.s[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "]") {
        this.i++;
        return;
      }
      this.fail("Expected ',' or ']' after an array element");
    }
  }

  private string(): string {
    const start = ++this.i;
    const s = this.s;
    let hasEscape = false;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        const raw = s.slice(start, this.i++);
        return hasEscape ? (JSON.parse(`"${raw}"`) as string) : raw;
      }
      if (c === 0x5c) {
        hasEscape = true;
        const e = s[this.i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 2, this.i + 6))) this.fail("Invalid \\u escape in a string");
          this.i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i += 2;
        else this.fail("Invalid escape in a string");
        continue;
      }
      if (c < 0x20) this.fail(c === 0x0a ? "Unterminated string (a newline inside a string must be written \\n)" : "Control character in a string");
      this.i++;
    }
    this.fail("Unterminated string");
  }

  private number(): void {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail("Invalid number");
    this.i += m[0].length;
  }
}
