import type { Checkpoint } from "./trainer";

/**
 * A checkpoint as one byte buffer: a JSON header (epoch, step, shapes, ...)
 * then the Float32 weights, so it can be stored as a single artifact and read
 * back to resume. Not model.save(): that would also serialise the topology,
 * which the run's spec already fixes.
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const { weights, ...meta } = checkpoint;
  const header = new TextEncoder().encode(JSON.stringify({ ...meta, shapes: weights.shapes }));
  const floats = weights.values.reduce((n, v) => n + v.length, 0);
  const out = new Uint8Array(4 + header.length + ((4 - ((4 + header.length) % 4)) % 4) + floats * 4);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  let offset = out.length - floats * 4;
  for (const v of weights.values) {
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), offset);
    offset += v.byteLength;
  }
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const { shapes, ...meta } = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as Omit<Checkpoint, "weights"> & {
    shapes: number[][];
  };
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  const data = new Float32Array(bytes.slice(bytes.length - total * 4).buffer);
  let offset = 0;
  const values = sizes.map((size) => {
    const v = data.subarray(offset, offset + size);
    offset += size;
    return v;
  });
  return { ...meta, weights: { values, shapes } };
}
