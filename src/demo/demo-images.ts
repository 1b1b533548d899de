// Draws the demo's pin images: a gradient in a theme's palette, a few soft shapes, and the pin's
// title on a card, rendered from SVG by sharp. Deterministic for a given random source, so every
// fresh demo looks the same. (Without any system fonts the title simply does not appear.)
import type { Theme } from './demo-content.js';

export type Random = () => number;

/** A small seeded PRNG (mulberry32): the demo is the same on every machine. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

// Pinterest's grid favours tall images; a few square and wide ones keep it lively.
const ASPECTS = [2 / 3, 2 / 3, 3 / 4, 4 / 5, 9 / 16, 1, 4 / 3];
const WIDTHS = [600, 736, 800, 900];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Breaks a title into lines of at most `max` characters, on spaces. */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function shapes(random: Random, theme: Theme, width: number, height: number): string {
  const parts: string[] = [];
  const count = 3 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const colour = pick(random, theme.palette);
    const opacity = (0.35 + random() * 0.45).toFixed(2);
    const x = Math.round(random() * width);
    const y = Math.round(random() * height * 0.7);
    const size = Math.round((0.12 + random() * 0.3) * width);
    switch (Math.floor(random() * 3)) {
      case 0:
        parts.push(`<circle cx="${x}" cy="${y}" r="${size}" fill="${colour}" fill-opacity="${opacity}"/>`);
        break;
      case 1:
        parts.push(
          `<rect x="${x - size}" y="${y - size / 2}" width="${size * 2}" height="${size}" rx="${Math.round(size / 4)}" ` +
            `fill="${colour}" fill-opacity="${opacity}" transform="rotate(${Math.round(random() * 60 - 30)} ${x} ${y})"/>`,
        );
        break;
      default: {
        const crest = Math.round(y + size / 2);
        parts.push(
          `<path d="M0 ${crest} Q ${width / 4} ${crest - size} ${width / 2} ${crest} T ${width} ${crest} V ${height} H 0 Z" ` +
            `fill="${colour}" fill-opacity="${opacity}"/>`,
        );
      }
    }
  }
  return parts.join('');
}

/** A JPEG for a pin titled `title` in `theme`'s colours, in one of the grid's usual shapes. */
export async function drawPinImage(theme: Theme, title: string, random: Random): Promise<Buffer> {
  const width = pick(random, WIDTHS);
  const height = Math.round(width / pick(random, ASPECTS));
  const from = pick(random, theme.palette);
  const to = pick(random, theme.palette.filter((colour) => colour !== from));
  const fontSize = Math.round(width / 13);
  const lines = wrap(title, 18);
  const cardHeight = Math.round(fontSize * (lines.length * 1.25 + 1));
  const cardTop = height - cardHeight - Math.round(width * 0.08);
  const text = lines
    .map(
      (line, i) =>
        `<text x="${width / 2}" y="${cardTop + fontSize * (1.3 + i * 1.25)}" font-family="DejaVu Sans, sans-serif" ` +
        `font-size="${fontSize}" font-weight="bold" text-anchor="middle" fill="${theme.ink}">${escapeXml(line)}</text>`,
    )
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="${random().toFixed(2)}" y2="1">` +
    `<stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#bg)"/>${shapes(random, theme, width, height)}` +
    `<rect x="${Math.round(width * 0.07)}" y="${cardTop}" width="${Math.round(width * 0.86)}" height="${cardHeight}" ` +
    `rx="${Math.round(fontSize / 2)}" fill="#ffffff" fill-opacity="0.86"/>${text}</svg>`;
  // Loaded here rather than with the module: a start with no demo to add never needs it.
  const { default: sharp } = await import('sharp');
  return sharp(Buffer.from(svg)).jpeg({ quality: 84 }).toBuffer();
}
