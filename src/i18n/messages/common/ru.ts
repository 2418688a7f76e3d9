import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';

export const ru: AreaCatalog<typeof en> = {
  'cancel.done': 'Отменено.',
};
