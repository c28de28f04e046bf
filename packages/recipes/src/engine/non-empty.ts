import { z } from 'zod';

/**
 * A string that must hold more than white space. Checked when the answer is validated, but
 * not written into the JSON schema sent to the server: some strict structured-output modes
 * reject `minLength`.
 */
export function nonEmptyString(): z.ZodType<string> {
  return z.string().refine((text) => text.trim().length > 0, { message: 'must not be empty' });
}
