import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';

export const de: AreaCatalog<typeof en> = {
  'cancel.done': 'Abgebrochen.',
};
