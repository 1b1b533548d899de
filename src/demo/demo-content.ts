// What the demo data is about: people, their themed boards, and per theme a colour palette, pin
// titles and description lines. Plain data, so it is easy to change the demo's look and feel.
import type { BoardPrivacy, CollaboratorRole } from '../platform/db/schema.js';

export type ThemeName = 'recipes' | 'home' | 'fashion' | 'travel' | 'garden';

export interface Theme {
  /** Background gradient and shape colours. */
  palette: string[];
  /** Text colour for the title card drawn on the image. */
  ink: string;
  titles: string[];
  descriptions: string[];
  /** Where the pin's link points (a path is appended). */
  site: string;
}

export const THEMES: Record<ThemeName, Theme> = {
  recipes: {
    palette: ['#e76f51', '#f4a261', '#e9c46a', '#2a9d8f', '#fefae0', '#bc4749'],
    ink: '#264653',
    site: 'https://recipes.example.com',
    titles: [
      'Lemon ricotta pancakes',
      'One-pot tomato orzo',
      'Roasted squash soup',
      'Crispy chickpea salad',
      'Brown butter cookies',
      'Ten-minute miso noodles',
      'Summer peach galette',
      'Herby green shakshuka',
      'Slow-cooker chili',
      'Coconut lentil curry',
      'Blueberry oat muffins',
      'Garlic butter salmon',
    ],
    descriptions: [
      'Weeknight friendly and ready in under thirty minutes.',
      'A crowd-pleaser that keeps well for lunches.',
      'Bright, fresh and only a handful of ingredients.',
      'Make a double batch and freeze half.',
      'The kind of comfort food that fixes a grey day.',
    ],
  },
  home: {
    palette: ['#a3b18a', '#dad7cd', '#cb997e', '#ddbea9', '#6b705c', '#ffe8d6'],
    ink: '#3a3a2e',
    site: 'https://home.example.com',
    titles: [
      'Sage green reading nook',
      'Terracotta and linen bedroom',
      'Tiny balcony makeover',
      'Open shelving in a small kitchen',
      'Warm minimal living room',
      'Plants on every windowsill',
      'Rattan and oak dining corner',
      'Gallery wall ideas',
      'Cozy rental-friendly lighting',
      'Mid-century sideboard styling',
      'Bathroom in soft neutrals',
      'Entryway that hides the clutter',
    ],
    descriptions: [
      'Layer textures and keep the palette calm.',
      'Small changes, big difference, no landlord drama.',
      'Natural materials make a room feel lived in.',
      'Warm bulbs and a few lamps beat one big ceiling light.',
      'Budget-friendly finds from second-hand shops.',
    ],
  },
  fashion: {
    palette: ['#f7cad0', '#ffe5ec', '#1d3557', '#c9ada7', '#9a8c98', '#e5989b'],
    ink: '#1d3557',
    site: 'https://style.example.com',
    titles: [
      'Camel coat, three ways',
      'Capsule wardrobe for spring',
      'Linen for hot city days',
      'Navy and blush outfit',
      'Layering knits for autumn',
      'White sneakers with everything',
      'Weekend market look',
      'Striped shirt essentials',
      'Rainy day style',
      'Vintage denim finds',
      'Minimal jewellery stack',
      'Packing light for a city break',
    ],
    descriptions: [
      'Fewer pieces, more outfits.',
      'Comfortable enough for a whole day on foot.',
      'Mix textures to keep neutrals interesting.',
      'A little colour goes a long way.',
      'Thrifted, mended and worn for years.',
    ],
  },
  travel: {
    palette: ['#0077b6', '#00b4d8', '#90e0ef', '#ffb703', '#fb8500', '#caf0f8'],
    ink: '#023047',
    site: 'https://travel.example.com',
    titles: [
      'Three days in Lisbon',
      'Island hopping on a budget',
      'Sunrise over the dunes',
      'Hidden coves of the coast',
      'Night trains across Europe',
      'Mountain hut weekend',
      'Harbour towns to visit',
      'Slow travel by bicycle',
      'Markets worth the detour',
      'Road trip packing list',
      'Lakeside camping spots',
      'A week of rooftop sunsets',
    ],
    descriptions: [
      'Go early, before the crowds.',
      'Pack half the clothes and twice the snacks.',
      'The best views are a short walk from the car park.',
      'Cheaper off-season and twice as peaceful.',
      'Local buses, long lunches, no itinerary.',
    ],
  },
  garden: {
    palette: ['#588157', '#a7c957', '#f2e8cf', '#bc6c25', '#dda15e', '#386641'],
    ink: '#283618',
    site: 'https://garden.example.com',
    titles: [
      'Tomatoes in containers',
      'A pollinator border',
      'Raised beds from old pallets',
      'Herbs on a sunny ledge',
      'Dahlias from tubers',
      'Compost that actually works',
      'Climbing beans and peas',
      'Shade-loving ferns',
      'Wildflower meadow corner',
      'Winter veg to sow now',
      'Watering less in summer',
      'Strawberries in hanging baskets',
    ],
    descriptions: [
      'Start small and let it grow on you.',
      'Good soil does most of the work.',
      'The bees will thank you.',
      'Sow in succession for a harvest all season.',
      'Mulch generously, water deeply, then relax.',
    ],
  },
};

export interface DemoBoard {
  name: string;
  description: string;
  theme: ThemeName;
  privacy: BoardPrivacy;
  sections?: string[];
  /** Other demo people invited to pin here. */
  collaborators?: Array<{ username: string; role: CollaboratorRole }>;
}

export interface DemoPerson {
  username: string;
  boards: DemoBoard[];
  /** Usernames this person follows. */
  follows: string[];
}

export const DEMO_USERNAME = 'demo';
export const DEMO_PASSWORD = 'demo-password';

export const PEOPLE: DemoPerson[] = [
  {
    username: DEMO_USERNAME,
    follows: ['maya', 'theo', 'ines'],
    boards: [
      {
        name: 'Weeknight dinners',
        description: 'Quick, cosy food for busy evenings.',
        theme: 'recipes',
        privacy: 'PUBLIC',
        sections: ['Soups', 'Sweet things'],
      },
      {
        name: 'Dream trips',
        description: 'Places to see one day.',
        theme: 'travel',
        privacy: 'PUBLIC',
        collaborators: [{ username: 'ines', role: 'editor' }],
      },
      { name: 'Living room refresh', description: 'Ideas for the flat.', theme: 'home', privacy: 'PUBLIC' },
      { name: 'Gift ideas', description: 'Shh, nobody look.', theme: 'fashion', privacy: 'SECRET' },
    ],
  },
  {
    username: 'maya',
    follows: ['demo', 'kofi'],
    boards: [
      { name: 'Small-space living', description: 'Making every corner count.', theme: 'home', privacy: 'PUBLIC' },
      {
        name: 'Capsule wardrobe',
        description: 'Thirty pieces, endless outfits.',
        theme: 'fashion',
        privacy: 'PUBLIC',
        sections: ['Spring', 'Autumn'],
      },
    ],
  },
  {
    username: 'theo',
    follows: ['demo', 'kofi'],
    boards: [
      { name: 'Balcony garden', description: 'Growing food in two square metres.', theme: 'garden', privacy: 'PUBLIC' },
      { name: 'Bakes and bowls', description: 'Bread, soups and things on toast.', theme: 'recipes', privacy: 'PUBLIC' },
    ],
  },
  {
    username: 'ines',
    follows: ['maya', 'demo'],
    boards: [
      { name: 'Weekend getaways', description: 'Two nights, one bag.', theme: 'travel', privacy: 'PUBLIC' },
      { name: 'Street style', description: 'Spotted in the city.', theme: 'fashion', privacy: 'PUBLIC' },
    ],
  },
  {
    username: 'kofi',
    follows: ['theo', 'demo'],
    boards: [
      { name: 'Vegetable patch', description: 'What worked this year.', theme: 'garden', privacy: 'PUBLIC' },
      { name: 'Mid-century rooms', description: 'Teak, wool and good light.', theme: 'home', privacy: 'PUBLIC' },
    ],
  },
];
