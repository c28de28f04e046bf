/**
 * The exit code of a shell output in the exact form Codex 0.34 and earlier write, without
 * parsing it: `{"output":"<text>","metadata":{"exit_code":N,"duration_seconds":S}}` (serde,
 * no spaces). The output text can be a megabyte; `JSON.parse` would decode it into a second
 * string that is thrown away at once, while here it is only checked, character by character,
 * to be a valid JSON string. Returns `undefined` for any text not in that form, which the
 * caller then parses in full, so the answer is always the one `JSON.parse` would give.
 */
export function exitCodeOfShellJson(text: string): number | undefined {
  const head = '{"output":"';
  if (!text.startsWith(head)) return undefined;
  const stringEnd = endOfJsonString(text, head.length);
  if (stringEnd === -1) return undefined;
  let at = stringEnd + 1;
  const middle = ',"metadata":{"exit_code":';
  if (!text.startsWith(middle, at)) return undefined;
  at += middle.length;
  const codeEnd = endOfJsonInteger(text, at);
  if (codeEnd === -1) return undefined;
  const code = Number(text.slice(at, codeEnd));
  const duration = ',"duration_seconds":';
  if (!text.startsWith(duration, codeEnd)) return undefined;
  const durationEnd = endOfJsonNumber(text, codeEnd + duration.length);
  if (durationEnd === -1 || durationEnd !== text.length - 2 || !text.endsWith('}}')) return undefined;
  return code;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** `"`, `\\`, `/`, `b`, `f`, `n`, `r`, `t`: the characters a backslash may stand before, besides `u`. */
function isSimpleEscape(c: number): boolean {
  return c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;
}

/** The index of the quote that closes a JSON string whose body starts at `from`, or -1 if the body is not valid JSON. */
function endOfJsonString(text: string, from: number): number {
  for (let at = from; at < text.length; at += 1) {
    const c = text.charCodeAt(at);
    if (c === 0x22) return at;
    if (c < 0x20) return -1;
    if (c !== 0x5c) continue;
    at += 1;
    const escaped = text.charCodeAt(at);
    if (escaped === 0x75 /* u */) {
      if (
        !(
          isHex(text.charCodeAt(at + 1)) &&
          isHex(text.charCodeAt(at + 2)) &&
          isHex(text.charCodeAt(at + 3)) &&
          isHex(text.charCodeAt(at + 4))
        )
      ) {
        return -1;
      }
      at += 4;
    } else if (!isSimpleEscape(escaped)) {
      return -1;
    }
  }
  return -1;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The end of a JSON integer (`-?(0|[1-9][0-9]*)`) that starts at `from`, or -1. */
function endOfJsonInteger(text: string, from: number): number {
  let at = from;
  if (text.charCodeAt(at) === 0x2d /* - */) at += 1;
  if (text.charCodeAt(at) === 0x30) return at + 1;
  if (!isDigit(text.charCodeAt(at))) return -1;
  while (isDigit(text.charCodeAt(at))) at += 1;
  return at;
}

/** The end of a JSON number (an integer, then an optional fraction and exponent) that starts at `from`, or -1. */
function endOfJsonNumber(text: string, from: number): number {
  let at = endOfJsonInteger(text, from);
  if (at === -1) return -1;
  if (text.charCodeAt(at) === 0x2e /* . */) {
    at += 1;
    if (!isDigit(text.charCodeAt(at))) return -1;
    while (isDigit(text.charCodeAt(at))) at += 1;
  }
  const e = text.charCodeAt(at);
  if (e === 0x65 || e === 0x45) {
    at += 1;
    const sign = text.charCodeAt(at);
    if (sign === 0x2b || sign === 0x2d) at += 1;
    if (!isDigit(text.charCodeAt(at))) return -1;
    while (isDigit(text.charCodeAt(at))) at += 1;
  }
  return at;
}
