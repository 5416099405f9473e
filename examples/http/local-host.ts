/**
 * The example servers listen on 127.0.0.1 and answer only requests addressed to it. A page on
 * another site can make a browser send requests to 127.0.0.1 under its own name (DNS rebinding:
 * `evil.example` resolved first to the attacker, then to 127.0.0.1), and the browser then treats
 * this server as that site's own: it could read a chat, or spend the key the server runs with.
 * The `Host` header gives it away: a request for `evil.example:3001` is refused.
 *
 * Behind a port forward or proxy that keeps its own name (a codespace, a tunnel), name it in
 * `SCHEMANTIC_ALLOWED_HOSTS` (comma-separated host names, without ports).
 */

/** The names a request to this machine's loopback server may carry. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The host names allowed beyond the loopback ones, from the environment. */
export function extraAllowedHosts(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set(
    (env['SCHEMANTIC_ALLOWED_HOSTS'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== ''),
  );
}

/**
 * Why a request's `Host` header is refused, or undefined when it names this server (a loopback
 * name, or one of `extra`); the port is not compared, since the server may listen on any.
 */
export function hostRefusal(host: string | undefined, extra: ReadonlySet<string> = extraAllowedHosts()): string | undefined {
  if (host === undefined || host === '') return 'the request has no Host header';
  const name = (/^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(host.trim().toLowerCase())?.[1] ?? '').trim();
  if (LOOPBACK.has(name) || extra.has(name)) return undefined;
  return `this server answers requests for 127.0.0.1 or localhost, not for ${JSON.stringify(host.slice(0, 100))} (behind a proxy of your own, set SCHEMANTIC_ALLOWED_HOSTS=<its host name>)`;
}
