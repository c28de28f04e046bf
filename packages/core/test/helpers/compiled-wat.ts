import { readFileSync } from 'node:fs';
import initWabt from 'wabt';

/** The module a .wat compiles to, base64, as `pnpm build:wasm` writes it: a test compares it with the committed one. */
export async function compileWat(watUrl: URL): Promise<string> {
  const wabt = await initWabt();
  const name = watUrl.pathname.split('/').at(-1) as string;
  const parsed = wabt.parseWat(name, readFileSync(watUrl, 'utf8'), { simd: true });
  try {
    parsed.validate();
    return Buffer.from(parsed.toBinary({}).buffer).toString('base64');
  } finally {
    parsed.destroy();
  }
}
