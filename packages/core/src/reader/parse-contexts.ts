import type { FormatHandler, ParseContext, RootInfo } from '../handler/format-handler.js';
import type { ManifestFile } from './manifest.js';

/** The parse context a file is parsed with, and the scope it was built for. */
export interface FileContext {
  /** The file's scope (see `FormatHandler.contextScope`); undefined when one context serves the whole read. */
  scope: string | undefined;
  context: ParseContext | undefined;
}

/**
 * The parse contexts of one read. A handler without `contextScope` gets one context, built
 * from every file of the root on first use. A scoped handler gets one per scope, built when
 * the first file of that scope is asked for and dropped once its last selected file is done,
 * so an executor can parse the files of one scope while the next scope's context is built.
 * A build's warnings are recorded with the first outcome that used it, so the report reads
 * the same whether contexts were built just in time or ahead.
 */
export interface ParseContexts {
  /** True when contexts are built per scope. */
  readonly scoped: boolean;
  /** The context to parse a selected file with. */
  contextFor(file: ManifestFile): Promise<FileContext>;
  /**
   * Call just before a selected file's outcome is yielded. Records the warnings of its
   * context's build, the first time, and returns true when it was the last selected file of
   * its scope: the scope's context is then dropped here, and an executor that copied it
   * elsewhere may drop its copy too.
   */
  finished(file: ManifestFile): boolean;
}

/** A context being built or built, and the warnings of its build not recorded yet. */
interface Build {
  context: Promise<ParseContext | undefined>;
  warnings: { message: string; path: string | undefined }[];
}

interface ScopeState {
  files: string[];
  /** Selected files of the scope not finished yet. */
  pending: number;
  build: Build | undefined;
}

function startBuild(handler: FormatHandler, root: RootInfo, files: readonly string[]): Build {
  const warnings: Build['warnings'] = [];
  const context = handler.buildParseContext({ ...root, files, warn: (message, path) => warnings.push({ message, path }) });
  return { context, warnings };
}

function recordWarnings(build: Build | undefined, root: RootInfo): void {
  if (build === undefined) return;
  for (const { message, path } of build.warnings.splice(0)) root.warn(message, path);
}

/**
 * Contexts for the selected files of a read. `root.files` is every file the manifest matched:
 * a scope's context is built from all of its files, selected or not.
 */
export function createParseContexts(handler: FormatHandler, root: RootInfo, selected: readonly ManifestFile[]): ParseContexts {
  const scopeOf = handler.contextScope?.bind(handler);
  if (scopeOf === undefined) {
    let whole: Build | undefined;
    return {
      scoped: false,
      contextFor: async () => {
        whole ??= startBuild(handler, root, root.files);
        return { scope: undefined, context: await whole.context };
      },
      finished: () => {
        recordWarnings(whole, root);
        return false;
      },
    };
  }

  const scopes = new Map<string, ScopeState>();
  const stateOf = (scope: string): ScopeState => {
    let state = scopes.get(scope);
    if (state === undefined) {
      state = { files: [], pending: 0, build: undefined };
      scopes.set(scope, state);
    }
    return state;
  };
  for (const relativePath of root.files) stateOf(scopeOf(relativePath)).files.push(relativePath);
  const scopeByFile = new Map<string, string>();
  for (const file of selected) {
    const scope = scopeOf(file.relativePath);
    scopeByFile.set(file.relativePath, scope);
    stateOf(scope).pending += 1;
  }
  const scopeFor = (file: ManifestFile): string => {
    const scope = scopeByFile.get(file.relativePath);
    if (scope === undefined) throw new Error(`${file.relativePath} is not a selected file of this read`);
    return scope;
  };

  return {
    scoped: true,
    contextFor: async (file) => {
      const scope = scopeFor(file);
      const state = stateOf(scope);
      state.build ??= startBuild(handler, root, state.files);
      return { scope, context: await state.build.context };
    },
    finished: (file) => {
      const scope = scopeFor(file);
      const state = stateOf(scope);
      recordWarnings(state.build, root);
      state.pending -= 1;
      if (state.pending > 0) return false;
      scopes.delete(scope);
      return true;
    },
  };
}
