import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';

export const eses: AreaCatalog<typeof en> = {
  'cancel.done': 'Cancelado.',
};
