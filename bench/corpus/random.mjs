// Seeded randomness and text for the corpus generator. Everything here is a pure function
// of the seed, so the same seed writes the same bytes on every machine.

/** mulberry32: small, fast, and good enough for test data. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (items) => items[Math.floor(next() * items.length)];
  const chance = (p) => next() < p;
  /** Log-uniform between min and max: as many 10-100 KB values as 100 KB-1 MB ones. */
  const logUniform = (min, max) => Math.round(Math.exp(Math.log(min) + next() * (Math.log(max) - Math.log(min))));
  const hex = (length) => {
    let out = '';
    while (out.length < length)
      out += Math.floor(next() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, length);
  };
  const uuid = () => {
    const h = hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const base62 = (length) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let out = '';
    for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(next() * 62)];
    return out;
  };
  return { next, int, pick, chance, logUniform, hex, uuid, base62 };
}

/** A seed for one item derived from the corpus seed and the item's index (FNV-1a over both). */
export function deriveSeed(seed, index, salt = 0) {
  let h = 0x811c9dc5;
  for (const value of [seed, index, salt]) {
    for (let shift = 0; shift < 32; shift += 8) {
      h ^= (value >>> shift) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}

const WORDS = (
  'the a to of and in is it that for on with as this be are by from at or an not was but have all ' +
  'function return const let value values file files test tests error errors module import export class ' +
  'mean median parse config server port build run check fix update read write list path line lines ' +
  'string number object array index count size total result results output input stdout stderr exit code ' +
  'async await promise stream buffer chunk record records session sessions agent tool tools call calls ' +
  'user assistant message messages model token tokens reason reasoning summary commit branch diff patch ' +
  'directory folder project package version release install dependency cache memory worker thread ' +
  'first second next last before after because when while until unless should would could must might'
).split(' ');

/** A few non-ASCII words: real sessions hold some, and they move a line off V8's one-byte strings. */
const RARE_WORDS = ['café', 'naïve', '→', '✓', 'größe', '日本語', 'données', '—', 'über', '🙂'];

/**
 * A pool of seeded text that slices are taken from. Generating fresh words for every
 * string would make the generator slower than the parser it feeds.
 */
export function createTextPool(seed, size = 1 << 21) {
  const random = createRandom(seed);
  const parts = [];
  let length = 0;
  let sentence = 0;
  while (length < size) {
    let word = random.chance(0.002) ? random.pick(RARE_WORDS) : random.pick(WORDS);
    if (sentence === 0) word = word[0].toUpperCase() + word.slice(1);
    sentence += 1;
    let piece = word;
    if (sentence > random.int(6, 18)) {
      piece += random.chance(0.15) ? '.\n' : '. ';
      sentence = 0;
    } else {
      piece += ' ';
    }
    parts.push(piece);
    length += piece.length;
  }
  const text = parts.join('');
  // Code lines stay ASCII, as most source files are.
  const asciiText = [...text].map((char) => (char.charCodeAt(0) < 0x80 ? char : 'x')).join('');
  /** `length` characters of prose starting at a random place. */
  const prose = (r, chars) => {
    if (chars <= 0) return '';
    let out = '';
    while (out.length < chars) {
      const start = Math.floor(r.next() * (text.length - 1));
      out += text.slice(start, start + chars - out.length);
    }
    return out;
  };
  /** Source-code-like text: numbered lines, as a Read tool returns a file. */
  const code = (r, chars) => {
    const lines = [];
    let total = 0;
    let n = 1;
    while (total < chars) {
      const indent = '    '.repeat(r.int(0, 3));
      const start = Math.floor(r.next() * (asciiText.length - 90));
      const body = asciiText.slice(start, start + r.int(10, 80)).replace(/\n/g, ' ');
      const line = `${String(n).padStart(6, ' ')}\t${indent}${body}`;
      lines.push(line);
      total += line.length + 1;
      n += 1;
    }
    return lines.join('\n').slice(0, chars);
  };
  return { prose, code };
}

/** Base64 of seeded bytes, as an image block carries it. */
export function base64Blob(random, bytes) {
  const buffer = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i += 4) buffer.writeUInt32LE(Math.floor(random.next() * 0x100000000), Math.min(i, bytes - 4));
  return buffer.toString('base64');
}
