import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';

export const ko: AreaCatalog<typeof en> = {
  'cancel.done': '취소했어요.',
};
