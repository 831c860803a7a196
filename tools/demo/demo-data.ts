// The demo retailer, Mellow Market: tea, coffee, snacks and tableware sold through its own app, a
// marketplace (tmall), a social group-buy channel (wechat) and two stores (channel pos, one key
// per store). Pure data: tools/demo/seed.ts loads it through the services' APIs.

/** Channels of the demo and what they stand for. */
export const DEMO_CHANNELS = {
  app: 'own app',
  tmall: 'marketplace',
  wechat: 'social group-buy',
  pos: 'store tills (one key per store)',
} as const;

/** Currency of every price (the pricing service's default). */
export const CURRENCY = 'CNY';

export interface DemoLocation {
  role: 'warehouse' | 'storeA' | 'storeB';
  code: string;
  name: string;
  type: 'warehouse' | 'store';
  lat: number;
  lng: number;
  shipsInDays: number;
}

export const LOCATIONS: DemoLocation[] = [
  { role: 'warehouse', code: 'MM-DC-JIADING', name: 'Mellow Market central warehouse (Jiading)', type: 'warehouse', lat: 31.3747, lng: 121.2655, shipsInDays: 2 },
  { role: 'storeA', code: 'MM-STORE-PSQ', name: "Mellow Market People's Square", type: 'store', lat: 31.2336, lng: 121.475, shipsInDays: 1 },
  { role: 'storeB', code: 'MM-STORE-XJH', name: 'Mellow Market Xujiahui', type: 'store', lat: 31.195, lng: 121.437, shipsInDays: 1 },
];

export const OWNERS = {
  retailer: { name: 'Mellow Market', type: 'retailer' },
  consignor: { name: 'West Lake Tea Cooperative (consignment)', type: 'consignor' },
} as const;

export const CATEGORIES = ['Tea', 'Coffee', 'Snacks', 'Tableware'] as const;
export type CategoryName = (typeof CATEGORIES)[number];

export const BRANDS = ['Mellow Select', 'West Lake Cooperative'] as const;

/** Display profiles: how each channel shows stock, and its badges. */
export const DISPLAY_PROFILES: Record<string, { stockHint: { kind: 'online' | 'store' | 'remote'; lowStockThreshold?: number }; badges: string[] }> = {
  'app-standard': { stockHint: { kind: 'online', lowStockThreshold: 5 }, badges: ['member-points'] },
  'marketplace-flagship': { stockHint: { kind: 'online', lowStockThreshold: 30 }, badges: ['official-store', 'channel-price'] },
  'group-buy': { stockHint: { kind: 'remote' }, badges: ['group-buy'] },
  'in-store': { stockHint: { kind: 'store' }, badges: ['store-pickup'] },
};

/** The profile each channel's listings use. */
export const CHANNEL_PROFILE: Record<keyof typeof DEMO_CHANNELS, string> = {
  app: 'app-standard',
  tmall: 'marketplace-flagship',
  wechat: 'group-buy',
  pos: 'in-store',
};

/** Stock received per location: warehouse, store A, store B (and who owns the warehouse units). */
export interface DemoStock {
  warehouse: number;
  storeA: number;
  storeB: number;
  /** Consigned goods: the warehouse units belong to the consignor. */
  consigned?: boolean;
}

export interface DemoSku {
  sku: string;
  attributes: Record<string, string>;
  /** Base price, minor units. */
  price: number;
  /** The marketplace's exclusive price, when it has one. */
  tmallPrice?: number;
  stock: DemoStock;
}

export interface DemoProduct {
  title: string;
  category: CategoryName;
  brand: (typeof BRANDS)[number];
  tags: string[];
  description: string;
  /** A title of its own on the marketplace. */
  tmallTitle?: string;
  skus: DemoSku[];
}

const s = (warehouse: number, storeA: number, storeB: number, consigned = false): DemoStock => ({ warehouse, storeA, storeB, ...(consigned ? { consigned } : {}) });

/** Units the flash sale puts up (the scenario tops the SKU up to this before each race). */
export const FLASH_SALE_UNITS = 5;

/** 30 SKUs in four categories. */
export const PRODUCTS: DemoProduct[] = [
  {
    title: 'Longjing green tea',
    category: 'Tea',
    brand: 'West Lake Cooperative',
    tags: ['green-tea', 'longjing', 'spring-harvest'],
    description: 'Pre-Qingming Longjing from the West Lake hills, pan-fired by hand.',
    tmallTitle: 'Longjing green tea — official flagship',
    skus: [
      { sku: 'TEA-LJ-100', attributes: { weight: '100g' }, price: 5800, stock: s(80, 10, 8, true) },
      { sku: 'TEA-LJ-250', attributes: { weight: '250g' }, price: 12800, tmallPrice: 11800, stock: s(60, 8, 6, true) },
    ],
  },
  {
    title: 'Tieguanyin oolong',
    category: 'Tea',
    brand: 'Mellow Select',
    tags: ['oolong'],
    description: 'Lightly roasted Anxi Tieguanyin with an orchid finish.',
    skus: [
      { sku: 'TEA-TGY-100', attributes: { weight: '100g' }, price: 4800, stock: s(90, 12, 10) },
      { sku: 'TEA-TGY-250', attributes: { weight: '250g' }, price: 10800, tmallPrice: 9900, stock: s(40, 6, 4) },
    ],
  },
  {
    title: 'Jasmine pearls',
    category: 'Tea',
    brand: 'Mellow Select',
    tags: ['green-tea', 'jasmine'],
    description: 'Hand-rolled green tea pearls scented seven times with jasmine blossoms.',
    skus: [
      { sku: 'TEA-JAS-50', attributes: { weight: '50g' }, price: 3600, stock: s(120, 15, 15) },
      { sku: 'TEA-JAS-100', attributes: { weight: '100g' }, price: 6600, stock: s(70, 8, 8) },
    ],
  },
  {
    title: "Pu'er tea cake",
    category: 'Tea',
    brand: 'Mellow Select',
    tags: ['puer', 'aged'],
    description: 'A 357 g cake of 2016 ripe Pu\u2019er from Menghai.',
    skus: [{ sku: 'TEA-PUER-357', attributes: { weight: '357g', vintage: '2016' }, price: 26800, stock: s(25, 3, 2) }],
  },
  {
    title: 'Earl Grey tea bags',
    category: 'Tea',
    brand: 'Mellow Select',
    tags: ['black-tea', 'tea-bags'],
    description: 'Keemun black tea with bergamot, in compostable pyramid bags.',
    skus: [
      { sku: 'TEA-EG-20', attributes: { bags: '20' }, price: 2900, stock: s(200, 20, 20) },
      { sku: 'TEA-EG-50', attributes: { bags: '50' }, price: 5900, tmallPrice: 5500, stock: s(100, 10, 10) },
    ],
  },
  {
    title: 'Ceremonial matcha',
    category: 'Tea',
    brand: 'Mellow Select',
    tags: ['green-tea', 'matcha'],
    description: 'Stone-ground first-flush matcha.',
    skus: [{ sku: 'TEA-MATCHA-30', attributes: { weight: '30g' }, price: 8800, stock: s(50, 6, 6) }],
  },
  {
    title: 'Yunnan single-origin coffee beans',
    category: 'Coffee',
    brand: 'Mellow Select',
    tags: ['coffee-beans', 'single-origin'],
    description: 'Washed Catimor from Pu\u2019er, Yunnan; notes of brown sugar and plum.',
    skus: [
      { sku: 'COF-YN-250', attributes: { weight: '250g', roast: 'medium' }, price: 7800, stock: s(80, 10, 10) },
      { sku: 'COF-YN-500', attributes: { weight: '500g', roast: 'medium' }, price: 14800, tmallPrice: 13800, stock: s(40, 4, 4) },
    ],
  },
  {
    title: 'House espresso blend',
    category: 'Coffee',
    brand: 'Mellow Select',
    tags: ['coffee-beans', 'espresso'],
    description: 'A chocolatey blend for espresso and milk drinks.',
    skus: [
      { sku: 'COF-ESP-250', attributes: { weight: '250g', roast: 'dark' }, price: 6800, stock: s(100, 12, 12) },
      { sku: 'COF-ESP-1000', attributes: { weight: '1kg', roast: 'dark' }, price: 22800, stock: s(30, 2, 2) },
    ],
  },
  {
    title: 'Cold brew bottles',
    category: 'Coffee',
    brand: 'Mellow Select',
    tags: ['cold-brew', 'ready-to-drink'],
    description: 'Twelve-hour cold brew, six 250 ml bottles.',
    skus: [{ sku: 'COF-CB-6PK', attributes: { pack: '6 x 250ml' }, price: 8400, stock: s(60, 8, 8) }],
  },
  {
    title: 'Drip coffee bags',
    category: 'Coffee',
    brand: 'Mellow Select',
    tags: ['drip-bags'],
    description: 'Single-serve pour-over bags of the Yunnan roast.',
    skus: [
      { sku: 'COF-DRIP-10', attributes: { bags: '10' }, price: 3900, stock: s(150, 20, 20) },
      { sku: 'COF-DRIP-30', attributes: { bags: '30' }, price: 9900, stock: s(80, 10, 10) },
    ],
  },
  {
    title: 'Paper coffee filters',
    category: 'Coffee',
    brand: 'Mellow Select',
    tags: ['brewing'],
    description: 'Unbleached V60-size filters.',
    skus: [{ sku: 'COF-FILTER-100', attributes: { count: '100' }, price: 1800, stock: s(300, 30, 30) }],
  },
  {
    title: 'Osmanthus cakes',
    category: 'Snacks',
    brand: 'Mellow Select',
    tags: ['pastry', 'osmanthus'],
    description: 'Soft rice cakes with Hangzhou osmanthus.',
    skus: [
      { sku: 'SNK-OSM-6', attributes: { pieces: '6' }, price: 3200, stock: s(100, 15, 15) },
      { sku: 'SNK-OSM-12', attributes: { pieces: '12' }, price: 5800, stock: s(60, 8, 8) },
    ],
  },
  {
    title: 'Roasted almonds',
    category: 'Snacks',
    brand: 'Mellow Select',
    tags: ['nuts'],
    description: 'Dry-roasted, lightly salted.',
    skus: [{ sku: 'SNK-ALM-200', attributes: { weight: '200g' }, price: 3900, stock: s(120, 15, 15) }],
  },
  {
    title: 'Dried mango',
    category: 'Snacks',
    brand: 'Mellow Select',
    tags: ['dried-fruit'],
    description: 'Unsweetened Hainan mango slices.',
    skus: [{ sku: 'SNK-MANGO-150', attributes: { weight: '150g' }, price: 2600, stock: s(120, 15, 15) }],
  },
  {
    title: 'Black sesame crisps',
    category: 'Snacks',
    brand: 'Mellow Select',
    tags: ['sesame'],
    description: 'Thin crisps of black sesame and honey.',
    skus: [{ sku: 'SNK-SES-100', attributes: { weight: '100g' }, price: 1900, stock: s(150, 20, 20) }],
  },
  {
    title: 'Walnut cookies',
    category: 'Snacks',
    brand: 'Mellow Select',
    tags: ['pastry', 'nuts'],
    description: 'Crumbly walnut shortbread, a Shanghai classic.',
    skus: [{ sku: 'SNK-WALNUT-8', attributes: { pieces: '8' }, price: 2800, stock: s(100, 12, 12) }],
  },
  {
    title: 'Celadon tea set',
    category: 'Tableware',
    brand: 'Mellow Select',
    tags: ['tea-set', 'ceramics'],
    description: 'Longquan celadon pot with four cups.',
    skus: [{ sku: 'TBL-CELADON-SET', attributes: { pieces: '5' }, price: 39800, stock: s(15, 2, 2) }],
  },
  {
    title: 'Glass teapot',
    category: 'Tableware',
    brand: 'Mellow Select',
    tags: ['teapot', 'glass'],
    description: 'Borosilicate teapot with a steel infuser.',
    skus: [{ sku: 'TBL-GLASS-600', attributes: { volume: '600ml' }, price: 12900, stock: s(40, 5, 5) }],
  },
  {
    title: 'Stoneware mug',
    category: 'Tableware',
    brand: 'Mellow Select',
    tags: ['mug', 'ceramics'],
    description: 'A hand-glazed 350 ml mug.',
    skus: [
      { sku: 'TBL-MUG-WHITE', attributes: { colour: 'white' }, price: 6800, stock: s(60, 8, 8) },
      { sku: 'TBL-MUG-BLUE', attributes: { colour: 'blue' }, price: 6800, stock: s(60, 8, 8) },
    ],
  },
  {
    title: 'Bamboo tea tray',
    category: 'Tableware',
    brand: 'Mellow Select',
    tags: ['tea-tray', 'bamboo'],
    description: 'A drained bamboo tray for gongfu brewing.',
    skus: [{ sku: 'TBL-TRAY', attributes: { size: '40x26cm' }, price: 15800, stock: s(30, 3, 3) }],
  },
  {
    title: 'Limited-edition Yixing teapot',
    category: 'Tableware',
    brand: 'Mellow Select',
    tags: ['teapot', 'limited-edition', 'flash-sale'],
    description: 'Zisha clay teapot, signed by the potter; a few pieces only.',
    skus: [{ sku: 'TBL-YIXING-LTD', attributes: { volume: '180ml' }, price: 68800, stock: s(FLASH_SALE_UNITS, 0, 0) }],
  },
];

/** The SKU every step of the scenario looks at from several channels. */
export const HERO_SKU = 'TEA-LJ-250';
/** The flash-sale SKU. */
export const FLASH_SKU = 'TBL-YIXING-LTD';
/** A SKU both stores carry, for the pickup and the return. */
export const PICKUP_SKU = 'COF-DRIP-10';
/** A SKU for the unpaid order. */
export const UNPAID_SKU = 'SNK-OSM-6';

/** Channel allocation of the hero SKU: a dedicated quota for the marketplace, safety stock for the app. */
export const ALLOCATIONS: Array<{ sku: string; channel: string; rule: { mode: 'dedicated'; quota: number } | { mode: 'shared'; safetyStock: number } }> = [
  { sku: HERO_SKU, channel: 'tmall', rule: { mode: 'dedicated', quota: 20 } },
  { sku: HERO_SKU, channel: 'app', rule: { mode: 'shared', safetyStock: 5 } },
  { sku: 'TEA-TGY-250', channel: 'tmall', rule: { mode: 'dedicated', quota: 10 } },
  { sku: 'TEA-TGY-250', channel: 'app', rule: { mode: 'shared', safetyStock: 3 } },
];

/** Low-stock alert thresholds at the stores. */
export const STORE_THRESHOLDS: Array<{ sku: string; threshold: number }> = [
  { sku: HERO_SKU, threshold: 3 },
  { sku: PICKUP_SKU, threshold: 5 },
];

/** The store special: the hero SKU at a lower price at store B's tills. */
export const STORE_SPECIAL = { ruleId: 'DEMO-XJH-LONGJING-SPECIAL', sku: HERO_SKU, amount: 9900 };

/** The flash sale and the spend-300-get-30 promotion (price rules in the pricing service). */
export const FLASH_SALE = { ruleId: 'DEMO-FLASH-YIXING', sku: FLASH_SKU, salePrice: 39900, days: 30 };
/** Silver and gold members get 5 % off (a member-tier-discount rule; pricing learns tiers from tier-changed). */
export const MEMBER_TIER_PRICE = { ruleId: 'DEMO-MEMBER-SILVER-5', tiers: ['silver', 'gold'], percentOffBps: 500 };
/** The member-day coupon template: 10.00 off, issued into members' wallets (usable once each). */
export const MEMBER_DAY_COUPON = { templateId: 'DEMO-MEMBER-DAY-10', code: 'MEMBERDAY10', amount: 1000, days: 365 };
export const SPEND_THRESHOLD = { ruleId: 'DEMO-SPEND-300-GET-30', minSubtotal: 30000, discount: 3000 };

/** Media references (the demo does not ship images: these are stable example URLs). */
export function mediaFor(sku: string): Array<{ kind: 'image' | 'video'; url: string; position: number }> {
  const slug = sku.toLowerCase();
  return [
    { kind: 'image', url: `https://img.example.com/mellow/${slug}/front.jpg`, position: 0 },
    { kind: 'image', url: `https://img.example.com/mellow/${slug}/detail.jpg`, position: 1 },
  ];
}

/** The channel keys the demo creates: one per online channel, one per store. */
export const DEMO_KEYS: Array<{ label: string; channel: string; store?: 'storeA' | 'storeB'; envName: string }> = [
  { label: 'app (own app)', channel: 'app', envName: 'APP_KEY' },
  { label: 'tmall (marketplace)', channel: 'tmall', envName: 'TMALL_KEY' },
  { label: 'wechat (social group-buy)', channel: 'wechat', envName: 'WECHAT_KEY' },
  { label: "pos at People's Square (store A)", channel: 'pos', store: 'storeA', envName: 'STORE_A_KEY' },
  { label: 'pos at Xujiahui (store B)', channel: 'pos', store: 'storeB', envName: 'STORE_B_KEY' },
];
