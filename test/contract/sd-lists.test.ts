import { afterEach, describe, expect, it } from 'vitest';
import { createSdClient } from '../../src/sd/client.js';
import type { SdClient } from '../../src/sd/types.js';
import { type FakeSdcpp, startFakeSdcpp } from '../fakes/sdcpp/server.js';
import { type FakeWebui, startFakeWebui, type WebuiFlavour } from '../fakes/webui/server.js';

const servers: (FakeWebui | FakeSdcpp)[] = [];
const clients: SdClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const connect = (url: string) => {
  const client = createSdClient({ url, timeoutMs: 5_000 });
  clients.push(client);
  return client;
};

describe('the WebUI client’s feature lists', () => {
  it.each<WebuiFlavour>(['a1111', 'forge', 'sdnext'])(
    'reads LoRAs, embeddings and styles from %s',
    async (flavour) => {
      const fake = await startFakeWebui({ flavour });
      servers.push(fake);
      const client = connect(fake.url);
      const loras = await client.listLoras();
      expect(loras.map((lora) => [lora.name, lora.alias])).toEqual([
        ['add_detail', 'add_detail'],
        ['pixel-art-xl-v1.1', 'pixel-art-xl'],
      ]);
      expect(loras[0]?.metadata).toMatchObject({ ss_base_model_version: 'sd_v1' });
      const embeddings = await client.listEmbeddings();
      // A1111 and Forge give each embedding's shape; SD.Next lists names only.
      expect(embeddings).toEqual([
        { name: 'EasyNegative', shape: flavour === 'sdnext' ? null : 768 },
        { name: 'bad-hands-5', shape: flavour === 'sdnext' ? null : 768 },
      ]);
      expect((await client.listStyles()).map((style) => style.name)).toEqual(['Cinematic', 'Sharp']);
      // SD.Next has no `/latent-upscale-modes`: a missing route is an empty list.
      const latent = await client.listLatentUpscaleModes();
      if (flavour === 'sdnext') expect(latent).toEqual([]);
      else expect(latent).toContain('Latent');
    },
  );

  it('reads stable-diffusion.cpp’s LoRAs, which have a path and no alias', async () => {
    const fake = await startFakeSdcpp();
    servers.push(fake);
    const loras = await connect(fake.url).listLoras();
    expect(loras).toEqual([
      { name: 'add-detail-xl', alias: null, path: 'add-detail-xl.safetensors' },
      { name: 'pixel-art-xl', alias: null, path: 'styles/pixel-art-xl.safetensors' },
    ]);
  });
});
