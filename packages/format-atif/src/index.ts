import { defaultRegistry } from '@agent-rollout/core/format';
import packageJson from '../package.json' with { type: 'json' };
import { AtifFormat } from './atif-format.js';

export { AtifFormat } from './atif-format.js';
export type { AtifParseContext, TrajectoryLink } from './links.js';
export { ATIF_FORMAT_ID } from './rows.js';

// Importing the package registers the format, which is what discovery relies on.
defaultRegistry().register(new AtifFormat(), {
  packageName: packageJson.name,
  packageVersion: packageJson.version,
  moduleUrl: import.meta.url,
});
