/**
 * A server that cannot be reached is an McpConnectionError naming it, whatever the cause, within
 * its timeout: a command that does not exist, a server that exits at once (its stderr quoted), one
 * that never answers, a URL refused or answered with 404. Bad options are UserErrors up front.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agent, UserError } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { mcpServer, McpConnectionError, type McpServerOptions } from 'schemantic/mcp';
import { freePort, toolsServer } from './mcp.helpers.js';

/** What listTools rejects with for these options (the server closed after). */
async function failure(options: McpServerOptions): Promise<unknown> {
  const server = mcpServer({ timeoutMs: 5000, ...options });
  try {
    await server.listTools();
    return undefined;
  } catch (err) {
    return err;
  } finally {
    await server.close();
  }
}

let notFound: Server;
let notFoundUrl = '';
beforeAll(async () => {
  notFound = createServer((_req, res) => res.writeHead(404).end('nothing here'));
  await new Promise<void>((resolve) => notFound.listen(0, '127.0.0.1', resolve));
  notFoundUrl = `http://127.0.0.1:${(notFound.address() as { port: number }).port}/mcp`;
});
afterAll(() => new Promise((resolve) => notFound.close(resolve)));

describe('servers that cannot be reached', () => {
  it('a command that does not exist', async () => {
    const err = await failure({ name: 'ghost', command: 'schemantic-no-such-command' });
    expect(err).toBeInstanceOf(McpConnectionError);
    expect(err).toMatchObject({ server: 'ghost', message: 'MCP server ghost: cannot start schemantic-no-such-command (command not found)' });
  });

  it('a server that exits at once, with the end of its stderr', async () => {
    const err = await failure(toolsServer({ name: 'quitter' }, 'exit'));
    expect(err).toBeInstanceOf(McpConnectionError);
    expect((err as Error).message).toBe(
      'MCP server quitter: the server process exited while connecting; its stderr ends: tools-server: no configuration found, giving up',
    );
  });

  it('a server that never answers, cut off by the timeout', async () => {
    const err = await failure({ name: 'mute', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], timeoutMs: 300 });
    expect(err).toBeInstanceOf(McpConnectionError);
    expect((err as Error).message).toBe('MCP server mute: no answer within 300 ms while connecting');
  });

  it('a URL where nothing listens', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const err = await failure({ name: 'nobody', url });
    expect(err).toBeInstanceOf(McpConnectionError);
    expect((err as Error).message).toBe(`MCP server nobody: ${url} does not answer (ECONNREFUSED) while connecting`);
  });

  it('a URL answered with 404', async () => {
    const err = await failure({ name: 'lost', url: notFoundUrl });
    expect(err).toBeInstanceOf(McpConnectionError);
    expect((err as Error).message).toBe(`MCP server lost: ${notFoundUrl} answered HTTP 404 while connecting`);
  });

  it('fails the run that opens it, naming the server', async () => {
    const run = agent({
      name: 'hopeful',
      model: new FunctionModel(() => 'never'),
      toolsets: [mcpServer({ name: 'ghost', command: 'schemantic-no-such-command' })],
    }).run('go');
    await expect(run).rejects.toThrow(McpConnectionError);
    await expect(run).rejects.toThrow('MCP server ghost: cannot start schemantic-no-such-command (command not found)');
  });
});

describe('options', () => {
  it.each([
    [{ name: 'x' }, 'MCP server x: give either command (a server started over stdio) or url (streamable HTTP)'],
    [{ name: 'x', command: 'a', url: 'http://127.0.0.1/' }, 'MCP server x: give either command (a server started over stdio) or url (streamable HTTP)'],
    [{ name: 'x', url: 'not a url' }, 'MCP server x: url "not a url" is not a URL'],
    [{ name: 'x', url: 'ftp://127.0.0.1/' }, 'MCP server x: url ftp://127.0.0.1/ is not http(s)'],
    [{ name: 'x', url: 'http://127.0.0.1/', env: {} }, 'MCP server x: args, env and cwd are for a command; a url takes headers'],
    [{ name: 'x', command: 'a', headers: {} }, 'MCP server x: headers are for a url; a command takes env'],
    [{ name: 'x', command: 'a', timeoutMs: 0 }, 'MCP server x: timeoutMs must be a positive number of milliseconds'],
    [{ name: 'x', command: 'a', retries: -1 }, 'MCP server x: retries must be a whole number of 0 or more'],
    [{ name: 'x', command: 'a', lifetime: 'forever' }, "MCP server x: lifetime must be 'run' or 'agent'"],
    [{ name: '', command: 'a' }, 'mcpServer: name must be a non-empty string'],
  ])('%j is a UserError', (options, message) => {
    expect(() => mcpServer(options as McpServerOptions)).toThrow(UserError);
    expect(() => mcpServer(options as McpServerOptions)).toThrow(message);
  });
});
