// The words of the dataset: usernames, bios, board descriptions, pin titles and descriptions. Each
// row's text comes from its own tiny random stream (seed + row index), so text is rendered batch by
// batch while loading instead of being held in memory for millions of rows.
import { combine, Rng } from './prng.js';
import { TOPICS, type Topic } from './topics.js';

const FIRST_NAMES = [
  'maya', 'liam', 'sofia', 'noah', 'ava', 'mateo', 'zoe', 'leo', 'ines', 'omar', 'hana', 'felix', 'nora',
  'kai', 'lucia', 'arjun', 'elena', 'theo', 'amara', 'jonas', 'yuki', 'sam', 'priya', 'diego', 'ella',
  'tariq', 'freya', 'ben', 'mila', 'ravi', 'clara', 'ivan', 'lena', 'malik', 'rosa', 'finn', 'aisha', 'jude',
] as const;
const TITLE_ENDINGS = ['', '', '', ' ideas', ' for beginners', ' inspiration', ' you will love', ' guide', ' tips'];
const BUSINESS_SUFFIXES = ['Studio', 'Co.', 'Collective', 'Journal', 'Workshop', 'House'];

function topicAt(index: number): Topic {
  const topic = TOPICS[index];
  if (!topic) throw new RangeError(`no topic ${index}`);
  return topic;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function hashtags(topic: Topic, rng: Rng, count: number): string {
  const tags = new Set<string>();
  while (tags.size < count) tags.add(rng.pick(topic.tags));
  return [...tags].map((tag) => `#${tag}`).join(' ');
}

export interface UserText {
  username: string;
  email: string;
  about: string;
  websiteUrl: string;
  businessName: string | null;
}

export function userText(seedHash: number, user: number, topics: readonly number[], business: boolean): UserText {
  const rng = new Rng(combine(seedHash, user));
  const main = topicAt(topics[0] ?? 0);
  const username = `${rng.pick(FIRST_NAMES)}_${main.key.replace(/-/g, '')}${user}`;
  const labels = topics.map((topic) => topicAt(topic).label.toLowerCase());
  const about =
    labels.length === 1
      ? `Saving ideas about ${labels[0]}.`
      : `${main.label} lover. Also into ${labels.slice(1).join(' and ')}.`;
  const businessName = business ? `${main.label} ${rng.pick(BUSINESS_SUFFIXES)} ${user}` : null;
  return {
    username,
    email: `${username.toLowerCase()}@dataset.example`,
    about,
    websiteUrl: business ? `https://${main.domain}/${slug(username)}` : '',
    businessName,
  };
}

export function boardDescription(seedHash: number, board: number, topic: number): string | null {
  const rng = new Rng(combine(seedHash, board));
  if (rng.chance(0.3)) return null;
  const words = topicAt(topic);
  return `${rng.pick(words.phrases)} ${hashtags(words, rng, 2)}`;
}

export interface PinText {
  title: string | null;
  description: string | null;
  link: string | null;
  altText: string | null;
}

/** The text of an original pin; its saves copy it, as saves on Pinterest do. */
export function pinText(seedHash: number, pin: number, topic: number): PinText {
  const rng = new Rng(combine(seedHash, pin));
  const words = topicAt(topic);
  const subject = rng.pick(words.subjects);
  const headline = `${rng.pick(words.modifiers)} ${subject}${rng.pick(TITLE_ENDINGS)}`;
  const title = rng.chance(0.9) ? headline : null;
  const description = rng.chance(0.8)
    ? `${rng.pick(words.phrases)}${rng.chance(0.5) ? ` ${rng.pick(words.phrases)}` : ''} ${hashtags(words, rng, rng.between(1, 3))}`
    : null;
  const link = rng.chance(0.6) ? `https://${words.domain}/${slug(headline)}-${pin.toString(36)}` : null;
  const altText = rng.chance(0.3) ? `Photo: ${subject}` : null;
  return { title, description, link, altText };
}
