// Text edits that remember where every output character came from, so a position in rewritten
// code (a stack frame) maps back to the code before the rewrite.

export interface Edit {
  /** Replace [start, end) of the input; start === end inserts. */
  start: number;
  end: number;
  text: string;
  /**
   * Order among edits at the same position: closers (`)`, `}`) before openers, inner closers before
   * outer ones, outer openers before inner ones. Nesting depth of the construct the edit belongs to.
   */
  depth?: number;
  close?: boolean;
}

export interface Edited {
  text: string;
  /** Offset in the input that produced `offset` of the output (inserted text maps to its anchor). */
  toInput(offset: number): number;
}

interface Segment {
  outStart: number;
  inStart: number;
  /** Copied text maps one to one; inserted text maps to inStart. */
  copied: boolean;
}

export function applyEdits(input: string, edits: readonly Edit[]): Edited {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || rank(a.edit) - rank(b.edit) || a.index - b.index)
    .map(({ edit }) => edit);
  const parts: string[] = [];
  const segments: Segment[] = [];
  let out = 0;
  let cursor = 0;
  const push = (text: string, inStart: number, copied: boolean) => {
    if (!text) return;
    segments.push({ outStart: out, inStart, copied });
    parts.push(text);
    out += text.length;
  };
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(`overlapping edits at ${edit.start}`);
    push(input.slice(cursor, edit.start), cursor, true);
    push(edit.text, edit.start, false);
    cursor = edit.end;
  }
  push(input.slice(cursor), cursor, true);
  return {
    text: parts.join(""),
    toInput(offset) {
      let lo = 0;
      let hi = segments.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (segments[mid].outStart <= offset) lo = mid;
        else hi = mid - 1;
      }
      const segment = segments[lo];
      if (!segment) return 0;
      return segment.copied ? segment.inStart + (offset - segment.outStart) : segment.inStart;
    },
  };
}

function rank(edit: Edit): number {
  const depth = edit.depth ?? 0;
  return edit.close ? -1e6 - depth : depth;
}
