// Creating a pin from an image file (chosen or dropped): a preview, a title, a description, a link,
// alt text and the board to put it on. The image travels as base64 in the createPin mutation.
import { useState, type DragEvent, type FormEvent } from 'react';
import { Box, Button, Flex, Heading, SelectList, Text, TextArea, TextField } from 'gestalt';
import { ApiError, graphql } from '../api/client';
import { CREATE_PIN, MY_BOARDS, type BoardChoice, type MyBoardsData } from '../api/queries';
import { useQuery } from '../api/use-query';
import { CreateBoardForm } from '../components/create-board-form';
import { ErrorMessage, PageSkeleton } from '../components/screen-states';
import { navigate, paths } from '../router';

/** What the server takes (IMAGE_MAX_BYTES by default). */
const MAX_BYTES = 20 * 1024 * 1024;
const TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

interface Picked {
  file: File;
  dataUrl: string;
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => (typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('Could not read the file.')));
    reader.onerror = () => reject(new Error('Could not read the file.'));
    reader.readAsDataURL(file);
  });
}

export default function CreatePinScreen() {
  const state = useQuery<MyBoardsData>(MY_BOARDS, {}, ['viewer']);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [link, setLink] = useState('');
  const [altText, setAltText] = useState('');
  const [boardId, setBoardId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);

  if (state.status === 'loading') return <PageSkeleton label="Loading your boards" />;
  if (state.status === 'error') return <ErrorMessage error={state.error} retry={state.retry} />;

  const boards = state.data.viewer?.boards?.edges.map((edge) => edge.node) ?? [];
  const chosenBoard = boardId ?? boards[0]?.id ?? null;
  const addBoard = (board: BoardChoice) => {
    state.setData((data) => ({ viewer: { boards: { edges: [{ node: board }, ...(data.viewer?.boards?.edges ?? [])] } } }));
    setBoardId(board.id);
  };

  const pick = async (file: File | undefined) => {
    setError(null);
    if (!file) return;
    if (!TYPES.includes(file.type)) return setError('Choose a JPEG, PNG, WebP or GIF image.');
    if (file.size > MAX_BYTES) return setError('That image is over 20 MB.');
    setPicked({ file, dataUrl: await readAsDataUrl(file) });
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void pick(event.dataTransfer.files[0]);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!picked) return setError('Choose an image first.');
    if (!chosenBoard) return setError('Create a board to put your pin on.');
    setBusy(true);
    setError(null);
    try {
      const { data } = await graphql<{ createPin: { entityId: string } }>(
        CREATE_PIN,
        {
          input: {
            boardId: chosenBoard,
            title: title.trim() || null,
            description: description.trim() || null,
            link: link.trim() || null,
            altText: altText.trim() || null,
            mediaSource: { sourceType: 'image_base64', contentType: picked.file.type, data: picked.dataUrl.slice(picked.dataUrl.indexOf(',') + 1) },
          },
        },
        ['createPin'],
      );
      navigate(paths.pin(data.createPin.entityId));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Could not create the pin.');
      setBusy(false);
    }
  };

  return (
    <main>
      <Box paddingY={4}>
        <Heading size="600" accessibilityLevel={1}>
          Create pin
        </Heading>
      </Box>
      <form onSubmit={(event) => void submit(event)} className="create-pin">
        <label
          className={`drop-zone${dragging ? ' dragging' : ''}`}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
        >
          {picked ? (
            <img src={picked.dataUrl} alt="Preview of the image to pin" className="drop-preview" />
          ) : (
            <span className="drop-text">Choose a file or drag and drop it here</span>
          )}
          <input
            type="file"
            accept={TYPES.join(',')}
            aria-label="Image"
            className="visually-hidden"
            onChange={(event) => void pick(event.target.files?.[0])}
          />
        </label>
        <Flex direction="column" gap={{ column: 4, row: 0 }}>
          <TextField id="pin-title" label="Title" value={title} onChange={({ value }) => setTitle(value)} />
          <TextArea id="pin-description" label="Description" value={description} onChange={({ value }) => setDescription(value)} />
          <TextField id="pin-link" label="Link" type="url" value={link} onChange={({ value }) => setLink(value)} />
          <TextField id="pin-alt" label="Alt text" value={altText} onChange={({ value }) => setAltText(value)} helperText="Describe the image for people who cannot see it" />
          {boards.length > 0 && chosenBoard ? (
            <SelectList
              id="pin-board"
              label="Board"
              value={chosenBoard}
              onChange={({ value }) => setBoardId(value)}
            >
              {boards.map((board) => (
                <SelectList.Option key={board.id} label={board.name} value={board.id} />
              ))}
            </SelectList>
          ) : (
            <Box>
              <Text weight="bold">You need a board for your pin</Text>
              <CreateBoardForm idPrefix="pin" onCreated={addBoard} />
            </Box>
          )}
          {error ? (
            <div role="alert">
              <Text color="error">{error}</Text>
            </div>
          ) : null}
          <Button type="submit" text="Create pin" color="red" size="lg" disabled={busy} />
        </Flex>
      </form>
    </main>
  );
}
