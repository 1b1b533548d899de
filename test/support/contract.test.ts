// Tests of the contract helper itself: a checker that never fails proves nothing, so each case that should pass
// has a neighbour that must fail, and the failure message must say what is wrong.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertMatchesV5, v5ResponseSchema } from './contract.js';

// A Pin as Pinterest returns it (fields per the v5.23.0 Pin schema; only `id` is required there).
function pin(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '123',
    created_at: '2024-05-01T12:00:00Z',
    link: 'https://example.com/recipe',
    title: null,
    description: 'x',
    dominant_color: '#6E7874',
    alt_text: null,
    creative_type: 'REGULAR',
    board_id: '1',
    board_section_id: null,
    board_owner: { username: 'alice' },
    is_owner: true,
    media: {
      media_type: 'image',
      images: { '150x150': { width: 150, height: 150, url: 'http://x/a.jpg' } },
    },
    parent_pin_id: null,
    is_standard: true,
    has_been_promoted: false,
    pin_metrics: null,
    ...overrides,
  };
}

const account = {
  account_type: 'PINNER',
  id: '42',
  username: 'alice',
  profile_image: 'https://example.com/alice.jpg',
  website_url: '',
  about: '',
  business_name: null,
  board_count: 3,
  pin_count: 10,
  follower_count: 0,
  following_count: 1,
  monthly_views: null,
};

const board = {
  id: '1',
  name: 'Recipes',
  description: null,
  owner: { username: 'alice' },
  privacy: 'PUBLIC',
  created_at: '2024-05-01T12:00:00Z',
  board_pins_modified_at: '2024-05-01T12:00:00Z',
  pin_count: 0,
  follower_count: 0,
  collaborator_count: 0,
  is_ads_only: false,
  media: { image_cover_url: null, pin_thumbnail_urls: [] },
};

describe('assertMatchesV5: Pin', () => {
  it('accepts a well-formed Pin for GET /pins/{pin_id} 200', () => {
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 200, pin())).not.toThrow();
  });

  it('rejects a numeric id, naming the field', () => {
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 200, pin({ id: 123 }))).toThrow(/\/id must be string/);
  });

  it('accepts null in nullable fields, including allOf-wrapped ones (creative_type)', () => {
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 200, pin({ creative_type: null, link: null }))).not.toThrow();
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 200, pin({ board_id: null }))).toThrow(/\/board_id/);
  });

  it('selects the PinMedia branch by media_type and reports that branch\'s errors', () => {
    const video = { media_type: 'video', cover_image_url: 'http://x/c.jpg', video_url: null, duration: 1.5, height: 720, width: 1280 };
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 200, pin({ media: video }))).not.toThrow();
    const badImage = { media_type: 'image', images: { '150x150': { width: 150, height: 150 } } };
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 200, pin({ media: badImage }))).toThrow(/\/media\/images\/150x150 must have required property 'url'/);
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 200, pin({ media: { media_type: 'gif' } }))).toThrow(/\/media\/media_type/);
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 200, pin({ media: {} }))).toThrow(/media_type/);
  });

  it('puts the body in the failure message', () => {
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 200, pin({ id: 123 }))).toThrow(/body: \{"id":123/);
  });

  it('rejects a date-time that is not one', () => {
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 200, pin({ created_at: 'yesterday' }))).toThrow(/format/);
  });
});

describe('assertMatchesV5: errors and statuses', () => {
  it('accepts a Pinterest error body for 404 and rejects one without code', () => {
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 404, { code: 50, message: 'Pin not found.' })).not.toThrow();
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 404, { message: 'x' })).toThrow(/must have required property 'code'/);
  });

  it('falls back to the default response for an unlisted error status', () => {
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 500, { code: 1, message: 'boom' })).not.toThrow();
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 500, { error: 'boom' })).toThrow(/'default'/);
  });

  it('refuses an unlisted success status instead of falling back', () => {
    expect(() => assertMatchesV5('GET', '/pins/{pin_id}', 201, pin())).toThrow(/does not answer 201/);
  });

  it('requires an empty body where Pinterest specifies no content', () => {
    expect(() => assertMatchesV5('DELETE', '/pins/{pin_id}', 204, undefined)).not.toThrow();
    expect(() => assertMatchesV5('DELETE', '/pins/{pin_id}', 204, '')).not.toThrow();
    expect(() => assertMatchesV5('DELETE', '/pins/{pin_id}', 204, { ok: true })).toThrow(/no body/);
    expect(v5ResponseSchema('POST', '/oauth/token/revoke', 200)).toBeNull();
  });

  it('throws for an operation the subset does not hold', () => {
    expect(() => assertMatchesV5('GET', '/ad_accounts', 200, {})).toThrow(/not in the v5 subset/);
    expect(() => assertMatchesV5('GET', '/v5/pins/{pin_id}', 200, pin())).toThrow(/not in the v5 subset/);
  });
});

describe('assertMatchesV5: lists, boards, account, oauth', () => {
  it('accepts an empty page for GET /boards 200, and checks the items', () => {
    expect(() => assertMatchesV5('GET', '/boards', 200, { items: [], bookmark: null })).not.toThrow();
    expect(() => assertMatchesV5('GET', '/boards', 200, { items: [board], bookmark: 'abc' })).not.toThrow();
    expect(() => assertMatchesV5('GET', '/boards', 200, { bookmark: null })).toThrow(/required property 'items'/);
    expect(() => assertMatchesV5('GET', '/boards', 200, { items: [{ ...board, name: undefined }], bookmark: null })).toThrow(/\/items\/0 must have required property 'name'/);
    expect(() => assertMatchesV5('GET', '/boards', 200, { items: [{ ...board, privacy: 'FRIENDS' }], bookmark: null })).toThrow(/\/items\/0\/privacy/);
  });

  it('checks Paginated allOf lists (GET /boards/{board_id}/pins 200)', () => {
    expect(() => assertMatchesV5('GET', '/boards/{board_id}/pins', 200, { items: [pin()], bookmark: null })).not.toThrow();
    expect(() => assertMatchesV5('GET', '/boards/{board_id}/pins', 200, { items: [pin({ id: 7 })], bookmark: null })).toThrow(/\/items\/0\/id/);
  });

  it('accepts an Account for GET /user_account 200 and rejects a wrong account_type', () => {
    expect(() => assertMatchesV5('GET', '/user_account', 200, account)).not.toThrow();
    expect(() => assertMatchesV5('GET', '/user_account', 200, { ...account, account_type: 'ADMIN' })).toThrow(/account_type/);
  });

  it('dispatches the OAuth token response by response_type (discriminator without oneOf)', () => {
    const base = { access_token: 'pina_x', token_type: 'bearer', expires_in: 2592000, scope: 'boards:read pins:read' };
    expect(() => assertMatchesV5('POST', '/oauth/token', 200, { ...base, response_type: 'authorization_code' })).not.toThrow();
    const refresh = { ...base, response_type: 'refresh_token', refresh_token: 'pinr_y', refresh_token_expires_in: 5184000, refresh_token_expires_at: 1700000000 };
    expect(() => assertMatchesV5('POST', '/oauth/token', 200, refresh)).not.toThrow();
    expect(() => assertMatchesV5('POST', '/oauth/token', 200, { ...base, response_type: 'refresh_token' })).toThrow(/refresh_token/);
    expect(() => assertMatchesV5('POST', '/oauth/token', 200, { response_type: 'client_credentials' })).toThrow(/access_token/);
  });
});

describe('fixture and schema lookup', () => {
  it('v5ResponseSchema returns the converted schema with refs into the registered document', () => {
    const s = v5ResponseSchema('GET', '/pins/{pin_id}', 200);
    expect(s).toMatchObject({ $ref: expect.stringMatching(/#\/definitions\/Pin$/) as unknown });
  });

  it('the subset kept the real `description` properties and dropped documentation strings', () => {
    const doc = JSON.parse(readFileSync(new URL('../fixtures/pinterest-v5-subset.json', import.meta.url), 'utf8')) as {
      'x-source': string;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; description?: unknown }> };
      paths: Record<string, Record<string, { summary?: unknown; description?: unknown }>>;
    };
    expect(doc['x-source']).toMatch(/c05b18971472342ebdf4bafc15fea8a91c78bf79/);
    expect(doc.components.schemas['Pin']?.properties).toHaveProperty('description');
    expect(doc.components.schemas['BoardBase']?.properties).toHaveProperty('description');
    expect(doc.components.schemas['Pin']).not.toHaveProperty('description');
    expect(doc.paths['/pins/{pin_id}']?.['get']).not.toHaveProperty('summary');
  });
});
