import { type ArtifactStorage, artifactStoreConfig, openArtifactStore } from "@hindcast/artifact-store";
import type pg from "pg";

const stores = new WeakMap<pg.Pool, ArtifactStorage>();

/** Makes the API on `pool` read artifacts through `store`, the host's (web server.ts builds it from the environment). */
export function provideArtifactStore(pool: pg.Pool, store: ArtifactStorage): void {
  stores.set(pool, store);
}

/**
 * The artifact store the API on `pool` reads through: the one its host
 * provided, else the one this process's environment configures (in-process
 * callers, servers started without one).
 */
export function artifactStoreOf(pool: pg.Pool): ArtifactStorage {
  let store = stores.get(pool);
  if (!store) {
    store = openArtifactStore(pool, artifactStoreConfig(process.env));
    stores.set(pool, store);
  }
  return store;
}

/** Reads a JSON artifact (results.json) from whichever store holds it, its hash checked. */
export async function readJsonArtifact(pool: pg.Pool, uri: string): Promise<unknown> {
  return JSON.parse(new TextDecoder().decode(await artifactStoreOf(pool).readAll(uri)));
}
