/**
 * What the tests of the two stream examples share: the system's Chromium (test/helpers/chromium.ts:
 * nothing downloads a browser), the provider keys kept out of the environment (the examples then run on their scripted
 * models), an SSE reader, and closing a server.
 */
import type { Server } from 'node:http';
export { launchChromium, openPage } from '../helpers/chromium.js';

const KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'SCHEMANTIC_MODEL'] as const;

/** Removes the provider keys from the environment; the function returned puts them back. */
export function withoutProviderKeys(): () => void {
  const saved = new Map(KEYS.map((key) => [key, process.env[key]] as const));
  for (const key of KEYS) delete process.env[key];
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** Stops a server started by a test. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** One Server-Sent Event: its name and its data, parsed as JSON. */
export interface SseEvent {
  kind: string;
  /** Typed loosely: each test reads the fields of the kinds it expects. */
  data: any;
}

/** Fetches `url` and reads its body as Server-Sent Events, each JSON data parsed, until the stream ends. */
export async function readSse(url: string): Promise<{ status: number; type: string | null; events: SseEvent[] }> {
  const response = await fetch(url);
  const text = await response.text();
  const events = text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const kind = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { kind, data: JSON.parse(data) as unknown };
    });
  return { status: response.status, type: response.headers.get('content-type'), events };
}
