/**
 * The entry module of `schemantic serve --mcp ENTRY`: what it must export, and the server made
 * from it. The shape is checked here, where the options are known, so that a wrong export is
 * reported with what it should have been.
 */
import { SchemanticError, UserError } from '../contract/errors.js';
import { createMcpServer, isMcpServer, type SchemanticMcpServer } from './create-mcp-server.js';

/** What an entry module exports, in one line, for error messages and `--help`. */
export const ENTRY_SHAPE =
  'export `mcp` (or a default export): the options of createMcpServer from schemantic/mcp/server ({ name, agents: { weather: createWeatherAgent({ tools }) }, tools: [...], deps, context }), a server made with createMcpServer, or a function (async or not) returning either';

/** What the command adds to options that do not say it themselves. */
export interface EntryDefaults {
  /** Told about each failed call, when the options have no `onError` of their own. */
  onError?: (error: unknown, tool: string) => void;
}

/**
 * The server an entry module describes: its `mcp` export, else its default export; options, a
 * server made with `createMcpServer`, or a function returning either. `where` names the module in
 * errors.
 */
export async function serverFromEntry(module: Readonly<Record<string, unknown>>, where: string, defaults: EntryDefaults = {}): Promise<SchemanticMcpServer> {
  const name = module['mcp'] !== undefined ? '`mcp` export' : 'default export';
  let exported = module['mcp'] ?? module['default'];
  if (exported === undefined) {
    const names = Object.keys(module);
    throw new UserError(
      `${where} exports neither \`mcp\` nor a default${names.length > 0 ? ` (it exports ${names.join(', ')})` : ''}; it should ${ENTRY_SHAPE}`,
    );
  }
  if (typeof exported === 'function') exported = await (exported as () => unknown)();
  if (isMcpServer(exported)) return exported;
  if (typeof exported !== 'object' || exported === null || Array.isArray(exported)) {
    throw new UserError(`${where}: its ${name} is ${describe(exported)}; it should ${ENTRY_SHAPE}`);
  }
  const options = exported as Parameters<typeof createMcpServer>[0];
  try {
    return createMcpServer(options.onError === undefined && defaults.onError ? { ...options, onError: defaults.onError } : options);
  } catch (error) {
    // The options' own problems, said of the entry module rather than of a call the user never wrote.
    if (SchemanticError.isInstance(error)) throw new UserError(`${where}: ${error.message.replace(/^createMcpServer: /, `its ${name}: `)}`, { cause: error });
    throw error;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
