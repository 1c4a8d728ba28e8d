// Where something is inside one cell: what every diagnostic and hypothesis error carries. Positions
// are 1-based (lines and UTF-16 columns), as tools print them; the VS Code glue turns them into
// 0-based ranges in one place.

export interface CellRange {
  line: number;
  column: number;
  /** The end is exclusive: the position just after the last character. */
  endLine: number;
  endColumn: number;
}

/** Offsets to 1-based positions for one text, with a line table built once (cells can be 1 MB). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.starts[lo] + 1 };
  }

  /** Offset of a 1-based line/column (the inverse of `position`), e.g. for a stack frame. */
  offset(line: number, column: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))] + column - 1;
  }

  range(start: number, end: number): CellRange {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** The whole of line `line` (1-based), without its newline: for findings about a cell as a whole. */
  lineRange(line: number): CellRange {
    const index = Math.max(0, Math.min(line - 1, this.starts.length - 1));
    const start = this.starts[index];
    const next = index + 1 < this.starts.length ? this.starts[index + 1] - 1 : this.text.length;
    return this.range(start, next);
  }
}
