import { createHash } from "node:crypto";

/** What a store writes: the whole file, or its bytes as they come (never all in memory). */
export type ArtifactData = Uint8Array | AsyncIterable<Uint8Array>;

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** `data` in pieces of `size` bytes (the last one shorter); a whole array is sliced without copying. */
export async function* chunksOf(data: ArtifactData, size: number): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) {
    for (let offset = 0; offset < data.byteLength; offset += size) yield data.subarray(offset, offset + size);
    return;
  }
  let pending = new Uint8Array(size);
  let filled = 0;
  for await (const piece of data) {
    let offset = 0;
    while (offset < piece.byteLength) {
      const taken = Math.min(size - filled, piece.byteLength - offset);
      pending.set(piece.subarray(offset, offset + taken), filled);
      filled += taken;
      offset += taken;
      if (filled === size) {
        yield pending;
        pending = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield pending.subarray(0, filled);
}

/** All of a stream's bytes in one array. */
export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  for await (const piece of stream) pieces.push(piece);
  const buffer = Buffer.concat(pieces);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
