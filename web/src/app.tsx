// The app: who is signed in (asked once at start), the header, and the screen the address names.
// Screens are loaded on first use (each its own file), so the first page loads only what it shows.
import { lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError, currentSession, forgetPrefetched, logOut, whenSignedOut, type Session } from './api/client';
import { Header } from './components/header';
import { ErrorMessage, GridSkeleton, NotFound } from './components/screen-states';
import { navigate, parseRoute, paths, useLocation, type Route } from './router';
import HomeScreen, { prefetchHomeFeed } from './screens/home';

// The home feed is the first screen: its code comes with the app's, and its first page is asked for
// while the session is being checked rather than after.
if (parseRoute(window.location.pathname).name === 'home') prefetchHomeFeed();

const AuthScreen = lazy(() => import('./screens/auth'));
const PinScreen = lazy(() => import('./screens/pin'));
const BoardScreen = lazy(() => import('./screens/board'));
const ProfileScreen = lazy(() => import('./screens/profile'));
const CreatePinScreen = lazy(() => import('./screens/create-pin'));
const SearchScreen = lazy(() => import('./screens/search'));

function screenFor(route: Route): ReactNode {
  switch (route.name) {
    case 'home':
    case 'signup':
      return <HomeScreen />;
    case 'pin':
      return <PinScreen key={route.id} id={route.id} />;
    case 'board':
      return <BoardScreen key={route.id} id={route.id} />;
    case 'user':
      return <ProfileScreen key={route.username} username={route.username} />;
    case 'search':
      return <SearchScreen query={route.query} />;
    case 'create':
      return <CreatePinScreen />;
    case 'notFound':
      return <NotFound />;
  }
}

export function App() {
  // undefined: not known yet; null: signed out.
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const location = useLocation();
  const route = parseRoute(location.pathname, location.search);

  const signedIn = useCallback((current: Session | null) => {
    if (!current) forgetPrefetched();
    setSession(current);
  }, []);
  const check = useCallback(() => {
    setFailure(null);
    currentSession().then(signedIn, (error: unknown) =>
      setFailure(error instanceof ApiError ? error : new ApiError('INTERNAL', 'Something went wrong.')),
    );
  }, [signedIn]);
  useEffect(() => {
    whenSignedOut(() => signedIn(null));
    check();
  }, [check, signedIn]);

  const signOut = () => {
    logOut().then(
      () => {
        setSession(null);
        navigate(paths.home(), { replace: true });
      },
      (error: unknown) => setFailure(error instanceof ApiError ? error : new ApiError('INTERNAL', 'Could not log out.')),
    );
  };

  let body: ReactNode;
  if (failure) body = <ErrorMessage error={failure} retry={check} />;
  else if (session === undefined) body = <GridSkeleton label="Loading" />;
  else if (session === null) body = <AuthScreen mode={route.name === 'signup' ? 'signup' : 'login'} onSignedIn={setSession} />;
  else
    body = (
      <>
        <Header username={session.username} query={route.name === 'search' ? route.query : ''} onLogOut={signOut} />
        <div className="page">{screenFor(route)}</div>
      </>
    );

  return <Suspense fallback={<GridSkeleton label="Loading" />}>{body}</Suspense>;
}
