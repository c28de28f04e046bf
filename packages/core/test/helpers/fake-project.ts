import { cp, mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const thirdParty = path.join(import.meta.dirname, '..', 'fixtures', 'third-party');
const corePackage = path.join(import.meta.dirname, '..', '..');

/**
 * A throwaway user project whose node_modules holds the fixture packages (copied as an
 * install would) and @agent-rollout/core (linked to this workspace's core).
 */
export async function createFakeProject(): Promise<string> {
  const project = await mkdtemp(path.join(tmpdir(), 'agent-rollout-project-'));
  const modules = path.join(project, 'node_modules');
  await mkdir(path.join(modules, '@agent-rollout'), { recursive: true });
  await mkdir(path.join(modules, '@someone'), { recursive: true });
  await symlink(corePackage, path.join(modules, '@agent-rollout', 'core'), 'dir');
  await cp(path.join(thirdParty, 'agent-rollout-format-fake'), path.join(modules, 'agent-rollout-format-fake'), { recursive: true });
  await cp(path.join(thirdParty, 'not-a-format'), path.join(modules, 'not-a-format'), { recursive: true });
  await cp(path.join(thirdParty, 'broken-format'), path.join(modules, '@someone', 'agent-rollout-format-broken'), { recursive: true });
  await cp(path.join(thirdParty, 'liar-format'), path.join(modules, 'agent-rollout-format-liar'), { recursive: true });
  return project;
}

export const fakeSessions = path.join(thirdParty, 'sessions');
