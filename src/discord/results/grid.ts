import { loadSharp } from '../../images/sharp.js';

export interface GridLayout {
  columns: number;
  rows: number;
  width: number;
  height: number;
  /** Top-left corner of each image, in order; a 3-image grid leaves its last cell empty. */
  cells: { left: number; top: number }[];
}

/** Where each of `count` images of `width`×`height` goes: 1 → 1×1, 2 → 2×1, 3 and 4 → 2×2. */
export function toGridLayout(count: number, width: number, height: number): GridLayout {
  if (!Number.isInteger(count) || count < 1 || count > 4)
    throw new Error(`a grid holds 1 to 4 images, not ${count}`);
  const columns = count === 1 ? 1 : 2;
  const rows = count <= 2 ? 1 : 2;
  const cells = Array.from({ length: count }, (_, index) => ({
    left: (index % columns) * width,
    top: Math.floor(index / columns) * height,
  }));
  return { columns, rows, width: columns * width, height: rows * height, cells };
}

/** A grid is a preview: each cell is at most this many pixels on its longer side. */
export const GRID_MAX_CELL = 512;

/** The cell size for images of `width`×`height`: unchanged when small, else scaled to fit the cap. */
export function toGridCell(
  width: number,
  height: number,
  maxCell = GRID_MAX_CELL,
): { width: number; height: number } {
  const scale = Math.min(1, maxCell / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The grid is a JPEG preview: no alpha, so an empty cell takes this colour (Discord's dark theme). */
export const GRID_BACKGROUND = { r: 0x2b, g: 0x2d, b: 0x31 } as const;
/** JPEG quality of the grid: a preview, a few tens of KB; the originals stay one click away. */
export const GRID_QUALITY = 80;

export interface RawCell {
  /** RGB pixels, `width * height * 3` bytes, rows top to bottom. */
  data: Buffer;
  width: number;
  height: number;
}

/** The grid's RGB pixels: each cell copied row by row to its corner, the rest `background`. */
export function placeCells(
  layout: GridLayout,
  cells: readonly RawCell[],
  background: { r: number; g: number; b: number } = GRID_BACKGROUND,
): Buffer {
  const canvas = Buffer.alloc(
    layout.width * layout.height * 3,
    Buffer.from([background.r, background.g, background.b]),
  );
  cells.forEach((cell, index) => {
    const corner = layout.cells[index];
    if (corner === undefined) return;
    const width = Math.min(cell.width, layout.width - corner.left);
    const height = Math.min(cell.height, layout.height - corner.top);
    for (let y = 0; y < height; y += 1) {
      const from = y * cell.width * 3;
      cell.data.copy(canvas, ((corner.top + y) * layout.width + corner.left) * 3, from, from + width * 3);
    }
  });
  return canvas;
}

/**
 * One JPEG holding every image of a batch, in the layout above, each cell scaled down to at most
 * `GRID_MAX_CELL`: a preview, cheaper to make and to send than the images themselves (the originals
 * stay one click away, byte for byte). The images are decoded in parallel on the thread pool; cells
 * take the first image's size (a batch shares one size), and a stray image of another size is fitted
 * inside its cell rather than breaking the grid.
 */
export function composeGrid(images: readonly Buffer[], maxCell = GRID_MAX_CELL): Promise<Buffer> {
  // One grid at a time: its four decodes already fill the cores, and a second grid in parallel only
  // doubles the memory libvips holds at once (without MALLOC_ARENA_MAX, glibc keeps most of it).
  const turn = gridTurn.then(() => composeGridNow(images, maxCell));
  gridTurn = turn.then(
    () => undefined,
    () => undefined,
  );
  return turn;
}

let gridTurn: Promise<void> = Promise.resolve();

async function composeGridNow(images: readonly Buffer[], maxCell: number): Promise<Buffer> {
  const [first] = images;
  if (first === undefined) throw new Error('a grid needs at least one image');
  const sharp = await loadSharp();
  const { width, height } = await sharp(first).metadata();
  if (width === undefined || height === undefined) throw new Error('the first image has no size');
  const cell = toGridCell(width, height, maxCell);
  const layout = toGridLayout(images.length, cell.width, cell.height);
  const cells = await Promise.all(
    images.map(async (image): Promise<RawCell> => {
      // Linear is plenty for a preview and about twice as fast as the default Lanczos.
      const { data, info } = await sharp(image)
        .resize(cell.width, cell.height, { fit: 'inside', kernel: 'linear', withoutEnlargement: true })
        .flatten({ background: GRID_BACKGROUND })
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== 3 || data.length !== info.width * info.height * 3)
        throw new Error(`a grid cell is not 8-bit RGB (${info.channels} channels, ${data.length} bytes)`);
      return { data, width: info.width, height: info.height };
    }),
  );
  return sharp(placeCells(layout, cells), {
    raw: { width: layout.width, height: layout.height, channels: 3 },
  })
    .jpeg({ quality: GRID_QUALITY })
    .toBuffer();
}
