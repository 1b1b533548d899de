// "Save" on a close-up: picks one of the viewer's boards (or makes one) and saves the pin there, as
// a copy of their own that links back to the original.
import { useRef, useState } from 'react';
import { Box, Button, Divider, Flex, Layer, Popover, TapArea, Text } from 'gestalt';
import { ApiError, graphql } from '../api/client';
import { InlineError } from './screen-states';
import { SAVE_PIN, type BoardChoice } from '../api/queries';
import { paths } from '../router';
import { AppLink } from './app-link';
import { CreateBoardForm } from './create-board-form';

export interface SaveButtonProps {
  pinId: string;
  boards: BoardChoice[];
  onBoardCreated: (board: BoardChoice) => void;
  onSaved?: (board: BoardChoice) => void;
}

export function SaveButton({ pinId, boards, onBoardCreated, onSaved }: SaveButtonProps) {
  const anchor = useRef<HTMLDivElement | null>(null);
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [saved, setSaved] = useState<BoardChoice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const saveTo = async (board: BoardChoice) => {
    setBusy(true);
    setError(null);
    try {
      await graphql(SAVE_PIN, { id: pinId, boardId: board.id }, ['savePin']);
      setSaved(board);
      setOpen(false);
      setCreating(false);
      onSaved?.(board);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Could not save the pin.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex direction="column" gap={{ column: 2, row: 0 }} alignItems="end">
      <div ref={anchor}>
        <Button
          text="Save"
          color="red"
          size="lg"
          disabled={busy}
          accessibilityExpanded={open}
          accessibilityHaspopup
          onClick={() => setOpen((isOpen) => !isOpen)}
        />
      </div>
      {saved ? (
        <div role="status">
          <Text size="200">
            Saved to{' '}
            <AppLink href={paths.board(saved.entityId)} className="text-link">
              {saved.name}
            </AppLink>
          </Text>
        </div>
      ) : null}
      {open && anchor.current ? (
        <Layer>
          <Popover
            anchor={anchor.current}
            idealDirection="down"
            onDismiss={() => {
              setOpen(false);
              setCreating(false);
            }}
            size="md"
            accessibilityLabel="Save to board"
          >
            <Box padding={3} maxHeight={420} overflow="scrollY">
              <Flex direction="column" gap={{ column: 2, row: 0 }}>
                <Text weight="bold" align="center">
                  Save to board
                </Text>
                {boards.length === 0 && !creating ? <Text size="200">You have no boards yet.</Text> : null}
                {boards.map((board) => (
                  <TapArea key={board.id} rounding={2} onTap={() => void saveTo(board)} disabled={busy} fullWidth>
                    <Box padding={2}>
                      <Text>{board.name}</Text>
                    </Box>
                  </TapArea>
                ))}
                <Divider />
                {creating ? (
                  <CreateBoardForm
                    idPrefix="save"
                    onCreated={(board) => {
                      onBoardCreated(board);
                      void saveTo(board);
                    }}
                  />
                ) : (
                  <Button text="Create board" fullWidth onClick={() => setCreating(true)} />
                )}
                <InlineError message={error} />
              </Flex>
            </Box>
          </Popover>
        </Layer>
      ) : null}
    </Flex>
  );
}
