// The app's addresses and a small router over the History API: a screen is a function of the
// address, links push a new entry without reloading, and Back/Forward re-render. The server answers
// every one of these addresses with the app's page (src/web-app/web-app.rest.ts).
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'home' }
  | { name: 'signup' }
  | { name: 'pin'; id: string }
  | { name: 'board'; id: string }
  | { name: 'user'; username: string }
  | { name: 'search'; query: string }
  | { name: 'create' }
  | { name: 'notFound' };

const ID = /^\d{1,20}$/;
const USERNAME = /^[\w.-]{1,64}$/;

/** The screen an address shows; anything else is the "not found" page. */
export function parseRoute(pathname: string, search = ''): Route {
  const parts = pathname.split('/').filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return '\u0000';
    }
  });
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return { name: 'notFound' };
  if (first === undefined) return { name: 'home' };
  if (second === undefined) {
    if (first === 'signup') return { name: 'signup' };
    if (first === 'pin-builder') return { name: 'create' };
    if (first === 'search') return { name: 'search', query: new URLSearchParams(search).get('q')?.trim() ?? '' };
    return { name: 'notFound' };
  }
  if (first === 'pin' && ID.test(second)) return { name: 'pin', id: second };
  if (first === 'board' && ID.test(second)) return { name: 'board', id: second };
  if (first === 'user' && USERNAME.test(second)) return { name: 'user', username: second };
  return { name: 'notFound' };
}

export const paths = {
  home: () => '/',
  signup: () => '/signup',
  pin: (id: string) => `/pin/${id}`,
  board: (id: string) => `/board/${id}`,
  user: (username: string) => `/user/${encodeURIComponent(username)}`,
  search: (query: string) => `/search?q=${encodeURIComponent(query)}`,
  create: () => '/pin-builder',
};

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

/** Goes to an address of the app without reloading the page. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.scrollTo(0, 0);
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const snapshot = () => `${window.location.pathname}${window.location.search}`;

/** The current address, re-rendering on every navigation. */
export function useLocation(): { pathname: string; search: string } {
  const current = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(current, 'http://app');
  return { pathname: url.pathname, search: url.search };
}

/** Whether a click on a link should be left to the browser (new tab, download, other site). */
export function isPlainLeftClick(event: { button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; altKey: boolean }): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
