import { InvalidArgumentError, Option } from 'commander';

/**
 * One command-line flag, described once: commander options and the generated docs are both
 * built from these.
 */
export interface FlagSpec {
  /** Commander syntax: `--format <id>`, `--no-recursive`, `-q, --quiet`. */
  flags: string;
  description: string;
  /** Default value, when the flag has one commander should fill in. */
  defaultValue?: string | number | boolean | string[];
  /** What the default is, in words, when it is computed. */
  defaultDescription?: string;
  /** Allowed values; anything else is a usage error that lists them. */
  choices?: readonly string[];
  /** The flag may be given several times; its values are collected in order. */
  repeatable?: boolean;
  /** Checks and converts the value; throws `InvalidArgumentError` with what is expected. */
  parse?: (value: string) => unknown;
}

/** A commander option from a spec. */
export function toOption(spec: FlagSpec): Option {
  // Commander shows a default only with a value; a computed default is said in the description.
  const computed = spec.defaultValue === undefined && spec.defaultDescription ? ` (default: ${spec.defaultDescription})` : '';
  const option = new Option(spec.flags, `${spec.description}${computed}`);
  if (spec.choices) option.choices(spec.choices);
  if (spec.repeatable) {
    const parse = spec.parse;
    option.argParser((value: string, previous: unknown[] | undefined) => [...(previous ?? []), parse ? parse(value) : value]);
  } else if (spec.parse) {
    option.argParser(spec.parse);
  }
  if (spec.defaultValue !== undefined) option.default(spec.defaultValue, spec.defaultDescription);
  return option;
}

/** Parses a whole number at least `min`; the error says what was expected. */
export function integerParser(min: number, what: string): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected ${what}, a whole number`);
    const number = Number(value);
    if (!Number.isSafeInteger(number) || number < min) throw new InvalidArgumentError(`expected ${what}, at least ${min}`);
    return number;
  };
}

/** One command: what it does, how to call it, and its flags. */
export interface CommandSpec {
  name: string;
  summary: string;
  description: string;
  examples: readonly string[];
  flags: readonly FlagSpec[];
}
