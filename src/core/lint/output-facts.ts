// What a cell's outputs say at run time: whether it showed a picture, the Falsify chart metadata
// (which hypothesis, which baselines, which statistic, whether it shows a distribution) and the
// verdicts it produced. Outputs can be large, so this only looks at MIME types and small fields.
import { chartMeta, isVerdict, MIME, VISUAL_MIMES, type ChartMeta, type Verdict } from "../display";
import type { Output } from "../format";

export interface OutputFacts {
  /** The cell emitted a chart or an image. */
  visual: boolean;
  charts: ChartMeta[];
  verdicts: Verdict[];
}

export function analyzeOutputs(outputs: readonly Output[] | undefined): OutputFacts {
  const facts: OutputFacts = { visual: false, charts: [], verdicts: [] };
  for (const output of Array.isArray(outputs) ? outputs : []) {
    for (const item of Array.isArray(output?.items) ? output.items : []) {
      if (item?.mime === MIME.verdict && isVerdict(item.data)) facts.verdicts.push(item.data);
      else if (typeof item?.mime === "string" && VISUAL_MIMES.includes(item.mime)) {
        facts.visual = true;
        const meta = chartMeta(item.data);
        if (meta) facts.charts.push(meta);
      }
    }
  }
  return facts;
}
