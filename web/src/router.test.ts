// The app's addresses: each screen's address parses back to that screen, and anything else is the
// "not found" page (never a screen guessed from a part of the address).
import { describe, expect, it } from 'vitest';
import { parseRoute, paths } from './router';
import { appendNew } from './api/use-pages';
import type { PinCardData } from './api/queries';

describe('parseRoute', () => {
  it('reads back every address the app links to', () => {
    expect(parseRoute(paths.home())).toEqual({ name: 'home' });
    expect(parseRoute(paths.signup())).toEqual({ name: 'signup' });
    expect(parseRoute(paths.pin('123'))).toEqual({ name: 'pin', id: '123' });
    expect(parseRoute(paths.board('9000000000000000001'))).toEqual({ name: 'board', id: '9000000000000000001' });
    expect(parseRoute(paths.user('maya.k'))).toEqual({ name: 'user', username: 'maya.k' });
    expect(parseRoute(paths.create())).toEqual({ name: 'create' });
    const search = new URL(paths.search('blue lamp & shade'), 'http://app');
    expect(parseRoute(search.pathname, search.search)).toEqual({ name: 'search', query: 'blue lamp & shade' });
  });

  it('takes a trailing slash, and answers "not found" for anything else', () => {
    expect(parseRoute('/pin/123/')).toEqual({ name: 'pin', id: '123' });
    for (const address of ['/pin/abc', '/pin/123/extra', '/board/', '/user/a b', '/nothing', '/pin/%E0%A4%A', '/user/' + 'x'.repeat(65)]) {
      expect(parseRoute(address), address).toEqual({ name: 'notFound' });
    }
  });
});

describe('appendNew', () => {
  const pin = (id: string) => ({ id }) as PinCardData;
  it('adds the next page after the pins shown, leaving out any already there', () => {
    expect(appendNew([pin('a'), pin('b')], [pin('b'), pin('c'), pin('a'), pin('d')]).map((p) => p.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});
