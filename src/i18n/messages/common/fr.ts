import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';

export const fr: AreaCatalog<typeof en> = {
  'cancel.done': 'Annulé.',
};
