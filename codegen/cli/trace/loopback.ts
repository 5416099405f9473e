/**
 * Which hosts `schemantic trace` serves: loopback only. It listens on a loopback address (the
 * spans it receives hold prompts and tool results), and it answers only requests addressed to a
 * loopback name, so that a web page whose DNS name is rebound to 127.0.0.1 cannot read it.
 */
import { isIPv4 } from 'node:net';

/** True for `localhost`, an address of 127.0.0.0/8, or `::1` (any case, with or without brackets). */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || (isIPv4(name) && name.startsWith('127.'));
}

/**
 * The host name of a `Host` header (`127.0.0.1:4318`, `[::1]:4318`, `localhost`), without the
 * port or the brackets; undefined when the header is missing or is not a host and port.
 */
export function hostnameOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/.exec(header);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** `http://host:port`, with an IPv6 address in brackets. */
export function httpOrigin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
