// A pin's close-up: the large image, title, description, link, who pinned it and on which board,
// "Save" to one of the viewer's boards, and related pins below. One request brings all of it.
import { useEffect } from 'react';
import { Avatar, Box, Flex, Heading, Text } from 'gestalt';
import { graphql } from '../api/client';
import { PIN_PAGE, RECORD_EVENTS, type BoardChoice, type PinPageData } from '../api/queries';
import { useQuery } from '../api/use-query';
import { AppLink } from '../components/app-link';
import { PinGrid } from '../components/pin-grid';
import { PinImage } from '../components/pin-image';
import { SaveButton } from '../components/save-button';
import { CloseupSkeleton, ErrorMessage, NotFound } from '../components/screen-states';
import { paths } from '../router';

/** Only web addresses become links: a `javascript:` link saved by someone would run in the viewer's page. */
export function safeLink(link: string | null): string | null {
  if (!link) return null;
  try {
    const url = new URL(link);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export default function PinScreen({ id }: { id: string }) {
  const state = useQuery<PinPageData>(PIN_PAGE, { id }, ['pin']);

  // A close-up is an engagement event: the home feed ranks with it (no answer is awaited).
  useEffect(() => {
    if (state.status !== 'ready') return;
    graphql(RECORD_EVENTS, { events: [{ kind: 'closeup', pinId: state.data.pin.entityId, surface: 'closeup' }] }).catch(() => undefined);
  }, [state.status, state.status === 'ready' ? state.data.pin.entityId : null]);

  if (state.status === 'loading') return <CloseupSkeleton />;
  if (state.status === 'error') return state.error.notFound ? <NotFound /> : <ErrorMessage error={state.error} retry={state.retry} />;

  const { pin, viewer } = state.data;
  const boards = viewer?.boards?.edges.map((edge) => edge.node) ?? [];
  const image = pin.media.images.image1200x;
  const link = safeLink(pin.link);
  const related = pin.relatedPins?.edges.map((edge) => edge.node) ?? [];
  const addBoard = (board: BoardChoice) =>
    state.setData((data) => ({
      ...data,
      viewer: { boards: { edges: [{ node: board }, ...(data.viewer?.boards?.edges ?? [])] } },
    }));

  return (
    <main>
      <div className="closeup">
        <div className="closeup-image">
          <PinImage image={image} alt={pin.altText ?? pin.title ?? ''} color={pin.dominantColor} rounding={6} loading="eager" />
        </div>
        <div className="closeup-details">
          <Flex direction="column" gap={{ column: 4, row: 0 }}>
            <Flex justifyContent="between" alignItems="start" gap={{ row: 2, column: 0 }}>
              {link ? (
                <a href={link} className="text-link" target="_blank" rel="noopener noreferrer nofollow">
                  {new URL(link).hostname}
                </a>
              ) : (
                <span />
              )}
              <SaveButton pinId={pin.id} boards={boards} onBoardCreated={addBoard} />
            </Flex>
            <Heading size="600" accessibilityLevel={1}>
              {pin.title ?? 'Untitled pin'}
            </Heading>
            {pin.description ? <Text>{pin.description}</Text> : null}
            <Flex alignItems="center" gap={{ row: 2, column: 0 }}>
              <Avatar name={pin.pinner.username} size="md" {...(pin.pinner.profileImage ? { src: pin.pinner.profileImage } : {})} />
              <Flex direction="column">
                <AppLink href={paths.user(pin.pinner.username)} className="text-link strong">
                  {pin.pinner.username}
                </AppLink>
                <Text size="200" color="subtle">
                  {pin.pinner.followerCount === 1 ? '1 follower' : `${pin.pinner.followerCount} followers`}
                </Text>
              </Flex>
            </Flex>
            {pin.board ? (
              <Text>
                On{' '}
                <AppLink href={paths.board(pin.board.entityId)} className="text-link strong">
                  {pin.board.name}
                </AppLink>
              </Text>
            ) : null}
          </Flex>
        </div>
      </div>
      <Box marginTop={8}>
        <Box marginBottom={4}>
          <Heading size="400" accessibilityLevel={2} align="center">
            More to explore
          </Heading>
        </Box>
        {related.length > 0 ? (
          <PinGrid pins={related} />
        ) : (
          <Text align="center" color="subtle">
            No related pins yet.
          </Text>
        )}
      </Box>
    </main>
  );
}
