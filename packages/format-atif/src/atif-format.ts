import {
  AgentRolloutParseError,
  FormatHandler,
  type ParseFileInput,
  type ParseFileResult,
  type RootInfo,
} from '@agent-rollout/core/format';
import { trajectoryIdentity } from './identity.js';
import { type AtifParseContext, buildLinks, fileAgentId, readTrajectoryText } from './links.js';
import { isAtifDocument, LATEST_KNOWN_VERSION, majorVersion } from './raw.js';
import { ATIF_FORMAT_ID, type Placement, trajectoryRows } from './rows.js';

/** The 1-based line of a character offset, to point at the place JSON.parse stopped. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 0x0a) line += 1;
  return line;
}

function jsonErrorLine(text: string, error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column \d+/.exec(message);
  if (lineColumn) return Number(lineColumn[1]);
  const position = /position (\d+)/.exec(message);
  return position ? lineAt(text, Number(position[1])) : undefined;
}

/**
 * ATIF, the Agent Trajectory Interchange Format that Harbor and other benchmark and RL tools
 * write: one JSON document per trajectory. Each trajectory becomes a row; embedded subagent
 * trajectories and subagent files referenced by `trajectory_path` become sidechain rows under
 * it; continuation files become further rows of the same tree.
 */
export class AtifFormat extends FormatHandler<AtifParseContext> {
  readonly id = ATIF_FORMAT_ID;
  readonly displayName = 'ATIF trajectory';
  // ATIF has no usual home: the producer chooses, so a read names its folder.
  readonly defaults = { filePattern: '*.json' };

  isHandledFile(relativePath: string): boolean {
    return relativePath.toLowerCase().endsWith('.json');
  }

  override async buildParseContext(root: RootInfo): Promise<AtifParseContext> {
    return buildLinks(root, (relativePath) => this.isHandledFile(relativePath));
  }

  async parseFile(input: ParseFileInput<AtifParseContext>): Promise<ParseFileResult> {
    const text = await readTrajectoryText(input.path);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new AgentRolloutParseError(
        input.path,
        jsonErrorLine(text, error),
        `expected one JSON document (an ATIF trajectory): ${detail}`,
      );
    }
    if (!isAtifDocument(doc)) {
      return { rows: [], skipReason: 'not an ATIF trajectory (no "schema_version" starting with "ATIF-v")' };
    }
    const problem = (message: string): void => {
      if (input.strict) throw new AgentRolloutParseError(input.path, undefined, message);
      input.warn(message);
    };
    if (!Array.isArray(doc.steps)) {
      problem(`expected "steps" to be a list of steps, found ${typeof doc.steps}`);
      return { rows: [], skipReason: 'the trajectory has no "steps" list' };
    }
    const version = String(doc.schema_version);
    if (majorVersion(version) !== 1) {
      input.warn(
        `schema_version ${version} is not one this package knows (up to ${LATEST_KNOWN_VERSION}); read as ${LATEST_KNOWN_VERSION}`,
      );
    }

    const links = input.context?.links ?? {};
    const link = links[input.relativePath];
    let placement: Placement;
    if (!link) {
      const traceId = trajectoryIdentity(doc, text);
      placement = { traceId, rootSessionId: traceId, agentId: null, isSidechain: false };
    } else if (link.kind === 'continuation') {
      placement = {
        traceId: link.traceId,
        rootSessionId: link.rootSessionId,
        agentId: null,
        isSidechain: false,
        parent: { traceId: link.parentTraceId, origin: 'continuation', ...(link.segment === undefined ? {} : { segment: link.segment }) },
      };
    } else {
      const parent: NonNullable<Placement['parent']> = { traceId: link.parentTraceId, origin: 'file' };
      if (link.parentStepId !== undefined) parent.stepId = link.parentStepId;
      if (link.parentToolCallId !== undefined) parent.toolCallId = link.parentToolCallId;
      placement = {
        traceId: link.traceId,
        rootSessionId: link.rootSessionId,
        agentId: fileAgentId(doc, input.relativePath),
        isSidechain: true,
        parent,
      };
    }
    const rows = trajectoryRows(doc, placement, {
      path: input.path,
      root: input.root,
      relativePath: input.relativePath,
      links,
      problem,
      warn: (message) => input.warn(message),
    });
    // A trajectory whose steps are all copied context adds nothing of its own.
    const kept = rows.filter((row) => row.messages.length > 0);
    return kept.length > 0 ? { rows: kept } : { rows: [], skipReason: 'every step of the trajectory is copied context or empty' };
  }
}
