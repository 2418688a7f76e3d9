import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';

export const ptbr: AreaCatalog<typeof en> = {
  'cancel.done': 'Cancelado.',
};
