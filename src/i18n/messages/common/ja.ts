import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';

export const ja: AreaCatalog<typeof en> = {
  'cancel.done': 'キャンセルしました。',
};
