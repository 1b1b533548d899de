// Every request in this file goes to a server on the loopback interface; hostnames such as
// images.example.test are mapped to 127.0.0.1 by a fake lookup, so nothing leaves the machine.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkDestination, classifyAddress, compileAllowList } from './address-policy.js';
import { MediaError, type MediaErrorReason } from './media-errors.js';
import { fetchImage, type FetchImageOptions, type HostLookup } from './safe-fetch.js';

const IMAGE_BODY = Buffer.from('not really a png, but bytes are bytes');
const BIG_SIZE = 1024 * 1024;

let server: http.Server;
let port: number;
let seen: Array<{ path: string; host: string | undefined }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', host: req.headers.host });
    switch (req.url) {
      case '/image':
        res.writeHead(200, { 'content-type': 'image/png' }).end(IMAGE_BODY);
        return;
      case '/chunked-big': {
        // No Content-Length: the client has to count while streaming.
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        let sent = 0;
        const pump = () => {
          while (sent < BIG_SIZE && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
      case '/declared-big':
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': BIG_SIZE }).end(Buffer.alloc(BIG_SIZE));
        return;
      case '/stall-body':
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.write(Buffer.alloc(10));
        return; // never ends
      case '/hang':
        return; // never answers
      case '/missing':
        res.writeHead(404).end('nope');
        return;
      case '/redirect-relative':
        res.writeHead(302, { location: '/image' }).end();
        return;
      case '/redirect-loopback':
        res.writeHead(302, { location: `http://127.0.0.2:${port}/image` }).end();
        return;
      case '/redirect-file':
        res.writeHead(302, { location: 'file:///etc/passwd' }).end();
        return;
      case '/redirect-loop':
        res.writeHead(307, { location: '/redirect-loop' }).end();
        return;
      default:
        res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

function options(overrides: Partial<FetchImageOptions> = {}): FetchImageOptions {
  return { maxBytes: 64 * 1024, timeoutMs: 5_000, allowHosts: [], lookup: refuseRealDns, ...overrides };
}

// Default for every test: a lookup that fails loudly rather than letting a hostname reach real DNS.
const refuseRealDns: HostLookup = async (hostname) => {
  throw new Error(`unexpected DNS lookup of ${hostname}`);
};

function fakeDns(table: Record<string, string[]>): HostLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
  };
  return Object.assign(lookup, { calls });
}

async function expectMediaError(promise: Promise<unknown>, reason: MediaErrorReason): Promise<MediaError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MediaError);
  expect((error as MediaError).reason).toBe(reason);
  return error as MediaError;
}

describe('fetchImage', () => {
  it('refuses loopback by default without connecting', async () => {
    await expectMediaError(fetchImage(`http://127.0.0.1:${port}/image`, options()), 'fetch_refused');
    await expectMediaError(fetchImage(`http://[::ffff:127.0.0.1]:${port}/image`, options()), 'fetch_refused');
    const localhost = fakeDns({ localhost: ['127.0.0.1'] });
    await expectMediaError(fetchImage(`http://localhost:${port}/image`, options({ lookup: localhost })), 'fetch_refused');
    expect(seen).toEqual([]);
  });

  it('fetches from an allow-listed address', async () => {
    const result = await fetchImage(`http://127.0.0.1:${port}/image`, options({ allowHosts: ['127.0.0.1'] }));
    expect(result).toEqual({ data: IMAGE_BODY, contentType: 'image/png' });
  });

  it('allows a CIDR entry', async () => {
    const result = await fetchImage(`http://127.0.0.1:${port}/image`, options({ allowHosts: ['127.0.0.0/8'] }));
    expect(result.data).toEqual(IMAGE_BODY);
  });

  it('connects to the checked address while keeping the Host header, resolving once per hop', async () => {
    // A rebinding resolver: first answer allowed, later answers internal. Only the first may be used.
    let answers = 0;
    const rebinding: HostLookup = async () => [{ address: answers++ === 0 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    const result = await fetchImage(
      `http://images.example.test:${port}/image`,
      options({ lookup: rebinding, allowHosts: ['127.0.0.1'] }),
    );
    expect(result.data).toEqual(IMAGE_BODY);
    expect(answers).toBe(1);
    expect(seen).toEqual([{ path: '/image', host: `images.example.test:${port}` }]);
  });

  it('refuses a hostname if any of its addresses is refused', async () => {
    const lookup = fakeDns({ 'mixed.example.test': ['127.0.0.1', '10.0.0.1'] });
    await expectMediaError(
      fetchImage(`http://mixed.example.test:${port}/image`, options({ lookup, allowHosts: ['127.0.0.1'] })),
      'fetch_refused',
    );
    expect(seen).toEqual([]);
  });

  it('falls back to the next address when one refuses the connection', async () => {
    // The server listens on 127.0.0.1 only, so ::1 fails (refused, or unavailable without IPv6).
    const lookup = fakeDns({ 'dual.example.test': ['::1', '127.0.0.1'] });
    const result = await fetchImage(
      `http://dual.example.test:${port}/image`,
      options({ lookup, allowHosts: ['dual.example.test'] }),
    );
    expect(result.data).toEqual(IMAGE_BODY);
  });

  it('follows relative redirects, re-resolving each hop', async () => {
    const lookup = fakeDns({ 'images.example.test': ['127.0.0.1'] });
    const result = await fetchImage(
      `http://images.example.test:${port}/redirect-relative`,
      options({ lookup, allowHosts: ['images.example.test'] }),
    );
    expect(result.data).toEqual(IMAGE_BODY);
    expect(lookup.calls).toEqual(['images.example.test', 'images.example.test']);
    expect(seen.map((request) => request.path)).toEqual(['/redirect-relative', '/image']);
  });

  it('refuses a redirect from an allowed host to a loopback address that is not allowed', async () => {
    const lookup = fakeDns({ 'images.example.test': ['127.0.0.1'] });
    const error = await expectMediaError(
      fetchImage(
        `http://images.example.test:${port}/redirect-loopback`,
        options({ lookup, allowHosts: ['images.example.test'] }),
      ),
      'fetch_refused',
    );
    expect(error.message).toContain('127.0.0.2');
    expect(seen.map((request) => request.path)).toEqual(['/redirect-loopback']);
  });

  it('refuses redirects to non-http schemes', async () => {
    await expectMediaError(
      fetchImage(`http://127.0.0.1:${port}/redirect-file`, options({ allowHosts: ['127.0.0.1'] })),
      'fetch_refused',
    );
  });

  it('gives up after three redirects', async () => {
    await expectMediaError(
      fetchImage(`http://127.0.0.1:${port}/redirect-loop`, options({ allowHosts: ['127.0.0.1'] })),
      'fetch_failed',
    );
    expect(seen).toHaveLength(4); // the original request plus three followed redirects
  });

  it('aborts a streamed body once it passes maxBytes', async () => {
    await expectMediaError(
      fetchImage(`http://127.0.0.1:${port}/chunked-big`, options({ allowHosts: ['127.0.0.1'], maxBytes: 100_000 })),
      'too_large',
    );
  });

  it('refuses a declared Content-Length over maxBytes', async () => {
    await expectMediaError(
      fetchImage(`http://127.0.0.1:${port}/declared-big`, options({ allowHosts: ['127.0.0.1'], maxBytes: 100_000 })),
      'too_large',
    );
  });

  it('times out a server that never answers, and one that stalls mid-body', async () => {
    for (const path of ['/hang', '/stall-body']) {
      const started = Date.now();
      await expectMediaError(
        fetchImage(`http://127.0.0.1:${port}${path}`, options({ allowHosts: ['127.0.0.1'], timeoutMs: 300 })),
        'fetch_timeout',
      );
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('reports non-2xx answers and DNS failures as fetch_failed', async () => {
    await expectMediaError(
      fetchImage(`http://127.0.0.1:${port}/missing`, options({ allowHosts: ['127.0.0.1'] })),
      'fetch_failed',
    );
    await expectMediaError(
      fetchImage('http://nowhere.example.test/x.jpg', options({ lookup: fakeDns({}) })),
      'fetch_failed',
    );
  });

  it('refuses non-http schemes, credentials and malformed URLs', async () => {
    for (const url of [
      'file:///etc/passwd',
      'ftp://127.0.0.1/x.jpg',
      'data:image/png;base64,AAAA',
      `http://user:pass@127.0.0.1:${port}/image`,
      'not a url',
    ]) {
      await expectMediaError(fetchImage(url, options({ allowHosts: ['127.0.0.1'] })), 'fetch_refused');
    }
    expect(seen).toEqual([]);
  });
});

describe('classifyAddress', () => {
  it.each([
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:0:10.0.0.1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:a00:1::', 'private'],
    ['::127.0.0.1', 'ipv4Compatible'],
    ['::7f00:1', 'ipv4Compatible'],
    ['::8.8.8.8', 'ipv4Compatible'],
    ['[::1]', 'loopback'],
    ['not-an-ip', 'invalid'],
    ['127.1', 'invalid'],
  ])('refuses %s (%s)', (address, range) => {
    expect(classifyAddress(address)).toEqual({ isPublic: false, range });
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])(
    'accepts public %s',
    (address) => {
      expect(classifyAddress(address)).toEqual({ isPublic: true, range: 'unicast' });
    },
  );
});

describe('allow-list', () => {
  const allowList = compileAllowList(['Images.Internal.', '*.cdn.internal', '10.1.0.0/16', '::1']);

  it('matches hostnames case-insensitively, and wildcard subdomains', () => {
    expect(allowList.allowsHost('images.internal')).toBe(true);
    expect(allowList.allowsHost('a.b.cdn.internal')).toBe(true);
    expect(allowList.allowsHost('cdn.internal')).toBe(false);
    expect(allowList.allowsHost('evilcdn.internal')).toBe(false);
    expect(allowList.allowsHost('images.internal.evil.test')).toBe(false);
  });

  it('matches addresses against CIDRs, including IPv4-mapped IPv6', () => {
    expect(allowList.allowsAddress('10.1.2.3')).toBe(true);
    expect(allowList.allowsAddress('::ffff:10.1.2.3')).toBe(true);
    expect(allowList.allowsAddress('10.2.0.1')).toBe(false);
    expect(allowList.allowsAddress('::1')).toBe(true);
    expect(allowList.allowsAddress('127.0.0.1')).toBe(false);
  });

  it('lets an allowed host or network through the destination check', () => {
    expect(checkDestination('images.internal', '10.9.9.9', allowList)).toEqual({ allowed: true });
    expect(checkDestination('other.test', '10.1.0.5', allowList)).toEqual({ allowed: true });
    expect(checkDestination('other.test', '10.9.9.9', allowList)).toMatchObject({ allowed: false });
  });

  it('rejects malformed entries at compile time', () => {
    expect(() => compileAllowList(['10.0.0.0/99'])).toThrow(TypeError);
    expect(() => compileAllowList(['http://example.com'])).toThrow(TypeError);
  });
});
