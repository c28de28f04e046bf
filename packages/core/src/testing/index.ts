/**
 * The conformance kit: checks that a format package keeps the plugin contract, on the
 * package's own fixture files. It does not depend on a test framework: call
 * {@link assertFormatConformance} inside any test.
 *
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { FORMAT_CONTRACT_VERSION, type FormatHandler, isFormatHandler } from '../handler/format-handler.js';
import { buildManifest } from '../reader/manifest.js';
import { createParseContexts } from '../reader/parse-contexts.js';
import { type FileOutcome, parseOneFile } from '../reader/parse-one-file.js';
import { readRollouts } from '../reader/read-rollouts.js';
import type { RunReport } from '../reader/run-report.js';
import { DISCOVERY_FIELD } from '../registry/discovery.js';
import { defaultRegistry, FormatRegistry } from '../registry/format-registry.js';
import type { NormalizedRollout } from '../schema/row.js';
import { serializeRollout } from '../schema/serialize.js';
import { validateRollout } from '../schema/validate.js';
import { resolveSource } from '../source/agent-rollout-source.js';

export { runtimePackageImports } from './runtime-imports.js';

/**
 * What {@link assertFormatConformance} and {@link checkFormatConformance} check, and on which
 * fixture files.
 */
export interface ConformanceOptions {
  /** The handler under test (an instance of the package's exported class). */
  handler: FormatHandler;
  /** Path of the package's package.json, to check its discovery declaration. */
  packageJsonPath: string;
  /** A folder of fixture sessions to read through core's reader. */
  fixturesRoot: string;
  /** File pattern for the fixtures (default: the handler's). */
  filePattern?: string;
  /** How many rows the fixtures must at least give (default 1). */
  minRows?: number;
  /** Expect the package's import to have registered the handler's id in the default registry (default true). */
  expectRegistered?: boolean;
}

/** One check of the kit and the problems it found (none when it passed). */
export interface ConformanceCheck {
  /** Which part of the contract was checked. */
  name: 'registration' | 'discovery declaration' | 'row schema' | 'tool pairing' | 'determinism' | 'context scopes';
  /** One sentence per problem, naming the row or field to blame. */
  problems: string[];
}

/** What {@link checkFormatConformance} found. */
export interface ConformanceResult {
  /** Every check, in order, with its problems. */
  checks: ConformanceCheck[];
  /** The rows the fixtures gave on the first read. */
  rows: number;
  /** The run report of the first read, to assert on skipped and failed fixtures. */
  report: RunReport;
  /** True when no check found a problem. */
  ok: boolean;
}

function fixtureSource(options: ConformanceOptions) {
  return { format: options.handler.id, path: options.fixturesRoot, ...(options.filePattern ? { filePattern: options.filePattern } : {}) };
}

function conformanceRegistry(options: ConformanceOptions): FormatRegistry {
  const registry = new FormatRegistry();
  registry.register(options.handler, { packageName: 'conformance' });
  return registry;
}

async function readAll(options: ConformanceOptions): Promise<{ rows: NormalizedRollout[]; report: RunReport }> {
  const read = readRollouts(fixtureSource(options), { registry: conformanceRegistry(options) });
  const rows: NormalizedRollout[] = [];
  for await (const row of read) rows.push(row);
  return { rows, report: read.report };
}

/** Runs every check and returns what each found. */
export async function checkFormatConformance(options: ConformanceOptions): Promise<ConformanceResult> {
  const { handler } = options;
  const registration: string[] = [];
  if (!isFormatHandler(handler))
    registration.push('the handler does not carry the FormatHandler brand; extend FormatHandler from @agent-rollout/core');
  if (handler.contractVersion !== FORMAT_CONTRACT_VERSION)
    registration.push(`contractVersion is ${handler.contractVersion}, core speaks ${FORMAT_CONTRACT_VERSION}`);
  if (!/^[a-z][a-z0-9_]*$/.test(handler.id)) registration.push(`format id "${handler.id}" should be lower snake_case`);
  if (!handler.displayName) registration.push('displayName is empty');
  if (!handler.defaults.filePattern) registration.push('defaults.filePattern is empty');
  if (options.expectRegistered !== false) {
    const registered = defaultRegistry().getRegistration(handler.id);
    if (!registered) registration.push(`importing the package did not register "${handler.id}" in the default registry`);
    else if (!registered.packageName) registration.push('the registration does not name its package (pass { packageName } to register)');
  }

  const declaration: string[] = [];
  const pkg = JSON.parse(await readFile(options.packageJsonPath, 'utf8')) as Record<string, unknown>;
  const field = pkg[DISCOVERY_FIELD] as { formats?: unknown } | undefined;
  if (!field || !Array.isArray(field.formats)) declaration.push(`package.json has no "${DISCOVERY_FIELD}": { "formats": [...] } field`);
  else if (!field.formats.includes(handler.id)) declaration.push(`package.json "${DISCOVERY_FIELD}.formats" does not list "${handler.id}"`);
  const peers = pkg.peerDependencies as Record<string, unknown> | undefined;
  if (!peers || !('@agent-rollout/core' in peers))
    declaration.push('@agent-rollout/core should be a peerDependency, so one copy of core is shared');

  const first = await readAll(options);
  const schema: string[] = [];
  const pairing: string[] = [];
  const traceIds = new Set<string>();
  if (first.rows.length < (options.minRows ?? 1))
    schema.push(`the fixtures gave ${first.rows.length} rows, expected at least ${options.minRows ?? 1}`);
  for (const row of first.rows) {
    for (const problem of validateRollout(row)) {
      (problem.includes('tool') ? pairing : schema).push(`${row.trace_id}: ${problem}`);
    }
    if (row.source_kind !== handler.id) schema.push(`${row.trace_id}: source_kind is "${row.source_kind}", expected "${handler.id}"`);
    if (traceIds.has(row.trace_id)) schema.push(`trace_id ${row.trace_id} appears in two rows`);
    traceIds.add(row.trace_id);
  }

  const second = await readAll(options);
  const determinism: string[] = [];
  const a = first.rows.map(serializeRollout);
  const b = second.rows.map(serializeRollout);
  if (a.length !== b.length) determinism.push(`two reads gave ${a.length} and ${b.length} rows`);
  else
    a.forEach((line, i) => {
      if (line !== b[i]) determinism.push(`row ${i} differs between two reads of the same files`);
    });

  const checks: ConformanceCheck[] = [
    { name: 'registration', problems: registration },
    { name: 'discovery declaration', problems: declaration },
    { name: 'row schema', problems: schema },
    { name: 'tool pairing', problems: pairing },
    { name: 'determinism', problems: determinism },
    { name: 'context scopes', problems: await contextScopeProblems(options) },
  ];
  return { checks, rows: first.rows.length, report: first.report, ok: checks.every((check) => check.problems.length === 0) };
}

/** What a file's parse came to, as text to compare: rows as JSON, or the skip or failure. */
function outcomeText(outcome: FileOutcome): string {
  switch (outcome.status) {
    case 'parsed':
      return outcome.rows.map(serializeRollout).join('\n');
    case 'skipped':
      return `skipped: ${outcome.reason}`;
    case 'failed':
      return `failed: ${outcome.failure.reason}`;
    default:
      return `${outcome.status}`;
  }
}

/**
 * For a handler with `contextScope`: every fixture file must parse to the same outcome with
 * its scope's context (built from that scope's files only) as with the whole root's.
 */
async function contextScopeProblems(options: ConformanceOptions): Promise<string[]> {
  const { handler } = options;
  if (handler.contextScope === undefined) return [];
  const source = await resolveSource(fixtureSource(options), conformanceRegistry(options));
  const manifest = await buildManifest(source);
  const signal = new AbortController().signal;
  const rootInfo = { root: source.root, files: manifest.files.map((file) => file.relativePath), signal, warn: () => {} };
  const whole = await handler.buildParseContext(rootInfo);
  // The reader's own per-scope contexts, each built from its scope's files only.
  const scoped = createParseContexts(handler, rootInfo, manifest.files);
  const problems: string[] = [];
  for (const file of manifest.files) {
    if (!handler.isHandledFile(file.relativePath)) continue;
    const { scope, context } = await scoped.contextFor(file);
    const parse = { root: source.root, signal, strict: false };
    const withWhole = outcomeText(await parseOneFile(handler, whole, file, parse));
    const withScope = outcomeText(await parseOneFile(handler, context, file, parse));
    if (withScope !== withWhole) {
      problems.push(`${file.relativePath} parses differently with the context of its scope "${scope}" than with the whole root's`);
    }
  }
  return problems;
}

/** Runs every check and throws one error that lists every problem, if any. */
export async function assertFormatConformance(options: ConformanceOptions): Promise<ConformanceResult> {
  const result = await checkFormatConformance(options);
  if (!result.ok) {
    const lines = result.checks.flatMap((check) => check.problems.slice(0, 20).map((problem) => `[${check.name}] ${problem}`));
    throw new Error(`format "${options.handler.id}" does not conform:\n${lines.join('\n')}`);
  }
  return result;
}
