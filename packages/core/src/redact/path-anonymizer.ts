import type { TextTransform } from './text-transform.js';

/** The id under which home-directory replacements are counted. */
export const HOME_DIRECTORY_ID = 'home-directory';
/** The id under which user-name replacements in other path positions are counted. */
export const USER_NAME_ID = 'user-name';
/** What a user name becomes outside of its home directory. */
export const USER_PLACEHOLDER = '<user>';

/** Characters a user name in a path cannot contain (path separators, quotes, shell and JSON syntax). */
const NAME_CHAR = String.raw`[^\s/\\"'\x60:;,|<>()[\]{}*?=&$%]`;
/** A whole path segment of at most 64 characters (longer ones are not user names). */
const NAME_CHARS = `${NAME_CHAR}{1,64}(?!${NAME_CHAR})`;
/** Not inside a longer path or word: `/home/x` in `https://site/home/x` is a URL path, not a home. */
const NOT_INSIDE_PATH = String.raw`(?<![\w.\-/\\~])`;
const UNIX_HOME = new RegExp(`${NOT_INSIDE_PATH}/(?:home|Users)/(${NAME_CHARS})`, 'g');
const WINDOWS_HOME = new RegExp(String.raw`(?<![\w.-])[A-Za-z]:(?:\\{1,2}|/)Users(?:\\{1,2}|/)(${NAME_CHARS})`, 'gi');

/** Folders under /Users or C:\Users that are nobody's home. */
const NOT_A_USER = new Set(['shared', 'public', 'default', 'default user', 'all users', 'guest', 'defaultapppool', 'linuxbrew']);

/**
 * Names too common to be replaced outside their home position (a user called `dev` must not
 * turn every `/opt/dev/` into `/opt/<user>/`). Their home directories still become `~`.
 */
const TOO_COMMON = new Set([
  'root',
  'user',
  'users',
  'admin',
  'home',
  'dev',
  'app',
  'www',
  'node',
  'runner',
  'ubuntu',
  'shared',
  'public',
  'test',
  'src',
  'lib',
  'bin',
  'tmp',
  'data',
  'work',
  'build',
]);

/**
 * Compiled patterns by the homes or names they were built from: a redactor is made per file,
 * mostly with the same home and names. Global patterns are shared safely because each use
 * (`String.prototype.replace`) starts from lastIndex 0 and runs synchronously to the end.
 */
const patternCache = new Map<string, RegExp>();
const PATTERN_CACHE_LIMIT = 64;

function cachedPattern(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let pattern = patternCache.get(key);
  if (!pattern) {
    if (patternCache.size >= PATTERN_CACHE_LIMIT) patternCache.clear();
    pattern = new RegExp(source, flags);
    patternCache.set(key, pattern);
  }
  return pattern;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function trimSeparators(path: string): string {
  return path.length > 1 ? path.replace(/[\\/]+$/, '') : path;
}

export interface PathAnonymizerOptions {
  /** Home directories to turn into `~` wherever they stand as a path. */
  homeDirs: readonly string[];
  /** User names known up front; more are learned from the home paths that are seen. */
  userNames: readonly string[];
}

/**
 * What a path anonymizer starts from, for given homes and names: compiled once and shared by
 * the anonymizers of every file (a redactor is made per file). Never changed after it is built.
 */
export class PathAnonymizerSetup {
  readonly explicitHomes: RegExp | undefined;
  readonly homeKeywords: readonly string[];
  readonly names: readonly string[];
  readonly namePattern: RegExp | undefined;
  readonly encodedPattern: RegExp | undefined;
  readonly keywords: readonly string[];

  constructor(options: PathAnonymizerOptions) {
    const homes = [...new Set(options.homeDirs.filter((home) => home.length > 1).map(trimSeparators))];
    // Longest first, so that /home/alice/sub wins over /home/alice when both are configured.
    homes.sort((a, b) => b.length - a.length);
    this.explicitHomes =
      homes.length > 0 ? cachedPattern(`${NOT_INSIDE_PATH}(?:${homes.map(escapeRegExp).join('|')})(?![\\w.-])`, 'g') : undefined;
    this.homeKeywords = homes.map((home) => home.toLowerCase());
    const names = new Set<string>();
    for (const name of options.userNames) addName(names, name);
    for (const home of homes) learnNames(names, home);
    this.names = [...names];
    const patterns = namePatterns(names);
    this.namePattern = patterns?.name;
    this.encodedPattern = patterns?.encoded;
    this.keywords = keywordsFor(this.homeKeywords, names);
  }
}

/** Adds a name; true when it is new and usable outside the home position. */
function addName(names: Set<string>, name: string): boolean {
  if (name.length < 3 || TOO_COMMON.has(name.toLowerCase()) || NOT_A_USER.has(name.toLowerCase()) || name === USER_PLACEHOLDER)
    return false;
  if (names.has(name)) return false;
  names.add(name);
  return true;
}

/** Adds the user names of the home directories in a path; true when one was new. */
function learnNames(names: Set<string>, path: string): boolean {
  let learned = false;
  for (const pattern of [UNIX_HOME, WINDOWS_HOME]) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(path); match !== null; match = pattern.exec(path)) {
      if (addName(names, match[1] ?? '')) learned = true;
    }
  }
  return learned;
}

function keywordsFor(homeKeywords: readonly string[], names: ReadonlySet<string>): readonly string[] {
  return [
    '/home/',
    '/users/',
    '\\users\\',
    ':/users/',
    '-home-',
    '-users-',
    ...homeKeywords,
    ...[...names].map((name) => name.toLowerCase()),
  ];
}

function namePatterns(names: ReadonlySet<string>): { name: RegExp; encoded: RegExp } | undefined {
  if (names.size === 0) return undefined;
  const sorted = [...names].sort((a, b) => b.length - a.length);
  // Claude Code names a project folder after its path with `/`, `\\`, `:` and `.` turned into
  // `-`: `-home-dana-app`, and `C--Users-dana-app` on Windows.
  const encoded = [...new Set(sorted.map((name) => name.replace(/[^A-Za-z0-9]/g, '-')))];
  return {
    name: cachedPattern(`(?<=[\\\\/])(?:${sorted.map(escapeRegExp).join('|')})(?=[\\\\/]|$|[^\\w.-])`, 'g'),
    encoded: cachedPattern(
      `(?<=(?:^|[\\\\/\\s"']|[A-Za-z]-)-(?:home|Users)-)(?:${encoded.map(escapeRegExp).join('|')})(?=-|$|[\\\\/"'\\s])`,
      'g',
    ),
  };
}

/**
 * Replaces home directories with `~` (`/home/<name>`, `/Users/<name>`, `C:\Users\<name>` and the
 * configured ones) and the user names learned from them, where they stand as a path segment
 * elsewhere, with `<user>`; also in Claude Code's encoded project folders (`-home-alice-proj`).
 * Starts from a shared setup; the names it learns are its own.
 */
export class PathAnonymizer implements TextTransform {
  private readonly setup: PathAnonymizerSetup;
  private readonly counts: Record<string, number>;
  private readonly onNamesChanged: () => void;
  /** Copied from the setup on the first name learned. */
  private names: Set<string> | undefined;
  private namePattern: RegExp | undefined;
  private encodedPattern: RegExp | undefined;
  private currentKeywords: readonly string[];
  /** Set while `apply` runs, by the home replacer. */
  private learnedInApply = false;
  private readonly homeReplacer = (whole: string, name: string | undefined): string => {
    if (typeof name === 'string') {
      if (NOT_A_USER.has(name.toLowerCase())) return whole;
      if (addName(this.ownNames(), name)) this.learnedInApply = true;
    }
    this.count(HOME_DIRECTORY_ID);
    return '~';
  };
  private readonly userReplacer = (): string => {
    this.count(USER_NAME_ID);
    return USER_PLACEHOLDER;
  };

  /** `onNamesChanged` is called when a new user name was learned, so that keyword scans can include it. */
  constructor(setup: PathAnonymizerSetup, counts: Record<string, number>, onNamesChanged: () => void) {
    this.setup = setup;
    this.counts = counts;
    this.onNamesChanged = onNamesChanged;
    this.namePattern = setup.namePattern;
    this.encodedPattern = setup.encodedPattern;
    this.currentKeywords = setup.keywords;
  }

  keywords(): readonly string[] {
    return this.currentKeywords;
  }

  /** Learns the user names of the home directories in a path (cwd, project path, source path). */
  learnFrom(path: string | null | undefined): void {
    if (!path) return;
    // Most paths start with a home already known: look for a new name only where one could be.
    if (!path.includes('/home/') && !/users/i.test(path)) return;
    if (learnNames(this.ownNames(), path)) {
      this.rebuild();
      this.onNamesChanged();
    }
  }

  apply(text: string): string {
    this.learnedInApply = false;
    let result = text;
    const explicitHomes = this.setup.explicitHomes;
    if (explicitHomes) result = result.replace(explicitHomes, this.homeReplacer as (whole: string) => string);
    result = result.replace(UNIX_HOME, this.homeReplacer).replace(WINDOWS_HOME, this.homeReplacer);
    const learned = this.learnedInApply;
    if (learned) this.rebuild();
    if (this.encodedPattern) result = result.replace(this.encodedPattern, this.userReplacer);
    if (this.namePattern) result = result.replace(this.namePattern, this.userReplacer);
    if (learned) this.onNamesChanged();
    return result === text ? text : result;
  }

  private ownNames(): Set<string> {
    this.names ??= new Set(this.setup.names);
    return this.names;
  }

  private count(id: string): void {
    this.counts[id] = (this.counts[id] ?? 0) + 1;
  }

  private rebuild(): void {
    const names = this.ownNames();
    const patterns = namePatterns(names);
    this.namePattern = patterns?.name;
    this.encodedPattern = patterns?.encoded;
    this.currentKeywords = keywordsFor(this.setup.homeKeywords, names);
  }
}
