// Server-side download of a pin's image_url without becoming an SSRF proxy: every hop's hostname is
// resolved once, every resolved address is checked, and the connection goes to that checked address
// (so a DNS answer that changes between check and connect cannot redirect us). Size and time are
// bounded for the whole fetch, redirects included.
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkDestination, compileAllowList, type AllowList } from './address-policy.js';
import { MediaError } from './media-errors.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a hostname to all of its addresses; injectable so tests never touch real DNS. */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface FetchImageOptions {
  maxBytes: number;
  /** Budget for the whole fetch: DNS, connects, redirects and body. */
  timeoutMs: number;
  /** Operator allow-list: hostnames ('*.cdn.internal' for subdomains), addresses or CIDRs. */
  allowHosts: readonly string[];
  lookup?: HostLookup;
  /** Defaults to 3. */
  maxRedirects?: number;
}

export interface FetchedImage {
  data: Buffer;
  /** The final response's Content-Type header, as sent. */
  contentType: string | null;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Errors after which trying the host's next address is worthwhile (e.g. an AAAA record on a host
// without IPv6 routing).
const RETRYABLE_CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const USER_AGENT = 'Corkboard-ImageFetcher/1.0';

/**
 * Downloads an image URL. Throws MediaError: fetch_refused (scheme, credentials, or a destination
 * the address policy refuses, on any hop), fetch_failed (DNS/connect errors, non-2xx, too many
 * redirects), fetch_timeout, or too_large.
 */
export async function fetchImage(url: string, options: FetchImageOptions): Promise<FetchedImage> {
  const allowList = compileAllowList(options.allowHosts);
  const lookup = options.lookup ?? systemLookup;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);

  try {
    let target = parseTarget(url);
    for (let redirects = 0; ; redirects++) {
      const addresses = await resolveAllowed(target, allowList, lookup, controller.signal);
      const response = await requestAny(target, addresses, controller.signal);
      const status = response.statusCode ?? 0;

      if (REDIRECT_STATUSES.has(status)) {
        response.destroy();
        const location = response.headers.location;
        if (!location) throw new MediaError('fetch_failed', `${target.href} redirected (${status}) without a Location`);
        if (redirects >= maxRedirects) throw new MediaError('fetch_failed', `more than ${maxRedirects} redirects`);
        target = parseTarget(location, target);
        continue;
      }
      if (status < 200 || status > 299) {
        response.destroy();
        throw new MediaError('fetch_failed', `${target.href} answered HTTP ${status}`);
      }
      const data = await readBounded(response, options.maxBytes);
      return { data, contentType: response.headers['content-type'] ?? null };
    }
  } catch (error) {
    if (error instanceof MediaError) throw error;
    if (controller.signal.aborted) {
      throw new MediaError('fetch_timeout', `the image download took longer than ${options.timeoutMs} ms`);
    }
    const code = (error as NodeJS.ErrnoException | null)?.code;
    throw new MediaError('fetch_failed', `the image could not be downloaded${code ? ` (${code})` : ''}`);
  } finally {
    clearTimeout(timer);
  }
}

function parseTarget(location: string, base?: URL): URL {
  let target: URL;
  try {
    target = new URL(location, base);
  } catch {
    throw new MediaError('fetch_refused', 'the image URL is not a valid URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new MediaError('fetch_refused', `only http and https image URLs are allowed, not ${target.protocol}`);
  }
  // Credentials in an image URL would be sent on to whatever the URL (or a redirect) points at.
  if (target.username || target.password) {
    throw new MediaError('fetch_refused', 'image URLs may not contain credentials');
  }
  return target;
}

/** URL.hostname keeps IPv6 literals in brackets; sockets and DNS want them bare. */
function bareHostname(target: URL): string {
  return target.hostname.replace(/^\[(.*)\]$/, '$1');
}

async function systemLookup(hostname: string): Promise<ResolvedAddress[]> {
  const results = await dnsLookup(hostname, { all: true, verbatim: true });
  return results.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

async function resolveAllowed(
  target: URL,
  allowList: AllowList,
  lookup: HostLookup,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
  const hostname = bareHostname(target);
  const literalFamily = isIP(hostname);
  const addresses: ResolvedAddress[] =
    literalFamily !== 0
      ? [{ address: hostname, family: literalFamily === 6 ? 6 : 4 }]
      : await abortable(lookup(hostname), signal).catch((error: unknown) => {
          if (signal.aborted) throw error;
          throw new MediaError('fetch_failed', `${hostname} could not be resolved`);
        });
  if (addresses.length === 0) throw new MediaError('fetch_failed', `${hostname} could not be resolved`);

  // Every address must pass, not just the one we would use: otherwise an attacker's DNS could pair a
  // public address with an internal one and win whenever the first is unreachable.
  for (const { address } of addresses) {
    const decision = checkDestination(hostname, address, allowList);
    // The message names neither the address nor its range: clients must not be able to map which
    // internal names exist or where they point.
    if (!decision.allowed) throw new MediaError('fetch_refused', `${hostname} is not a public address`);
  }
  return addresses;
}

/** dns.lookup cannot be cancelled; this stops waiting for it when the fetch's deadline passes. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function requestAny(target: URL, addresses: ResolvedAddress[], signal: AbortSignal): Promise<IncomingMessage> {
  let lastError: unknown;
  for (const address of addresses) {
    try {
      return await requestPinned(target, address, signal);
    } catch (error) {
      lastError = error;
      const code = (error as NodeJS.ErrnoException | null)?.code;
      if (signal.aborted || !code || !RETRYABLE_CONNECT_ERRORS.has(code)) throw error;
    }
  }
  throw lastError;
}

/** One GET to `target`, connecting to the already-checked `address` rather than resolving again. */
function requestPinned(target: URL, address: ResolvedAddress, signal: AbortSignal): Promise<IncomingMessage> {
  const hostname = bareHostname(target);
  const isHttps = target.protocol === 'https:';
  return new Promise<IncomingMessage>((resolve, reject) => {
    const request = (isHttps ? https : http).request({
      protocol: target.protocol,
      // An IP literal as host: the socket connects there without any DNS lookup of its own.
      host: address.address,
      family: address.family,
      port: target.port || (isHttps ? 443 : 80),
      path: `${target.pathname}${target.search}`,
      method: 'GET',
      headers: {
        // Virtual hosting and TLS both still see the name from the URL.
        host: target.host,
        'user-agent': USER_AGENT,
        // Only what processImage accepts, so content-negotiating CDNs do not answer with AVIF.
        accept: 'image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.5',
        // We count raw bytes against maxBytes and hand them to the image decoder as-is.
        'accept-encoding': 'identity',
      },
      // SNI and certificate verification use the URL's hostname. For IP-literal URLs, '' sends no SNI
      // (RFC 6066 forbids IP addresses there) and the certificate is checked against the IP.
      ...(isHttps ? { servername: isIP(hostname) === 0 ? hostname : '' } : {}),
      // A one-shot connection: nothing is pooled or kept alive once the fetch is over.
      agent: false,
      signal,
    });
    request.once('response', resolve);
    // 'on', not 'once': an abort while the body is read emits another error, which must not go uncaught.
    request.on('error', reject);
    request.end();
  });
}

/** Reads the body, aborting as soon as it exceeds maxBytes rather than after buffering it all. */
async function readBounded(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declaredLength = Number(response.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    response.destroy();
    throw new MediaError('too_large', `the image is ${declaredLength} bytes; the limit is ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      response.destroy();
      throw new MediaError('too_large', `the image is larger than the ${maxBytes}-byte limit`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
