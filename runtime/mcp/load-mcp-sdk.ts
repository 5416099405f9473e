/**
 * Loading the MCP client SDK (`@modelcontextprotocol/client`), an optional peer dependency:
 * imported when a server is first used, so that importing `schemantic/mcp` costs nothing more,
 * and an app that lacks it learns what to install at that point.
 */
import { UserError } from '../contract/errors.js';

export type ClientSdk = typeof import('@modelcontextprotocol/client');
export type StdioSdk = typeof import('@modelcontextprotocol/client/stdio');

const INSTALL = 'npm install @modelcontextprotocol/client@"^2.4.0"';

/** Imports a module of the SDK; a missing SDK is a UserError that says how to install it. */
async function load<T>(server: string, specifier: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new UserError(`MCP server ${server} needs the @modelcontextprotocol/client package (${specifier} is not installed): ${INSTALL}`, { cause: err });
    }
    throw err;
  }
}

/** The SDK's client and its HTTP transport. */
export function loadClientSdk(server: string): Promise<ClientSdk> {
  return load(server, '@modelcontextprotocol/client', () => import('@modelcontextprotocol/client'));
}

/** The SDK's stdio transport (Node only: it spawns the server). */
export function loadStdioSdk(server: string): Promise<StdioSdk> {
  return load(server, '@modelcontextprotocol/client/stdio', () => import('@modelcontextprotocol/client/stdio'));
}
