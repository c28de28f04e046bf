/**
 * True when a value survives a structured clone unchanged: primitives, arrays, plain objects,
 * Maps, Sets, Dates, RegExps and typed arrays, nested any way. A class instance would arrive
 * in a worker as a plain object without its methods, and a function not at all, so either
 * makes the value not plain. Walks the whole value without recursion.
 */
export function isPlainData(value: unknown): boolean {
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || item === undefined) continue;
    const type = typeof item;
    if (type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint') continue;
    if (type !== 'object') return false;
    const object = item as object;
    if (seen.has(object)) continue;
    seen.add(object);
    if (Array.isArray(object)) {
      for (const element of object) stack.push(element);
      continue;
    }
    if (object instanceof Map) {
      for (const [key, entry] of object) stack.push(key, entry);
      continue;
    }
    if (object instanceof Set) {
      for (const entry of object) stack.push(entry);
      continue;
    }
    if (object instanceof Date || object instanceof RegExp || ArrayBuffer.isView(object)) continue;
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) return false;
    for (const key in object) stack.push((object as Record<string, unknown>)[key]);
  }
  return true;
}
