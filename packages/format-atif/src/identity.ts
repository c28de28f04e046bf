import { createHash } from 'node:crypto';
import path from 'node:path';
import { type RawObject, stringOf } from './raw.js';

/**
 * The id of a trajectory document: its `trajectory_id` (v1.7, unique per document), else
 * its `session_id` (required up to v1.6), else an id derived from the file's bytes, so that
 * the same file gets the same id on every read and on every machine.
 */
export function trajectoryIdentity(doc: RawObject, fileText: string): string {
  return stringOf(doc.trajectory_id) ?? stringOf(doc.session_id) ?? derivedId(fileText);
}

/** `atif-` and the first 16 hex digits of the SHA-256 of the file's text. */
export function derivedId(fileText: string): string {
  return `atif-${createHash('sha256').update(fileText).digest('hex').slice(0, 16)}`;
}

/**
 * The root-relative path (POSIX separators) a `trajectory_path` written in `fromFile` points
 * to, or undefined when it cannot be a file under the root (a URL, or a path that leaves it).
 * Relative paths are read from the referring file's folder, absolute ones as they are.
 */
export function resolveReference(root: string, fromFile: string, reference: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference)) return undefined;
  const absolute = path.isAbsolute(reference)
    ? path.normalize(reference)
    : path.resolve(root, path.posix.dirname(fromFile), reference.split('\\').join('/'));
  const relative = path.relative(root, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/** The file name without folders and without `.json`: `trajectory.summarization-1-summary`. */
export function fileStem(relativePath: string): string {
  return path.posix.basename(relativePath).replace(/\.json$/i, '');
}
