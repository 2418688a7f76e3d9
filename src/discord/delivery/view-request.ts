/** A message view as Discord's REST takes it: the JSON body, and the files beside it. */
import { contentTypeFor } from '../uploads/upload-preflight.js';
import type { MessageView } from '../views/message-view.js';
import { LIMITS, truncate } from '../views/view-text.js';
import { type MessageRequest, toMessageRequest } from './multipart.js';

/** The message's JSON: its text cut to Discord's limit, its files as attachments, mentions only of `allowedUsers`. */
export function toBody(view: MessageView, allowedUsers: string[] = []) {
  return {
    content: truncate(view.content, LIMITS.content),
    embeds: view.embeds,
    components: view.components,
    attachments: view.files.map((file, index) => ({ id: index, filename: file.name })),
    allowed_mentions: { parse: [], users: allowedUsers },
  };
}

/** The REST request of a message: its JSON body, and its files as one multipart body. */
export function toRequest(body: object, view: MessageView): MessageRequest {
  return toMessageRequest(
    body,
    view.files.map((file) => ({ name: file.name, data: file.data, contentType: contentTypeFor(file.name) })),
  );
}
