// Stable 32-bit hashes of strings, for seeds and tie-breaks that must come out the same on every
// machine and in every version (the dataset generator, related-pins walk seeds, home feed ties).
// FNV-1a over UTF-16 code units, finished with murmur3's avalanche so nearby strings spread out.

/** The hash of `text`; a different `seed` gives an independent hash of the same text. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** murmur3's fmix32: a bijective scramble of 32 bits. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
