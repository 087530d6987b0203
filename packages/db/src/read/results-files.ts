import { artifactNames } from "@hindcast/contracts";
import type pg from "pg";
import { prismaOf } from "../client";
import type { Artifact } from "../generated/prisma/client";

export type StoredFile = Pick<Artifact, "runId" | "uri">;

/** Where each of these runs' results.json is stored; runs without one are left out. */
export function resultsFiles(pool: pg.Pool, runIds: readonly string[]): Promise<StoredFile[]> {
  return prismaOf(pool).artifact.findMany({
    where: { runId: { in: [...runIds] }, run: { deletedAt: null }, name: artifactNames.results },
    select: { runId: true, uri: true },
  });
}

/** Where the results.json of each child of a run (a parallel retrodiction's windows) is stored. */
export function childResultsFiles(pool: pg.Pool, parentId: string): Promise<StoredFile[]> {
  return prismaOf(pool).artifact.findMany({
    where: { run: { parentId }, name: artifactNames.results },
    select: { runId: true, uri: true },
  });
}
