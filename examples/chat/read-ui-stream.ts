/**
 * Reads a UI message stream (protocol v1: Server-Sent Events whose `data:` is one JSON chunk, the
 * last `[DONE]`) from a fetch response, as the chat page does in the browser: used by main.ts to
 * play a conversation over HTTP.
 */

/** A chunk of the stream, as JSON (only the fields main.ts reads are typed). */
export interface UIChunk {
  type: string;
  [field: string]: unknown;
}

/** The chunks of `response`'s body, one by one as they arrive. */
export async function* readUIStream(response: Response): AsyncGenerator<UIChunk> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length))
        .join('\n');
      if (data !== '' && data !== '[DONE]') yield JSON.parse(data) as UIChunk;
    }
  }
}
