// Logging in and signing up. Signing up creates the account and signs in with it; both end with a
// browser session (an HttpOnly cookie the page's script never sees).
import { useState, type FormEvent } from 'react';
import { Box, Button, Flex, Heading, Text, TextField } from 'gestalt';
import { ApiError, logIn, signUp, type Session } from '../api/client';
import { AppLink } from '../components/app-link';
import { navigate, paths } from '../router';

export interface AuthScreenProps {
  mode: 'login' | 'signup';
  onSignedIn: (session: Session) => void;
}

function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong; try again.';
}

export default function AuthScreen({ mode, onSignedIn }: AuthScreenProps) {
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signingUp = mode === 'signup';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = signingUp ? await signUp(username.trim(), email.trim(), password) : await logIn(username.trim(), password);
      if (signingUp) navigate(paths.home(), { replace: true });
      onSignedIn(session);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth-screen">
      <Box color="default" rounding={8} padding={8} maxWidth={484} width="100%">
        <form onSubmit={(event) => void submit(event)}>
          <Flex direction="column" gap={{ column: 4, row: 0 }}>
            <Flex direction="column" alignItems="center" gap={{ column: 2, row: 0 }}>
              <img src="/favicon.svg" alt="" width={40} height={40} />
              <Heading size="600" accessibilityLevel={1} align="center">
                {signingUp ? 'Welcome to Corkboard' : 'Log in to Corkboard'}
              </Heading>
              <Text align="center">Find new ideas to try</Text>
            </Flex>
            <TextField
              id="username"
              label="Username"
              autoComplete="username"
              value={username}
              onChange={({ value }) => setUsername(value)}
            />
            {signingUp ? (
              <TextField id="email" label="Email" type="email" autoComplete="email" value={email} onChange={({ value }) => setEmail(value)} />
            ) : null}
            <TextField
              id="password"
              label="Password"
              type="password"
              autoComplete={signingUp ? 'new-password' : 'current-password'}
              helperText={signingUp ? 'At least 8 characters' : undefined}
              value={password}
              onChange={({ value }) => setPassword(value)}
            />
            {error ? (
              <div role="alert">
                <Text color="error">{error}</Text>
              </div>
            ) : null}
            <Button type="submit" text={signingUp ? 'Sign up' : 'Log in'} color="red" size="lg" fullWidth disabled={busy} />
            <Text align="center" size="200">
              {signingUp ? 'Already a member? ' : 'Not on Corkboard yet? '}
              <AppLink href={signingUp ? paths.home() : paths.signup()} className="text-link">
                {signingUp ? 'Log in' : 'Sign up'}
              </AppLink>
            </Text>
          </Flex>
        </form>
      </Box>
    </main>
  );
}
