import { describe, expect, it } from 'vitest';
import {
  closestLoras,
  extractLoraTags,
  findLora,
  type LoraCatalogEntry,
  loraTrainingTags,
  parseLoraOption,
  toLoraWire,
} from '../../src/generation/loras.js';
import { render } from '../../src/i18n/translate.js';

/** As A1111/Forge list them: `name` is the file stem, `alias` the training output name. */
const A1111_CATALOG: readonly LoraCatalogEntry[] = [
  { name: 'add_detail', alias: 'add_detail', path: '/models/Lora/add_detail.safetensors' },
  {
    name: 'ghibli_style_offset',
    alias: 'ghibliStyle',
    path: '/models/Lora/styles/ghibli_style_offset.safetensors',
  },
  { name: 'Pixel Art XL', alias: 'pixel-art-xl', path: '/models/Lora/Pixel Art XL.safetensors' },
];
/** stable-diffusion.cpp: `{name, path}` only. */
const SDCPP_CATALOG: readonly LoraCatalogEntry[] = [
  { name: 'add_detail', path: 'add_detail.safetensors' },
  { name: 'ghibli_style_offset', path: 'styles/ghibli_style_offset.safetensors' },
];
/** ComfyUI: `LoraLoader.lora_name` values. */
const COMFY_CATALOG: readonly LoraCatalogEntry[] = [
  { name: 'add_detail.safetensors' },
  { name: 'styles/ghibli_style_offset.safetensors' },
];

describe('parseLoraOption', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['add_detail', [{ name: 'add_detail', weight: 1 }]],
    ['add_detail:0.8', [{ name: 'add_detail', weight: 0.8 }]],
    ['add_detail:-1.5', [{ name: 'add_detail', weight: -1.5 }]],
    ['add_detail:.5', [{ name: 'add_detail', weight: 0.5 }]],
    ['add_detail:+2', [{ name: 'add_detail', weight: 2 }]],
    ['add_detail : 0.4', [{ name: 'add_detail', weight: 0.4 }]],
    [
      'add_detail:0.5 ghibli',
      [
        { name: 'add_detail', weight: 0.5 },
        { name: 'ghibli', weight: 1 },
      ],
    ],
    [
      'add_detail:0.5, ghibli:0.7',
      [
        { name: 'add_detail', weight: 0.5 },
        { name: 'ghibli', weight: 0.7 },
      ],
    ],
    [
      'Pixel Art XL:0.9, add detail',
      [
        { name: 'Pixel Art XL', weight: 0.9 },
        { name: 'add detail', weight: 1 },
      ],
    ],
    ['<lora:add_detail:0.6>', [{ name: 'add_detail', weight: 0.6 }]],
    [
      '<lora:Pixel Art XL:0.5> <lora:add_detail>',
      [
        { name: 'Pixel Art XL', weight: 0.5 },
        { name: 'add_detail', weight: 1 },
      ],
    ],
    [
      'ghibli:0.7 <lora:add_detail:0.2>',
      [
        { name: 'add_detail', weight: 0.2 },
        { name: 'ghibli', weight: 0.7 },
      ],
    ],
    ['add_detail,', [{ name: 'add_detail', weight: 1 }]],
    ['add_detail:0', [{ name: 'add_detail', weight: 0 }]],
  ])('reads %j', (text, loras) => {
    expect(parseLoraOption(text, 5)).toEqual({ ok: true, loras });
  });

  it.each([
    ['add_detail:3', 'The weight of add_detail is 3; use a number from -2 to 2.'],
    ['add_detail:-2.5', 'The weight of add_detail is -2.5; use a number from -2 to 2.'],
    ['add_detail:high', '"high" is not a weight for add_detail; write add_detail:0.8.'],
    ['add_detail:', '"" is not a weight for add_detail; write add_detail:0.8.'],
    [':0.5', '":0.5" names no LoRA; write name or name:0.8.'],
    ['a:b:0.5', '"a:b" is not a LoRA name; write name or name:0.8.'],
    ['x y X', 'X is named twice; name each LoRA once.'],
    ['<lora:add_detail:2.5>', 'The weight of add_detail is 2.5; use a number from -2 to 2.'],
    ['<lora:x:1> x', 'x is named twice; name each LoRA once.'],
    ['a b c d', 'That is 4 LoRAs; at most 3 are allowed per image.'],
  ])('refuses %j with a sentence', (text, problem) => {
    const result = parseLoraOption(text, 3);
    expect(!result.ok && render(result.problem)).toBe(problem);
  });

  it('accepts exactly the limit', () => {
    const result = parseLoraOption('a b c', 3);
    expect(result.ok && result.loras.map((lora) => lora.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('extractLoraTags', () => {
  it.each([
    ['a cat, <lora:add_detail:0.8>, detailed', 'a cat, detailed', [{ name: 'add_detail', weight: 0.8 }]],
    ['a cat <lora:add_detail:0.8> detailed', 'a cat detailed', [{ name: 'add_detail', weight: 0.8 }]],
    ['<lora:add_detail> a cat', 'a cat', [{ name: 'add_detail', weight: 1 }]],
    ['a cat, <lora:add_detail:1>', 'a cat', [{ name: 'add_detail', weight: 1 }]],
    [
      'a cat,<lora:a:0.5>,<lora:b:-1>, dog',
      'a cat, dog',
      [
        { name: 'a', weight: 0.5 },
        { name: 'b', weight: -1 },
      ],
    ],
    [
      'a cat <lora:a> <LORA:b:2>',
      'a cat',
      [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 2 },
      ],
    ],
    ['a cat<lora:a:1>dog', 'a cat dog', [{ name: 'a', weight: 1 }]],
    ['<lora:Pixel Art XL:0.7> pixels', 'pixels', [{ name: 'Pixel Art XL', weight: 0.7 }]],
    ['x <lora:add_detail:0.6:0.3> y', 'x y', [{ name: 'add_detail', weight: 0.6 }]],
    ['x <lora:add_detail:te=0.5> y', 'x y', [{ name: 'add_detail', weight: 1 }]],
    ['x <lora:add_detail:3> y', 'x y', [{ name: 'add_detail', weight: 3 }]],
    ['line one, <lora:a:1>\nline two', 'line one,\nline two', [{ name: 'a', weight: 1 }]],
  ])('takes the tags out of %j', (prompt, rest, loras) => {
    expect(extractLoraTags(prompt)).toEqual({ prompt: rest, loras });
  });

  it.each([
    'a cat,  (detailed:1.2), [cow|horse]',
    '<hypernet:x:1> a cat',
    '<lyco:x:1> a cat',
    '<lora:> a cat',
    ', a cat ,',
  ])('leaves %j unchanged when it has no LoRA tag', (prompt) => {
    expect(extractLoraTags(prompt)).toEqual({ prompt, loras: [] });
  });
});

describe('findLora', () => {
  it.each([
    ['add_detail', A1111_CATALOG, 'add_detail'],
    ['ADD_DETAIL', A1111_CATALOG, 'add_detail'],
    ['ghibliStyle', A1111_CATALOG, 'ghibli_style_offset'],
    ['ghiblistyle', A1111_CATALOG, 'ghibli_style_offset'],
    ['pixel-art-xl', A1111_CATALOG, 'Pixel Art XL'],
    ['pixel art xl', A1111_CATALOG, 'Pixel Art XL'],
    ['ghibli_style_offset', SDCPP_CATALOG, 'ghibli_style_offset'],
    ['ghibli_style_offset', COMFY_CATALOG, 'styles/ghibli_style_offset.safetensors'],
    ['add_detail.safetensors', COMFY_CATALOG, 'add_detail.safetensors'],
    ['Add_Detail', COMFY_CATALOG, 'add_detail.safetensors'],
    ['add_detail.safetensors', A1111_CATALOG, 'add_detail'],
  ])('finds %j', (name, catalog, expected) => {
    expect(findLora(name, catalog)?.name).toBe(expected);
  });

  it.each(['', 'detail', 'ghibli', 'styles'])('finds nothing for %j', (name) => {
    expect(findLora(name, A1111_CATALOG)).toBeUndefined();
  });
});

describe('closestLoras', () => {
  it('lists the nearest names first', () => {
    expect(closestLoras('ghibly', A1111_CATALOG, 2).map((entry) => entry.name)).toEqual([
      'ghibli_style_offset',
      'add_detail',
    ]);
    expect(closestLoras('add detial', A1111_CATALOG, 1).map((entry) => entry.name)).toEqual(['add_detail']);
    expect(closestLoras('pixelart', A1111_CATALOG, 1).map((entry) => entry.name)).toEqual(['Pixel Art XL']);
  });

  it('returns at most three by default', () => {
    const catalog = ['a', 'b', 'c', 'd'].map((name) => ({ name }));
    expect(closestLoras('x', catalog)).toHaveLength(3);
  });

  it('returns nothing from an empty catalog', () => {
    expect(closestLoras('x', [])).toEqual([]);
  });
});

describe('toLoraWire', () => {
  const loras = [
    { name: 'ghibliStyle', weight: 0.75 },
    { name: 'add_detail', weight: 1 },
  ];

  it.each([
    ['a1111-alias', A1111_CATALOG, { promptSuffix: '<lora:ghibliStyle:0.75> <lora:add_detail:1>' }],
    ['sdnext-name', A1111_CATALOG, { promptSuffix: '<lora:ghibli_style_offset:0.75> <lora:add_detail:1>' }],
    [
      'sdcpp',
      SDCPP_CATALOG,
      {
        sdcpp: [
          { path: 'ghibliStyle', multiplier: 0.75 },
          { path: 'add_detail.safetensors', multiplier: 1 },
        ],
      },
    ],
    [
      'comfyui',
      COMFY_CATALOG,
      {
        comfy: [
          { name: 'ghibliStyle', weight: 0.75 },
          { name: 'add_detail.safetensors', weight: 1 },
        ],
      },
    ],
  ] as const)('sends LoRAs the %s way', (style, catalog, wire) => {
    expect(toLoraWire(style, loras, catalog)).toEqual(wire);
  });

  it('resolves names through the catalog to each server’s own identifier', () => {
    const wanted = [{ name: 'ghibli_style_offset', weight: -0.5 }];
    expect(toLoraWire('a1111-alias', wanted, A1111_CATALOG)).toEqual({
      promptSuffix: '<lora:ghibliStyle:-0.5>',
    });
    expect(toLoraWire('sdcpp', wanted, SDCPP_CATALOG)).toEqual({
      sdcpp: [{ path: 'styles/ghibli_style_offset.safetensors', multiplier: -0.5 }],
    });
    expect(toLoraWire('comfyui', wanted, COMFY_CATALOG)).toEqual({
      comfy: [{ name: 'styles/ghibli_style_offset.safetensors', weight: -0.5 }],
    });
  });

  it('writes weights without float noise', () => {
    expect(toLoraWire('sdnext-name', [{ name: 'x', weight: 0.1 + 0.2 }], [])).toEqual({
      promptSuffix: '<lora:x:0.3>',
    });
  });

  it.each(['a1111-alias', 'sdnext-name', 'sdcpp', 'comfyui'] as const)(
    'sends nothing for %s when there are no LoRAs',
    (style) => {
      expect(toLoraWire(style, [], A1111_CATALOG)).toEqual({});
    },
  );
});

describe('loraTrainingTags', () => {
  const frequency = {
    '10_character': { '1girl': 40, ' solo': 35, smile: 12, 'blue hair': 30 },
    '5_outfit': { '1girl': 10, dress: 20, Smile: 3 },
  };

  it.each([
    ['an object', { ss_tag_frequency: frequency }],
    ['a JSON string field', { ss_tag_frequency: JSON.stringify(frequency) }],
    ['a JSON string of the metadata', JSON.stringify({ ss_tag_frequency: JSON.stringify(frequency) })],
  ])('lists tags most frequent first from %s', (_shape, metadata) => {
    expect(loraTrainingTags(metadata, 4)).toEqual(['1girl', 'solo', 'blue hair', 'dress']);
  });

  it('sums a tag over datasets whatever its case', () => {
    expect(loraTrainingTags({ ss_tag_frequency: frequency }, 10)).toEqual([
      '1girl',
      'solo',
      'blue hair',
      'dress',
      'smile',
    ]);
  });

  it.each([
    ['nothing', undefined],
    ['a number', 3],
    ['no frequency', { ss_output_name: 'x' }],
    ['broken JSON', { ss_tag_frequency: '{"a": ' }],
    ['a broken metadata string', '{not json'],
    ['a list', { ss_tag_frequency: [1, 2] }],
    ['non-numeric counts', { ss_tag_frequency: { d: { a: 'many', b: null, c: -1 } } }],
  ])('gives no tags for %s', (_shape, metadata) => {
    expect(loraTrainingTags(metadata, 5)).toEqual([]);
  });

  it('gives no tags when asked for none', () => {
    expect(loraTrainingTags({ ss_tag_frequency: frequency }, 0)).toEqual([]);
  });
});
