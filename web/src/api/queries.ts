// The GraphQL documents of the screens: one request per screen (the pin close-up brings its related
// pins and the viewer's boards for the save menu along), and the mutations.

export interface PinImage {
  url: string;
  width: number;
  height: number;
}

export interface PinCardData {
  id: string;
  entityId: string;
  title: string | null;
  altText: string | null;
  dominantColor: string | null;
  media: { images: { image600x: PinImage } };
  pinner: { username: string };
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: Array<{ node: T }>;
  pageInfo: PageInfo;
}

export interface BoardChoice {
  id: string;
  entityId: string;
  name: string;
  privacy: 'PUBLIC' | 'PROTECTED' | 'SECRET';
}

const PIN_CARD = `fragment PinCard on Pin {
  id entityId title altText dominantColor
  media { images { image600x { url width height } } }
  pinner { username }
}`;

const BOARD_CHOICE = 'fragment BoardChoice on Board { id entityId name privacy }';

/** Enough boards for the save menu and the pin form in one page (most people have fewer). */
export const BOARD_CHOICES = 100;

export const HOME_FEED = `query HomeFeed($after: String) {
  homeFeed(first: 25, after: $after) { edges { node { ...PinCard } } pageInfo { hasNextPage endCursor } }
}
${PIN_CARD}`;

export interface HomeFeedData {
  homeFeed: Connection<PinCardData>;
}

export const PIN_PAGE = `query PinPage($id: ID!) {
  pin(id: $id) {
    id entityId title description link altText dominantColor createdAt isOwner
    media { images { image1200x { url width height } } }
    pinner { username followerCount profileImage }
    board { id entityId name }
    relatedPins(first: 24) { edges { node { ...PinCard } } }
  }
  viewer { boards(first: ${BOARD_CHOICES}) { edges { node { ...BoardChoice } } } }
}
${PIN_CARD}
${BOARD_CHOICE}`;

export interface PinPageData {
  pin: {
    id: string;
    entityId: string;
    title: string | null;
    description: string | null;
    link: string | null;
    altText: string | null;
    dominantColor: string | null;
    createdAt: string;
    isOwner: boolean;
    media: { images: { image1200x: PinImage } };
    pinner: { username: string; followerCount: number; profileImage: string | null };
    board: { id: string; entityId: string; name: string } | null;
    relatedPins: { edges: Array<{ node: PinCardData }> } | null;
  };
  viewer: { boards: { edges: Array<{ node: BoardChoice }> } | null } | null;
}

export const BOARD_PAGE = `query BoardPage($id: ID!, $after: String) {
  board(id: $id) {
    id entityId name description privacy pinCount followerCount followedByViewer
    owner { username }
    sections(first: 25) { edges { node { id name } } }
    pins(first: 25, after: $after) { edges { node { ...PinCard } } pageInfo { hasNextPage endCursor } }
  }
  viewer { user { username } }
}
${PIN_CARD}`;

export interface BoardPageData {
  board: {
    id: string;
    entityId: string;
    name: string;
    description: string | null;
    privacy: BoardChoice['privacy'];
    pinCount: number;
    followerCount: number;
    followedByViewer: boolean | null;
    owner: { username: string };
    sections: { edges: Array<{ node: { id: string; name: string } }> } | null;
    pins: Connection<PinCardData>;
  };
  viewer: { user: { username: string } | null } | null;
}

export const BOARD_PINS = `query BoardPins($id: ID!, $after: String) {
  board(id: $id) { id pins(first: 25, after: $after) { edges { node { ...PinCard } } pageInfo { hasNextPage endCursor } } }
}
${PIN_CARD}`;

export interface BoardPinsData {
  board: { id: string; pins: Connection<PinCardData> };
}

export interface BoardCardData {
  id: string;
  entityId: string;
  name: string;
  privacy: BoardChoice['privacy'];
  pinCount: number;
  media: { pinThumbnailUrls: string[]; imageCoverUrl: string | null };
}

export const PROFILE_PAGE = `query ProfilePage($username: String!) {
  user(username: $username) {
    id username about profileImage followerCount followingCount followedByViewer
    boards(first: 25) { edges { node { id entityId name privacy pinCount media { imageCoverUrl pinThumbnailUrls } } } }
    pins(first: 25) { edges { node { ...PinCard } } pageInfo { hasNextPage endCursor } }
  }
  viewer { user { username } }
}
${PIN_CARD}`;

export interface ProfilePageData {
  user: {
    id: string;
    username: string;
    about: string;
    profileImage: string | null;
    followerCount: number;
    followingCount: number;
    followedByViewer: boolean | null;
    boards: { edges: Array<{ node: BoardCardData }> } | null;
    pins: Connection<PinCardData> | null;
  };
  viewer: { user: { username: string } | null } | null;
}

export const USER_PINS = `query UserPins($username: String!, $after: String) {
  user(username: $username) { id pins(first: 25, after: $after) { edges { node { ...PinCard } } pageInfo { hasNextPage endCursor } } }
}
${PIN_CARD}`;

export interface UserPinsData {
  user: { id: string; pins: Connection<PinCardData> };
}

export const SEARCH_PAGE = `query SearchPage($term: String!, $after: String) {
  search(term: $term, first: 25, after: $after) { edges { node { ...PinCard } } pageInfo { hasNextPage endCursor } }
}
${PIN_CARD}`;

export interface SearchPageData {
  search: Connection<PinCardData>;
}

export const MY_BOARDS = `query MyBoards { viewer { boards(first: ${BOARD_CHOICES}) { edges { node { ...BoardChoice } } } } }
${BOARD_CHOICE}`;

export interface MyBoardsData {
  viewer: { boards: { edges: Array<{ node: BoardChoice }> } | null } | null;
}

export const CREATE_BOARD = `mutation CreateBoard($input: CreateBoardInput!) { createBoard(input: $input) { ...BoardChoice } }
${BOARD_CHOICE}`;

export const SAVE_PIN = `mutation SavePin($id: ID!, $boardId: ID!) { savePin(id: $id, input: { boardId: $boardId }) { id entityId } }`;

export const CREATE_PIN = `mutation CreatePin($input: CreatePinInput!) { createPin(input: $input) { id entityId } }`;

export const FOLLOW_USER = `mutation FollowUser($username: String!) { followUser(username: $username) { id followerCount followedByViewer } }`;

export const UNFOLLOW_USER = `mutation UnfollowUser($username: String!) { unfollowUser(username: $username) }`;

export const FOLLOW_BOARD = `mutation FollowBoard($id: ID!) { followBoard(id: $id) { id followerCount followedByViewer } }`;

export const UNFOLLOW_BOARD = `mutation UnfollowBoard($id: ID!) { unfollowBoard(id: $id) }`;

export const RECORD_EVENTS = `mutation RecordEvents($events: [EngagementEventInput!]!) { recordEvents(events: $events) { processed } }`;

export const SUGGESTED_TERMS = `query SuggestedTerms($term: String!) { suggestedTerms(term: $term, limit: 5) }`;
