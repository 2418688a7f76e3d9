import sharp from 'sharp';

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

/**
 * One PNG holding every image of a batch, at full size, in the layout above; empty cells are
 * transparent. Cells take the first image's size (a batch shares one size).
 */
export async function composeGrid(images: readonly Buffer[]): Promise<Buffer> {
  const [first] = images;
  if (first === undefined) throw new Error('a grid needs at least one image');
  const { width, height } = await sharp(first).metadata();
  if (width === undefined || height === undefined) throw new Error('the first image has no size');
  const layout = toGridLayout(images.length, width, height);
  // A stray image of another size is fitted into its cell rather than breaking the composite.
  const inputs = await Promise.all(
    images.map(async (image) => {
      const meta = await sharp(image).metadata();
      if (meta.width === width && meta.height === height) return image;
      return sharp(image).resize(width, height, { fit: 'inside' }).png().toBuffer();
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
        input,
        left: layout.cells[index]?.left ?? 0,
        top: layout.cells[index]?.top ?? 0,
      })),
    )
    .png()
    .toBuffer();
}
