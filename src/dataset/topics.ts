// The topic communities the dataset is built around. Ordered by popularity: a user's interests are
// drawn Zipf-wise over this order, so recipes and home decor are the big communities and tech the
// small one. Each topic brings the words its boards, pins and images are made of.

export interface Topic {
  key: string;
  label: string;
  /** Colours for generated images (gradients and shapes), as '#rrggbb'. */
  palette: readonly string[];
  /** Nouns a pin title is about. */
  subjects: readonly string[];
  /** Words placed before a subject in a title. */
  modifiers: readonly string[];
  /** Sentences of a pin description. */
  phrases: readonly string[];
  /** Hashtags appended to descriptions (searchable, as on Pinterest). */
  tags: readonly string[];
  boardNames: readonly string[];
  sectionNames: readonly string[];
  /** Link domain for pins that point somewhere. */
  domain: string;
}

const list = (text: string): readonly string[] => text.split('|');

export const TOPICS: readonly Topic[] = [
  {
    key: 'recipes',
    label: 'Recipes',
    palette: ['#c0392b', '#e67e22', '#f4d03f', '#6e2c00', '#fdebd0'],
    subjects: list('pasta|banana bread|ramen|lasagna|tacos|salad|sourdough|curry|pancakes|brownies|smoothie bowl|risotto|dumplings|chili|cheesecake|granola'),
    modifiers: list('Easy|Creamy|Vegan|One-pot|15-minute|Healthy|Spicy|Classic|Gluten-free|Homemade|Crispy|Weeknight'),
    phrases: list('Ready in under 30 minutes.|A family favourite for busy weeknights.|Make it ahead and freeze the rest.|Only five ingredients from the pantry.|Perfect for meal prep on Sunday.|Crowd-pleasing and budget friendly.|The secret is toasting the spices first.|Serve warm with a squeeze of lemon.'),
    tags: list('recipes|dinnerideas|easyrecipes|mealprep|vegan|baking|comfortfood|healthyeating|dessert|foodie'),
    boardNames: list('Dinner Ideas|Baking|Healthy Recipes|Desserts|Breakfast|Meal Prep|Soups and Stews|Vegetarian|Party Food|Slow Cooker|Cookies|Drinks'),
    sectionNames: list('Weeknight|Weekend Projects|Holidays|Quick Snacks|To Try|Favourites|Sides|Sauces'),
    domain: 'kitchen.example.com',
  },
  {
    key: 'home-decor',
    label: 'Home Decor',
    palette: ['#d5c4a1', '#7d8c6e', '#f2efe9', '#8b5e3c', '#4a5a6a'],
    subjects: list('living room|bedroom|gallery wall|reading nook|kitchen island|entryway|bathroom|bookshelf|patio|dining table|accent wall|rug|lighting|home office|nursery'),
    modifiers: list('Cozy|Minimalist|Boho|Scandinavian|Modern farmhouse|Mid-century|Small-space|Rustic|Japandi|Coastal|Neutral|Moody'),
    phrases: list('Warm textures and lots of natural light.|Rented apartment friendly, no drilling needed.|Layer neutrals with one bold accent.|Thrifted pieces mixed with new ones.|Plants make every corner feel alive.|Storage that looks good on display.|A calm palette for slow mornings.|Small changes with a big difference.'),
    tags: list('homedecor|interiordesign|livingroom|bedroomideas|cozyhome|minimalism|boho|homeinspo|apartmentdecor|scandinavian'),
    boardNames: list('Living Room|Bedroom Ideas|Dream Home|Kitchen Inspo|Apartment Decor|Bathroom|Cozy Corners|Home Office|Outdoor Spaces|Color Palettes|Furniture|Lighting'),
    sectionNames: list('Walls|Textiles|Storage|Plants|Before and After|Budget|Shopping List|Layouts'),
    domain: 'home.example.com',
  },
  {
    key: 'fashion',
    label: 'Fashion',
    palette: ['#2c3e50', '#e8d5c4', '#b03a48', '#f5f5f5', '#7f8c8d'],
    subjects: list('capsule wardrobe|fall outfit|denim jacket|trench coat|street style|summer dress|sneakers|knitwear|work outfit|layering|accessories|handbag|linen set|boots|blazer'),
    modifiers: list('Casual|Chic|Vintage|Oversized|Effortless|Monochrome|Parisian|Minimal|Preppy|Street|Elevated|Classic'),
    phrases: list('Ten pieces, thirty outfits.|Dress it up or down.|Thrifted and styled three ways.|Neutral tones that go with everything.|Comfortable enough for all day.|The one jacket worth investing in.|Mix textures for depth.|Swap heels for sneakers on the weekend.'),
    tags: list('fashion|ootd|streetstyle|outfitideas|capsulewardrobe|style|vintage|fallfashion|minimalstyle|lookbook'),
    boardNames: list('Outfit Ideas|Style Inspo|Capsule Wardrobe|Fall Outfits|Summer Style|Shoes|Accessories|Work Wear|Street Style|Vintage Finds|Wishlist|Date Night'),
    sectionNames: list('Tops|Bottoms|Outerwear|Shoes|Bags|Jewelry|Layering|Colors'),
    domain: 'style.example.com',
  },
  {
    key: 'beauty',
    label: 'Beauty',
    palette: ['#f8c8dc', '#d98ca3', '#8e4162', '#fff1e6', '#c49a6c'],
    subjects: list('skincare routine|braids|nail art|natural makeup|curly hair|lip color|eyeliner|hair color|glow|face mask|updo|bangs|manicure|brows|serum'),
    modifiers: list('Easy|Glowing|Soft|Bold|Everyday|Clean|Dewy|Effortless|Summer|Quick|No-makeup|Glam'),
    phrases: list('A five-minute routine for busy mornings.|Works on fine and thick hair alike.|Gentle enough for sensitive skin.|Step by step for beginners.|Long lasting through a full day.|Drugstore finds that work.|Soft colour that suits everyone.|Hydration first, always.'),
    tags: list('beauty|skincare|makeup|hairstyles|nails|naturalbeauty|haircolor|glowingskin|nailart|selfcare'),
    boardNames: list('Hair Ideas|Skincare|Makeup Looks|Nails|Beauty Tips|Hair Color|Self Care|Braids|Natural Beauty|Wedding Hair|Products to Try|Glow Up'),
    sectionNames: list('Everyday|Special Occasion|Routines|Products|Tutorials|Colors|Tools|Favorites'),
    domain: 'beauty.example.com',
  },
  {
    key: 'diy',
    label: 'DIY and Crafts',
    palette: ['#f39c12', '#16a085', '#e74c3c', '#fdfefe', '#8e44ad'],
    subjects: list('macrame|candles|paper flowers|upcycled furniture|embroidery|wreath|crochet blanket|resin art|shelf|planter|gift wrap|quilt|pottery|wall hanging|beaded jewelry'),
    modifiers: list('Easy|Beginner|No-sew|Budget|Weekend|Upcycled|Handmade|Rustic|Colorful|Kid-friendly|Quick|Cozy'),
    phrases: list('Made with things you already have.|A relaxing weekend project.|Free pattern included.|Step-by-step photos make it easy.|Costs less than ten dollars.|Great as a handmade gift.|No special tools needed.|Turn scraps into something lovely.'),
    tags: list('diy|crafts|handmade|upcycling|crochet|macrame|diyhomedecor|craftideas|sewing|makersgonnamake'),
    boardNames: list('DIY Projects|Crafts|Crochet|Sewing|Upcycling|Gift Ideas|Kids Crafts|Paper Crafts|Woodworking|Holiday Crafts|Knitting|Painting Furniture'),
    sectionNames: list('Patterns|To Make|Made It|Supplies|Gifts|Seasonal|Quick Wins|Big Projects'),
    domain: 'makers.example.com',
  },
  {
    key: 'weddings',
    label: 'Weddings',
    palette: ['#f7e7ce', '#e5b3bb', '#9caf88', '#ffffff', '#c9a66b'],
    subjects: list('wedding dress|bouquet|centerpiece|wedding cake|invitation|bridal hair|table setting|ceremony arch|first dance|bridesmaid dress|reception|favors|veil|venue|ring'),
    modifiers: list('Rustic|Elegant|Boho|Garden|Minimal|Romantic|Vintage|Beach|Winter|Modern|Whimsical|Intimate'),
    phrases: list('Soft florals and candlelight.|An intimate ceremony for fifty guests.|Budget friendly without looking it.|Seasonal flowers keep costs down.|Timeless details that photograph well.|Personal touches guests remember.|A palette of blush, sage and gold.|Planned in six months.'),
    tags: list('wedding|weddinginspiration|bride|weddingdress|bouquet|weddingdecor|engaged|weddingplanning|rusticwedding|weddingcake'),
    boardNames: list('Wedding Ideas|Dream Wedding|Wedding Dresses|Bouquets|Wedding Decor|Cakes|Bridesmaids|Invitations|Venues|Wedding Hair|Honeymoon|Reception'),
    sectionNames: list('Ceremony|Reception|Flowers|Attire|Stationery|Food|Details|Budget'),
    domain: 'weddings.example.com',
  },
  {
    key: 'travel',
    label: 'Travel',
    palette: ['#1abc9c', '#3498db', '#f1c40f', '#e67e22', '#ecf0f1'],
    subjects: list('Lisbon|Kyoto|Iceland road trip|Amalfi coast|Mexico City|national park|packing list|Bali|Scottish Highlands|Marrakech|New Zealand|Paris|weekend getaway|beach towns|hidden gems'),
    modifiers: list('Ultimate|Budget|3-day|Hidden|First-timer|Slow|Solo|Family|Winter|Off-season|Scenic|Local'),
    phrases: list('Where to eat, stay and wander.|Skip the crowds with an early start.|Everything fits in a carry-on.|The best view is a short hike away.|A local favourite off the main square.|Itinerary with a map.|Trains make it easy without a car.|Go in shoulder season for the light.'),
    tags: list('travel|wanderlust|traveltips|roadtrip|bucketlist|europe|travelguide|adventure|beach|itinerary'),
    boardNames: list('Travel Bucket List|Places to Go|Road Trips|Europe|Asia|Beaches|Travel Tips|Packing|City Guides|National Parks|Honeymoon Ideas|Weekend Getaways'),
    sectionNames: list('Itineraries|Food|Stays|Tips|Photo Spots|Someday|Been There|Maps'),
    domain: 'travel.example.com',
  },
  {
    key: 'gardening',
    label: 'Gardening',
    palette: ['#27ae60', '#a9cf54', '#6b4226', '#f9e79f', '#d35400'],
    subjects: list('raised beds|herb garden|tomatoes|succulents|cottage garden|balcony garden|compost|houseplants|roses|vegetable patch|seed starting|pollinator garden|pruning|monstera|container garden'),
    modifiers: list('Small-space|Beginner|Organic|Low-maintenance|Drought-tolerant|Spring|Shady|Indoor|Vertical|Budget|Cottage|Native'),
    phrases: list('Plant in early spring for a summer harvest.|Thrives with almost no care.|Companion planting keeps pests away.|Water deeply, not often.|Bees and butterflies love it.|Grows happily on a sunny windowsill.|Free compost from kitchen scraps.|A planting plan for every season.'),
    tags: list('gardening|garden|houseplants|vegetablegarden|gardendesign|plants|growyourown|succulents|cottagegarden|urbangarden'),
    boardNames: list('Garden Ideas|Vegetable Garden|Houseplants|Backyard|Flowers|Herbs|Succulents|Garden Design|Container Gardening|Landscaping|Balcony Garden|Seed Starting'),
    sectionNames: list('Spring|Summer|Fall|Winter|Planting Plans|Pests|Tools|Harvest'),
    domain: 'garden.example.com',
  },
  {
    key: 'fitness',
    label: 'Fitness',
    palette: ['#e74c3c', '#2c3e50', '#1abc9c', '#f0f3f4', '#f39c12'],
    subjects: list('home workout|yoga flow|core routine|running plan|stretching|HIIT|pilates|strength training|mobility|glute workout|walking|meal plan|morning routine|resistance bands|recovery'),
    modifiers: list('20-minute|Beginner|No-equipment|Full-body|Low-impact|Daily|Gentle|Intense|4-week|Quick|At-home|Advanced'),
    phrases: list('No equipment, no excuses.|Three rounds, rest as needed.|Gentle on the knees.|Build strength in four weeks.|Great before a long day at a desk.|Modifications for every level.|Warm up first, always.|Consistency beats intensity.'),
    tags: list('fitness|workout|yoga|homeworkout|health|running|pilates|stretching|fitnessmotivation|wellness'),
    boardNames: list('Workouts|Yoga|Fitness Motivation|Healthy Living|Running|Stretching|Home Workouts|Pilates|Wellness|Ab Workouts|Fitness Plans|Self Care Routine'),
    sectionNames: list('Upper Body|Lower Body|Core|Cardio|Plans|Stretch|Nutrition|Progress'),
    domain: 'fit.example.com',
  },
  {
    key: 'art',
    label: 'Art',
    palette: ['#34495e', '#9b59b6', '#e74c3c', '#f1c40f', '#ecf0f1'],
    subjects: list('watercolor|portrait sketch|abstract painting|linocut|ink drawing|oil landscape|digital illustration|still life|mural|charcoal study|gouache|sketchbook|color study|collage|figure drawing'),
    modifiers: list('Loose|Bold|Minimal|Expressive|Colorful|Moody|Playful|Quick|Detailed|Textured|Dreamy|Graphic'),
    phrases: list('Painted from life in one sitting.|A limited palette of three colours.|Practice daily, even ten minutes.|Layering glazes for depth.|Inspired by old botanical prints.|Process video in the link.|Brushes and paper I use.|Studies before the final piece.'),
    tags: list('art|painting|watercolor|drawing|illustration|sketchbook|artinspiration|abstractart|artist|creative'),
    boardNames: list('Art Inspiration|Drawing|Painting|Watercolor|Illustration|Sketchbook|Art Techniques|Abstract Art|Color Palettes|Art Prints|Street Art|Portraits'),
    sectionNames: list('Techniques|Materials|Artists|Studies|Prompts|Finished|Color|Composition'),
    domain: 'studio.example.com',
  },
  {
    key: 'pets',
    label: 'Pets',
    palette: ['#a0522d', '#f5deb3', '#708090', '#ffe4b5', '#556b2f'],
    subjects: list('puppy training|cat tree|dog treats|rescue dog|kitten|aquarium|dog walk|pet portrait|grooming|cat toys|dog bed|bunny|pet-friendly home|senior dog|agility'),
    modifiers: list('Homemade|Easy|Cute|Calm|Playful|Budget|Cozy|DIY|Healthy|Fluffy|Gentle|Happy'),
    phrases: list('Approved by our very picky eater.|Positive reinforcement only.|Keeps them busy for hours.|Vet-approved ingredients.|Adopted last spring and thriving.|Easy to clean and chew proof.|Little by little, every day.|Sunday naps are sacred.'),
    tags: list('pets|dogs|cats|puppy|doglover|catsofpinterest|pettips|rescuedog|kitten|petcare'),
    boardNames: list('Dogs|Cats|Pet Care|Puppy Training|Cute Animals|Pet DIY|Dog Treats|Pet Friendly Home|Adoption|Funny Pets|Cat Toys|Pet Photography'),
    sectionNames: list('Training|Food|Toys|Health|Grooming|Gear|Funny|Our Pets'),
    domain: 'pets.example.com',
  },
  {
    key: 'tech',
    label: 'Tech',
    palette: ['#0f172a', '#38bdf8', '#a3e635', '#e2e8f0', '#6366f1'],
    subjects: list('desk setup|mechanical keyboard|home server|smart home|cable management|wallpaper|productivity app|laptop stand|dual monitors|home lab|3D printing|gadgets|coding setup|headphones|camera gear'),
    modifiers: list('Minimal|Clean|Budget|Ultimate|Cozy|RGB|Compact|Wireless|Dark mode|Ergonomic|Retro|Pro'),
    phrases: list('Every cable hidden.|Built on a small budget.|Quiet enough for calls.|Open-source all the way.|Setup tour with parts list.|Ergonomics first, looks second.|Automations that save time daily.|Runs on a single small computer.'),
    tags: list('tech|desksetup|workspace|gadgets|smarthome|productivity|coding|homeoffice|keyboards|battlestation'),
    boardNames: list('Desk Setup|Tech Gadgets|Workspace|Smart Home|Coding|Productivity|Home Lab|Keyboards|Wallpapers|3D Printing|Photography Gear|Wishlist Tech'),
    sectionNames: list('Desk|Peripherals|Software|Wiring|Ideas|Bought|Builds|Guides'),
    domain: 'tech.example.com',
  },
];
