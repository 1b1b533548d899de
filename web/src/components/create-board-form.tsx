// Making a board: a name (unique among the person's boards) and whether it is secret. Used in the
// save menu and on the profile.
import { useState, type FormEvent } from 'react';
import { Box, Button, Checkbox, Flex, TextField } from 'gestalt';
import { ApiError, graphql } from '../api/client';
import { CREATE_BOARD, type BoardChoice } from '../api/queries';

export function CreateBoardForm({ onCreated, idPrefix }: { onCreated: (board: BoardChoice) => void; idPrefix: string }) {
  const [name, setName] = useState('');
  const [secret, setSecret] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError('Give your board a name.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { data } = await graphql<{ createBoard: BoardChoice }>(
        CREATE_BOARD,
        { input: { name: name.trim(), privacy: secret ? 'SECRET' : 'PUBLIC' } },
        ['createBoard'],
      );
      onCreated(data.createBoard);
      setName('');
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Could not create the board.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)}>
      <Flex direction="column" gap={{ column: 3, row: 0 }}>
        <TextField
          id={`${idPrefix}-board-name`}
          label="Name"
          placeholder='Like "Places to go" or "Recipes to make"'
          value={name}
          onChange={({ value }) => setName(value)}
          errorMessage={error ?? undefined}
          maxLength={{ characterCount: 180, errorAccessibilityLabel: 'Too long' }}
        />
        <Checkbox
          id={`${idPrefix}-board-secret`}
          label="Keep this board secret"
          helperText="Only you and collaborators will see it"
          checked={secret}
          onChange={({ checked }) => setSecret(checked)}
        />
        <Box display="flex" justifyContent="end">
          <Button type="submit" text="Create" color="red" disabled={busy} />
        </Box>
      </Flex>
    </form>
  );
}
