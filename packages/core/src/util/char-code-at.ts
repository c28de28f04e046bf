/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(text, i)` in hot loops. Texts come
 * in many internal string shapes (flat, concatenated, sliced, one or two bytes per character);
 * looked up as `text.charCodeAt`, the method lookup sees them all, V8 gives up specializing it,
 * and each character costs a full call (3-4 times slower). Called through a constant, it is
 * inlined.
 */
export const charCodeAt = String.prototype.charCodeAt;
