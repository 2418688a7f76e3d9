/**
 * ComfyUI's WebSocket messages as data: the JSON messages the bot reads (validated with zod), the GET
 * /queue snapshot fed to the same reducer, and the binary preview frames (event 1 and, with preview
 * metadata, event 4).
 */
import { z } from 'zod';

export interface ComfyImageRef {
  filename: string;
  subfolder: string;
  type: string;
}

const imageRef = z.object({
  filename: z.string(),
  subfolder: z.string().catch(''),
  type: z.string().catch('output'),
});
const promptId = z.string();
const nodeId = z.union([z.string(), z.number()]).transform(String);

const messageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('status'),
    data: z.object({
      status: z.object({ exec_info: z.object({ queue_remaining: z.number() }) }).nullish(),
      sid: z.string().nullish(),
    }),
  }),
  z.object({ type: z.literal('execution_start'), data: z.object({ prompt_id: promptId }) }),
  z.object({
    type: z.literal('execution_cached'),
    data: z.object({ prompt_id: promptId, nodes: z.array(nodeId).catch([]) }),
  }),
  z.object({
    type: z.literal('executing'),
    data: z.object({ prompt_id: promptId.nullish(), node: nodeId.nullable() }),
  }),
  z.object({
    type: z.literal('progress'),
    data: z.object({
      prompt_id: promptId.nullish(),
      node: nodeId.nullish(),
      value: z.number(),
      max: z.number(),
    }),
  }),
  z.object({
    type: z.literal('progress_state'),
    data: z.object({
      prompt_id: promptId,
      nodes: z.record(
        z.string(),
        z.object({ value: z.number(), max: z.number(), state: z.string() }).loose(),
      ),
    }),
  }),
  z.object({
    type: z.literal('executed'),
    data: z.object({
      prompt_id: promptId,
      node: nodeId,
      output: z
        .object({ images: z.array(imageRef).optional() })
        .loose()
        .nullish(),
    }),
  }),
  z.object({ type: z.literal('execution_success'), data: z.object({ prompt_id: promptId }) }),
  z.object({
    type: z.literal('execution_error'),
    data: z.object({
      prompt_id: promptId,
      node_id: nodeId.catch(''),
      node_type: z.string().catch(''),
      exception_message: z.string().catch(''),
      exception_type: z.string().catch(''),
      traceback: z.array(z.string()).catch([]),
    }),
  }),
  z.object({
    type: z.literal('execution_interrupted'),
    data: z.object({ prompt_id: promptId, node_id: nodeId.nullish(), node_type: z.string().nullish() }),
  }),
]);

/** A JSON message from ComfyUI's WebSocket, validated. */
export type ComfyWsMessage = z.output<typeof messageSchema>;

/** A GET /queue answer fed to the reducer: items are `[number, prompt_id, prompt, extra, outputs]`. */
export interface ComfyQueueSnapshot {
  type: 'queue';
  data: { queue_running: unknown[][]; queue_pending: unknown[][] };
}

export type ComfyMessage = ComfyWsMessage | ComfyQueueSnapshot;

/** A WebSocket text frame → a known message, or null (unknown type, bad JSON, wrong shape). */
export function parseComfyMessage(text: string): ComfyWsMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = messageSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export interface ComfyPreviewFrame {
  type: 'preview';
  image: Buffer;
  format: 'jpeg' | 'png' | 'webp';
  /** Only type-4 frames (sent to clients announcing `supports_preview_metadata`) name them. */
  promptId: string | null;
  nodeId: string | null;
}

/** A binary frame (`uint32 BE` event 1: `uint32` format + image; event 4: `uint32` length + JSON + image). */
export function parseComfyFrame(bytes: Buffer): ComfyPreviewFrame | null {
  if (bytes.length < 8) return null;
  const event = bytes.readUInt32BE(0);
  if (event === 1) {
    const format = bytes.readUInt32BE(4);
    return {
      type: 'preview',
      image: bytes.subarray(8),
      format: format === 2 ? 'png' : 'jpeg',
      promptId: null,
      nodeId: null,
    };
  }
  if (event === 4) {
    const length = bytes.readUInt32BE(4);
    if (bytes.length < 8 + length) return null;
    let meta: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null) meta = parsed as Record<string, unknown>;
    } catch {
      return null;
    }
    const imageType = typeof meta.image_type === 'string' ? meta.image_type : 'image/jpeg';
    return {
      type: 'preview',
      image: bytes.subarray(8 + length),
      format: imageType.includes('png') ? 'png' : imageType.includes('webp') ? 'webp' : 'jpeg',
      promptId: typeof meta.prompt_id === 'string' ? meta.prompt_id : null,
      nodeId: typeof meta.node_id === 'string' ? meta.node_id : null,
    };
  }
  return null;
}
