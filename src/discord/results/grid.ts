import sharp, { type OverlayOptions } from 'sharp';

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

/**
 * One PNG holding every image of a batch, in the layout above, each cell scaled down to at most
 * `GRID_MAX_CELL` (the originals stay one click away); empty cells are transparent. Cells take the
 * first image's size (a batch shares one size). Encoded with light compression: it is a preview.
 */
export async function composeGrid(images: readonly Buffer[], maxCell = GRID_MAX_CELL): Promise<Buffer> {
  const [first] = images;
  if (first === undefined) throw new Error('a grid needs at least one image');
  const { width, height } = await sharp(first).metadata();
  if (width === undefined || height === undefined) throw new Error('the first image has no size');
  const cell = toGridCell(width, height, maxCell);
  const layout = toGridLayout(images.length, cell.width, cell.height);
  const inputs = await Promise.all(
    images.map(async (image): Promise<OverlayOptions> => {
      if (cell.width === width && cell.height === height) {
        const meta = await sharp(image).metadata();
        if (meta.width === width && meta.height === height) return { input: image };
      }
      // Scaled to the cell as raw pixels (no PNG round trip per cell); a stray image of another size
      // is fitted inside rather than breaking the grid.
      const { data, info } = await sharp(image)
        .resize(cell.width, cell.height, { fit: 'inside' })
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { input: data, raw: { width: info.width, height: info.height, channels: 4 } };
    }),
  );
  return sharp({
    create: {
      width: layout.width,
      height: layout.height,
      channels: 4,
      background: { r: 0, g: 0, b: 0, alpha: 0 },
    },
  })
    .composite(
      inputs.map((input, index) => ({
        ...input,
        left: layout.cells[index]?.left ?? 0,
        top: layout.cells[index]?.top ?? 0,
      })),
    )
    .png({ compressionLevel: 3 })
    .toBuffer();
}
