// Which severity each rule reports at: the rule's default, then the user's settings, then the
// notebook's own `metadata.lint.rules` (the most specific wins). Unknown values are ignored rather
// than trusted: settings and metadata are hand-edited JSON.
import type { Metadata } from "../format";
import { SEVERITY_OPTIONS, type SeverityOption } from "./diagnostic";
import type { Rule } from "./rule";

export interface LintSettings {
  /** Rule id -> severity or "off". */
  rules?: Record<string, unknown>;
}

export function severityOf(rule: Rule, settings: LintSettings | undefined, metadata: Metadata | undefined): SeverityOption {
  const fromNotebook = (metadata?.lint as { rules?: Record<string, unknown> } | undefined)?.rules;
  for (const source of [fromNotebook, settings?.rules]) {
    const value = source && typeof source === "object" ? source[rule.id] : undefined;
    if (typeof value === "string" && (SEVERITY_OPTIONS as readonly string[]).includes(value)) return value as SeverityOption;
  }
  return rule.severity;
}
