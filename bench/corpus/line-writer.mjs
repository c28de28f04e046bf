import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

const FLUSH_CHARS = 1 << 20;

/** Appends JSON lines to a file through a small buffer and counts the bytes written. */
export class LineWriter {
  constructor(filePath) {
    mkdirSync(path.dirname(filePath), { recursive: true });
    this.path = filePath;
    this.fd = openSync(filePath, 'w');
    this.parts = [];
    this.pendingChars = 0;
    this.bytes = 0;
    this.lines = 0;
  }

  /** Writes one record as a line. */
  record(value) {
    this.raw(JSON.stringify(value));
  }

  /** Writes one line of text as it is (for a cut-off last line). */
  raw(text, newline = true) {
    const line = newline ? `${text}\n` : text;
    this.parts.push(line);
    this.pendingChars += line.length;
    this.lines += 1;
    this.bytes += Buffer.byteLength(line);
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  flush() {
    if (this.parts.length === 0) return;
    writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.pendingChars = 0;
  }

  close() {
    this.flush();
    closeSync(this.fd);
  }
}
