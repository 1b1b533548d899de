// "Follow" / "Unfollow" for a person or a board: shows the new state at once, and goes back with a
// message if the server refuses.
import { useState } from 'react';
import { Button, Flex } from 'gestalt';
import { ApiError, graphql } from '../api/client';
import { InlineError } from './screen-states';

export interface FollowButtonProps {
  following: boolean;
  follow: { query: string; variables: Record<string, unknown>; field: string };
  unfollow: { query: string; variables: Record<string, unknown>; field: string };
  onChange: (following: boolean) => void;
}

export function FollowButton({ following, follow, unfollow, onChange }: FollowButtonProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = async () => {
    const action = following ? unfollow : follow;
    setBusy(true);
    setError(null);
    onChange(!following);
    try {
      await graphql(action.query, action.variables, [action.field]);
    } catch (failure) {
      onChange(following);
      setError(failure instanceof ApiError ? failure.message : 'That did not work; try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex direction="column" alignItems="center" gap={{ column: 1, row: 0 }}>
      <Button text={following ? 'Unfollow' : 'Follow'} color={following ? 'gray' : 'red'} size="lg" disabled={busy} onClick={() => void toggle()} />
      <InlineError message={error} />
    </Flex>
  );
}
