// Lets a child process run the TypeScript sources (Node 20 cannot strip types itself):
// node --conditions=@agent-rollout/source --import <this file> script.ts
import { register } from 'node:module';

register('./ts-loader-hooks.mjs', import.meta.url);
