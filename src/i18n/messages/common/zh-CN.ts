import type { AreaCatalog } from '../area.js';
import type { en } from './en.js';

export const zhcn: AreaCatalog<typeof en> = {
  'cancel.done': '已取消。',
};
