import { describe, expect, it } from 'vitest';
import { toMessageRequest } from '../../src/discord/delivery/multipart.js';

describe('toMessageRequest', () => {
  it('sends a message without files as plain JSON', () => {
    expect(toMessageRequest({ content: 'hi' }, [])).toEqual({ body: { content: 'hi' } });
  });

  it('builds a multipart body, in parts with its length, that a standard parser reads back byte for byte', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x2d, 0x2d]);
    const body = { content: 'done', attachments: [{ id: 0, filename: '1.png' }] };
    const request = toMessageRequest(body, [
      { name: '1.png', data: png, contentType: 'image/png' },
      { name: 'we"ird\r\nname.webp', data: Buffer.from('second'), contentType: 'image/webp' },
    ]);
    expect(request.passThroughBody).toBe(true);
    const parts = request.body as Buffer[];
    // The image itself is one of the parts: sent as it is, not copied.
    expect(parts).toContain(png);
    const whole = Buffer.concat(parts);
    expect(request.headers?.['Content-Length']).toBe(String(whole.length));
    const form = await new Response(whole, { headers: request.headers ?? {} }).formData();
    expect(JSON.parse(String(form.get('payload_json')))).toEqual(body);
    const first = form.get('files[0]') as File;
    expect(first.name).toBe('1.png');
    expect(first.type).toBe('image/png');
    expect(Buffer.from(await first.arrayBuffer()).equals(png)).toBe(true);
    const second = form.get('files[1]') as File;
    expect(second.name).toBe('we_ird__name.webp');
    expect(await second.text()).toBe('second');
  });
});
