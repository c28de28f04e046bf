import { AgentRolloutError } from '../errors.js';
import { FORMAT_CONTRACT_VERSION, type FormatHandler, isFormatHandler } from '../handler/format-handler.js';

/** Where a registered handler came from. */
export interface FormatOrigin {
  /** The npm package that registered the handler, such as `@agent-rollout/format-codex`. */
  packageName?: string;
  /** Its version, shown next to the name in listings and conflicts. */
  packageVersion?: string;
  /**
   * URL of the module whose import registers the handler (usually `import.meta.url` of the
   * package entry). Worker threads import it to get the same handler.
   */
  moduleUrl?: string;
}

/** A registered handler, with where it came from. */
export interface FormatRegistration extends FormatOrigin {
  /** The handler instance that was registered. */
  handler: FormatHandler;
}

function describeOrigin(origin: FormatOrigin): string {
  if (!origin.packageName) return 'an unnamed package';
  return origin.packageVersion ? `${origin.packageName}@${origin.packageVersion}` : origin.packageName;
}

/** The formats a process knows, by id. */
export class FormatRegistry {
  readonly #entries = new Map<string, FormatRegistration>();

  /**
   * Adds a handler. Registering an id that is already taken fails and names both packages,
   * except when the same module registers again (a module evaluated twice), which replaces it.
   */
  register(handler: FormatHandler, origin: FormatOrigin = {}): void {
    if (!isFormatHandler(handler)) {
      throw new AgentRolloutError(
        'registry',
        `${describeOrigin(origin)} tried to register something that is not a format handler; extend FormatHandler from @agent-rollout/core`,
      );
    }
    if (Math.trunc(handler.contractVersion) !== FORMAT_CONTRACT_VERSION) {
      throw new AgentRolloutError(
        'registry',
        `format "${handler.id}" from ${describeOrigin(origin)} implements plugin contract ${handler.contractVersion}, but this @agent-rollout/core speaks ${FORMAT_CONTRACT_VERSION}; install versions that match`,
      );
    }
    const existing = this.#entries.get(handler.id);
    if (existing) {
      const sameModule = existing.moduleUrl !== undefined && existing.moduleUrl === origin.moduleUrl;
      if (!sameModule) {
        throw new AgentRolloutError(
          'registry',
          `format "${handler.id}" is registered twice: by ${describeOrigin(existing)} and by ${describeOrigin(origin)}; uninstall one of them`,
        );
      }
    }
    this.#entries.set(handler.id, { handler, ...origin });
  }

  /** True when a handler is registered for `id`. */
  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** The handler for `id`, or undefined. */
  get(id: string): FormatHandler | undefined {
    return this.#entries.get(id)?.handler;
  }

  /** The handler and its origin for `id`, or undefined. */
  getRegistration(id: string): FormatRegistration | undefined {
    return this.#entries.get(id);
  }

  /** Every registration, sorted by id. */
  list(): FormatRegistration[] {
    return [...this.#entries.values()].sort((a, b) => (a.handler.id < b.handler.id ? -1 : a.handler.id > b.handler.id ? 1 : 0));
  }

  /** The registered ids, sorted. */
  ids(): string[] {
    return this.list().map((entry) => entry.handler.id);
  }

  /** Removes the handler for `id`; returns whether there was one. */
  unregister(id: string): boolean {
    return this.#entries.delete(id);
  }
}

const DEFAULT_REGISTRY_KEY = Symbol.for('agent-rollout.default-registry');

/**
 * The process-wide registry that format packages register into on import. Kept on
 * `globalThis` under a `Symbol.for` key so that two copies of core share it.
 */
export function defaultRegistry(): FormatRegistry {
  const holder = globalThis as Record<symbol, unknown>;
  let registry = holder[DEFAULT_REGISTRY_KEY] as FormatRegistry | undefined;
  if (!registry) {
    registry = new FormatRegistry();
    holder[DEFAULT_REGISTRY_KEY] = registry;
  }
  return registry;
}
