// One reading of a command line for every `falsify` command and every exported script: node:util's
// parseArgs, so `--out x`, `--out=x`, `-o x`, a missing value, an unknown option and `--` behave the
// same everywhere; `--help` prints the usage made from the same declaration.
//
//   const LINT = defineCommand({ name: "falsify lint", operands: "<file...>", summary: "...",
//     minOperands: 1, options: { format: { type: "string", value: "text|json|sarif", description: "..." } } });
//   const parsed = parseCommandLine(LINT, args);   // { help } | { error } | { values, operands }
import { parseArgs } from "node:util";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** The value's placeholder in the usage, e.g. "file" or "text|json|sarif". */
  value?: string;
  /** Allowed values of a string option. */
  choices?: readonly string[];
  description: string;
}

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** As typed, e.g. "falsify lint" or "node script.mjs". */
  name: string;
  /** The operands in the usage line, e.g. "<file...>"; "" for none. */
  operands: string;
  summary: string;
  options: O;
  minOperands?: number;
  maxOperands?: number;
}

export type OptionValues<O extends Record<string, OptionSpec>> = { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string };

export type CommandLine<O extends Record<string, OptionSpec>> =
  | { kind: "parsed"; values: OptionValues<O>; operands: string[] }
  | { kind: "help"; text: string }
  | { kind: "error"; message: string };

/** Declares a command (typed options; `--help` is added to every command). */
export function defineCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

export function parseCommandLine<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, args: readonly string[]): CommandLine<O> {
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]));
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    return { kind: "error", message: `${(error as Error).message.replace(/\. To specify a positional argument.*$/s, "")}\n${usageLine(spec)}` };
  }
  if (parsed.values.help) return { kind: "help", text: usage(spec) };
  for (const [name, option] of Object.entries(spec.options)) {
    const value = parsed.values[name];
    if (option.choices && typeof value === "string" && !option.choices.includes(value)) {
      return { kind: "error", message: `--${name} must be ${option.choices.join(", ")} (got ${value})\n${usageLine(spec)}` };
    }
  }
  const count = parsed.positionals.length;
  if (count < (spec.minOperands ?? 0)) return { kind: "error", message: `expected ${spec.operands}\n${usageLine(spec)}` };
  if (spec.maxOperands !== undefined && count > spec.maxOperands) {
    return { kind: "error", message: `unexpected ${parsed.positionals.slice(spec.maxOperands).join(" ")}\n${usageLine(spec)}` };
  }
  const { help: _, ...values } = parsed.values;
  return { kind: "parsed", values: values as OptionValues<O>, operands: parsed.positionals };
}

/** The whole usage: synopsis, summary and every option. */
export function usage(spec: CommandSpec): string {
  const rows = [...Object.entries(spec.options).map(([name, o]) => [flag(name, o), o.description]), ["-h, --help", "print this help"]];
  const width = Math.max(...rows.map(([left]) => left.length));
  return [usageLine(spec), "", spec.summary, "", "Options:", ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)].join("\n");
}

export function usageLine(spec: CommandSpec): string {
  return `Usage: ${spec.name}${spec.operands ? ` ${spec.operands}` : ""}${Object.keys(spec.options).length ? " [options]" : ""}`;
}

function flag(name: string, option: OptionSpec): string {
  const value = option.type === "string" ? ` <${option.value ?? "value"}>` : "";
  return `${option.short ? `-${option.short}, ` : ""}--${name}${value}`;
}
